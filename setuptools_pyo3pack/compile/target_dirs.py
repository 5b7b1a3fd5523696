"""Cargo target folders, one per interpreter ABI, that share what no interpreter changes.

Each ABI builds in its own folder (`target/pyo3-pack/<impl>-<ver>/`, `abi3/`), so switching
interpreters finds its own pyo3 still compiled. Before cargo runs in one, the compiled units
it lacks are brought in from its siblings (`fill_from_siblings`): a clean build for N
interpreters then compiles serde, regex, syn... once, and cargo rebuilds per interpreter only
what the interpreter changes (pyo3-ffi, pyo3, the crate), as it would in one shared folder.

A unit is what cargo keeps under one hash in a profile folder: `.fingerprint/<pkg>-<hash>/`,
`build/<pkg>-<hash>/` and `deps/*-<hash>.*`. How it is brought in keeps every folder's own
state its own:

- Compiled artifacts (`.rlib`, `.rmeta`, shared libraries, executables) are hard-linked:
  rustc and the linker never write into an existing file, they write a new one and rename it
  (or unlink first), so a rebuild here leaves the sibling's file alone.
- Everything cargo or a build script rewrites in place (fingerprints, dep-info, a build
  script's `output` and `out/`) is copied, with its mtime, so cargo judges it as it would have
  in the sibling.
- The build-script runs of the crates that ask the interpreter for its configuration
  (`CONFIG_PACKAGES`, and the crate being packed) are never brought in: cargo runs them again
  for this interpreter, and whatever depends on them is rebuilt. That holds even for a
  binding whose build script does not declare its dependency on PYO3_PYTHON. Incremental
  caches are not brought in either.
- Only units this folder knows nothing of are added; nothing here is ever replaced. The
  folder is locked with cargo's own lock while units are added, and a sibling cargo is
  building in is skipped.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - no flock(2): folders are then not shared
    fcntl = None  # type: ignore[assignment]

CONFIG_PACKAGES = frozenset({
    "pyo3-build-config", "pyo3-ffi", "pyo3", "python3-sys", "python27-sys", "cpython",
})
"""Crates whose build script output depends on the target interpreter."""

PROFILE_FOLDERS = {"dev": "debug", "test": "debug", "release": "release", "bench": "release"}

LOCK_NAME = ".cargo-lock"
"""The file cargo holds an exclusive flock(2) on while it builds in a profile folder."""

_UNIT = re.compile(r"^(?P<package>.+)-(?P<hash>[0-9a-f]{16})$")
_FILE_HASH = re.compile(r"-(?P<hash>[0-9a-f]{16})(?:\.[A-Za-z0-9]+)?$")
_REPLACED_SUFFIXES = (".rlib", ".rmeta", ".so", ".dylib", ".dll", ".a", ".exe")


def profile_folders(profile: str, target: str | None) -> list[str]:
    """The profile folders (relative to a target folder) a cargo build writes units to."""
    name = PROFILE_FOLDERS.get(profile, profile)
    if target:  # build scripts and proc-macros still go to the host's folder
        return [name, f"{target}/{name}"]
    return [name]


def fill_from_siblings(target_dir: Path, profiles: Sequence[str],
                       rerun: Iterable[str] = ()) -> dict[str, int]:
    """Bring compiled units this ABI folder lacks in from its sibling folders.

    The build-script runs of `rerun` packages (the crate being packed: its build script may
    ask the interpreter too) stay behind, as those of `CONFIG_PACKAGES` do. Returns how many
    units came from each sibling (by folder name). Cheap when there is nothing to bring: a
    few directory listings, no lock taken.
    """
    brought: dict[str, int] = {}
    if fcntl is None:
        return brought
    siblings = _siblings(target_dir)
    runs_stay = CONFIG_PACKAGES | frozenset(rerun)
    for relative in profiles:
        try:
            _fill_profile(target_dir, relative, siblings, runs_stay, brought)
        except OSError:  # sharing only saves time: cargo builds whatever is missing
            continue
    return brought


def _fill_profile(target_dir: Path, relative: str, siblings: list[Path],
                  runs_stay: frozenset[str], brought: dict[str, int]) -> None:
    dest = target_dir / relative
    sources = [s / relative for s in siblings if (s / relative / ".fingerprint").is_dir()]
    sources.sort(key=_last_built, reverse=True)
    known = _known_hashes(dest)
    if not any(_wanted(source, known, runs_stay) for source in sources):
        return
    dest.mkdir(parents=True, exist_ok=True)
    with _flock(dest / LOCK_NAME, shared=False) as locked:
        if not locked:  # cargo is building here right now; it will do without
            return
        known = _known_hashes(dest)
        for source in sources:
            with _flock(source / LOCK_NAME, shared=True) as readable:
                if not readable:
                    continue
                count = _bring(source, dest, _wanted(source, known, runs_stay), known)
            if count:
                name = source.relative_to(target_dir.parent).parts[0]
                brought[name] = brought.get(name, 0) + count


def _siblings(target_dir: Path) -> list[Path]:
    try:
        entries = list(target_dir.parent.iterdir())
    except OSError:
        return []
    return [e for e in entries if e.is_dir() and e != target_dir
            and not e.name.startswith(".") and e.name != "stamps"]


def _last_built(profile: Path) -> float:
    """When a unit was last written here: the sibling built most recently goes first."""
    try:
        return (profile / "deps").stat().st_mtime
    except OSError:
        return 0.0


def _listdir(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _known_hashes(profile: Path) -> set[str]:
    """Every unit hash this profile folder holds anything of."""
    known = set()
    for sub in (".fingerprint", "build"):
        for name in _listdir(profile / sub):
            match = _UNIT.match(name)
            if match:
                known.add(match["hash"])
    for name in _listdir(profile / "deps"):
        match = _FILE_HASH.search(name)
        if match:
            known.add(match["hash"])
    return known


def _wanted(source: Path, known: set[str], runs_stay: frozenset[str]) -> list[str]:
    """The units of `source` (fingerprint folder names) to bring into a folder knowing `known`."""
    wanted = []
    for name in _listdir(source / ".fingerprint"):
        match = _UNIT.match(name)
        if match is None or match["hash"] in known:
            continue
        if match["package"] in runs_stay and _is_script_run(source / ".fingerprint" / name):
            continue
        wanted.append(name)
    return sorted(wanted)


def _is_script_run(fingerprint: Path) -> bool:
    return any(n.startswith("run-build-script-") for n in _listdir(fingerprint))


def _bring(source: Path, dest: Path, units: list[str], known: set[str]) -> int:
    """Copy or link each unit's files from `source` into `dest`; returns how many came."""
    deps: dict[str, list[str]] = {}
    for name in _listdir(source / "deps"):
        match = _FILE_HASH.search(name)
        if match:
            deps.setdefault(match["hash"], []).append(name)
    count = 0
    for unit in units:
        unit_hash = unit.rsplit("-", 1)[1]
        if unit_hash in known:  # two units of one hash: never seen from cargo, but be sure
            continue
        try:  # the fingerprint last: without it, cargo rebuilds whatever else came
            for name in deps.get(unit_hash, []):
                _place(source / "deps" / name, dest / "deps" / name, link=True)
            if (source / "build" / unit).is_dir():
                _copy_tree(source / "build" / unit, dest / "build" / unit, link=True)
            _copy_tree(source / ".fingerprint" / unit, dest / ".fingerprint" / unit, link=False)
        except OSError:
            continue
        known.add(unit_hash)
        count += 1
    return count


def _copy_tree(source: Path, dest: Path, *, link: bool) -> None:
    """`source` folder into `dest`: compiled files at its top level linked, the rest copied
    (a build script's `out/` always copied: the script rewrites it when it runs again)."""
    dest.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(source):
        target = dest / entry.name
        if entry.is_dir(follow_symlinks=False):
            _copy_tree(Path(entry.path), target, link=False)
        elif entry.is_file(follow_symlinks=False):
            _place(Path(entry.path), target, link=link)


def _place(source: Path, dest: Path, *, link: bool) -> None:
    """A hard link for a compiled artifact, else a copy keeping the mtime; never replaces."""
    if os.path.lexists(dest):
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link and _replaced_not_rewritten(source):
        try:
            os.link(source, dest)
            return
        except OSError:
            pass  # another file system, or links not allowed: a copy does the same
    shutil.copy2(source, dest)


def _replaced_not_rewritten(path: Path) -> bool:
    """Files rustc and the linker write anew and rename into place (safe to share)."""
    name = path.name
    if name.endswith(_REPLACED_SUFFIXES):
        return True
    return "." not in name and os.access(path, os.X_OK)


@contextlib.contextmanager
def _flock(path: Path, *, shared: bool) -> Iterator[bool]:
    """cargo's build lock on a profile folder, without waiting; yields whether it was had."""
    assert fcntl is not None
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
