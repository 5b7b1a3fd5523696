"""`develop`: build for the active virtualenv and install the result into it."""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _process
from ..compile import freshness
from ..compile.select import plan
from ..config.load import Configuration
from ..config.settings import AuditMode
from ..errors import ConfigError, EnvironmentNotFound
from ..platforms.interpreter import Interpreter
from ..platforms.tags import normalize_dist_name
from ..project.project import Project, load_project
from ..wheel.pipeline import build_wheel
from . import requirements


def active_virtualenv() -> Path:
    """The virtualenv to install into: the activated one, or VIRTUAL_ENV."""
    value = os.environ.get("VIRTUAL_ENV") or os.environ.get("CONDA_PREFIX")
    if not value:
        raise EnvironmentNotFound(
            "develop needs a virtualenv, and none is active",
            hint="create one with `python -m venv .venv`, then `. .venv/bin/activate` "
            "or set VIRTUAL_ENV",
        )
    root = Path(value)
    python = root / "bin" / "python"
    if not python.exists():
        raise EnvironmentNotFound(
            f"VIRTUAL_ENV points to {root}, which has no bin/python",
            hint="activate an existing virtualenv or create one with `python -m venv`",
        )
    return root


def develop_values(interpreter: Interpreter) -> dict[str, Any]:
    """What `develop` sets over the user's settings: the venv's interpreter, and no audit
    (an install into this machine's venv needs no portable platform tag)."""
    return {"output.interpreters": (interpreter.path,), "audit.auditwheel": AuditMode.SKIP}


@dataclass(frozen=True)
class DevelopOptions:
    """What `develop` does besides building (maturin develop's flags)."""

    extras: Sequence[str] = ()
    """Extras whose requirements are installed too (`-E/--extras`)."""
    groups: Sequence[str] = ()
    """PEP 735 dependency groups installed too (`-G/--group`)."""
    uv: bool = False
    """Install requirements with uv rather than pip (`--uv`)."""
    pip_path: Path | None = None
    """A pip executable to install requirements with (`--pip-path`)."""
    skip_install: bool = False
    """Only build the native module into the source tree (`--skip-install`)."""


@dataclass(frozen=True)
class Developed:
    """What `develop` did, for the CLI's report."""

    name: str
    version: str
    venv: Path
    wheel: Path
    """The wheel built (an editable one for mixed projects), uncompressed."""
    editable: bool
    installed: bool
    """False when the venv already had this build, or with --skip-install."""


def develop(config: Configuration, venv: Path, interpreter: Interpreter,
            options: DevelopOptions | None = None) -> Developed:
    """Build the crate for the virtualenv's interpreter and install it there, after the
    project's dependencies (and those of the extras asked for)."""
    options = options or DevelopOptions()
    project = load_project(config)
    if project.platform.cross:
        raise ConfigError(f"develop installs into {venv}, on this machine: it cannot build for "
                          f"`{project.platform.target.description}`",
                          hint="use `pyo3-pack build --target ...` for other platforms")
    (item,) = plan(project)
    # a fixed folder, so an unchanged wheel is recognised and not rebuilt
    out_dir = project.crate.target_directory / "pyo3-pack" / "develop"
    if options.skip_install:
        if not project.layout.mixed:
            raise ConfigError("--skip-install builds the native module into the Python "
                              "package, and this project has none",
                              hint="use it in a mixed Rust/Python project, or drop it")
        wheel = build_wheel(project, item, out_dir, editable=True, compress=False)
        return Developed(project.name, project.version, venv, wheel, True, False)
    argv = requirements.installer_argv(venv, interpreter, uv=options.uv,
                                       pip_path=options.pip_path)
    wanted = requirements.requirements_for(project.metadata.core, options.extras)
    wanted += requirements.dependency_groups(project.config.pyproject, options.groups)
    requirements.install_requirements(wanted, argv, venv)
    editable = project.layout.mixed
    wheel = build_wheel(project, item, out_dir, editable=editable, compress=False)
    installed = _install_stamp(project, venv)
    key = f"{wheel}|{freshness.file_state(wheel)}"
    if installed.reusable(key) is not None:
        _process.log(f"{project.name} {project.version} in {venv} is up to date")
        return Developed(project.name, project.version, venv, wheel, editable, False)
    uninstall(project.name, interpreter)
    record = install_wheel(wheel, interpreter)
    installed.record(key, record)
    _process.log(f"installed {project.name} {project.version} into {venv}")
    return Developed(project.name, project.version, venv, wheel, editable, True)


def _install_stamp(project: Project, venv: Path) -> freshness.Stamp:
    """Remembers which wheel went into which venv; valid while its RECORD is untouched."""
    return freshness.stamp_for(project.crate.target_directory, "develop", str(venv.resolve()))








def _site_dirs(interpreter: Interpreter) -> list[Path]:
    dirs = {interpreter.paths["platlib"], interpreter.paths["purelib"]}
    return [Path(d) for d in sorted(dirs)]


def uninstall(name: str, interpreter: Interpreter) -> None:
    """Remove an earlier install of `name` (ours or pip's) using its RECORD.

    Files are unlinked rather than overwritten, so a process that still has the old
    native module mapped keeps running.
    """
    wanted = normalize_dist_name(name)
    for site in _site_dirs(interpreter):
        if not site.is_dir():
            continue
        for dist_info in site.glob("*.dist-info"):
            if normalize_dist_name(dist_info.name.split("-")[0]) != wanted:
                continue
            _remove_recorded(site, dist_info)


def _remove_recorded(site: Path, dist_info: Path) -> None:
    record = dist_info / "RECORD"
    parents: set[Path] = set()
    if record.is_file():
        with open(record, newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                if not row:
                    continue
                path = Path(os.path.normpath(site / row[0]))
                if path.is_file() or path.is_symlink():
                    path.unlink()
                    parents.add(path.parent)
    for leftover in sorted(dist_info.rglob("*"), reverse=True):
        leftover.unlink() if not leftover.is_dir() else leftover.rmdir()
    dist_info.rmdir()
    for parent in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        _remove_empty(parent, stop=site)


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


def install_wheel(wheel: Path, interpreter: Interpreter) -> Path:
    """Install with pypa/installer; returns the installed RECORD."""
    # imported here: only develop needs the installer library
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    paths = interpreter.paths
    scheme = {
        "purelib": paths["purelib"],
        "platlib": paths["platlib"],
        "headers": os.path.join(paths["include"], "site"),
        "scripts": paths["scripts"],
        "data": paths["data"],
    }
    destination = SchemeDictionaryDestination(
        scheme, interpreter=interpreter.path, script_kind="posix"
    )
    with WheelFile.open(wheel) as source:
        install(source, destination, {"INSTALLER": b"pyo3-pack\n"})
        dist_info = source.dist_info_dir
    return Path(paths["platlib"]) / dist_info / "RECORD"


__all__ = ["DevelopOptions", "develop", "install_wheel", "uninstall"]
