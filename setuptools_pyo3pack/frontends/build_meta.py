"""PEP 517 / PEP 660 build backend: each hook reads the project and hands it to the core.

    [build-system]
    requires = ["setuptools-pyo3pack"]
    build-backend = "setuptools_pyo3pack.build_meta"

Wheels are built for the interpreter running the hook, with cargo's `release` profile
(editable installs: `dev`). `config_settings` and the environment add to what
pyproject.toml says (see `backend_options`).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from ..config.settings import BuildOptions, CargoOptions
from ..errors import Pyo3PackError

ConfigSettings = Union[Mapping[str, Union[str, list[str]]], None]

#: Extra cargo arguments for every backend build, e.g. `--offline` or `--locked`.
CARGO_ARGS_ENV = "PYO3_PACK_CARGO_ARGS"


def _setting(config_settings: ConfigSettings, key: str) -> list[str]:
    """All values of one config setting (pip passes a list when it is given twice)."""
    value = (config_settings or {}).get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def backend_options(config_settings: ConfigSettings, *, editable: bool) -> BuildOptions:
    """Options for a backend build.

    config_settings (`pip ... --config-settings KEY=VALUE`, `python -m build -C KEY=VALUE`):
    `cargo-args` and `rustc-args` (shell-quoted strings), `features` (comma separated),
    `profile` (a cargo profile; default `release`, or `dev` for editable installs),
    `compatibility` (a platform policy, as `pyo3-pack build --compatibility`).
    The environment variable PYO3_PACK_CARGO_ARGS adds cargo arguments too.
    """
    cargo_args = shlex.split(os.environ.get(CARGO_ARGS_ENV, ""))
    for value in _setting(config_settings, "cargo-args"):
        cargo_args += shlex.split(value)
    rustc_args = [arg for value in _setting(config_settings, "rustc-args")
                  for arg in shlex.split(value)]
    features = [f for value in _setting(config_settings, "features")
                for f in value.replace(",", " ").split()]
    profiles = _setting(config_settings, "profile")
    compatibility = _setting(config_settings, "compatibility")
    cargo = CargoOptions(
        profile=profiles[-1] if profiles else ("dev" if editable else "release"),
        features=tuple(features),
        cargo_extra_args=tuple(cargo_args),
        rustc_extra_args=tuple(rustc_args),
    )
    return BuildOptions(
        cargo=cargo,
        interpreters=(sys.executable,),
        compatibility=compatibility[-1] if compatibility else None,
    )


def _run(hook: Any) -> Any:
    """Errors end the hook as one line; pip and build show it after cargo's output."""
    try:
        return hook()
    except Pyo3PackError as exc:
        print(f"pyo3-pack: error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None


def _requires(editable: bool) -> list[str]:
    from ..project.bindings import Binding
    from ..project.project import load_project

    project = load_project(backend_options(None, editable=editable))
    return ["cffi"] if project.binding.binding is Binding.CFFI else []


def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    return list(_run(lambda: _requires(editable=False)))


def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return list(_run(lambda: _requires(editable=True)))


def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return []


def _prepare_metadata(metadata_directory: str, editable: bool) -> str:
    from ..project.project import load_project
    from ..wheel.pipeline import write_metadata

    project = load_project(backend_options(None, editable=editable))
    return write_metadata(project, Path(metadata_directory)).name


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    return str(_run(lambda: _prepare_metadata(metadata_directory, editable=False)))


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    return str(_run(lambda: _prepare_metadata(metadata_directory, editable=True)))


def _build_wheel(wheel_directory: str, config_settings: ConfigSettings, editable: bool) -> str:
    from ..compile.select import plan, platform_tag
    from ..project.project import load_project
    from ..wheel.pipeline import build_editable_wheel, build_wheel

    project = load_project(backend_options(config_settings, editable=editable))
    (item,) = plan(project, platform_tag(project.options))
    out_dir = Path(wheel_directory)
    if editable and project.layout.mixed:
        return build_editable_wheel(project, item, out_dir).name
    return build_wheel(project, item, out_dir).name


def build_wheel(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    return str(_run(lambda: _build_wheel(wheel_directory, config_settings, editable=False)))


def build_editable(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    return str(_run(lambda: _build_wheel(wheel_directory, config_settings, editable=True)))


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    def hook() -> str:
        from ..project.project import load_project
        from ..sdist.sdist import build_sdist as write_sdist

        project = load_project(backend_options(config_settings, editable=False))
        return write_sdist(project, Path(sdist_directory)).name

    return str(_run(hook))
