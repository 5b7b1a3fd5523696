"""Which interpreters a cross build is for: versions, answered from recorded sysconfig data.

When the target's interpreters cannot run here, `-i 3.12`, `-i cp312` or `-i python3.12` mean
"CPython 3.12 on the target"; a path names an interpreter of this machine, whose version is
meant. Without `-i` the build is for the versions of the interpreters found here.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import _process
from ..errors import InterpreterError
from ..platforms.interpreter import Interpreter
from ..platforms.recorded import (
    data_file,
    parse_version_spec,
    recorded_interpreter,
    recorded_interpreters,
)
from ..platforms.target import Target
from . import interpreters

Wanted = tuple[str, tuple[int, int], bool]


def wanted_version(spec: str) -> Wanted:
    """What a `-i` argument asks for: a version as written, or the version of the named
    interpreter of this machine."""
    parsed = parse_version_spec(spec)
    if parsed is not None:
        return parsed
    found = interpreters.from_specs([spec])[0]
    return found.implementation, found.minor_version, found.free_threaded


def cross_interpreters(target: Target, specs: Sequence[str]) -> list[Interpreter]:
    """The recorded interpreters of `target` for `specs` (or for what is installed here)."""
    if specs:
        wanted = [wanted_version(spec) for spec in specs]
    else:
        found, _ = interpreters.discover()
        wanted = [(i.implementation, i.minor_version, i.free_threaded)
                  for i in interpreters.one_per_abi(found)]
        shown = ", ".join(f"{_name(w)}" for w in wanted) or "none"
        _process.log(f"cross-compiling for {target.description}: for the versions found on "
                     f"this machine ({shown}); -i 3.X names others")
    chosen: list[Interpreter] = []
    for implementation, version, free_threaded in dict.fromkeys(wanted):
        interpreter = recorded_interpreter(target, implementation, version, free_threaded)
        if interpreter is not None:
            chosen.append(interpreter)
            continue
        reason = (f"no sysconfig values of {_name((implementation, version, free_threaded))} "
                  f"for {target.description} are recorded")
        if specs:
            raise InterpreterError(reason, hint=f"recorded: {known(target)}")
        _process.log(f"skipping {_name((implementation, version, free_threaded))}: {reason}")
    return chosen


def known(target: Target) -> str:
    """The recorded interpreters of a target, for messages."""
    names = [i.pretty_name.split(" for ")[0] for i in recorded_interpreters(target)]
    return ", ".join(names) or f"nothing ({data_file(target).name} is missing)"


def _name(wanted: Wanted) -> str:
    implementation, (major, minor), free_threaded = wanted
    pretty = {"cpython": "CPython", "pypy": "PyPy"}.get(implementation, implementation)
    return f"{pretty} {major}.{minor}{'t' if free_threaded else ''}"
