"""A maturin-style mixed project: Python under python/, the native part as `_native`."""

from ._native import greet, scaled

__all__ = ["greet", "scaled"]
