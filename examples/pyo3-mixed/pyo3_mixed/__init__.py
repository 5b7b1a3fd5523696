"""Python code of the pyo3-mixed example, around its native module."""

from .pyo3_mixed import get_21
from .python_module.double import double

__all__ = ["double", "get_21", "main"]


def main() -> None:
    print(f"{double(get_21())} is twice the answer from Rust")
