"""A Python package around a pyo3 module built from [tool.setuptools-rust]."""

from ._core import triple


def hello() -> None:
    print(f"srp-hello: triple(14) = {triple(14)}")


__all__ = ["hello", "triple"]
