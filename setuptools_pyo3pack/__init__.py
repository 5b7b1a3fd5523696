"""Build and publish Rust crates with pyo3, rust-cpython or cffi bindings as Python wheels."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command

__version__ = "0.1.0"


def cmdclass() -> dict[str, type[Command]]:
    """setuptools commands for `setup(cmdclass=cmdclass())`; imports setuptools only now."""
    from .frontends.setuptools.commands import cmdclass as commands

    return commands()
