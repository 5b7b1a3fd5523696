"""Build and publish Rust crates with pyo3, rust-cpython or cffi bindings as Python wheels.

For setup.py projects: `cmdclass()`, and setuptools-rust's `RustExtension`, `RustBin`,
`Binding` and `Strip` (so `from setuptools_rust import ...` becomes
`from setuptools_pyo3pack import ...`). They load on first use: setuptools imports this
package for every project it builds, and most of those are not ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command

    from .frontends.setuptools.build import BuildRust as build_rust
    from .frontends.setuptools.develop import Clean as clean_rust
    from .frontends.setuptools.rust_extension import Binding, RustBin, RustExtension, Strip

#: Public name -> the module that defines it (imported when first asked for).
_LAZY = {
    "RustExtension": ("frontends.setuptools.rust_extension", "RustExtension"),
    "RustBin": ("frontends.setuptools.rust_extension", "RustBin"),
    "Binding": ("frontends.setuptools.rust_extension", "Binding"),
    "Strip": ("frontends.setuptools.rust_extension", "Strip"),
    "build_rust": ("frontends.setuptools.build", "BuildRust"),
    "clean_rust": ("frontends.setuptools.develop", "Clean"),
}


def cmdclass() -> dict[str, type[Command]]:
    """setuptools commands for `setup(cmdclass=cmdclass())`; imports setuptools only now."""
    from .frontends.setuptools.commands import cmdclass as commands

    return commands()


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module, attribute = _LAZY[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), attribute)


__all__ = ["Binding", "RustBin", "RustExtension", "Strip", "__version__", "build_rust",
           "clean_rust", "cmdclass"]
