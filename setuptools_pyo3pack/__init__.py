"""Build and publish Rust crates with pyo3, rust-cpython or cffi bindings as Python wheels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command



def cmdclass() -> dict[str, type[Command]]:
    """setuptools commands for `setup(cmdclass=cmdclass())`; imports setuptools only now."""
    from .frontends.setuptools.commands import cmdclass as commands

    return commands()


__all__ = ["__version__", "cmdclass"]
