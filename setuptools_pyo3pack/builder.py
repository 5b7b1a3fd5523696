"""The core: from options to finished wheels. Front doors call `load_project` and `build_wheels`."""

from __future__ import annotations

import dataclasses
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import _process, cargo, interpreters, layout, metadata, tags
from .bindings import Binding, BindingChoice, detect
from .config import Crate, read_crate
from .errors import ConfigError, InterpreterError
from .interpreters import Interpreter
from .settings import BuildOptions
from .wheelfile import WheelWriter


@dataclass(frozen=True)
class Project:
    crate: Crate
    binding: BindingChoice
    metadata: metadata.PackageMetadata

    @property
    def module_name(self) -> str:
        return self.crate.lib.name if self.crate.lib else tags.normalize_dist_name(self.name)

    @property
    def name(self) -> str:
        return self.metadata.core.name

    @property
    def version(self) -> str:
        return self.metadata.core.version

    @property
    def dist_stem(self) -> str:
        return f"{tags.normalize_dist_name(self.name)}-{self.version}"


@dataclass(frozen=True)
class WheelPlan:
    """One wheel to build: for one interpreter, for the stable ABI, or for none."""

    interpreter: Interpreter | None
    tag: tags.WheelTag
    abi3: bool = False


def load_project(options: BuildOptions) -> Project:
    crate = read_crate(options.cargo)
    binding = detect(crate, options.bindings)
    package_metadata = metadata.from_crate(crate)
    if binding.abi3 and package_metadata.core.requires_python is None:
        # an abi3-py39 wheel installs on any later CPython but never on an earlier one
        floor = f">={binding.abi3[0]}.{binding.abi3[1]}"
        core = dataclasses.replace(package_metadata.core, requires_python=floor)
        package_metadata = dataclasses.replace(package_metadata, core=core)
    for warning in package_metadata.warnings:
        _process.log(f"warning: {warning}")
    return Project(crate, binding, package_metadata)


def platform_tag(options: BuildOptions) -> str:
    if options.cargo.target:
        try:
            return tags.platform_tag_for_target(options.cargo.target)
        except ValueError:
            raise ConfigError(
                f"no wheel platform tag is known for target `{options.cargo.target}`",
                hint="build for a Linux target, or without --target",
            ) from None
    return tags.platform_tag(sysconfig.get_platform())


def supported_interpreters(
    project: Project, candidates: Sequence[Interpreter], *, explicit: bool
) -> list[Interpreter]:
    """Drop interpreters the binding crate cannot build for, saying why."""
    usable = []
    for interpreter in candidates:
        reason = project.binding.why_unsupported(
            interpreter.implementation, interpreter.minor_version, interpreter.free_threaded
        )
        if reason is None:
            usable.append(interpreter)
        elif explicit:
            raise InterpreterError(f"cannot build for {interpreter.pretty_name} "
                                   f"({interpreter.path}): {reason}")
        else:
            _process.log(f"skipping {interpreter.pretty_name} ({interpreter.path}): {reason}")
    return usable


def select_interpreters(project: Project, specs: Sequence[str]) -> list[Interpreter]:
    if specs:
        found = interpreters.from_specs(specs)
    else:
        found, failures = interpreters.discover()
        for path, reason in failures:
            _process.log(f"skipping {path}: {reason}")
        found = interpreters.one_per_abi(found)
    usable = supported_interpreters(project, found, explicit=bool(specs))
    if not usable:
        raise InterpreterError(
            f"no Python interpreter found that {project.binding.binding.value} "
            f"{project.binding.crate_version or ''} can build for".replace("  ", " "),
            hint="install one, or pass -i /path/to/python",
        )
    return usable


def plan(project: Project, options: BuildOptions, platform: str) -> list[WheelPlan]:
    choice = project.binding
    if not choice.binding.needs_interpreter:
        return [WheelPlan(None, tags.universal_tag(platform))]
    chosen = select_interpreters(project, options.interpreters)
    if choice.is_abi3:
        cpythons = [i for i in chosen if i.implementation == "cpython"]
        if not cpythons:
            raise InterpreterError("an abi3 wheel needs a CPython interpreter to build with")
        floor = choice.abi3 or cpythons[0].minor_version
        builder = min(cpythons, key=lambda i: i.version)
        return [WheelPlan(builder, tags.abi3_tag(floor, platform), abi3=True)]
    return [WheelPlan(i, tags.interpreter_tag(i, platform)) for i in chosen]


def build_wheels(project: Project, options: BuildOptions) -> list[Path]:
    out_dir = options.out_dir or project.crate.target_directory / "wheels"
    return [build_wheel(project, options, item, out_dir) for item in plan(
        project, options, platform_tag(options))]


def build_wheel(project: Project, options: BuildOptions, item: WheelPlan, out_dir: Path) -> Path:
    artifacts = _compile(project, options, item)
    members = layout.members_for(
        project.binding.binding,
        module=project.module_name,
        data_dir=f"{project.dist_stem}.data",
        artifacts=artifacts,
        interpreter=item.interpreter,
        abi3=item.abi3,
    )
    path = out_dir / tags.wheel_filename(project.name, project.version, item.tag)
    write_wheel(project, path, members, [item.tag], compress=options.compress)
    _process.log(f"wrote {path}")
    return path


def _compile(project: Project, options: BuildOptions, item: WheelPlan) -> list[Path]:
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
    # one cargo call for the library, or one per binary
    targets: list[str | None] = [None]
    if project.binding.binding is Binding.BIN:
        targets = [b.name for b in crate.bins]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, options.cargo, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir)
        artifacts += cargo.run(call, crate)
    return artifacts


def write_wheel(
    project: Project,
    path: Path,
    members: list[layout.Member],
    wheel_tags: list[tags.WheelTag],
    *,
    compress: bool = True,
) -> None:
    dist_info = f"{project.dist_stem}.dist-info"
    package_metadata = project.metadata
    with WheelWriter(path, dist_info, compress=compress) as wheel:
        for member in sorted(members, key=lambda m: m.archive_name):
            if member.source is not None:
                wheel.add_file(member.archive_name, member.source, executable=member.executable)
            else:
                wheel.add_bytes(member.archive_name, member.text or "",
                                executable=member.executable)
        wheel.add_bytes(f"{dist_info}/METADATA", package_metadata.core.render())
        wheel.add_bytes(f"{dist_info}/WHEEL", metadata.wheel_file(wheel_tags))
        entry_points = metadata.entry_points_file(package_metadata.console_scripts)
        if entry_points:
            wheel.add_bytes(f"{dist_info}/entry_points.txt", entry_points)
        for name, source in sorted(package_metadata.license_sources.items()):
            wheel.add_file(f"{dist_info}/licenses/{name}", source, executable=False)
