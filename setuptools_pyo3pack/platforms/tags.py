"""Wheel tags and file names: pure functions over probed interpreter facts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.tags import Tag
from packaging.utils import canonicalize_name

from .interpreter import Interpreter


@dataclass(frozen=True)
class WheelTag:
    python: str
    abi: str
    platform: str

    def __str__(self) -> str:
        return f"{self.python}-{self.abi}-{self.platform}"

    def expanded(self) -> list[Tag]:
        """One packaging Tag per compressed component, as WHEEL lists them."""
        return [
            Tag(python, abi, platform)
            for python in self.python.split(".")
            for abi in self.abi.split(".")
            for platform in self.platform.split(".")
        ]


def platform_tag(sysconfig_platform: str) -> str:
    """`linux-x86_64` -> `linux_x86_64`: PEP 425's tag of `sysconfig.get_platform()`."""
    return re.sub(r"[^A-Za-z0-9_]", "_", sysconfig_platform)


def interpreter_tag(interpreter: Interpreter, platform: str) -> WheelTag:
    """The tag of an extension module built for exactly this interpreter."""
    major, minor = interpreter.minor_version
    if interpreter.implementation == "cpython":
        thread = "t" if interpreter.free_threaded else ""
        debug = "d" if "d" in interpreter.abiflags else ""
        # before 3.8 pymalloc builds carried an `m` ABI flag
        pymalloc = "m" if "m" in interpreter.abiflags and (major, minor) < (3, 8) else ""
        return WheelTag(f"cp{major}{minor}", f"cp{major}{minor}{thread}{debug}{pymalloc}", platform)
    if interpreter.implementation == "pypy":
        return WheelTag(f"pp{major}{minor}", _soabi_tag(interpreter), platform)
    name = _SHORT_NAMES.get(interpreter.implementation, interpreter.implementation)
    return WheelTag(f"{name}{major}{minor}", _soabi_tag(interpreter), platform)


#: packaging.tags abbreviates these implementations and spells out the rest
_SHORT_NAMES = {"cpython": "cp", "pypy": "pp", "ironpython": "ip", "jython": "jy"}


def _soabi_tag(interpreter: Interpreter) -> str:
    """`pypy39-pp73-x86_64-linux-gnu` -> `pypy39_pp73` (GraalPy keeps three parts:
    `graalpy242_311_native`), as packaging.tags derives generic ABI tags: from EXT_SUFFIX's
    middle part (the file name the interpreter imports), else from SOABI."""
    middle = interpreter.ext_suffix.split(".")
    soabi = middle[1] if len(middle) >= 3 and middle[1] else interpreter.soabi
    parts = soabi.split("-")
    keep = 3 if interpreter.implementation == "graalpy" else 2
    if len(parts) < keep:
        raise ValueError(f"unexpected SOABI {soabi!r} of {interpreter.path}")
    return re.sub(r"[-.]", "_", "-".join(parts[:keep]))


def abi3_tag(minimum: tuple[int, int], platform: str) -> WheelTag:
    """One wheel for CPython `minimum` and every later CPython."""
    return WheelTag(f"cp{minimum[0]}{minimum[1]}", "abi3", platform)


def universal_tag(platform: str) -> WheelTag:
    """Binaries and cffi modules do not depend on the interpreter's ABI."""
    return WheelTag("py3", "none", platform)


def normalize_dist_name(name: str) -> str:
    """The distribution part of wheel and sdist file names (PEP 427 / PEP 625)."""
    return canonicalize_name(name).replace("-", "_")


def wheel_filename(name: str, version: str, tag: WheelTag) -> str:
    # the version is already PEP 440-normalised, so it holds no `-` to escape
    return f"{normalize_dist_name(name)}-{version.replace('-', '_')}-{tag}.whl"
