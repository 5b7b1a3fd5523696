"""The verdict on a set of native files: the most compatible policy they satisfy, and why every
stricter policy fails. Pure: native files in (as `ElfInfo`), a frozen `Verdict` out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .elf import ElfInfo, Libc, is_dynamic_loader
from .errors import AuditError
from .policy import Policy, Reason, check_policy, load_policies, version_key


@dataclass(frozen=True)
class PolicyResult:
    policy: Policy
    #: empty when the policy is satisfied
    reasons: tuple[Reason, ...]

    @property
    def satisfied(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class Verdict:
    arch: str
    libc: Libc
    files: tuple[ElfInfo, ...]
    #: every policy considered, most compatible first
    results: tuple[PolicyResult, ...]

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
    def failures(self) -> tuple[PolicyResult, ...]:
        """The policies more compatible than the chosen one, each with its reasons."""
        best = self.best
        stricter = self.results if best is None else self.results[: self.results.index(best)]
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
            "files": [info.path for info in self.files],
            "needed": sorted({lib for info in self.files for lib in info.needed}),
            "versioned_symbols": self.versioned_symbols(),
            "failures": {
                result.policy.tag: [reason.to_json() for reason in result.reasons]
                for result in self.failures
            },
        }

    def render(self) -> list[str]:
        """Human-readable lines: the verdict, then what each stricter policy would need."""
        lines = [
            f"platform tag: {self.platform_tag} ({self.libc}, {self.arch})",
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
    files: Sequence[ElfInfo], *, arch: str | None = None, libc: Libc | None = None
) -> Verdict:
    """Check `files` (every native file of one wheel) against every policy for `arch`.

    `arch` and `libc` default to what the files say (musl if any file uses musl). For musl only
    the newest musllinux policy is considered, as auditwheel does: the musl version a binary
    needs cannot be read from it.
    """
    if arch is None:
        arch = next((info.arch for info in files if info.arch), None)
    if arch is None:
        where = ", ".join(f"{info.path} ({info.machine})" for info in files) or "no native files"
        raise AuditError(
            f"cannot tell which architecture the wheel is for: {where}",
            hint="build for a Linux architecture with manylinux policies, or skip the audit",
        )
    if libc is None:
        libc = Libc.MUSL if any(info.libc is Libc.MUSL for info in files) else Libc.GLIBC
    policies = load_policies(libc, arch)
    if libc is Libc.MUSL:
        policies = policies[-1:]
    results = tuple(PolicyResult(policy, check_policy(files, policy)) for policy in policies)
    return Verdict(arch=arch, libc=libc, files=tuple(files), results=results)
