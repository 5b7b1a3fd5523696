"""The two entry points setuptools calls while setup() creates the Distribution.

`finalize_distribution_options` runs for every setuptools project in an environment where
this package is installed, so it returns at once for projects that do not use us: those with
neither `rust_crates=` nor our `build_rust` in their cmdclass.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from setuptools.dist import Distribution
from setuptools.errors import SetupError

from ...errors import Pyo3PackError
from ...project.layout import PythonLayout
from .crates import RustCrate, normalize

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command


def rust_crates_keyword(dist: Distribution, attr: str, value: object) -> None:
    """Validate `rust_crates=[...]` (a `distutils.setup_keywords` entry point)."""
    try:
        setattr(dist, attr, normalize(value))
    except Pyo3PackError as error:
        raise SetupError(str(error)) from None


def finalize_distribution_options(dist: Distribution) -> None:
    """Name, version and metadata from Cargo.toml; our commands as the defaults."""
    value = getattr(dist, "rust_crates", None)
    if value is None and "build_rust" not in dist.cmdclass:
        return
    try:
        crates = normalize(value) if value is not None else _zero_config()
        setattr(dist, "rust_crates", crates)  # noqa: B010 (a keyword setuptools adds at run time)
        _apply(dist, crates, zero_config=value is None)
    except Pyo3PackError as error:
        raise SetupError(str(error)) from None


# setuptools runs hooks by their `order`; ours reads what setup() and its keywords set
finalize_distribution_options.order = 10  # type: ignore[attr-defined]


def _zero_config() -> tuple[RustCrate, ...]:
    if not Path("Cargo.toml").is_file():
        raise SetupError(
            f"no Cargo.toml next to setup.py in {Path.cwd()} "
            "(pass rust_crates=[...] to setup() to name the crates)"
        )
    return (RustCrate("Cargo.toml"),)


def _apply(dist: Distribution, crates: tuple[RustCrate, ...], zero_config: bool) -> None:
    from ...project.project import load_project
    from . import dist_metadata
    from .commands import COMMANDS
    from .projects import BuildRequest, configuration_for

    root = Path.cwd()
    project = load_project(configuration_for(crates[0], root, BuildRequest()))
    if zero_config or not dist.metadata.name:
        # with rust_crates=, the first crate describes the project only if setup() does not
        dist_metadata.apply(dist, project.metadata, root, project.config.pyproject.data)
    if zero_config and dist.packages is None and dist.py_modules is None:
        _default_packages(dist, project.layout, root)
    for name, command in COMMANDS.items():
        dist.cmdclass.setdefault(name, command)
    _check_build_command(dist.cmdclass["build"])


def _default_packages(dist: Distribution, layout: PythonLayout, root: Path) -> None:
    """Zero config: the crate's Python package (mixed project) or nothing (pure crate)."""
    from setuptools import find_packages

    python_root = layout.python_root.absolute()
    relative = python_root.relative_to(root).as_posix() if python_root != root else "."
    dist.package_dir = {"": relative}
    dist.py_modules = []
    if layout.mixed:
        include = [pattern for top in layout.packages for pattern in (top, f"{top}.*")]
        dist.packages = find_packages(where=str(python_root), include=include)
    else:
        dist.packages = []


def _check_build_command(command: type[Command]) -> None:
    names = [name for name, _ in getattr(command, "sub_commands", [])]
    if "build_rust" not in names:
        raise SetupError(
            f"cmdclass['build'] ({command.__name__}) does not run build_rust: subclass "
            "setuptools_pyo3pack.commands.Build instead of setuptools' build"
        )

