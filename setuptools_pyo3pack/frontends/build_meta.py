"""PEP 517 / PEP 660 build backend: each hook resolves the settings and calls the pipeline.

    [build-system]
    requires = ["setuptools-pyo3pack"]
    build-backend = "setuptools_pyo3pack.build_meta"

Wheels are built for the interpreter running the hook, with cargo's `release` profile
(editable installs: `dev`) unless pyproject.toml or config_settings name another.
`config_settings` take every key `[tool.pyo3-pack]` takes (`features`, `profile`,
`compatibility`, ...) plus `cargo-args` and `rustc-args`; every hook (the metadata ones
too) reads them, so prepared METADATA is the wheel's.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar, Union

from ..errors import Pyo3PackError

if TYPE_CHECKING:
    from ..config.load import Configuration
    from ..project.project import Project

ConfigSettings = Union[Mapping[str, Union[str, list[str]]], None]
T = TypeVar("T")

def backend_configuration(config_settings: ConfigSettings, *, editable: bool) -> Configuration:
    """Settings for a backend build: defaults < pyproject < environment < maturin's build
    flags (MATURIN_PEP517_ARGS, `build-args`) < config_settings."""
    from ..config.load import load_configuration
    from ..config.sources import config_settings_source, values_source
    from .maturin_args import CONFIG_KEY, maturin_build_args

    maturin, warnings = maturin_build_args(config_settings)
    others = {k: v for k, v in (config_settings or {}).items() if k != CONFIG_KEY}
    given, unknown = config_settings_source(others)
    defaults = {"cargo.profile": "dev" if editable else "release"}
    door = values_source(None, {"output.interpreters": (sys.executable,)})
    extra = (given,) if maturin is None else (maturin, given)
    config = load_configuration(door, defaults, extra=extra, editable=editable)
    return _with_warnings(config, [*warnings, *unknown])


def _with_warnings(config: Configuration, warnings: list[str]) -> Configuration:
    from dataclasses import replace

    return replace(config, warnings=(*config.warnings, *warnings)) if warnings else config


def _run(hook: Callable[[], T]) -> T:
    """Errors end the hook as one line; pip and build show it after cargo's output."""
    try:
        return hook()
    except Pyo3PackError as exc:
        print(f"pyo3-pack: error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None


def _project(config_settings: ConfigSettings, editable: bool) -> Project:
    from ..project.project import load_project

    return load_project(backend_configuration(config_settings, editable=editable))


def _requires(config_settings: ConfigSettings, editable: bool) -> list[str]:
    from ..config.settings import Binding

    project = _project(config_settings, editable)
    return ["cffi"] if project.binding.binding is Binding.CFFI else []


def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    return _run(lambda: _requires(config_settings, editable=False))


def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return _run(lambda: _requires(config_settings, editable=True))


def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return []


def _prepare_metadata(metadata_directory: str, config_settings: ConfigSettings,
                      editable: bool) -> str:
    from ..wheel.destinations import Folder, add_all
    from ..wheel.dist_info import dist_info_name, metadata_members

    project = _project(config_settings, editable)
    name = dist_info_name(project)
    add_all(Folder(Path(metadata_directory) / name), metadata_members(project))
    return name


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    return _run(lambda: _prepare_metadata(metadata_directory, config_settings, editable=False))


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: ConfigSettings = None
) -> str:
    return _run(lambda: _prepare_metadata(metadata_directory, config_settings, editable=True))


def _build_wheel(wheel_directory: str, config_settings: ConfigSettings, editable: bool) -> str:
    from ..compile.select import plan
    from ..wheel.pipeline import build_wheel as build_one

    project = _project(config_settings, editable)
    (item,) = plan(project)
    # an editable wheel of a pure crate is its normal wheel: there is no source to point at
    editable = editable and project.layout.mixed
    return build_one(project, item, Path(wheel_directory), editable=editable).name


def build_wheel(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    return _run(lambda: _build_wheel(wheel_directory, config_settings, editable=False))


def build_editable(
    wheel_directory: str,
    config_settings: ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    return _run(lambda: _build_wheel(wheel_directory, config_settings, editable=True))


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    def hook() -> str:
        from ..sdist.sdist import build_sdist as write_sdist

        project = _project(config_settings, editable=False)
        return write_sdist(project, Path(sdist_directory)).name

    return _run(hook)


__all__ = [
    "build_editable",
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_editable",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
    "prepare_metadata_for_build_editable",
    "prepare_metadata_for_build_wheel",
]
