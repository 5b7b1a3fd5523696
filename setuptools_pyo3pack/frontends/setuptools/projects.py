"""The core's view of each crate a setup.py builds, for the interpreter running setup.py.

Composes the core (load_project, plan, compile_native, native_members); no build logic here.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...compile.native import check_artifacts, compile_native
from ...compile.select import WheelPlan, plan
from ...config.chain import values_source
from ...config.load import Configuration, load_configuration
from ...config.settings import Binding
from ...fs import Member
from ...project.project import Project, load_project
from ...wheel import layout, pipeline
from .crates import RustCrate


@dataclass(frozen=True)
class BuildRequest:
    """What the command line of `build_rust` (or the mode it runs in) asks for."""

    profile: str | None = None
    """`release` or `dev` from --release/--debug; None: the crate's, else the mode's default."""
    in_place: bool = False
    target: str | None = None
    features: tuple[str, ...] = ()

    def values(self, crate: RustCrate, manifest: Path) -> dict[str, Any]:
        """Settings the crate's `RustCrate(...)` and build_rust's flags give."""
        values: dict[str, Any] = {"cargo.manifest_path": manifest,
                                  "output.interpreters": (sys.executable,)}
        given = {"cargo.profile": self.profile or crate.profile, "cargo.target": self.target,
                 "layout.bindings": crate.binding, "layout.module_name": crate.module,
                 "cargo.features": tuple(dict.fromkeys(crate.features + self.features))}
        values.update({path: value for path, value in given.items() if value})
        return values

    def defaults(self) -> dict[str, Any]:
        """Wheels are built for release; in-place (editable) builds for a fast edit loop."""
        return {"cargo.profile": "dev" if self.in_place else "release"}


def configuration_for(crate: RustCrate, root: Path, request: BuildRequest) -> Configuration:
    door = values_source("RustCrate(...) in setup.py",
                         request.values(crate, (root / crate.path).absolute()), root)
    return load_configuration(door, request.defaults(), cwd=root)


@dataclass(frozen=True)
class CrateBuild:
    """One crate, loaded and planned for the running interpreter."""

    project: Project
    item: WheelPlan

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


def load(crate: RustCrate, root: Path, request: BuildRequest) -> CrateBuild:
    project = load_project(configuration_for(crate, root, request))
    (item,) = plan(project)
    return CrateBuild(project, item)


def planned_members(build: CrateBuild) -> list[Member]:
    """The files the crate will add, named before cargo runs (sources are placeholders)."""
    project = build.project
    if build.binding in (Binding.CFFI, Binding.UNIFFI):
        return []  # the library's file name is only known from cargo's answer
    if build.binding is Binding.BIN:
        artifacts = [Path(target.name) for target in project.crate.bins]
    else:
        artifacts = [Path("placeholder.so")]
    return layout.native_members(
        build.binding,
        layout=project.layout,
        data_dir=f"{project.dist_stem}.data",
        artifacts=artifacts,
        interpreter=build.item.interpreter,
        abi3=build.item.abi3,
        platform=project.platform,
    )


def compile_members(build: CrateBuild) -> list[Member]:
    """Run cargo and return the crate's files with their real sources."""
    artifacts = compile_native(build.project, build.item)
    check_artifacts(build.project, artifacts)
    return pipeline.native_members(build.project, build.item, artifacts)
