"""Python, a pyo3 module and a cffi-loaded Rust library in one package."""

from ._native import double, loud


def hello() -> None:
    print(f"compat-hello: double(21) = {double(21)}")


__all__ = ["double", "hello", "loud"]
