"""The one wheel pipeline: plan -> compile -> members -> audit -> destination.

`build_wheel` makes a normal wheel or, with `editable=True`, a wheel whose Python code stays
in the source tree (found through a `.pth` file) and whose native module is written next to
it. Front doors call `build_wheels` (every planned wheel) or `build_wheel` (one plan item).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _process
from ..compile import freshness
from ..compile.native import compile_native, ffi_source, generated_stubs, uniffi_modules
from ..compile.select import WheelPlan, plan
from ..config.settings import Binding
from ..errors import ConfigError
from ..fs import Member, scratch_folder, size_label
from ..platforms.tags import WheelTag, normalize_dist_name, wheel_filename
from ..project import python_sources
from ..project.project import Project
from . import layout
from .audit_step import audited, check_artifacts
from .destinations import Folder, ZipWheel, add_all
from .dist_info import dist_info_members, dist_info_name


def build_wheels(project: Project) -> list[Path]:
    """Every wheel the project's settings ask for, into `project.wheel_dir`."""
    return [path for _, path in build_planned(project)]


def build_planned(project: Project) -> list[tuple[WheelPlan, Path]]:
    """`build_wheels` with the plan item each wheel was built for; with several, each
    step's status lines start with "[2/5] cp312"."""
    items = plan(project)
    target = project.platform.target.description
    _process.log(f"{project.name} {project.version} for {target}: "
                 + ", ".join(_label(item) for item in items))
    built = []
    for index, item in enumerate(items, 1):
        with _process.step(index, len(items), _label(item)):
            built.append((item, build_wheel(project, item, project.wheel_dir)))
    return built


def _label(item: WheelPlan) -> str:
    """What a step is for, as short as its tag: cp312, cp313t, cp38-abi3, py3."""
    if item.abi3:
        return f"{item.tag.python}-abi3"
    thread = "t" if item.interpreter is not None and item.interpreter.free_threaded else ""
    return f"{item.tag.python}{thread}"


def native_members(project: Project, item: WheelPlan, artifacts: list[Path], *,
                   with_stubs: bool = False) -> list[Member]:
    """cargo's artifacts (and cffi's or uniffi's glue, and generated type stubs when asked)
    as members, named where they go in the wheel."""
    return layout.native_members(
        project.binding.binding,
        layout=project.layout,
        data_dir=f"{project.dist_stem}.data",
        artifacts=artifacts,
        interpreter=item.interpreter,
        abi3=item.abi3,
        platform=project.platform,
        ffi_source=ffi_source(project),
        uniffi=uniffi_modules(project, artifacts),
        stubs=generated_stubs(project, artifacts) if with_stubs else None,
    )


@dataclass(frozen=True)
class Parts:
    """A wheel's members, split by where they go."""

    packed: list[Member]
    """Into the wheel archive (before the .dist-info files)."""
    in_tree: list[Member]
    """Into the source tree, below the python root (editable wheels only)."""


def parts(project: Project, natives: list[Member], *, editable: bool) -> Parts:
    sources = python_sources.source_members(
        project, data_prefix=f"{project.dist_stem}.data", editable=editable)
    if not editable:
        return Parts([*natives, *sources], [])
    data_prefix = f"{project.dist_stem}.data/"
    pth = Member(f"{normalize_dist_name(project.name)}.pth",
                 data=f"{project.layout.python_root.resolve()}\n")
    in_wheel = [m for m in natives if m.archive_name.startswith(data_prefix)]
    in_tree = [m for m in natives if not m.archive_name.startswith(data_prefix)]
    return Parts([*in_wheel, *sources, pth], in_tree)


def build_wheel(project: Project, item: WheelPlan, out_dir: Path, *, editable: bool = False,
                compress: bool = True) -> Path:
    """Compile, collect, audit and write one wheel; an unchanged wheel is reused."""
    if editable and project.platform.cross:
        raise ConfigError(f"an editable install runs here, so it cannot be built for "
                          f"`{project.platform.target.description}`",
                          hint="build a wheel with --target, or install without it")
    if project.settings.cargo.pgo and not editable:
        from .pgo_build import profile_guided_artifacts

        artifacts = profile_guided_artifacts(project, item, write_unaudited)
    else:
        if project.settings.cargo.pgo:
            _process.log("skipping PGO: editable builds are not optimized with a profile")
        artifacts = compile_native(project, item)
    natives = native_members(project, item, artifacts, with_stubs=not editable)
    split = parts(project, natives, editable=editable)
    stamp, key = _wheel_stamp(project, item, out_dir, split, editable=editable,
                              compress=compress)
    unchanged = stamp.reusable(key)
    if unchanged is not None:
        _process.log(f"unchanged {_described(unchanged)}")
        return unchanged
    check_artifacts(project, artifacts)
    with scratch_folder("pyo3-pack-repair-") as workdir:
        tag, packed = item.tag, split.packed
        if not editable:  # an editable wheel only ever runs on this machine
            tag, packed = audited(project, item.tag, packed, artifacts, workdir)
        # the wheel first: an output folder that cannot take it must leave the tree as it was
        path = write_wheel(project, out_dir, packed, [tag], compress=compress)
        if split.in_tree:
            try:
                write_in_tree(project, split.in_tree)
            except BaseException:
                path.unlink(missing_ok=True)
                raise
    stamp.record(_wheel_stamp(project, item, out_dir, split, editable=editable,
                              compress=compress)[1], path)
    _process.log(f"wrote {_described(path)}")
    return path


def _described(wheel: Path) -> str:
    """A wheel's path, size and tags, for the status line that says where it went."""
    tags = "-".join(wheel.stem.split("-")[-3:])
    return f"{_shown(wheel)} ({size_label(wheel)}, {tags})"


def _shown(path: Path) -> str:
    """Relative to the working folder when inside it: shorter, and what was typed."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_unaudited(project: Project, item: WheelPlan, artifacts: list[Path], out_dir: Path
                    ) -> Path:
    """A plain wheel of `artifacts` for this machine only (PGO's instrumented build)."""
    packed = parts(project, native_members(project, item, artifacts), editable=False).packed
    return write_wheel(project, out_dir, packed, [item.tag])


def write_wheel(project: Project, out_dir: Path, members: Sequence[Member],
                tags: list[WheelTag], *, compress: bool = True) -> Path:
    path = out_dir / wheel_filename(project.name, project.version, tags[0])
    with ZipWheel(path, dist_info_name(project), dist_info_members(project, tags),
                  compress=compress) as wheel:
        add_all(wheel, members)
    return path


def write_in_tree(project: Project, members: list[Member]) -> None:
    """The native module (or cffi package) next to the Python sources, for editable use."""
    add_all(Folder(project.layout.python_root), members)
    _hint_gitignore(project, [m.archive_name for m in members])


def _wheel_stamp(project: Project, item: WheelPlan, out_dir: Path, split: Parts, *,
                 editable: bool, compress: bool) -> tuple[freshness.Stamp, str]:
    """Where the last build of this wheel is remembered, and what it must match. The
    state of in-tree copies is part of the key, so deleting one brings it back."""
    python_root = project.layout.python_root
    in_tree = [f"{m.archive_name}={freshness.file_state(python_root / m.archive_name)}"
               for m in split.in_tree]
    key = freshness.fingerprint(
        [*split.packed, *split.in_tree, *dist_info_members(project, [item.tag])],
        [str(item.tag), str(out_dir.absolute()), str(compress), str(editable),
         repr(project.settings.audit), str(project.settings.cargo.zig), *in_tree],
    )
    identity = f"{out_dir.absolute()}|{item.tag}|{'editable' if editable else 'wheel'}"
    return freshness.stamp_for(project.crate.target_directory, "wheel", identity), key


def _hint_gitignore(project: Project, generated: list[str]) -> None:
    """Name the ignore pattern for what an editable build wrote into the source tree."""
    layout_ = project.layout
    root = layout_.project_root.resolve()
    python_root = layout_.python_root.resolve()
    if project.binding.binding in (Binding.CFFI, Binding.UNIFFI):  # a generated package
        where = (python_root / layout_.native_package).relative_to(root).as_posix()
        _process.log(f"generated {where}/: add `/{where}/` to .gitignore")
        return
    for name in generated:
        folder, _, filename = name.rpartition("/")
        stem = filename.split(".")[0]
        where = (python_root / folder).relative_to(root).as_posix()
        _process.log(f"generated {where}/{filename}: add `{where}/{stem}.*.so` to .gitignore")
