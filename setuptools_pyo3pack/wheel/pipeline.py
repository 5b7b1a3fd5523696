"""The core: from options to finished wheels. Front doors call `load_project` and `build_wheels`."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path

from .. import _process
from ..compile import cargo, cffi_glue, freshness, native_checks
from ..compile.select import WheelPlan, plan, platform_tag
from ..errors import ConfigError
from ..fs import Member, copy_into_tree
from ..platforms import tags
from ..project import metadata, python_sources
from ..project.bindings import Binding
from ..project.layout import PythonLayout
from ..project.project import Project
from . import layout
from .writer import WheelWriter


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
            from ..compile import zig

            call = zig.zigbuild(call, project.options.compatibility or project.tool.manylinux)
        artifacts += cargo.run(call, crate)
    return artifacts


def check_artifacts(project: Project, artifacts: list[Path]) -> None:
    if project.binding.binding.needs_interpreter:
        where = f"module-name in {project.tool.where}" if project.tool.module_name \
            else f"[lib] name in {project.crate.manifest_path}"
        for library in artifacts:
            native_checks.check_module_init(library, project.layout.module_name, where)


def native_members(project: Project, item: WheelPlan, artifacts: list[Path]) -> list[Member]:
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


def source_members(project: Project) -> list[Member]:
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
    members: list[Member],
    artifacts: list[Path],
    workdir: Path,
) -> tuple[tags.WheelTag, list[Member]]:
    """The manylinux/musllinux tag of a `linux_<arch>` wheel, grafting libraries if needed."""
    if not tag.platform.startswith("linux_"):
        return tag, members
    from ..audit.compat import parse_compatibility  # the audit only once a Linux wheel is tagged
    from ..audit.decide import AuditMode, parse_audit_mode
    from ..audit.repair import audit_native

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
        target=options.cargo.target,  # glibc or musl, when the binaries do not say (static)
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
    project: Project, item: WheelPlan, out_dir: Path, members: list[Member]
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


def dist_info_members(project: Project) -> list[Member]:
    """METADATA, entry_points.txt and license files: the same for a wheel and for
    `prepare_metadata_for_build_wheel`, so both give identical METADATA."""
    package_metadata = project.metadata
    members = [Member("METADATA", data=package_metadata.core.render())]
    entry_points = package_metadata.entry_points_text()
    if entry_points:
        members.append(Member("entry_points.txt", data=entry_points))
    members += [
        Member(f"licenses/{name}", source=source)
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
            target.write_bytes(member.read_bytes())
    return dist_info


def write_wheel(
    project: Project, path: Path, members: list[Member], wheel_tags: list[tags.WheelTag]
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
        wheel_file = Member("WHEEL", data=metadata.wheel_file(wheel_tags))
        for member in (metadata_file, wheel_file, *others):  # RECORD comes last, on close
            _add_member(wheel, dataclasses.replace(
                member, archive_name=f"{dist_info}/{member.archive_name}"))


def _add_member(wheel: WheelWriter, member: Member) -> None:
    if member.source is not None:
        wheel.add_file(member.archive_name, member.source, executable=member.executable)
    else:
        wheel.add_bytes(member.archive_name, member.read_bytes(), executable=member.executable)


def build_editable_wheel(project: Project, item: WheelPlan, out_dir: Path) -> Path:
    """A wheel whose Python code stays in the source tree, found through a `.pth` file.

    The native module is copied next to the Python sources, so `.py` edits are live and
    only Rust edits need another `develop`.
    """
    layout = project.layout
    data_prefix = f"{project.dist_stem}.data/"
    artifacts = compile_native(project, item)
    native = native_members(project, item, artifacts)
    in_tree = [m for m in native if not m.archive_name.startswith(data_prefix)]
    rules = python_sources.IgnoreRules(layout.project_root, project.tool.exclude)
    in_wheel = [m for m in native if m.archive_name.startswith(data_prefix)]
    in_wheel += python_sources.data_members(layout, data_prefix.rstrip("/"), rules)
    pth = f"{tags.normalize_dist_name(project.name)}.pth"
    in_wheel.append(Member(pth, data=f"{layout.python_root.resolve()}\n"))
    path = out_dir / tags.wheel_filename(project.name, project.version, item.tag)

    def key() -> str:  # includes the tree copies, so deleting one triggers a new copy
        state = [f"{m.archive_name}={freshness.file_state(layout.python_root / m.archive_name)}"
                 for m in in_tree]
        return freshness.fingerprint([*native, *in_wheel, *dist_info_members(project)],
                                     [str(item.tag), str(path), *state])

    stamp = freshness.stamp_for(project.crate.target_directory, "editable", str(path))
    if stamp.reusable(key()) is not None:
        return path
    check_artifacts(project, artifacts)
    for member in in_tree:
        destination = layout.python_root / member.archive_name
        if member.source is not None:
            copy_into_tree(member.source, destination)
        else:  # generated text, such as cffi's ffi.py and its loader
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(member.read_bytes())
    _hint_gitignore(layout, [m.archive_name for m in in_tree],
                    cffi=project.binding.binding is Binding.CFFI)
    write_wheel(project, path, in_wheel, [item.tag])
    stamp.record(key(), path)
    return path


def _hint_gitignore(layout: PythonLayout, generated: list[str], cffi: bool) -> None:
    """Name the ignore pattern for what develop wrote into the source tree."""
    root = layout.project_root.resolve()
    python_root = layout.python_root.resolve()
    if cffi:
        where = (python_root / layout.native_package).relative_to(root).as_posix()
        _process.log(f"generated {where}/: add `/{where}/` to .gitignore")
        return
    for name in generated:
        folder, _, filename = name.rpartition("/")
        stem = filename.split(".")[0]
        where = (python_root / folder).relative_to(root).as_posix()
        _process.log(f"generated {where}/{filename}: add `{where}/{stem}.*.so` to .gitignore")
