"""The core's view of each crate a setup.py builds, for the interpreter running setup.py.

Composes the core (load_project, plan, compile_native, native_members); no build logic here.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...compile.native import compile_native
from ...compile.select import WheelPlan, plan
from ...config.load import Configuration, load_configuration
from ...config.settings import Binding
from ...config.sources import values_source
from ...errors import ConfigError
from ...fs import Member
from ...project.project import Project, load_project
from ...wheel import layout, pipeline
from ...wheel.audit_step import check_artifacts
from .crates import CrateSpec


@dataclass(frozen=True)
class BuildRequest:
    """What the command line of `build_rust` (or the mode it runs in) asks for."""

    profile: str | None = None
    """`release` or `dev` from --release/--debug; None: the crate's, else the mode's default."""
    in_place: bool = False
    target: str | None = None
    features: tuple[str, ...] = ()
    limited_api: bool | str = False
    """bdist_wheel's `py_limited_api` (`cp39`, or true): the stable ABI for `auto` entries."""

    def values(self, crate: CrateSpec, manifest: Path) -> dict[str, Any]:
        """Settings the crate's entry (RustCrate, RustExtension) and build_rust's flags give."""
        values: dict[str, Any] = {"cargo.manifest_path": manifest,
                                  "output.interpreters": (sys.executable,), **crate.values}
        features = (*crate.features, *self._abi3_features(crate), *self.features)
        given = {"cargo.profile": self.profile or crate.profile, "cargo.target": self.target,
                 "cargo.features": tuple(dict.fromkeys(features))}
        values.update({path: value for path, value in given.items() if value})
        return values

    def _abi3_features(self, crate: CrateSpec) -> tuple[str, ...]:
        wanted = self.limited_api if crate.limited_api == "auto" else crate.limited_api
        if not wanted:
            return ()
        limited = self.limited_api if isinstance(self.limited_api, str) else ""
        match = re.fullmatch(r"cp3(\d+)", limited)
        return (f"pyo3/abi3-py3{match.group(1)}",) if match else ("pyo3/abi3",)

    def defaults(self) -> dict[str, Any]:
        """Wheels are built for release; in-place (editable) builds for a fast edit loop."""
        return {"cargo.profile": "dev" if self.in_place else "release"}


def configuration_for(crate: CrateSpec, root: Path, request: BuildRequest) -> Configuration:
    manifest = (root / crate.path).absolute()
    door = values_source(f"{crate.label} in setup.py", request.values(crate, manifest), root,
                         labels=crate.labels)
    return load_configuration(door, request.defaults(), cwd=root)


@contextmanager
def cargo_environment(crate: CrateSpec) -> Iterator[None]:
    """The entry's `env` (and `quiet`) added to the environment cargo runs in."""
    saved = {name: os.environ.get(name) for name in crate.env}
    os.environ.update(crate.env)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass(frozen=True)
class CrateBuild:
    """One crate, loaded and planned for the running interpreter."""

    project: Project
    item: WheelPlan
    spec: CrateSpec

    @property
    def binding(self) -> Binding:
        return self.project.binding.binding

    @property
    def scripts_prefix(self) -> str:
        return f"{self.project.dist_stem}.data/scripts/"

    @property
    def top_level_in_place(self) -> bool:
        """A crate without Python package is importable in place as one top-level file."""
        module = self.project.layout
        return not module.mixed and "." not in module.module_name


def load(crate: CrateSpec, root: Path, request: BuildRequest) -> CrateBuild:
    with cargo_environment(crate):
        project = load_project(configuration_for(crate, root, request))
    if crate.bins is not None:
        project = _only_bins(project, crate)
    (item,) = plan(project)
    return CrateBuild(project, item, crate)


def _only_bins(project: Project, crate: CrateSpec) -> Project:
    """The crate as far as this entry is concerned: only the binaries it names."""
    by_name = {target.name: target for target in project.crate.bins}
    missing = [name for name in crate.bins or () if name not in by_name]
    if missing:
        have = ", ".join(sorted(by_name)) or "none"
        raise ConfigError(f"{crate.label}: crate `{project.crate.name}` has no binary "
                          f"`{missing[0]}` (its binaries: {have})",
                          hint=f"check the [[bin]] names in {project.crate.manifest_path}")
    bins = tuple(by_name[name] for name in crate.bins or ())
    return dataclasses.replace(project, crate=dataclasses.replace(project.crate, bins=bins))


def planned_members(build: CrateBuild) -> list[Member]:
    """The files the crate will add, named before cargo runs (sources are placeholders)."""
    project = build.project
    if build.binding in (Binding.CFFI, Binding.UNIFFI):
        return []  # the library's file name is only known from cargo's answer
    if build.binding is Binding.BIN:
        artifacts = [Path(target.name) for target in project.crate.bins]
    else:
        artifacts = [Path("placeholder.so")]
    return placed(build, layout.native_members(
        build.binding,
        layout=project.layout,
        data_dir=f"{project.dist_stem}.data",
        artifacts=artifacts,
        interpreter=build.item.interpreter,
        abi3=build.item.abi3,
        platform=project.platform,
    ))


def compile_members(build: CrateBuild) -> list[Member]:
    """Run cargo and return the crate's files with their real sources."""
    with cargo_environment(build.spec):
        artifacts = compile_native(build.project, build.item)
    check_artifacts(build.project, artifacts)
    return placed(build, pipeline.native_members(build.project, build.item, artifacts))


def placed(build: CrateBuild, members: list[Member]) -> list[Member]:
    """Binaries an entry puts inside a Python package (`Binding.Exec`), with their runners,
    or installs under another command name (`RustBin({"bin": "command"})`)."""
    spec = build.spec
    if not spec.bin_places and not spec.commands:
        return members
    result = []
    for member in members:
        folder, _, exe = member.archive_name.rpartition("/")
        place = spec.bin_places.get(exe)
        if place is None:
            command = spec.commands.get(exe)
            renamed = f"{folder}/{command}" if command else member.archive_name
            result.append(dataclasses.replace(member, archive_name=renamed))
            continue
        result.append(dataclasses.replace(member, archive_name=place))
        runner = spec.runners.get(exe)
        if runner is not None:
            result.append(Member(runner, data=runner_source(place.rsplit("/", 1)[-1])))
    return result


def runner_source(filename: str) -> str:
    """A module whose `run()` runs the binary next to it (for `script=True` entry points)."""
    return (
        "import os\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        "\n"
        "def run():\n"
        f'    exe = os.path.join(os.path.dirname(__file__), "{filename}")\n'
        "    sys.exit(subprocess.call([exe, *sys.argv[1:]]))\n"
    )
