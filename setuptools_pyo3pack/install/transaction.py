"""Replacing an install in a virtualenv so that an interrupted `develop` leaves the old
install or the new one, never a mix, and never touches a file outside the virtualenv.

Steps, under a lock file in the virtualenv (two `develop` runs take turns):
1. the wheel is unpacked into a staging folder inside the virtualenv (same file system, so
   moving a file from it is one atomic rename); the venv is not touched yet;
2. a journal lists every rename (staged file -> its place) and every file of the old install
   to delete; it is written atomically, and from then on the change is decided;
3. the journal is applied and deleted, then the staging folder.
A run killed before step 2 leaves the old install (and a staging folder the next run removes);
one killed (SIGKILL) during step 3 leaves a journal that the next `develop` applies first;
Ctrl-C and SIGTERM wait until steps 2 and 3 are done.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ConfigError
from ..fs import unsafe_member_name, write_atomic
from ..platforms.interpreter import Interpreter
from ..platforms.tags import normalize_dist_name

JOURNAL = ".pyo3-pack-install.journal"
LOCK = ".pyo3-pack-install.lock"
STAGING_PREFIX = ".pyo3-pack-staging-"


@contextmanager
def locked(venv: Path) -> Iterator[None]:
    """Hold the virtualenv's install lock (released by the OS if the process dies)."""
    with open(venv / LOCK, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def check_wheel_paths(wheel: Path) -> None:
    """Refuse a wheel whose members or RECORD rows point outside the install folders."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        bad = [name for name in names if unsafe_member_name(name)]
        records = [name for name in names if name.endswith(".dist-info/RECORD")
                   and name.count("/") == 1]
        for record in records:
            text = archive.read(record).decode("utf-8", errors="replace")
            bad += [row[0] for row in csv.reader(text.splitlines())
                    if row and unsafe_member_name(row[0])]
    if bad:
        raise ConfigError(f"{wheel.name} names a file outside the install folders "
                          f"({bad[0]!r}): refusing to install it",
                          hint="rebuild the wheel; never install one you do not trust")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def old_files(name: str, interpreter: Interpreter, venv: Path) -> list[Path]:
    """Every file of earlier installs of `name` (ours or pip's), from their RECORDs; a row
    that points outside the virtualenv stops everything (a crafted or corrupt RECORD)."""
    wanted = normalize_dist_name(name)
    root = Path(os.path.realpath(venv))
    found: list[Path] = []
    for site in sorted({Path(interpreter.paths[k]) for k in ("platlib", "purelib")}):
        if not site.is_dir():
            continue
        real_site = Path(os.path.realpath(site))
        for dist_info in sorted(site.glob("*.dist-info")):
            if normalize_dist_name(dist_info.name.split("-")[0]) != wanted:
                continue
            record = dist_info / "RECORD"
            rows = []
            if record.is_file():
                with open(record, newline="", encoding="utf-8") as handle:
                    rows = [row[0] for row in csv.reader(handle) if row]
            for row in rows:
                path = Path(os.path.normpath(real_site / row))
                if not _inside(path, root):
                    raise ConfigError(
                        f"{record} lists {row!r}, outside the virtualenv {venv}: refusing "
                        "to remove files there",
                        hint=f"delete {dist_info} and the package by hand, then run again")
                found.append(path)
            found += [real_site / p.relative_to(site) for p in dist_info.rglob("*")
                      if not p.is_dir()]
    return list(dict.fromkeys(found))


def stage(wheel: Path, interpreter: Interpreter, venv: Path) -> tuple[Path, list[str]]:
    """Unpack `wheel` into a staging folder that mirrors the venv; its files (relative)."""
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    root = Path(os.path.realpath(venv))
    staging = root / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    paths = interpreter.paths
    real = {
        "purelib": paths["purelib"], "platlib": paths["platlib"],
        # a venv's headers go into the venv, as pip puts them (the base's include is shared)
        "headers": str(root / "include" / "site" / Path(paths["purelib"]).parent.name),
        "scripts": paths["scripts"], "data": paths["data"],
    }
    scheme = {}
    for key, value in real.items():
        where = Path(os.path.realpath(value))
        if not _inside(where, root):
            raise ConfigError(f"the interpreter's {key} folder {value} is outside the "
                              f"virtualenv {venv}", hint="develop into a regular virtualenv")
        scheme[key] = str(staging / where.relative_to(root))
    destination = SchemeDictionaryDestination(scheme, interpreter=interpreter.path,
                                              script_kind="posix")
    with WheelFile.open(wheel) as source:
        install(source, destination, {"INSTALLER": b"pyo3-pack\n"})
    files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if not p.is_dir())
    return staging, files


def commit(venv: Path, staging: Path, files: list[str], old: list[Path]) -> None:
    """Decide the change (journal), then make it."""
    root = Path(os.path.realpath(venv))
    finals = {str(root / f) for f in files}
    journal = {
        "staging": str(staging),
        "moves": [[str(staging / f), str(root / f)] for f in files],
        "removals": [str(p) for p in old if str(p) not in finals],
    }
    with _interrupts_deferred():
        write_atomic(root / JOURNAL, json.dumps(journal))
        apply_journal(root)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (or SIGTERM) during the renames takes effect after them: an interrupt leaves
    the old install or the new one; only SIGKILL can stop here (the journal covers that)."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def apply_journal(venv: Path) -> bool:
    """Finish an install a killed run decided on; False when there is none. Idempotent."""
    path = venv / JOURNAL
    if not path.is_file():
        return False
    journal = json.loads(path.read_text(encoding="utf-8"))
    root = Path(os.path.realpath(venv))
    for source, target in journal["moves"]:
        if not _inside(Path(target), root):
            continue  # the journal is ours: this only guards against a hand-edited one
        if os.path.lexists(source):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    parents: set[Path] = set()
    for removal in map(Path, journal["removals"]):
        if _inside(removal, root) and (removal.is_file() or removal.is_symlink()):
            removal.unlink()
            parents.add(removal.parent)
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        _remove_empty(parent, stop=root)
    path.unlink()
    shutil.rmtree(journal["staging"], ignore_errors=True)
    return True


def remove_leftover_staging(venv: Path) -> None:
    """Staging folders of runs killed before their journal (held lock: none is live)."""
    for leftover in Path(os.path.realpath(venv)).glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _remove_empty(folder: Path, stop: Path) -> None:
    while folder != stop and stop in folder.parents:
        pycache = folder / "__pycache__"
        if pycache.is_dir() and all(p.suffix == ".pyc" for p in pycache.iterdir()):
            for pyc in pycache.iterdir():
                pyc.unlink()
            pycache.rmdir()
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
