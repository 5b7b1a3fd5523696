"""Python helpers around the Rust library in the `cffi_mixed.cffi_mixed` subpackage."""

from .cffi_mixed import ffi, lib

__all__ = ["area", "ffi", "lib"]


def area(width: float, height: float) -> float:
    return lib.multiply(width, height)
