"""The pure check of native files against one policy, and the reasons a policy is refused.

A policy is satisfied when no native file of the wheel: is built for another architecture or
links the other libc; asks for a symbol version the policy does not list (glibc) or uses a libc
symbol newer than the policy's musl; links a library outside its list (libraries the wheel
ships itself, found through an `$ORIGIN` RPATH, are inside); or uses one of its blacklisted
symbols. Weak undefined symbols may be missing at run time and are not counted.

The interpreter's own library (libpython, libpypy, libgraalpy) is refused too, but a repair
does not graft it: it drops the DT_NEEDED, and the extension resolves those symbols from the
interpreter that loads it. An executable embedding Python (pyo3 binaries) keeps its link to
the installed interpreter's library: neither refused, dropped nor grafted.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .elf import ElfInfo
from .libc import Libc, is_dynamic_loader, is_musl_libc
from .policy import Policy

if TYPE_CHECKING:
    from typing import Any

_INTERPRETER_LIBRARY = re.compile(
    r"^lib(python\d+(\.\d+)?[dmt]*|pypy\d*(\.\d+)?-c|graalpy[\w.-]*)\.so(\.\d+)*$"
)


def is_interpreter_library(soname: str) -> bool:
    """`libpython3.12.so.1.0`, `libpython3.so`, `libpypy3.9-c.so`, `libgraalpy*.so`."""
    return bool(_INTERPRETER_LIBRARY.match(soname))


def embeds_interpreter(info: ElfInfo) -> bool:
    """An executable (it names a program interpreter) linking the interpreter's library
    embeds Python: no interpreter loads it, so it keeps that DT_NEEDED, and the library is
    the installed interpreter's (never grafted)."""
    return info.interpreter is not None


class Reason(NamedTuple):
    """Why one native file breaks a policy; `str()` is the line a user reads."""

    #: symbol-version, musl-symbol, external-library, blacklisted-symbol, interpreter-library,
    #: architecture or libc
    kind: str
    file: str
    library: str | None = None
    version: str | None = None
    symbols: tuple[str, ...] = ()
    detail: str | None = None

    def __str__(self) -> str:
        if self.kind == "symbol-version":
            return f"{self.file} needs {self.version} from {self.library}{_naming(self.symbols)}"
        if self.kind == "musl-symbol":
            names = _listing(self.symbols)
            return (f"{self.file} uses {names} from {self.library}, which musl has only since "
                    f"{self.version}")
        if self.kind == "external-library":
            return f"{self.file} links {self.library}, a library outside the policy"
        if self.kind == "blacklisted-symbol":
            names = ", ".join(f"`{s}`" for s in self.symbols)
            return f"{self.file} uses {names} from {self.library}, which the policy forbids"
        if self.kind == "interpreter-library":
            return (f"{self.file} links {self.library}, the interpreter's own library "
                    "(a repair drops it: the interpreter that imports the module provides it)")
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
    return f" (symbol{'s' if len(symbols) > 1 else ''} {_listing(symbols, limit)})"


def _listing(symbols: Sequence[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{s}`" for s in symbols[:limit])
    more = f" and {len(symbols) - limit} more" if len(symbols) > limit else ""
    return shown + more


def check_policy(
    files: Sequence[ElfInfo], policy: Policy, *, libc: tuple[Libc, str] | None = None
) -> tuple[Reason, ...]:
    """Everything in `files` that breaks `policy`; empty when the policy is satisfied.

    `libc` is the wheel's libc and why (`musl`, `target x86_64-unknown-linux-musl`): files
    that do not show their own libc (static ones) are held to it.
    """
    inside = {info.path for info in files}
    reasons: list[Reason] = []
    for info in files:
        reasons += _common_reasons(info, policy, libc)
        reasons += _symbol_version_reasons(info, policy)
        reasons += _musl_symbol_reasons(info, policy)
        for library in info.needed:
            if is_dynamic_loader(library) or _bundled(info, library, inside):
                continue
            if is_interpreter_library(library):
                if not embeds_interpreter(info):
                    reasons.append(Reason("interpreter-library", info.path, library))
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


def _common_reasons(
    info: ElfInfo, policy: Policy, wheel_libc: tuple[Libc, str] | None
) -> Iterable[Reason]:
    """Reasons that break every policy: a foreign architecture or the other libc."""
    if info.arch != policy.arch:
        built_for = info.arch or f"{info.machine} ({info.elf_class}-bit)"
        yield Reason("architecture", info.path,
                     detail=f"built for {built_for}, not {policy.arch}")
    if info.libc is not None and info.libc is not policy.libc:
        evidence = f" ({info.libc_evidence})" if info.libc_evidence else ""
        yield Reason("libc", info.path, library=_libc_library(info),
                     detail=f"linked against {info.libc}{evidence}, not {policy.libc}")
    elif wheel_libc is not None and wheel_libc[0] is not policy.libc:
        yield Reason("libc", info.path,
                     detail=f"built for {wheel_libc[0]} ({wheel_libc[1]}), not {policy.libc}")


def _libc_library(info: ElfInfo) -> str | None:
    evidence = info.libc_evidence or ""
    return evidence.split(" ")[1] if evidence.startswith(("DT_NEEDED ", "PT_INTERP ")) else None


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


def _musl_symbol_reasons(info: ElfInfo, policy: Policy) -> Iterable[Reason]:
    """musl symbols newer than the policy's musl, one reason per musl version."""
    if not policy.newer_symbols or info.libc is Libc.GLIBC:
        return
    by_version: dict[str, list[str]] = {}
    for symbol in sorted(info.undefined_symbols.intersection(policy.newer_symbols)):
        by_version.setdefault(policy.newer_symbols[symbol], []).append(symbol)
    library = next((lib for lib in info.needed if is_musl_libc(lib)), "musl's libc")
    for version, symbols in sorted(by_version.items()):
        yield Reason("musl-symbol", info.path, library, version, symbols=tuple(symbols))


def version_key(version: str) -> tuple[str, tuple[int, ...], str]:
    prefix, _, number = version.partition("_")
    parts = tuple(int(p) for p in re.findall(r"\d+", number))
    return prefix, parts, number
