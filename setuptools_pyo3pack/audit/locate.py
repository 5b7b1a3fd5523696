"""Find the libraries a native file needs, as the dynamic loader would: DT_RPATH (when there is
no DT_RUNPATH), LD_LIBRARY_PATH, DT_RUNPATH, the `ldconfig -p` cache, then the default folders
(with Debian's multiarch folders). Each candidate is read once.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..fs import CHUNK
from .elf import ElfInfo, read_elf
from .errors import AuditError

_DEFAULT_DIRS = {
    64: ("/lib64", "/usr/lib64", "/lib", "/usr/lib"),
    32: ("/lib32", "/usr/lib32", "/lib", "/usr/lib"),
}
#: Debian-style multiarch folders, searched with the defaults (they are in ld.so.conf there)
_MULTIARCH = {
    "x86_64": "x86_64-linux-gnu",
    "i686": "i386-linux-gnu",
    "aarch64": "aarch64-linux-gnu",
    "ppc64le": "powerpc64le-linux-gnu",
    "s390x": "s390x-linux-gnu",
    "armv7l": "arm-linux-gnueabihf",
    "riscv64": "riscv64-linux-gnu",
}
_LDCONFIG_LINE = re.compile(r"^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S.*)$")


@dataclass(frozen=True)
class Library:
    """A library found on disk, as a graft candidate."""

    soname: str
    path: Path
    info: ElfInfo
    sha256: str


#: library name, the ElfInfo asking, the folder it is in -> the library, or None
Locate = Callable[[str, ElfInfo, Path], "Library | None"]


def parse_ldconfig(text: str, *, elf_class: int | None = None) -> dict[str, tuple[Path, ...]]:
    """`ldconfig -p` output -> SONAME -> paths, in cache order (64-bit entries say `x86-64`)."""
    found: dict[str, list[Path]] = {}
    for line in text.splitlines():
        match = _LDCONFIG_LINE.match(line)
        if not match:
            continue
        name, flags, path = match.groups()
        is_64 = "64" in flags.replace("x86-64", "64")
        if elf_class is not None and is_64 != (elf_class == 64):
            continue
        found.setdefault(name, []).append(Path(path.strip()))
    return {name: tuple(paths) for name, paths in found.items()}


def _expand(entry: str, origin: Path) -> Path:
    for token in ("${ORIGIN}", "$ORIGIN"):
        entry = entry.replace(token, str(origin))
    return Path(entry)


def search_order(
    library: str,
    info: ElfInfo,
    origin: Path,
    *,
    ld_library_path: str = "",
    cache: Mapping[str, Sequence[Path]] | None = None,
    default_dirs: Sequence[str] = (),
) -> list[Path]:
    """Where the dynamic loader looks for `library` asked for by `info` (in folder `origin`)."""
    if "/" in library:
        return [_expand(library, origin)]
    candidates: list[Path] = []
    if not info.runpath:
        candidates += [_expand(entry, origin) / library for entry in info.rpath]
    candidates += [Path(entry) / library for entry in ld_library_path.split(":") if entry]
    candidates += [_expand(entry, origin) / library for entry in info.runpath]
    candidates += list((cache or {}).get(library, ()))
    candidates += [Path(folder) / library for folder in default_dirs]
    return list(dict.fromkeys(candidates))


class LibraryLocator:
    """Finds libraries as the dynamic loader would, reading each candidate once."""

    def __init__(self, ld_library_path: str | None = None) -> None:
        self.ld_library_path = (
            os.environ.get("LD_LIBRARY_PATH", "") if ld_library_path is None else ld_library_path
        )
        self._cache: dict[int, dict[str, tuple[Path, ...]]] = {}
        self._read: dict[Path, Library | None] = {}

    def __call__(self, library: str, info: ElfInfo, origin: Path) -> Library | None:
        defaults = list(_DEFAULT_DIRS.get(info.elf_class, ()))
        if info.arch in _MULTIARCH:
            triple = _MULTIARCH[info.arch]
            defaults[:0] = [f"/lib/{triple}", f"/usr/lib/{triple}"]
        for candidate in search_order(
            library,
            info,
            origin,
            ld_library_path=self.ld_library_path,
            cache=self._ldconfig(info.elf_class),
            default_dirs=defaults,
        ):
            found = self._library(library, candidate)
            if found is not None and (found.info.machine, found.info.elf_class) == (
                info.machine,
                info.elf_class,
            ):
                return found
        return None

    def _library(self, soname: str, path: Path) -> Library | None:
        if path not in self._read:
            self._read[path] = None
            if path.is_file():
                digest = hashlib.sha256()
                with open(path, "rb") as stream:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                try:
                    info = read_elf(path)
                except AuditError:
                    return None
                self._read[path] = Library(soname, path, info, digest.hexdigest())
        found = self._read[path]
        return replace(found, soname=soname) if found else None

    def _ldconfig(self, elf_class: int) -> dict[str, tuple[Path, ...]]:
        if elf_class not in self._cache:
            text = ""
            ldconfig = shutil.which("ldconfig") or next(
                (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.access(p, os.X_OK)),
                None,
            )
            if ldconfig:
                result = subprocess.run(
                    [ldconfig, "-p"], capture_output=True, text=True, check=False
                )
                text = result.stdout if result.returncode == 0 else ""
            self._cache[elf_class] = parse_ldconfig(text, elf_class=elf_class)
        return self._cache[elf_class]
