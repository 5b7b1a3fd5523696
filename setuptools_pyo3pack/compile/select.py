"""Which wheels to build: the interpreters the binding can serve, and each wheel's tag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import _process
from ..config.settings import Binding
from ..errors import ConfigError, InterpreterError
from ..platforms import tags
from ..platforms.interpreter import Interpreter
from ..project.project import Project
from . import interpreters


@dataclass(frozen=True)
class WheelPlan:
    """One wheel to build: for one interpreter, for the stable ABI, or for none."""

    interpreter: Interpreter | None
    tag: tags.WheelTag
    abi3: bool = False


def supported_interpreters(
    project: Project, candidates: Sequence[Interpreter], *, explicit: bool
) -> list[Interpreter]:
    """Drop interpreters the binding crate cannot build for, saying why."""
    usable = []
    for interpreter in candidates:
        reason = project.binding.why_unsupported(
            interpreter.implementation, interpreter.minor_version, interpreter.free_threaded
        ) or _outside_requires_python(project, interpreter)
        where = "" if interpreter.recorded else f" ({interpreter.path})"
        if reason is None:
            usable.append(interpreter)
        elif explicit:
            raise InterpreterError(f"cannot build for {interpreter.pretty_name}{where}: {reason}",
                                   hint="name another interpreter with -i")
        else:
            _process.log(f"skipping {interpreter.pretty_name}{where}: {reason}")
    return usable


def _outside_requires_python(project: Project, interpreter: Interpreter) -> str | None:
    """Why `requires-python` rules the interpreter out (pip would not install its wheel)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    wanted = project.metadata.core.requires_python
    if not wanted:
        return None
    try:
        spec = SpecifierSet(wanted)
    except InvalidSpecifier:
        return None  # reported where the metadata is read
    version = ".".join(map(str, interpreter.version))
    if spec.contains(version, prereleases=True):
        return None
    return f"the project's requires-python is `{wanted}`"


def select_interpreters(project: Project, specs: Sequence[str]) -> list[Interpreter]:
    if project.platform.cross:  # the target's interpreters cannot run here
        from .cross import cross_interpreters

        if project.binding.binding is Binding.RUST_CPYTHON:
            raise ConfigError(
                f"rust-cpython cannot be cross-compiled for {project.platform.target.description}"
                ": its build script runs the target's interpreter",
                hint="build on the target, or move the crate to pyo3")
        found = cross_interpreters(project.platform.target, specs)
    elif specs:
        found = interpreters.from_specs(specs)
    else:
        found, failures = interpreters.discover()
        for path, reason in failures:
            _process.log(f"skipping {path}: {reason}")
        found = interpreters.one_per_abi(found)
    usable = supported_interpreters(project, found, explicit=bool(specs))
    if not usable:
        binding = f"{project.binding.crate_name} {project.binding.crate_version or ''}"
        raise InterpreterError(
            f"no Python interpreter found that {binding.strip()} can build for",
            hint="install one, or pass -i /path/to/python",
        )
    return usable


def plan(project: Project) -> list[WheelPlan]:
    """One wheel per interpreter, one abi3 wheel, or one wheel for no interpreter at all.

    Binaries that link pyo3 embed an interpreter, so they are planned as pyo3 modules are."""
    platform = project.platform.platform_tag()
    choice = project.binding
    if not choice.needs_interpreter:
        return [WheelPlan(None, tags.universal_tag(platform))]
    chosen = select_interpreters(project, project.settings.output.interpreters)
    if not choice.is_abi3:
        return [WheelPlan(i, tags.interpreter_tag(i, platform)) for i in chosen]
    # the stable ABI is CPython's with the GIL: free-threaded CPython, PyPy and GraalPy get
    # a wheel of their own (pyo3 builds a version-specific module for them)
    stable = [i for i in chosen if i.implementation == "cpython" and not i.free_threaded]
    plans = [WheelPlan(i, tags.interpreter_tag(i, platform)) for i in chosen if i not in stable]
    if stable:
        builder = min(stable, key=lambda i: i.version)
        floor = choice.abi3 or builder.minor_version
        plans.insert(0, WheelPlan(builder, tags.abi3_tag(floor, platform), abi3=True))
    return plans
