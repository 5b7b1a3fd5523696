"""The verdict on a set of native files: the most compatible policy they satisfy, and why every
other policy (of both libcs) fails. Pure: native files in (as `ElfInfo`), a frozen `Verdict` out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from . import libc as libcs
from .check import Reason, check_policy, version_key
from .elf import ElfInfo
from .errors import AuditError
from .libc import Libc, is_dynamic_loader
from .policy import Policy, load_policies

if TYPE_CHECKING:
    from typing import Any


class PolicyResult(NamedTuple):
    policy: Policy
    #: empty when the policy is satisfied
    reasons: tuple[Reason, ...]

    @property
    def satisfied(self) -> bool:
        return not self.reasons


class Verdict(NamedTuple):
    arch: str
    libc: Libc
    files: tuple[ElfInfo, ...]
    #: every policy for `arch`: those of `libc` most compatible first, then the other libc's
    results: tuple[PolicyResult, ...]
    #: why the wheel is held to `libc`: `PT_INTERP ld-musl-x86_64.so.1 (demo/x.so)`, ...
    libc_from: str = ""

    @property
    def best(self) -> PolicyResult | None:
        return next((result for result in self.results if result.satisfied), None)

    @property
    def policy(self) -> Policy | None:
        """The most compatible policy satisfied; None means plain `linux_<arch>`."""
        best = self.best
        return best.policy if best else None

    @property
    def platform_tag(self) -> str:
        """The platform tag to give the wheel, e.g. `manylinux_2_17_x86_64.manylinux2014_x86_64`."""
        policy = self.policy
        return policy.platform_tag if policy else f"linux_{self.arch}"

    @property
    def own(self) -> tuple[PolicyResult, ...]:
        """The results of the policies of the wheel's libc, most compatible first."""
        return tuple(result for result in self.results if result.policy.libc is self.libc)

    @property
    def failures(self) -> tuple[PolicyResult, ...]:
        """The policies of the wheel's libc more compatible than the chosen one, with reasons."""
        own, best = list(self.own), self.best
        stricter = own if best is None else own[: own.index(best)]
        return tuple(result for result in stricter if not result.satisfied)

    def result_for(self, name: str) -> PolicyResult | None:
        """The result of the policy called `name` or by its alias (`manylinux2014`)."""
        return next((r for r in self.results if name in (r.policy.name, *r.policy.aliases)), None)

    def versioned_symbols(self) -> dict[str, list[str]]:
        """library -> every symbol version the files ask of it (the dynamic loader aside)."""
        needs: dict[str, set[str]] = {}
        for info in self.files:
            for library, versions in info.version_needs.items():
                if is_dynamic_loader(library):
                    continue
                needs.setdefault(library, set()).update(versions)
        return {lib: sorted(versions, key=version_key) for lib, versions in sorted(needs.items())}

    def to_json(self) -> dict[str, Any]:
        policy = self.policy
        return {
            "platform_tag": self.platform_tag,
            "policy": policy.tag if policy else None,
            "arch": self.arch,
            "libc": self.libc.value,
            "libc_from": self.libc_from,
            "files": [info.path for info in self.files],
            "needed": sorted({lib for info in self.files for lib in info.needed}),
            "versioned_symbols": self.versioned_symbols(),
            "failures": {
                result.policy.tag: [reason.to_json() for reason in result.reasons]
                for result in self.failures
            },
            "policies": {
                result.policy.tag: [reason.to_json() for reason in result.reasons]
                for result in self.results
            },
        }

    def render(self) -> list[str]:
        """Human-readable lines: the verdict, then what each stricter policy would need."""
        lines = [
            f"platform tag: {self.platform_tag} ({self.libc}, {self.arch})",
            f"libc: {self.libc}, from {self.libc_from}",
            f"native files: {', '.join(info.path for info in self.files) or '(none)'}",
        ]
        needed = sorted({lib for info in self.files for lib in info.needed})
        lines.append(f"linked libraries: {', '.join(needed) or '(none)'}")
        for library, versions in self.versioned_symbols().items():
            lines.append(f"symbol versions from {library}: {', '.join(versions)}")
        shown: set[Reason] = set()
        for result in reversed(self.failures):
            new = [reason for reason in result.reasons if reason not in shown]
            also = ", also" if shown else ""
            lines += [f"not {result.policy.tag}{also}: {reason}" for reason in new]
            shown.update(new)
        return lines


def evaluate(
    files: Sequence[ElfInfo],
    *,
    arch: str | None = None,
    libc: Libc | None = None,
    libc_from: str | None = None,
    hint: tuple[Libc, str] | None = None,
) -> Verdict:
    """Check `files` (every native file of one wheel) against every policy for `arch`.

    `arch` defaults to what the files say. `libc` (with `libc_from`, e.g. the build's target
    triple) decides the wheel's libc outright; without it the files decide (their loader,
    libc or symbol versions, else their extension names), then `hint` (e.g. the wheel's
    platform tag), then this machine's libc.
    """
    if arch is None:
        arch = next((info.arch for info in files if info.arch), None)
    if arch is None:
        where = ", ".join(f"{info.path} ({info.machine})" for info in files) or "no native files"
        raise AuditError(
            f"cannot tell which architecture the wheel is for: {where}",
            hint="build for a Linux architecture with manylinux policies, or skip the audit",
        )
    chosen, why = (libc, libc_from or "requested") if libc else wheel_libc(files, hint)
    own, other = (load_policies(family, arch) for family in (chosen, _other(chosen)))
    results = tuple(
        PolicyResult(policy, check_policy(files, policy, libc=(chosen, why)))
        for policy in (*own, *other)
    )
    return Verdict(arch=arch, libc=chosen, files=tuple(files), results=results, libc_from=why)


def wheel_libc(files: Sequence[ElfInfo], hint: tuple[Libc, str] | None) -> tuple[Libc, str]:
    """The libc the files show, with the evidence; musl wins when files disagree (the glibc
    ones are then refused by every musllinux policy)."""
    shown = [info for info in files if info.libc is not None]
    for family in (Libc.MUSL, Libc.GLIBC):
        for info in shown:
            if info.libc is family:
                return family, f"{info.libc_evidence} of {info.path}"
    for info in files:
        named = libcs.from_file_name(info.path)
        if named is not None:
            return named, f"the name of {info.path}"
    if hint is not None:
        return hint
    return libcs.host(), "this machine's libc (no file shows which libc it uses)"


def _other(libc: Libc) -> Libc:
    return Libc.GLIBC if libc is Libc.MUSL else Libc.MUSL
