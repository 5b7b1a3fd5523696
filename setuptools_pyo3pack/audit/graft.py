"""The repair plan, pure: which libraries to graft into the wheel under which names, which
DT_NEEDED entries to drop, and what the native files look like afterwards.

Each library the chosen policy does not allow (and, recursively, each one those need) is copied
into `{dist}.libs/` as `<stem>-<sha256[:8]>.<suffix>` with that name as its SONAME; the native
files that need it get the new name in DT_NEEDED and an RPATH `$ORIGIN/<path to {dist}.libs>`.

The interpreter's own library (libpython, libpypy, libgraalpy) is never grafted, nor looked
for, so nothing it brings with it (libpypy's libffi, libbz2, libtinfo, ...) is grafted either:
its DT_NEEDED is dropped, and the extension resolves those symbols from the interpreter.
An executable embedding Python keeps that DT_NEEDED (see `check.embeds_interpreter`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .check import check_policy, embeds_interpreter, is_interpreter_library
from .decide import repair_candidates
from .elf import ElfInfo
from .libc import Libc, is_dynamic_loader
from .locate import Library, Locate
from .policy import Policy
from .verdict import Verdict

#: archive name -> (ElfInfo named by that archive name, path on disk)
Roots = Mapping[str, "tuple[ElfInfo, Path]"]


def hashed_name(soname: str, sha256_hex: str) -> str:
    """`libbz2.so.1.0` + digest -> `libbz2-1a2b3c4d.so.1.0` (unique per content)."""
    short = sha256_hex[:8]
    base, dot, suffix = posixpath.basename(soname).partition(".")
    if base.endswith(f"-{short}"):
        return posixpath.basename(soname)
    return f"{base}-{short}{dot}{suffix}"


def libs_dir_for(dist_name: str) -> str:
    """The wheel folder grafted libraries go to: `pyo3_bzip2.libs`."""
    return re.sub(r"[-_.]+", "_", dist_name).lower() + ".libs"


def origin_rpath(archive_name: str, libs_dir: str) -> str:
    """The RPATH that finds `libs_dir` from the member `archive_name`: `$ORIGIN/../x.libs`."""
    relative = posixpath.relpath(libs_dir, posixpath.dirname(archive_name) or ".")
    return "$ORIGIN" if relative == "." else f"$ORIGIN/{relative}"


def merged_rpath(old: Sequence[str], new: str) -> str:
    """Keep the `$ORIGIN` entries (they point inside the wheel), drop absolute build paths."""
    kept = [entry for entry in old if entry.startswith(("$ORIGIN", "${ORIGIN}"))]
    return ":".join(dict.fromkeys([*kept, new]))


@dataclass(frozen=True)
class Graft:
    library: Library
    #: `libbz2-1a2b3c4d.so.1.0`
    new_name: str
    #: the member's name in the wheel: `pyo3_bzip2.libs/libbz2-1a2b3c4d.so.1.0`
    archive_name: str


@dataclass(frozen=True)
class GraftPlan:
    policy: Policy
    libs_dir: str
    #: in discovery order: the roots' own needs first
    grafts: tuple[Graft, ...]
    #: (library, the file that needs it) that could not be found
    missing: tuple[tuple[str, str], ...] = ()
    #: (archive name, interpreter library): DT_NEEDED entries to remove
    dropped: tuple[tuple[str, str], ...] = ()

    @property
    def renames(self) -> dict[str, str]:
        return {graft.library.soname: graft.new_name for graft in self.grafts}

    def drops_for(self, archive_name: str) -> tuple[str, ...]:
        return tuple(library for name, library in self.dropped if name == archive_name)


def plan_grafts(roots: Roots, policy: Policy, libs_dir: str, locate: Locate) -> GraftPlan:
    """Every library (recursively) that `policy` does not allow, and every DT_NEEDED on the
    interpreter's library (of the roots and of what is grafted)."""
    inside = {posixpath.basename(name) for name in roots}
    inside |= {info.soname for info, _ in roots.values() if info.soname}
    grafts: dict[str, Graft] = {}
    missing: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    queue = [(info, path.parent, name) for name, (info, path) in roots.items()]
    while queue:
        info, folder, archive_name = queue.pop(0)
        for library in info.needed:
            if library in inside:
                continue
            if is_interpreter_library(library):
                if not embeds_interpreter(info):
                    dropped.append((archive_name, library))
                continue
            if (
                library in grafts
                or library in policy.whitelist
                or is_dynamic_loader(library)
            ):
                continue
            found = locate(library, info, folder)
            if found is None:
                if (library, info.path) not in missing:
                    missing.append((library, info.path))
                continue
            new_name = hashed_name(library, found.sha256)
            graft = Graft(found, new_name, f"{libs_dir}/{new_name}")
            grafts[library] = graft
            queue.append((found.info, found.path.parent, graft.archive_name))
    return GraftPlan(policy, libs_dir, tuple(grafts.values()), tuple(missing), tuple(dropped))


def _patched(info: ElfInfo, renames: Mapping[str, str], drops: Sequence[str]) -> ElfInfo:
    """`info` with its DT_NEEDED renamed and dropped as planned."""
    return info._replace(
        needed=tuple(renames.get(lib, lib) for lib in info.needed if lib not in drops),
        version_needs={
            renames.get(k, k): v for k, v in info.version_needs.items() if k not in drops
        },
        symbol_versions=tuple(
            s._replace(library=renames.get(s.library, s.library))
            for s in info.symbol_versions
            if s.library not in drops
        ),
    )


def simulate(roots: Roots, plan: GraftPlan) -> list[ElfInfo]:
    """The native files as the repair will leave them (names, DT_NEEDED, RPATH), unpatched."""
    renames = plan.renames
    files = []
    for name, (info, _) in roots.items():
        drops = plan.drops_for(name)
        if any(lib in renames for lib in info.needed):
            rpath = merged_rpath((*info.rpath, *info.runpath), origin_rpath(name, plan.libs_dir))
            info = info._replace(rpath=tuple(rpath.split(":")), runpath=())
        files.append(_patched(info, renames, drops))
    for graft in plan.grafts:
        info = _patched(graft.library.info, renames, plan.drops_for(graft.archive_name))
        files.append(
            info._replace(
                path=graft.archive_name, soname=graft.new_name, rpath=("$ORIGIN",), runpath=()
            )
        )
    return files


def plan_repair(
    verdict: Verdict,
    roots: Roots,
    libs_dir: str,
    locate: Locate,
    *,
    policy: Policy | None = None,
) -> GraftPlan | None:
    """The plan for `policy`, or for the most compatible policy a repair reaches; None if none.

    A policy is reached when the files as repaired (grafted libraries and their own symbol
    versions included) break nothing in it.
    """
    candidates = (policy,) if policy is not None else repair_candidates(verdict)
    for candidate in candidates:
        plan = plan_grafts(roots, candidate, libs_dir, locate)
        if not plan.missing and not check_policy(simulate(roots, plan), candidate,
                                                 libc=wheel_libc_of(verdict)):
            return plan
    return None


def wheel_libc_of(verdict: Verdict) -> tuple[Libc, str]:
    return verdict.libc, verdict.libc_from
