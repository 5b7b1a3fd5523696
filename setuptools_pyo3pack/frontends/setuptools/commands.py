"""setuptools commands for Rust crates: `setup(cmdclass=cmdclass())` next to a Cargo.toml.

`build_rust` is a `build` sub-command: it runs in `build`, `bdist_wheel`, `pip wheel .`,
`python -m build` and editable installs (`pip install -e .`, strict mode included), and
answers `get_outputs()` without running cargo. Name, version and metadata come from
Cargo.toml (and pyproject.toml) through the `setuptools.finalize_distribution_options`
hook; several crates, or crates inside a Python project, are named with
`setup(rust_crates=["Cargo.toml", RustCrate("rust/Cargo.toml", module="pkg._native")])`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from .build import Build, BuildRust
from .crates import RustCrate
from .develop import BuildExt, Clean, Develop
from .install import Install, InstallRust
from .rust_extension import Binding, RustBin, RustExtension, Strip
from .sdist import Sdist
from .wheel import BdistWheel

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command

#: Every command we provide, by the name setuptools runs it under.
COMMANDS: dict[str, type[Command]] = {
    "build_rust": BuildRust,
    "build": Build,
    "build_ext": BuildExt,
    "sdist": Sdist,
    "install": Install,
    "install_rust": InstallRust,
    "bdist_wheel": BdistWheel,
    "develop": Develop,
    "clean": cast("type[Command]", Clean),  # distutils' clean has no stub: typed apart
}


def cmdclass() -> dict[str, type[Command]]:
    """The commands for `setup(cmdclass=...)`; a fresh dict the caller may extend."""
    return dict(COMMANDS)


__all__ = [
    "COMMANDS",
    "BdistWheel",
    "Binding",
    "Build",
    "BuildExt",
    "BuildRust",
    "Clean",
    "Develop",
    "Install",
    "InstallRust",
    "RustBin",
    "RustCrate",
    "RustExtension",
    "Sdist",
    "Strip",
    "cmdclass",
]
