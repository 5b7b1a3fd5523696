"""`--auditwheel repair|check|warn|skip`: what to do with a verdict. Pure: no files, no patchelf.

- repair (the default): graft external libraries into the wheel when that earns a better
  policy than the binaries meet as they are; otherwise just tag.
- check: tag with the best policy the binaries meet as they are; fail when grafting would be
  needed to reach the best policy within reach (the user wants a compliant wheel, untouched).
- warn: like check, but tag `linux_<arch>` with a warning instead of failing.
- skip: no audit at all; `linux_<arch>`, or the `--compatibility` policy, unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.settings import AuditMode
from ..errors import ConfigError
from .check import Reason
from .compat import Compatibility, choose_platform_tag, platform_tag
from .errors import AuditError
from .policy import Policy
from .verdict import PolicyResult, Verdict


def parse_audit_mode(value: str) -> AuditMode:
    try:
        return AuditMode(value.strip().lower())
    except ValueError:
        raise ConfigError(
            f"unknown --auditwheel mode `{value}`",
            hint="use repair, check, warn or skip",
        ) from None


#: Reasons a repair takes away: grafting the library, or dropping the interpreter's library.
REPAIRABLE = frozenset({"external-library", "interpreter-library"})


def repairable(result: PolicyResult) -> bool:
    """Whether grafting libraries (and dropping the interpreter's) could make the files meet
    this policy."""
    return all(reason.kind in REPAIRABLE for reason in result.reasons)


def repair_candidates(verdict: Verdict) -> tuple[Policy, ...]:
    """Policies, most compatible first, better than the verdict's, that only miss libraries.

    Whether one is really reached also depends on the grafted libraries' own symbol versions:
    `repair.plan_repair` checks that.
    """
    return tuple(result.policy for result in verdict.failures if repairable(result))


@dataclass(frozen=True)
class Decision:
    """What the build does with its native files."""

    platform_tag: str
    #: graft the libraries this policy does not allow, then re-audit; None: write as they are
    repair_to: Policy | None = None
    #: a line for the user (already phrased), e.g. why the wheel is `linux_`
    warning: str | None = None


def decide(
    mode: AuditMode,
    verdict: Verdict | None,
    *,
    requested: Compatibility | None = None,
    reachable: Policy | None = None,
    arch: str | None = None,
) -> Decision:
    """The platform tag and repair for `mode`.

    `verdict` is the audit of the files as cargo built them (None with `skip`); `reachable` is
    the best policy a repair reaches (from `repair.plan_repair`), None when grafting earns
    nothing. `arch` names the architecture for `skip`, where there is no verdict.
    """
    if mode is AuditMode.SKIP or verdict is None:
        policy = requested.policy if requested else None
        return Decision(platform_tag(policy, arch or (verdict.arch if verdict else "x86_64")))
    if requested is not None and (not requested.checked or requested.policy is None):
        return Decision(platform_tag(requested.policy, verdict.arch))
    target = _target(verdict, requested, reachable)
    if target is None:
        return _as_built(mode, verdict, requested)
    if mode is AuditMode.REPAIR:
        return Decision(target.platform_tag, repair_to=target)
    repairs = _repairs(verdict, target)
    message = f"the wheel is {verdict.platform_tag} as built, {target.tag} once {repairs}"
    if mode is AuditMode.CHECK:
        raise AuditError(message, hint="use --auditwheel repair (the default) to graft it")
    return Decision(f"linux_{verdict.arch}", warning=f"{message}; tagged linux_{verdict.arch}")


def _target(
    verdict: Verdict, requested: Compatibility | None, reachable: Policy | None
) -> Policy | None:
    """The policy a repair should aim for; None when the files need none."""
    if requested is not None and requested.policy is not None:
        result = verdict.result_for(requested.policy)
        if result is None or result.satisfied or not repairable(result):
            return None
        if reachable is None or reachable.priority < result.policy.priority:
            return None
        return result.policy
    current = verdict.policy
    if reachable is None or (current is not None and reachable.priority <= current.priority):
        return None
    return reachable


def _as_built(mode: AuditMode, verdict: Verdict, requested: Compatibility | None) -> Decision:
    if mode is AuditMode.WARN and requested is not None:
        try:
            return Decision(choose_platform_tag(verdict, requested))
        except AuditError as exc:
            return Decision(f"linux_{verdict.arch}", warning=f"{exc.message}; tagged linux_")
    return Decision(choose_platform_tag(verdict, requested))


def _repairs(verdict: Verdict, target: Policy) -> str:
    """`libbz2.so.1.0 is grafted into it and the DT_NEEDED on libpypy3.9-c.so dropped`"""
    result = verdict.result_for(target.name)
    reasons: tuple[Reason, ...] = result.reasons if result else ()
    grafted = _libraries(reasons, "external-library")
    dropped = _libraries(reasons, "interpreter-library")
    parts = [f"{grafted} is grafted into it"] if grafted else []
    if dropped:
        parts.append(f"the DT_NEEDED on {dropped} (the interpreter's library) is dropped")
    return " and ".join(parts) or "nothing is grafted"


def _libraries(reasons: tuple[Reason, ...], kind: str) -> str:
    found = dict.fromkeys(r.library for r in reasons if r.kind == kind and r.library)
    return ", ".join(found)
