"""The core's view of each crate a setup.py builds, for the interpreter running setup.py.

Composes the core (load_project, plan, compile_native, native_members); no build logic here.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from ...compile.select import WheelPlan, plan, platform_tag
from ...config.settings import BuildOptions, CargoOptions
from ...fs import Member
from ...project.bindings import Binding
from ...project.layout import resolve as resolve_layout
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

    def cargo_options(self, crate: RustCrate, manifest: Path) -> CargoOptions:
        # in place: None lets [tool.pyo3-pack] profile decide, else cargo's `dev`
        profile = self.profile or crate.profile or (None if self.in_place else "release")
        return CargoOptions(
            manifest_path=manifest,
            profile=profile,
            target=self.target,
            features=tuple(dict.fromkeys(crate.features + self.features)),
        )


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
    manifest = (root / crate.path).absolute()
    options = BuildOptions(
        cargo=request.cargo_options(crate, manifest),
        bindings=crate.binding,
        interpreters=(sys.executable,),
        skip_audit=True,  # bdist_wheel audits the finished wheel, C extensions included
    )
    project = load_project(options)
    if crate.module is not None and crate.module != project.layout.module_name:
        module_layout = resolve_layout(
            project.layout.project_root,
            crate.module,
            python_source=project.tool.python_source,
            where=project.tool.where,
        )
        project = dataclasses.replace(project, layout=module_layout)
    (item,) = plan(project, platform_tag(project.options))
    return CrateBuild(project, item)


def planned_members(build: CrateBuild) -> list[Member]:
    """The files the crate will add, named before cargo runs (sources are placeholders)."""
    project = build.project
    if build.binding is Binding.CFFI:
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
    )


def compile_members(build: CrateBuild) -> list[Member]:
    """Run cargo and return the crate's files with their real sources."""
    artifacts = pipeline.compile_native(build.project, build.item)
    pipeline.check_artifacts(build.project, artifacts)
    return pipeline.native_members(build.project, build.item, artifacts)
