"""Interpreters that cannot run here, from recorded sysconfig values (a cross build's targets).

`sysconfig/<platform>.json` holds, per interpreter version, what `sysconfig` reports on that
platform: EXT_SUFFIX, SOABI, the ABI flags, free-threading. A cross build asks for "CPython
3.12" and gets an `Interpreter` like a probed one, marked `recorded`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from .interpreter import Interpreter
from .target import OperatingSystem, Target

DATA = Path(__file__).parent / "sysconfig"
#: how `-i` names a version: 3.12, 3.13t, python3.12, pypy3.10, cp312, cp313t, pp310
_SPECS = (
    (re.compile(r"^(?:python)?(\d)\.(\d+)(t?)$"), "cpython"),
    (re.compile(r"^cp(\d)(\d+)(t?)$"), "cpython"),
    (re.compile(r"^pypy(\d)\.(\d+)()$"), "pypy"),
    (re.compile(r"^pp(\d)(\d+)()$"), "pypy"),
)


def data_file(target: Target) -> Path:
    """The recorded values for the target's platform."""
    if target.os is OperatingSystem.WINDOWS:
        return DATA / f"windows-{target.arch}.json"
    if target.os is OperatingSystem.MACOS:
        return DATA / "macos.json"  # one set of values for every Mac, universal2 builds
    return DATA / f"linux-{target.arch}-{'musl' if target.is_musl else 'gnu'}.json"


def parse_version_spec(spec: str) -> tuple[str, tuple[int, int], bool] | None:
    """`3.12`, `3.13t`, `cp312`, `cp313t`, `python3.12`, `pypy3.10` -> (implementation,
    version, free-threaded); None for anything else (a path, `python`)."""
    text = spec.strip().lower()
    for pattern, implementation in _SPECS:
        match = pattern.match(text)
        if match:
            major, minor, thread = match.groups()
            return implementation, (int(major), int(minor)), bool(thread)
    return None


@cache
def _load(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
    return data


def recorded_interpreters(target: Target) -> list[Interpreter]:
    """Every interpreter recorded for the target's platform, oldest first."""
    path = data_file(target)
    data = _load(path)
    return [_interpreter(path, data, key, values)
            for key, values in data.get("interpreters", {}).items()]


def recorded_interpreter(target: Target, implementation: str, version: tuple[int, int],
                         free_threaded: bool = False) -> Interpreter | None:
    """The recorded interpreter of this kind and version, or None when none is recorded."""
    for interpreter in recorded_interpreters(target):
        if (interpreter.implementation, interpreter.minor_version,
                interpreter.free_threaded) == (implementation, version, free_threaded):
            return interpreter
    return None


def _interpreter(path: Path, data: dict[str, Any], key: str, values: dict[str, Any]
                 ) -> Interpreter:
    implementation, _, dotted = key.partition("-")
    major, minor = dotted.rstrip("t").split(".")
    return Interpreter(
        path=f"{path}#{key}", implementation=implementation,
        version=(int(major), int(minor), 0), abiflags=values["abiflags"],
        ext_suffix=values["ext_suffix"], soabi=values["soabi"],
        free_threaded=values["free_threaded"],
        platform=values.get("platform", data["platform"]),
        pointer_bits=data["pointer_bits"], executable="", base_executable="", prefix="",
        base_prefix="", recorded=True,
    )
