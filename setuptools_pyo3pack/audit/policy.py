"""manylinux / musllinux policies and the pure check of native files against them.

The policy data is auditwheel's (MIT, see `policies/NOTICE`). A policy is satisfied when no
native file of the wheel asks for a symbol version it does not list, links a library outside
its whitelist (or libpython), or uses one of its blacklisted symbols. Weak undefined symbols
may be missing at run time and are not counted against the blacklist.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .elf import ElfInfo, Libc, is_dynamic_loader

_POLICY_FILES = {Libc.GLIBC: "manylinux-policy.json", Libc.MUSL: "musllinux-policy.json"}
#: musl's libc SONAME per architecture; the policy data says `libc.so`.
_MUSL_LIBC = {
    "x86_64": "libc.musl-x86_64.so.1",
    "i686": "libc.musl-x86.so.1",
    "aarch64": "libc.musl-aarch64.so.1",
    "s390x": "libc.musl-s390x.so.1",
    "ppc64le": "libc.musl-ppc64le.so.1",
    "armv7l": "libc.musl-armv7.so.1",
    "riscv64": "libc.musl-riscv64.so.1",
    "loongarch64": "libc.musl-loongarch64.so.1",
}
LIBPYTHON = re.compile(r"^libpython\d+\.\d+[dmt]*\.so(\.\d+)*$")


@dataclass(frozen=True)
class Policy:
    """One policy for one architecture, e.g. manylinux_2_17 (alias manylinux2014) on x86_64."""

    name: str
    aliases: tuple[str, ...]
    #: higher is more compatible (manylinux_2_5 is 100, the newest glibc policies ~50)
    priority: int
    libc: Libc
    arch: str
    #: symbol version prefix (`GLIBC`, `GLIBCXX`, ...) -> versions a file may ask for
    symbol_versions: Mapping[str, frozenset[str]] = field(hash=False, compare=False)
    whitelist: frozenset[str] = field(hash=False, compare=False)
    blacklist: Mapping[str, frozenset[str]] = field(hash=False, compare=False)

    @property
    def tag(self) -> str:
        """`manylinux_2_17_x86_64`"""
        return f"{self.name}_{self.arch}"

    @property
    def platform_tag(self) -> str:
        """`manylinux_2_17_x86_64.manylinux2014_x86_64`: with the legacy alias old pip needs."""
        return ".".join([self.tag, *(f"{alias}_{self.arch}" for alias in self.aliases)])


@functools.cache
def _policy_data(libc: Libc) -> tuple[dict[str, Any], ...]:
    source = resources.files(__name__.rpartition(".")[0]) / "policies" / _POLICY_FILES[libc]
    text = source.read_text(encoding="utf-8")
    return tuple(p for p in json.loads(text) if p["name"] != "linux")


@functools.cache
def load_policies(libc: Libc, arch: str) -> tuple[Policy, ...]:
    """Every policy of `libc` that exists for `arch`, most compatible first."""
    policies = []
    for data in _policy_data(libc):
        if arch not in data["symbol_versions"]:
            continue
        whitelist = frozenset(
            _MUSL_LIBC.get(arch, lib) if libc is Libc.MUSL and lib == "libc.so" else lib
            for lib in data["lib_whitelist"]
        )
        policies.append(
            Policy(
                name=data["name"],
                aliases=tuple(data["aliases"]),
                priority=int(data["priority"]),
                libc=libc,
                arch=arch,
                symbol_versions={
                    prefix: frozenset(versions)
                    for prefix, versions in data["symbol_versions"][arch].items()
                },
                whitelist=whitelist,
                blacklist={lib: frozenset(s) for lib, s in data["blacklist"].items()},
            )
        )
    return tuple(sorted(policies, key=lambda p: -p.priority))


def policy_names() -> dict[str, str]:
    """Every policy name and legacy alias -> the policy's name (`manylinux2014` -> 2_17)."""
    names: dict[str, str] = {}
    for libc in Libc:
        for data in _policy_data(libc):
            names[data["name"]] = data["name"]
            names.update((alias, data["name"]) for alias in data["aliases"])
    return names


def find_policy(name: str, arch: str) -> Policy | None:
    """The policy called `name` (or by its alias) for `arch`; None if it has none for `arch`."""
    libc = Libc.MUSL if name.startswith("musllinux") else Libc.GLIBC
    return next((p for p in load_policies(libc, arch) if name == p.name or name in p.aliases), None)


@dataclass(frozen=True)
class Reason:
    """Why one native file breaks a policy; `str()` is the line a user reads."""

    #: symbol-version, external-library, blacklisted-symbol, libpython, architecture or libc
    kind: str
    file: str
    library: str | None = None
    version: str | None = None
    symbols: tuple[str, ...] = ()
    detail: str | None = None

    def __str__(self) -> str:
        if self.kind == "symbol-version":
            return f"{self.file} needs {self.version} from {self.library}{_naming(self.symbols)}"
        if self.kind == "external-library":
            return f"{self.file} links {self.library}, a library outside the policy"
        if self.kind == "blacklisted-symbol":
            names = ", ".join(f"`{s}`" for s in self.symbols)
            return f"{self.file} uses {names} from {self.library}, which the policy forbids"
        if self.kind == "libpython":
            return f"{self.file} links {self.library}; extension modules must not link libpython"
        return f"{self.file}: {self.detail}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "file": self.file, "message": str(self)}
        for key in ("library", "version", "detail"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.symbols:
            out["symbols"] = list(self.symbols)
        return out


def _naming(symbols: Sequence[str], limit: int = 3) -> str:
    if not symbols:
        return ""
    shown = ", ".join(f"`{s}`" for s in symbols[:limit])
    more = f" and {len(symbols) - limit} more" if len(symbols) > limit else ""
    return f" (symbol{'s' if len(symbols) > 1 else ''} {shown}{more})"


def check_policy(files: Sequence[ElfInfo], policy: Policy) -> tuple[Reason, ...]:
    """Everything in `files` that breaks `policy`; empty when the policy is satisfied."""
    inside = {info.path for info in files}
    reasons: list[Reason] = []
    for info in files:
        reasons += _common_reasons(info, policy.arch, policy.libc)
        reasons += _symbol_version_reasons(info, policy)
        for library in info.needed:
            if is_dynamic_loader(library) or _bundled(info, library, inside):
                continue
            if LIBPYTHON.match(library):
                reasons.append(Reason("libpython", info.path, library))
            elif library not in policy.whitelist:
                reasons.append(Reason("external-library", info.path, library))
            if library in policy.blacklist:
                used = policy.blacklist[library] & (info.undefined_symbols | {"*"})
                if used:
                    symbols = tuple(sorted(used))
                    reasons.append(
                        Reason("blacklisted-symbol", info.path, library, symbols=symbols)
                    )
    return tuple(reasons)


def _bundled(info: ElfInfo, library: str, inside: set[str]) -> bool:
    """Whether `library` is found next to `info` in the wheel through an `$ORIGIN` RPATH."""
    for entry in (*info.rpath, *info.runpath):
        for origin in ("$ORIGIN", "${ORIGIN}"):
            if entry.startswith(origin):
                folder = posixpath.dirname(info.path)
                candidate = posixpath.join(folder, entry[len(origin) :].lstrip("/"), library)
                if posixpath.normpath(candidate) in inside:
                    return True
    return False


def _common_reasons(info: ElfInfo, arch: str, libc: Libc) -> Iterable[Reason]:
    """Reasons that break every policy: a foreign architecture or the other libc."""
    if info.arch != arch:
        built_for = info.arch or f"{info.machine} ({info.elf_class}-bit)"
        yield Reason("architecture", info.path, detail=f"built for {built_for}, not {arch}")
    if info.libc is not None and info.libc is not libc:
        yield Reason("libc", info.path, detail=f"linked against {info.libc}, not {libc}")


def _symbol_version_reasons(info: ElfInfo, policy: Policy) -> Iterable[Reason]:
    for library in sorted(info.version_needs):
        if is_dynamic_loader(library):
            continue
        for version in sorted(info.version_needs[library], key=version_key):
            prefix, _, number = version.partition("_")
            allowed = policy.symbol_versions.get(prefix)
            if allowed is not None and number not in allowed:
                yield Reason(
                    "symbol-version",
                    info.path,
                    library,
                    version,
                    symbols=info.symbols_for(library, version),
                )


def version_key(version: str) -> tuple[str, tuple[int, ...], str]:
    prefix, _, number = version.partition("_")
    parts = tuple(int(p) for p in re.findall(r"\d+", number))
    return prefix, parts, number
