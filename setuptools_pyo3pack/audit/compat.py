"""What `--manylinux` / `--compatibility` ask for, and the platform tag a verdict allows."""

from __future__ import annotations

from dataclasses import dataclass

from ..platforms.policy_names import UNCHECKED, parse_policy_name
from .check import Reason
from .errors import AuditError, UnknownPolicyError
from .policy import find_policy, libc_of_policy, load_policies, policy_names
from .verdict import Verdict


@dataclass(frozen=True)
class Compatibility:
    """A requested policy: `policy` None means the plain `linux_<arch>` tag."""

    #: the policy's name, e.g. `manylinux_2_17` (aliases are resolved)
    policy: str | None
    #: False for `...-unchecked`: tag the wheel without auditing it
    checked: bool = True

    def __str__(self) -> str:
        if self.policy is None:
            return "off"
        return self.policy + ("" if self.checked else UNCHECKED)


def parse_compatibility(value: str) -> Compatibility:
    """`2014`, `2_17`, `manylinux_2_17`, `manylinux2014`, `musllinux_1_2`, `off` or `linux`,
    each optionally with `-unchecked`."""
    parsed = parse_policy_name(value)
    if parsed.name is None:
        return Compatibility(None, checked=False)
    names = policy_names()
    if parsed.name not in names:
        raise UnknownPolicyError(
            f"unknown manylinux compatibility `{value}`",
            hint=f"use {valid_forms()}, optionally with `-unchecked`",
        )
    return Compatibility(names[parsed.name], checked=parsed.checked)


def valid_forms() -> str:
    names = policy_names()
    glibc = [n for n in names.values() if n.startswith("manylinux_")]
    newest = max(glibc, key=lambda n: tuple(int(p) for p in n.split("_")[1:]))
    musl = sorted({n for n in names.values() if n.startswith("musllinux_")})
    return (
        f"off, linux, 1, 2010, 2014, 2_17 ... {newest[len('manylinux_') :]}, manylinux_2_28, "
        f"manylinux2014, {', '.join(musl)}"
    )


def platform_tag(policy: str | None, arch: str) -> str:
    """`manylinux2014`/`manylinux_2_17` + `x86_64` -> `manylinux_2_17_x86_64.manylinux2014_x86_64`.

    None or `linux` gives `linux_<arch>`; a policy without data for `arch` keeps its bare name.
    """
    if policy is None or policy == "linux":
        return f"linux_{arch}"
    name = policy_names().get(policy, policy)
    for known in load_policies(libc_of_policy(name), arch):
        if known.name == name:
            return known.platform_tag
    return f"{name}_{arch}"


def choose_platform_tag(verdict: Verdict, requested: Compatibility | None = None) -> str:
    """The platform tag for a wheel: the verdict's best, or the requested policy if it holds.

    Raises `AuditError` naming the first offending symbol or library when a checked request
    is not met.
    """
    if requested is None:
        return verdict.platform_tag
    if not requested.checked or requested.policy is None:
        return platform_tag(requested.policy, verdict.arch)
    policy = find_policy(requested.policy, verdict.arch)
    if policy is None:
        raise AuditError(
            f"{requested.policy} has no policy for {verdict.arch}",
            hint=f"pick another policy ({verdict.platform_tag} fits) or use --compatibility off",
        )
    result = verdict.result_for(policy.name)
    reasons = result.reasons if result else ()
    if not reasons:
        return policy.platform_tag
    raise AuditError(
        f"the wheel is not {policy.tag} compatible: {summary(reasons)}",
        hint=f"{_remedy(policy.name, verdict)}, accept {verdict.platform_tag}, "
        f"or pass `{requested.policy}{UNCHECKED}` to tag it anyway",
    )


def summary(reasons: tuple[Reason, ...], limit: int = 3) -> str:
    """The first few reasons on one line: `a.so needs GLIBC_2.34 from libc.so.6 (...); ...`."""
    shown = "; ".join(str(reason) for reason in reasons[:limit])
    hidden = len(reasons) - limit
    more = f" (and {hidden} more: see `pyo3-pack audit`)" if hidden > 0 else ""
    return shown + more


def _remedy(name: str, verdict: Verdict) -> str:
    if libc_of_policy(name) is not verdict.libc:
        return f"build for a {libc_of_policy(name)} target (the wheel is {verdict.libc})"
    return f"build in a {name} container"
