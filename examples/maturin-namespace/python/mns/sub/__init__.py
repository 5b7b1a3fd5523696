from .native import answer

__all__ = ["answer"]
