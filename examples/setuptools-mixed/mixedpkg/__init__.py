"""Python, C and Rust in one package, built by setuptools."""

from importlib.resources import files

from ._native import double
from ._speedups import triple


def sextuple(x: int) -> int:
    return double(triple(x))


def greeting() -> str:
    return files(__name__).joinpath("data/greeting.txt").read_text().strip()


__all__ = ["double", "greeting", "sextuple", "triple"]
