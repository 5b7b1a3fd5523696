"""`develop`: build for the active virtualenv and install the result into it."""

from __future__ import annotations

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
from ..project.project import Project, load_project
from ..wheel.pipeline import build_wheel
from . import requirements, transaction


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
    with transaction.locked(venv):  # an install a killed run decided on comes first
        if transaction.apply_journal(venv):
            _process.log(f"finished the install into {venv} that an interrupted run began")
    installed = _install_stamp(project, venv)
    key = f"{wheel}|{freshness.file_state(wheel)}"
    if installed.reusable(key) is not None:
        _process.log(f"{project.name} {project.version} in {venv} is up to date")
        return Developed(project.name, project.version, venv, wheel, editable, False)
    record = install_wheel(wheel, interpreter, venv, replace=project.name)
    installed.record(key, record)
    _process.log(f"installed {project.name} {project.version} into {venv}")
    return Developed(project.name, project.version, venv, wheel, editable, True)


def _install_stamp(project: Project, venv: Path) -> freshness.Stamp:
    """Remembers which wheel went into which venv; valid while its RECORD is untouched."""
    return freshness.stamp_for(project.crate.target_directory, "develop", str(venv.resolve()))


def install_wheel(wheel: Path, interpreter: Interpreter, venv: Path, *,
                  replace: str | None = None) -> Path:
    """Install `wheel` into `venv` in place of the installs of `replace` (a project name):
    the old install or the new one, never a mix, even if the run is killed (see
    `transaction`); returns the installed RECORD."""
    transaction.check_wheel_paths(wheel)
    with transaction.locked(venv):
        transaction.apply_journal(venv)
        transaction.remove_leftover_staging(venv)
        old = transaction.old_files(replace, interpreter, venv) if replace else []
        staging, files = transaction.stage(wheel, interpreter, venv)
        transaction.commit(venv, staging, files, old)
    (record,) = [f for f in files if f.endswith(".dist-info/RECORD")]
    return Path(os.path.realpath(venv)) / record


__all__ = ["DevelopOptions", "develop", "install_wheel"]
