"""manylinux / musllinux policies: the data each one allows, per architecture.

The manylinux and musllinux data is auditwheel's (MIT, see `policies/NOTICE.md`): per policy,
the symbol versions (`GLIBC_2.17`, `GLIBCXX_3.4.19`, ...) a file may ask for, the libraries
it may link and the symbols it must not use. musl has no symbol versions, so which musl a file
needs is read from the symbols it uses: `musl-symbols.json` lists those musl 1.1 lacks.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .libc import Libc

if TYPE_CHECKING:
    from typing import Any

#: the policy data next to this module (read directly: importlib.resources costs more to
#: import than the whole audit takes)
_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "policies")

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
#: architectures with a 32-bit time_t before musl 1.2 (which added `__*_time64` symbols)
_32_BIT = frozenset({"i686", "armv7l"})


class Policy(NamedTuple):
    """One policy for one architecture, e.g. manylinux_2_17 (alias manylinux2014) on x86_64.

    NamedTuples rather than dataclasses on the audit's path: a frozen dataclass costs about a
    millisecond to create at import, and `pyo3-pack audit` must start fast."""

    name: str
    aliases: tuple[str, ...]
    #: higher is more compatible (manylinux_2_5 is 100, the newest glibc policies ~50)
    priority: int
    libc: Libc
    arch: str
    #: symbol version prefix (`GLIBC`, `GLIBCXX`, ...) -> versions a file may ask for
    symbol_versions: Mapping[str, frozenset[str]]
    whitelist: frozenset[str]
    blacklist: Mapping[str, frozenset[str]]
    #: musl only: libc symbols newer than the policy's musl -> the musl version that added them
    newer_symbols: Mapping[str, str]

    @property
    def tag(self) -> str:
        """`manylinux_2_17_x86_64`"""
        return f"{self.name}_{self.arch}"

    @property
    def platform_tag(self) -> str:
        """`manylinux_2_17_x86_64.manylinux2014_x86_64`: with the legacy alias old pip needs."""
        return ".".join([self.tag, *(f"{alias}_{self.arch}" for alias in self.aliases)])


def _read(name: str) -> Any:
    with open(os.path.join(_DATA, name), encoding="utf-8") as stream:
        return json.load(stream)


@functools.cache
def _policy_data(libc: Libc) -> tuple[dict[str, Any], ...]:
    return tuple(p for p in _read(_POLICY_FILES[libc]) if p["name"] != "linux")


@functools.cache
def _musl_symbols(arch: str) -> tuple[tuple[tuple[int, int], dict[str, str]], ...]:
    """((major, minor), symbol -> `1.2`) for every musl version with new symbols, oldest first."""
    found = []
    for key, groups in sorted(_read("musl-symbols.json").items()):
        if not key.startswith("musl_"):
            continue
        major, minor = (int(part) for part in key[len("musl_") :].split("_"))
        names = list(groups["all"]) + (list(groups["32-bit"]) if arch in _32_BIT else [])
        found.append(((major, minor), dict.fromkeys(names, f"{major}.{minor}")))
    return tuple(found)


def _newer_symbols(name: str, arch: str) -> dict[str, str]:
    """Symbols a `musllinux_X_Y` policy does not have: those of every musl after X.Y."""
    major, minor = (int(part) for part in name.split("_")[1:3])
    newer: dict[str, str] = {}
    for version, symbols in _musl_symbols(arch):
        if version > (major, minor):
            newer.update(symbols)
    return newer


@functools.cache
def load_policies(libc: Libc, arch: str) -> tuple[Policy, ...]:
    """Every policy of `libc` that exists for `arch`, most compatible first."""
    policies = []
    for data in _policy_data(libc):
        if arch not in data["symbol_versions"]:
            continue
        whitelist = {
            _MUSL_LIBC.get(arch, lib) if libc is Libc.MUSL and lib == "libc.so" else lib
            for lib in data["lib_whitelist"]
        }
        if libc is Libc.MUSL:
            whitelist.add("libc.so")  # what zig and musl-gcc link: musl's loader maps it to itself
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
                whitelist=frozenset(whitelist),
                blacklist={lib: frozenset(s) for lib, s in data["blacklist"].items()},
                newer_symbols=_newer_symbols(data["name"], arch) if libc is Libc.MUSL else {},
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


def libc_of_policy(name: str) -> Libc:
    return Libc.MUSL if name.startswith(Libc.MUSL.tag_prefix) else Libc.GLIBC


def find_policy(name: str, arch: str) -> Policy | None:
    """The policy called `name` (or by its alias) for `arch`; None if it has none for `arch`."""
    policies = load_policies(libc_of_policy(name), arch)
    return next((p for p in policies if name == p.name or name in p.aliases), None)
