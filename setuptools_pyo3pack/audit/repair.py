"""The build's audit-and-repair step (auditwheel's repair, in the build): audit the native files
cargo made, decide with `--auditwheel` and `--compatibility`, and graft what the chosen policy
does not allow.

The parts live beside this module: `locate.py` finds libraries as the dynamic loader would,
`graft.py` plans the repair (pure), `patch.py` applies it with patchelf.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import _process
from ..config.settings import AuditMode
from ..fs import Member
from . import libc as libcs
from .check import check_policy
from .compat import Compatibility
from .decide import decide, repair_candidates
from .elf import ElfInfo, read_elf
from .errors import AuditError
from .graft import GraftPlan, libs_dir_for, plan_grafts, plan_repair, simulate, wheel_libc_of
from .locate import LibraryLocator, Locate
from .patch import RepairResult, apply_repair, find_patchelf
from .policy import Policy
from .verdict import Verdict, evaluate

__all__ = ["AuditOutcome", "GraftPlan", "LibraryLocator", "RepairResult", "audit_native",
           "find_patchelf", "repair"]


def repair(
    artifacts: Mapping[Path, str],
    verdict: Verdict,
    dist_name: str,
    workdir: Path,
    *,
    policy: Policy | None = None,
    locate: Locate | None = None,
) -> RepairResult:
    """Graft what `policy` (default: the best policy a repair reaches) does not allow, and drop
    the DT_NEEDED on the interpreter's library.

    `artifacts`: every native file of the wheel on disk -> its name in the wheel. Raises
    `AuditError` naming the libraries that keep the wheel from the policy.
    """
    roots = {name: (read_elf(path, name=name), path) for path, name in artifacts.items()}
    libs_dir = libs_dir_for(dist_name)
    locate = locate or LibraryLocator()
    plan = plan_repair(verdict, roots, libs_dir, locate, policy=policy)
    if plan is None:
        raise AuditError(
            _unreachable(verdict, roots, libs_dir, locate, policy),
            hint=f"build in a {verdict.libc.tag_prefix} container, or use --auditwheel warn",
        )
    scripts = [name for name in roots if ".data/scripts/" in name]
    if scripts and plan.grafts:
        raise AuditError(
            f"cannot graft libraries for {scripts[0]}: scripts are installed outside the wheel's "
            "folders, so no RPATH can find them",
            hint="link them statically, or use --auditwheel warn",
        )
    result = apply_repair(plan, roots, workdir, verdict=verdict)
    if result.verdict.policy is None or result.verdict.policy.priority < plan.policy.priority:
        raise AuditError(
            f"the repaired wheel is {result.verdict.platform_tag}, not {plan.policy.tag} as planned"
        )
    return result


def _unreachable(
    verdict: Verdict,
    roots: Mapping[str, tuple[ElfInfo, Path]],
    libs_dir: str,
    locate: Locate,
    policy: Policy | None,
) -> str:
    candidates = (policy,) if policy else repair_candidates(verdict)
    for candidate in candidates:
        plan = plan_grafts(roots, candidate, libs_dir, locate)
        if plan.missing:
            library, needer = plan.missing[0]
            return (
                f"cannot graft {library} (needed by {needer}): not found where the "
                f"dynamic loader looks (RPATH, LD_LIBRARY_PATH, ldconfig cache)"
            )
        reasons = check_policy(simulate(roots, plan), candidate, libc=wheel_libc_of(verdict))
        if reasons:
            return f"grafting libraries does not make the wheel {candidate.tag}: {reasons[0]}"
    return f"grafting libraries does not make the wheel better than {verdict.platform_tag}"


@dataclass(frozen=True)
class AuditOutcome:
    """What the wheel gets: its platform tag and members (patched copies, grafted libraries)."""

    platform_tag: str
    members: tuple[Member, ...]
    #: the audit of the files as written; None with `--auditwheel skip`
    verdict: Verdict | None


def audit_native(
    members: Sequence[Member],
    artifacts: Sequence[Path],
    *,
    mode: AuditMode,
    requested: Compatibility | None,
    dist_name: str,
    arch: str,
    workdir: Path,
    target: str | None = None,
) -> AuditOutcome:
    """Audit the wheel's native members (those from `artifacts`), repair them if `mode` says
    so, and return the platform tag and the members to write. `workdir` holds patched copies
    and must outlive the writing of the wheel. `target` is the Rust target triple the files
    were built for, when not the host's: it decides glibc or musl (a static binary shows
    neither)."""
    wanted = set(artifacts)
    natives = {m.source: m.archive_name for m in members if m.source and m.source in wanted}
    if mode is AuditMode.SKIP or not natives:
        decision = decide(AuditMode.SKIP, None, requested=requested, arch=arch)
        return AuditOutcome(decision.platform_tag, tuple(members), None)
    roots = {name: (read_elf(path, name=name), path) for path, name in natives.items()}
    libc = libcs.from_triple(target) if target else None
    verdict = evaluate([info for info, _ in roots.values()], libc=libc,
                       libc_from=f"the target {target}" if libc else None)
    locate = LibraryLocator()
    reachable = None
    if repair_candidates(verdict) and (requested is None or requested.checked):
        plan = plan_repair(verdict, roots, libs_dir_for(dist_name), locate)
        reachable = plan.policy if plan else None
    decision = decide(mode, verdict, requested=requested, reachable=reachable)
    if decision.warning:
        _process.log(f"warning: {decision.warning}")
    if decision.repair_to is None:
        _log_tag(decision.platform_tag, verdict if requested is None else None)
        return AuditOutcome(decision.platform_tag, tuple(members), verdict)
    result = repair(natives, verdict, dist_name, workdir, policy=decision.repair_to, locate=locate)
    patched = tuple(
        replace(m, source=result.replacements[m.source])
        if m.source and m.source in result.replacements
        else m
        for m in members
    )
    _log_tag(decision.platform_tag, None)
    return AuditOutcome(decision.platform_tag, patched + result.members, result.verdict)


def _log_tag(platform_tag: str, verdict: Verdict | None) -> None:
    why = ""
    stricter = verdict.failures if verdict else ()
    if stricter and stricter[-1].reasons:
        why = f" ({stricter[-1].policy.tag} would fail: {stricter[-1].reasons[0]})"
    _process.log(f"platform tag {platform_tag}{why}")
