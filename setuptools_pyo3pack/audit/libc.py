"""Which C library a native file, a target triple, a file name or a platform tag stands for.

The binary itself is the best witness: its program interpreter (`ld-musl-*` or `ld-linux-*`),
a DT_NEEDED on a libc (`libc.musl-*`, zig's bare `libc.so`, or glibc's `libc.so.6`) or a
`GLIBC_*` symbol version. A static binary names none of them; then the build's target triple
decides, or (auditing a finished wheel) its platform tag, the extension's file name
(`*-linux-musl.so`), and last the host's libc, as auditwheel does.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping


class Libc(str, enum.Enum):
    GLIBC = "glibc"
    MUSL = "musl"

    def __str__(self) -> str:
        return self.value

    @property
    def tag_prefix(self) -> str:
        """The platform tags of this libc's policies start with it."""
        return "musllinux" if self is Libc.MUSL else "manylinux"


#: glibc's dynamic loaders: `ld-linux-x86-64.so.2`, `ld-linux-aarch64.so.1`, `ld64.so.2`, ...
_GLIBC_LOADER = re.compile(r"^(ld-linux[-.\w]*\.so\.\d+|ld64\.so\.\d+|ld\.so\.1)$")
_MUSL_NAME = re.compile(r"^(libc\.musl-[\w]+\.so\.1|ld-musl-[\w]+\.so\.1)$")
#: EXT_SUFFIX of extension modules: `.cpython-312-x86_64-linux-musl.so`, `...-gnueabihf.so`
_EXT_SUFFIX = re.compile(r"\.(\w+)-(\d+)\w*-[\w]+-linux-(gnu|musl)\w*\.so$")


def is_glibc_loader(soname: str) -> bool:
    return bool(_GLIBC_LOADER.match(soname))


def is_musl_libc(soname: str) -> bool:
    """musl's one library under its names: `libc.musl-x86_64.so.1` (Alpine),
    `ld-musl-x86_64.so.1`, or the bare `libc.so` zig and musl-gcc link against."""
    return soname == "libc.so" or bool(_MUSL_NAME.match(soname))


def is_dynamic_loader(soname: str) -> bool:
    """Always present where the binary runs, so never part of a policy's library list."""
    return is_glibc_loader(soname) or soname.startswith("ld-musl-")


def from_binary(
    interpreter: str | None, needed: Iterable[str], version_needs: Mapping[str, Iterable[str]]
) -> tuple[Libc, str] | None:
    """The libc a binary links, with the evidence in words; None for a static binary."""
    if interpreter:
        name = interpreter.rsplit("/", 1)[-1]
        return (Libc.MUSL if name.startswith("ld-musl-") else Libc.GLIBC), f"PT_INTERP {name}"
    needed = tuple(needed)
    for library in needed:
        if is_musl_libc(library):
            return Libc.MUSL, f"DT_NEEDED {library}"
    for library in needed:
        if library == "libc.so.6" or is_glibc_loader(library):
            return Libc.GLIBC, f"DT_NEEDED {library}"
    for library, versions in version_needs.items():
        glibc = sorted(v for v in versions if v.startswith("GLIBC_"))
        if glibc:
            return Libc.GLIBC, f"{glibc[0]} from {library}"
    return None


def from_triple(triple: str) -> Libc | None:
    """`x86_64-unknown-linux-musl` -> musl, `aarch64-unknown-linux-gnu.2.17` -> glibc."""
    parts = triple.lower().split("-")
    if "linux" not in parts:
        return None
    environment = parts[-1]
    if environment.startswith("musl"):
        return Libc.MUSL
    if environment.startswith("gnu"):
        return Libc.GLIBC
    return None


def from_platform_tag(tag: str) -> Libc | None:
    """The libc of a wheel's platform tag(s): `musllinux_1_2_x86_64` -> musl; None for
    `linux_x86_64` or when `manylinux` and `musllinux` tags are mixed."""
    found = {libc for part in tag.split(".") for libc in Libc if part.startswith(libc.tag_prefix)}
    return found.pop() if len(found) == 1 else None


def from_file_name(name: str) -> Libc | None:
    """The libc an extension module's name says it was built for: `-linux-musl.so` is musl;
    `-linux-gnu.so` is glibc for CPython 3.11 and later (older musl CPythons used it too)."""
    match = _EXT_SUFFIX.search(name.rsplit("/", 1)[-1])
    if match is None:
        return None
    implementation, version, environment = match.groups()
    if environment == "musl":
        return Libc.MUSL
    if implementation == "cpython" and version.startswith("3") and int(version[1:] or 0) >= 11:
        return Libc.GLIBC
    return None


def host() -> Libc:
    """The libc of this machine: musl when its loader is in /lib (Alpine and friends)."""
    import glob

    found = glob.glob("/lib/ld-musl-*.so.1") or glob.glob("/lib/libc.musl-*.so.1")
    return Libc.MUSL if found else Libc.GLIBC
