"""A maturin-style project: Python under python/, the native part as a private submodule."""

from ._native import greet

__all__ = ["greet"]
