"""The core: from options to finished wheels. Front doors call `load_project` and `build_wheels`."""

from __future__ import annotations

import dataclasses
import shutil
import sysconfig
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import (
    _process,
    cargo,
    cffi_glue,
    freshness,
    interpreters,
    layout,
    metadata,
    native_checks,
    python_sources,
    tags,
    tool_options,
)
from .bindings import Binding, BindingChoice, detect
from .config import Crate, read_crate
from .errors import ConfigError, InterpreterError
from .interpreters import Interpreter
from .python_sources import PythonLayout
from .settings import BuildOptions
from .tool_options import ToolOptions
from .wheelfile import WheelWriter


@dataclass(frozen=True)
class Project:
    """Everything known about the project before cargo runs."""

    crate: Crate
    binding: BindingChoice
    metadata: metadata.PackageMetadata
    layout: PythonLayout
    tool: ToolOptions
    options: BuildOptions
    """The command line's options merged over the pyproject.toml ones."""

    @property
    def name(self) -> str:
        return self.metadata.core.name

    @property
    def version(self) -> str:
        return self.metadata.core.version

    @property
    def dist_stem(self) -> str:
        return f"{tags.normalize_dist_name(self.name)}-{self.version}"

    @property
    def wheel_dir(self) -> Path:
        """Where built files go: `-o`, else `<cargo target dir>/wheels`."""
        return self.options.out_dir or self.crate.target_directory / "wheels"

    @property
    def has_build_system(self) -> bool:
        return self.build_system is not None

    build_system: dict[str, Any] | None = None
    """pyproject.toml's [build-system] table, when there is one."""


@dataclass(frozen=True)
class WheelPlan:
    """One wheel to build: for one interpreter, for the stable ABI, or for none."""

    interpreter: Interpreter | None
    tag: tags.WheelTag
    abi3: bool = False


def merge_options(cli: BuildOptions, tool: ToolOptions) -> BuildOptions:
    """Command-line options win; lists (features, extra args) add up, file first."""
    ours = cli.cargo
    manifest = ours.manifest_path
    if manifest is None and tool.manifest_path and tool.pyproject is not None:
        manifest = tool.pyproject.parent / tool.manifest_path
    profile = ours.profile
    if profile is None and not ours.release:
        profile = tool.profile
    merged = dataclasses.replace(
        ours,
        manifest_path=manifest,
        profile=profile,
        strip=ours.strip or tool.strip,
        features=tuple(dict.fromkeys(tool.features + ours.features)),
        all_features=ours.all_features or tool.all_features,
        no_default_features=ours.no_default_features or tool.no_default_features,
        cargo_extra_args=tool.cargo_extra_args + ours.cargo_extra_args,
        rustc_extra_args=tool.rustc_extra_args + ours.rustc_extra_args,
    )
    return dataclasses.replace(cli, cargo=merged, bindings=cli.bindings or tool.bindings,
                               zig=cli.zig or tool.zig)


def load_project(cli_options: BuildOptions) -> Project:
    tool, pyproject, warnings = tool_options.load(cli_options.cargo.manifest_path, Path.cwd())
    options = merge_options(cli_options, tool)
    crate = read_crate(options.cargo)
    binding = detect(crate, options.bindings)
    package_metadata = metadata.from_crate(crate)
    if "project" in pyproject and tool.pyproject is not None:
        from .pyproject_metadata import apply_project_table

        package_metadata = apply_project_table(
            package_metadata, pyproject["project"], root=tool.pyproject.parent,
            pyproject=tool.pyproject,
        )
    if binding.binding is Binding.CFFI:
        package_metadata = _require(package_metadata, "cffi")
    if binding.abi3 and package_metadata.core.requires_python is None:
        # an abi3-py39 wheel installs on any later CPython but never on an earlier one
        floor = f">={binding.abi3[0]}.{binding.abi3[1]}"
        core = dataclasses.replace(package_metadata.core, requires_python=floor)
        package_metadata = dataclasses.replace(package_metadata, core=core)
    project_root = tool.pyproject.parent if tool.pyproject else crate.root
    module_name = tool.module_name or (
        crate.lib.name if crate.lib else tags.normalize_dist_name(crate.name)
    )
    python_layout = python_sources.resolve(
        project_root,
        module_name,
        python_source=tool.python_source,
        python_packages=tool.python_packages,
        data=tool.data,
        where=tool.where,
    )
    for warning in [*warnings, *package_metadata.warnings]:
        _process.log(f"warning: {warning}")
    return Project(crate, binding, package_metadata, python_layout, tool, options,
                   pyproject.get("build-system"))


def _require(package_metadata: metadata.PackageMetadata, name: str) -> metadata.PackageMetadata:
    """Add a runtime requirement unless the project already names that distribution."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    names = {canonicalize_name(Requirement(r).name) for r in package_metadata.core.requires_dist}
    if canonicalize_name(name) in names:
        return package_metadata
    core = package_metadata.core
    core = dataclasses.replace(core, requires_dist=(*core.requires_dist, name))
    return dataclasses.replace(package_metadata, core=core)


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
        binding = f"{project.binding.binding.value} {project.binding.crate_version or ''}"
        raise InterpreterError(
            f"no Python interpreter found that {binding.strip()} can build for",
            hint="install one, or pass -i /path/to/python",
        )
    return usable


def plan(project: Project, platform: str) -> list[WheelPlan]:
    choice = project.binding
    if not choice.binding.needs_interpreter:
        return [WheelPlan(None, tags.universal_tag(platform))]
    chosen = select_interpreters(project, project.options.interpreters)
    if choice.is_abi3:
        cpythons = [i for i in chosen if i.implementation == "cpython"]
        if not cpythons:
            raise InterpreterError("an abi3 wheel needs a CPython interpreter to build with")
        builder = min(cpythons, key=lambda i: i.version)
        floor = choice.abi3 or builder.minor_version
        return [WheelPlan(builder, tags.abi3_tag(floor, platform), abi3=True)]
    return [WheelPlan(i, tags.interpreter_tag(i, platform)) for i in chosen]


def build_wheels(project: Project) -> list[Path]:
    items = plan(project, platform_tag(project.options))
    return [build_wheel(project, item, project.wheel_dir) for item in items]


def compile_native(project: Project, item: WheelPlan) -> list[Path]:
    """Run cargo: one call for the library, or one per binary. Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
    targets: list[str | None] = [None]
    if project.binding.binding is Binding.BIN:
        targets = [b.name for b in crate.bins]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, project.options.cargo, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir)
        if project.options.zig:
            from . import zig

            call = zig.zigbuild(call, project.options.compatibility or project.tool.manylinux)
        artifacts += cargo.run(call, crate)
    return artifacts


def check_artifacts(project: Project, artifacts: list[Path]) -> None:
    if project.binding.binding.needs_interpreter:
        where = f"module-name in {project.tool.where}" if project.tool.module_name \
            else f"[lib] name in {project.crate.manifest_path}"
        for library in artifacts:
            native_checks.check_module_init(library, project.layout.module_name, where)


def native_members(project: Project, item: WheelPlan, artifacts: list[Path]) -> list[layout.Member]:
    ffi_source = None
    if project.binding.binding is Binding.CFFI:
        with tempfile.TemporaryDirectory(prefix="pyo3-pack-header-") as tmp:
            header = cffi_glue.header_for(project.crate, Path(tmp))
            module = project.layout.native_package.replace("/", ".")
            ffi_source = cffi_glue.ffi_module(header, f"{module}.ffi")
    return layout.native_members(
        project.binding.binding,
        layout=project.layout,
        data_dir=f"{project.dist_stem}.data",
        artifacts=artifacts,
        interpreter=item.interpreter,
        abi3=item.abi3,
        ffi_source=ffi_source,
    )


def source_members(project: Project) -> list[layout.Member]:
    """The project's own files: Python packages, `include` globs, the data folder."""
    rules = python_sources.IgnoreRules(project.layout.project_root, project.tool.exclude)
    generated: tuple[str, ...] = ()
    if project.binding.binding is Binding.CFFI:
        generated = (project.layout.native_package + "/",)  # develop writes it into the tree
    return [
        *python_sources.python_members(project.layout, rules, generated),
        *python_sources.include_members(project.layout, project.tool.include),
        *python_sources.data_members(project.layout, f"{project.dist_stem}.data", rules),
    ]


def audited(
    project: Project,
    tag: tags.WheelTag,
    members: list[layout.Member],
    artifacts: list[Path],
    workdir: Path,
) -> tuple[tags.WheelTag, list[layout.Member]]:
    """The manylinux/musllinux tag of a `linux_<arch>` wheel, grafting libraries if needed."""
    if not tag.platform.startswith("linux_"):
        return tag, members
    from .audit.compat import parse_compatibility  # pyelftools only once a Linux wheel is tagged
    from .audit.decide import AuditMode, parse_audit_mode
    from .audit.repair import audit_native

    options = project.options
    wanted = options.compatibility or project.tool.manylinux
    chosen = options.auditwheel or project.tool.auditwheel
    mode = parse_audit_mode(chosen) if chosen else AuditMode.REPAIR
    if options.skip_audit or project.tool.skip_auditwheel:
        mode = AuditMode.SKIP
    outcome = audit_native(
        members, artifacts, mode=mode,
        requested=parse_compatibility(wanted) if wanted else None,
        dist_name=project.name, arch=tag.platform[len("linux_"):], workdir=workdir,
    )
    return dataclasses.replace(tag, platform=outcome.platform_tag), list(outcome.members)


def build_wheel(project: Project, item: WheelPlan, out_dir: Path) -> Path:
    artifacts = compile_native(project, item)
    members = native_members(project, item, artifacts) + source_members(project)
    stamp, key = _wheel_stamp(project, item, out_dir, members)
    unchanged = stamp.reusable(key)
    if unchanged is not None:
        _process.log(f"unchanged {unchanged}")
        return unchanged
    check_artifacts(project, artifacts)
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-repair-") as workdir:
        tag, members = audited(project, item.tag, members, artifacts, Path(workdir))
        path = out_dir / tags.wheel_filename(project.name, project.version, tag)
        write_wheel(project, path, members, [tag])
    stamp.record(key, path)
    _process.log(f"wrote {path}")
    return path


def _wheel_stamp(
    project: Project, item: WheelPlan, out_dir: Path, members: list[layout.Member]
) -> tuple[freshness.Stamp, str]:
    """Where the last build of this wheel is remembered, and what it must match."""
    options = project.options
    key = freshness.fingerprint(
        [*members, *dist_info_members(project)],
        [str(item.tag), str(out_dir.absolute()), str(options.compress),
         str(options.compatibility or project.tool.manylinux), str(options.skip_audit),
         str(project.tool.skip_auditwheel), str(options.auditwheel or project.tool.auditwheel),
         str(options.zig)],
    )
    identity = f"{out_dir.absolute()}|{item.tag}"
    return freshness.stamp_for(project.crate.target_directory, "wheel", identity), key


def dist_info_members(project: Project) -> list[layout.Member]:
    """METADATA, entry_points.txt and license files: the same for a wheel and for
    `prepare_metadata_for_build_wheel`, so both give identical METADATA."""
    package_metadata = project.metadata
    members = [layout.Member("METADATA", text=package_metadata.core.render())]
    entry_points = package_metadata.entry_points_text()
    if entry_points:
        members.append(layout.Member("entry_points.txt", text=entry_points))
    members += [
        layout.Member(f"licenses/{name}", source=source)
        for name, source in sorted(package_metadata.license_sources.items())
    ]
    return members


def write_metadata(project: Project, directory: Path) -> Path:
    """The `.dist-info` folder alone, as PEP 517's metadata hooks want it."""
    dist_info = directory / f"{project.dist_stem}.dist-info"
    for member in dist_info_members(project):
        target = dist_info / member.archive_name
        target.parent.mkdir(parents=True, exist_ok=True)
        if member.source is not None:
            shutil.copyfile(member.source, target)
        else:
            target.write_text(member.text or "", encoding="utf-8")
    return dist_info


def write_wheel(
    project: Project, path: Path, members: list[layout.Member], wheel_tags: list[tags.WheelTag]
) -> None:
    dist_info = f"{project.dist_stem}.dist-info"
    seen: set[str] = set()
    with WheelWriter(path, dist_info, compress=project.options.compress) as wheel:
        for member in sorted(members, key=lambda m: m.archive_name):
            if member.archive_name in seen:
                raise ConfigError(f"two files want the same place in the wheel: "
                                  f"{member.archive_name}", hint="check include and data")
            seen.add(member.archive_name)
            _add_member(wheel, member)
        (metadata_file, *others) = dist_info_members(project)
        wheel_file = layout.Member("WHEEL", text=metadata.wheel_file(wheel_tags))
        for member in (metadata_file, wheel_file, *others):  # RECORD comes last, on close
            _add_member(wheel, dataclasses.replace(
                member, archive_name=f"{dist_info}/{member.archive_name}"))


def _add_member(wheel: WheelWriter, member: layout.Member) -> None:
    if member.source is not None:
        wheel.add_file(member.archive_name, member.source, executable=member.executable)
    else:
        wheel.add_bytes(member.archive_name, member.text or "", executable=member.executable)
