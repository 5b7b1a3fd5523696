from ._native import flags

__all__ = ["flags"]
