"""Every member of a project's sdist: its crates as cargo lists them (manifests rewritten),
Cargo.lock, the Python sources the wheel packs, and the files the metadata names."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .. import _process
from .._version import __version__
from ..config.settings import SdistGenerator
from ..errors import ConfigError
from ..fs import Member
from ..project import python_sources
from ..project.cargo_metadata import run_cargo_metadata
from ..project.project import Project
from .crates import (
    LocalCrate,
    find_workspace,
    inside,
    local_crates,
    relocated,
    workspace_profiles,
)
from .manifest import ManifestPlan, rewrite_manifest

#: What cargo lists that the sdist replaces (manifest, lock file) or must not carry.
_CARGO_REPLACED = {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"}
_NEVER = {".git", ".hg", "__pycache__"}
DEFAULT_PYPROJECT = (
    "[build-system]\n"
    f'requires = ["setuptools-pyo3pack>={__version__}"]\n'
    'build-backend = "setuptools_pyo3pack.build_meta"\n'
)


def _posix(*parts: str) -> str:
    return str(PurePosixPath(*[p for p in parts if p]))


def _git_root(folder: Path) -> Path | None:
    return next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)


class _Collector:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.root = Path(os.path.realpath(project.layout.project_root))
        self.members: dict[str, Member] = {}
        self.rules = python_sources.IgnoreRules(self.root, project.settings.layout.exclude,
                                                archive="sdist")
        self.python_root = Path(os.path.realpath(project.layout.python_root))

    def add(self, member: Member) -> None:
        name = member.archive_name
        known = self.members.get(name)
        if known is not None and known != member:
            raise ConfigError(f"two files want the same place in the sdist: {name} "
                              f"({known.source or 'generated'} and "
                              f"{member.source or 'generated'})",
                              hint="check include and the Cargo.toml files")
        self.members[name] = member

    def add_path(self, name: str, source: Path, roots: Iterable[Path]) -> None:
        """A file from disk, unless the packing rules leave it out."""
        parts = PurePosixPath(name).parts
        if any(part in _NEVER for part in parts) or name.endswith((".pyc", ".pyo")):
            return
        if name == "PKG-INFO":
            return  # an unpacked sdist's own: it is written anew from the metadata
        on_disk = self.root / name
        if not name.startswith("local/") and self.rules.ignored(on_disk):
            return
        real = Path(os.path.realpath(source))
        if not inside(real, roots):
            # leaving it out would make an sdist whose wheel differs from the tree's
            raise ConfigError(f"{source} is a symlink to {real}, outside the project, so the "
                              "sdist cannot carry it",
                              hint="copy the file into the project, or leave it out with "
                              "`exclude` in [tool.pyo3-pack]")
        if on_disk.is_relative_to(self.python_root) and python_sources.is_generated_native(
            on_disk.relative_to(self.python_root).as_posix(), self.project.layout
        ):
            return
        self.add(Member(name, source, executable=bool(source.stat().st_mode & 0o111)))


def collect(project: Project) -> list[Member]:
    """Every member of the project's sdist (names below the prefix), sorted."""
    collector = _Collector(project)
    root = collector.root
    crate_root = Path(os.path.realpath(project.crate.root))
    if not inside(crate_root, [root]):
        raise ConfigError(f"the crate {crate_root} is outside {root}, the folder of "
                          "pyproject.toml, so an sdist cannot hold both",
                          hint="move pyproject.toml to a folder that holds the crate")
    if project.settings.layout.sdist_generator is SdistGenerator.GIT:
        _add_git_files(collector)
    else:
        _add_crates(collector, crate_root)
    _add_python(collector)
    _add_metadata_files(collector, project)
    pyproject = root / "pyproject.toml"
    if project.pyproject is not None and pyproject.is_file():
        collector.add(Member("pyproject.toml", pyproject))
    else:
        collector.add(Member("pyproject.toml", data=DEFAULT_PYPROJECT))
    collector.add(Member("PKG-INFO", data=project.metadata.core.render()))
    return sorted(collector.members.values(), key=lambda m: m.archive_name)


def _add_git_files(collector: _Collector) -> None:
    """`sdist-generator = "git"`: the files git tracks below the project folder, as they are
    (manifests unchanged; path dependencies must be inside)."""
    listing = _process.run_captured(
        ["git", "ls-files", "-z", "--cached", "--", "."], cwd=collector.root,
        what=f"listing the files of {collector.root} with git ls-files",
        hint='run it in a git checkout, or use sdist-generator = "cargo"')
    for relative in sorted(name for name in listing.split("\0") if name):
        source = collector.root / relative
        if source.is_file():
            collector.add_path(relative, source, [collector.root])


def _add_crates(collector: _Collector, crate_root: Path) -> None:
    """The crate and its local path dependencies as cargo lists their files, manifests
    rewritten so the sdist builds on its own, and the workspace's Cargo.lock."""
    root = collector.root
    # every feature's path dependencies belong in the sdist, whatever this build enables
    metadata = run_cargo_metadata(collector.project.crate.manifest_path,
                                  ["--all-features", *collector.project.settings.manifest_args])
    workspace_root = Path(os.path.realpath(metadata.workspace_root))
    allowed = [root, workspace_root]
    git_root = _git_root(root)
    if git_root is not None:
        allowed.append(Path(os.path.realpath(git_root)))
    crates = local_crates(metadata, crate_root, root, allowed)
    allowed += [crate.folder for crate in crates]  # files of crates packed from outside
    for crate in crates:
        _add_crate(collector, crate, crates, allowed)
    lock = workspace_root / "Cargo.lock"
    if lock.is_file():
        collector.add(Member(_posix(crates[0].dest, "Cargo.lock"), lock))


def _add_crate(collector: _Collector, crate: LocalCrate, crates: list[LocalCrate],
               allowed: list[Path]) -> None:
    listing = _process.run_captured(
        ["cargo", "package", "--list", "--allow-dirty", "--manifest-path",
         str(crate.folder / "Cargo.toml")],
        what=f"listing the files of {crate.folder} with cargo package --list",
        hint="fix the crate's include/exclude settings in Cargo.toml",
    )
    outside = {Path(v).name: crate.folder / v
               for v in (crate.package.readme, crate.package.license_file) if v}
    for relative in sorted(line.strip() for line in listing.splitlines() if line.strip()):
        if relative in _CARGO_REPLACED or relative.startswith("target/"):
            continue
        source = crate.folder / relative
        if not source.is_file():
            if relative not in outside:
                _process.log(f"warning: not packing {source}: cargo lists it but it is missing")
                continue
            source = outside[relative]
        collector.add_path(_posix(crate.dest, relative), source, allowed)
    manifest = crate.folder / "Cargo.toml"
    plan = ManifestPlan(
        where=str(manifest),
        package_dir=crate.folder,
        workspace=find_workspace(crate.folder),
        relocate=lambda folder: relocated(folder, crate, crates),
        root=crate is crates[0],
        appended=workspace_profiles(crate) if crate is crates[0] else "",
    )
    text = rewrite_manifest(manifest.read_text(encoding="utf-8"), plan)
    collector.add(Member(_posix(crate.dest, "Cargo.toml"), data=text))


def _add_python(collector: _Collector) -> None:
    """The files the wheel packs from the project (shared with the wheel), and the stub."""
    project = collector.project
    layout = project.layout
    members = python_sources.source_members(project, data_prefix="data", rules=collector.rules,
                                            archive="sdist")
    stub = layout.stub()
    sources = [m.source for m in members if m.source is not None] + ([stub] if stub else [])
    for source in sources:
        name = Path(os.path.relpath(source, layout.project_root)).as_posix()
        collector.add_path(name, source, [collector.root])


def _add_metadata_files(collector: _Collector, project: Project) -> None:
    """Readme and license files the metadata names (most are in cargo's list already)."""
    wanted = list(project.metadata.license_sources.values())
    table = project.config.pyproject.project_table
    readme = table.get("readme") if isinstance(table, dict) else None
    readme = readme.get("file") if isinstance(readme, dict) else readme
    if isinstance(readme, str):
        wanted.append(Path(project.layout.project_root) / readme)
    packed = {Path(os.path.realpath(m.source)) for m in collector.members.values() if m.source}
    for source in wanted:
        real = Path(os.path.realpath(source))
        if real in packed:
            continue
        if not inside(Path(os.path.abspath(source)), [Path(project.layout.project_root)]):
            raise ConfigError(f"{source}, named by the project's metadata, is outside the "
                              f"project folder {collector.root}",
                              hint="move it into the project folder")
        name = Path(os.path.relpath(source, project.layout.project_root)).as_posix()
        collector.add_path(name, source, [collector.root])
