"""Rust under rust/, Python under src/: maturin finds both from pyproject.toml."""

from ._native import debug_build

__all__ = ["debug_build"]
