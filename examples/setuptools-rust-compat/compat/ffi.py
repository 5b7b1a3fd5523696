"""The `_ffi` Rust library (no Python bindings of its own), opened with cffi."""

import importlib.machinery
import os

from cffi import FFI

ffi = FFI()
ffi.cdef("int ffi_add(int a, int b);")


def _library() -> str:
    here = os.path.dirname(__file__)
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = os.path.join(here, "_ffi" + suffix)
        if os.path.exists(path):
            return path
    raise ImportError("the _ffi library was not built")


lib = ffi.dlopen(_library())
