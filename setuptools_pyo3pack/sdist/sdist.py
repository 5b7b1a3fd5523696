"""Source distributions: `{dist}-{version}.tar.gz` that build on their own.

The sdist's top folder is the project folder (where pyproject.toml is). It holds PKG-INFO,
pyproject.toml, the crate's files as `cargo package --list` gives them, the Python sources,
and every local path dependency: kept in place when inside the project folder, else copied to
`local/<name>/`. Manifests are rewritten (`sdist_manifest`) so paths still resolve, inherited
workspace fields become concrete, and the built crate is its own workspace root.
The archive is deterministic: entries sorted, one mtime (SOURCE_DATE_EPOCH), owner 0.
"""

from __future__ import annotations

import calendar
import gzip
import io
import json
import os
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from .. import __version__, _process
from ..config.settings import CargoOptions
from ..errors import ConfigError
from ..fs import atomic_path, fixed_date_time
from ..project import python_sources
from ..project.bindings import Binding
from ..project.cargo_metadata import cargo_metadata_argv
from .manifest import ManifestPlan, Workspace, rewrite_manifest, toml_tables, tomllib

if TYPE_CHECKING:
    from ..project.project import Project

#: What cargo lists that the sdist replaces (manifest, lock file) or must not carry.
_CARGO_REPLACED = {"Cargo.toml", "Cargo.toml.orig", "Cargo.lock", ".cargo_vcs_info.json"}
_NEVER = {".git", ".hg", "__pycache__"}
DEFAULT_PYPROJECT = (
    "[build-system]\n"
    f'requires = ["setuptools-pyo3pack>={__version__}"]\n'
    'build-backend = "setuptools_pyo3pack.build_meta"\n'
)


@dataclass(frozen=True)
class SdistFile:
    """One archive member, below the `{dist}-{version}/` prefix: from disk or generated."""

    name: str
    source: Path | None = None
    data: bytes | None = None
    executable: bool = False


@dataclass(frozen=True)
class LocalCrate:
    """A crate of the project's own (the built one or a path dependency) and its sdist folder."""

    name: str
    folder: Path
    """Its real folder on disk."""
    dest: str
    """Its folder inside the sdist, `""` for the top."""
    package: Mapping[str, Any]


def source_date_epoch() -> int:
    """The one timestamp of every member and of the gzip header."""
    return calendar.timegm(fixed_date_time())


def build_sdist(project: Project, out_dir: Path) -> Path:
    """Write `{dist}-{version}.tar.gz` into `out_dir` and return its path."""
    path = out_dir / f"{project.dist_stem}.tar.gz"
    _process.log(f"packing the source distribution of {project.name} {project.version}")
    files = collect(project)
    write_tar_gz(path, project.dist_stem, files, source_date_epoch())
    _process.log(f"wrote {path}")
    return path


def _inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def _posix(*parts: str) -> str:
    return str(PurePosixPath(*[p for p in parts if p]))


def _git_root(folder: Path) -> Path | None:
    return next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)


class _Collector:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.root = Path(os.path.realpath(project.layout.project_root))
        self.files: dict[str, SdistFile] = {}
        self.rules = python_sources.IgnoreRules(self.root, project.tool.exclude)
        self.python_root = Path(os.path.realpath(project.layout.python_root))

    def add(self, item: SdistFile) -> None:
        known = self.files.get(item.name)
        if known is not None and known != item:
            raise ConfigError(f"two files want the same place in the sdist: {item.name} "
                              f"({known.source or 'generated'} and {item.source or 'generated'})",
                              hint="check include and the Cargo.toml files")
        self.files[item.name] = item

    def add_path(self, name: str, source: Path, roots: Iterable[Path]) -> None:
        """A file from disk, unless the packing rules leave it out."""
        parts = PurePosixPath(name).parts
        if any(part in _NEVER for part in parts) or name.endswith((".pyc", ".pyo")):
            return
        if name == "PKG-INFO":
            return  # an unpacked sdist's own: it is written anew from the metadata
        real = Path(os.path.realpath(source))
        if not _inside(real, roots):
            _process.log(f"warning: not packing {source}: it is a symlink to {real}, outside "
                         "the project")
            return
        on_disk = self.root / name
        if not name.startswith("local/") and self.rules.ignored(on_disk):
            return
        if on_disk.is_relative_to(self.python_root) and python_sources.is_generated_native(
            on_disk.relative_to(self.python_root).as_posix(), self.project.layout
        ):
            return
        self.add(SdistFile(name, source, executable=bool(source.stat().st_mode & 0o111)))


def collect(project: Project) -> list[SdistFile]:
    """Every member of the project's sdist (names below the prefix), sorted."""
    collector = _Collector(project)
    root = collector.root
    crate_root = Path(os.path.realpath(project.crate.root))
    if not _inside(crate_root, [root]):
        raise ConfigError(f"the crate {crate_root} is outside {root}, the folder of "
                          "pyproject.toml, so an sdist cannot hold both",
                          hint="move pyproject.toml to a folder that holds the crate")
    metadata = json.loads(_process.run_captured(
        # every feature's path dependencies belong in the sdist, whatever this build enables
        cargo_metadata_argv(project.crate.manifest_path, CargoOptions(all_features=True)),
        what=f"reading {project.crate.manifest_path} with cargo metadata",
    ))
    workspace_root = Path(os.path.realpath(metadata["workspace_root"]))
    allowed = [root, workspace_root]
    git_root = _git_root(root)
    if git_root is not None:
        allowed.append(Path(os.path.realpath(git_root)))
    crates = local_crates(metadata, crate_root, root, allowed)
    for crate in crates:
        _add_crate(collector, crate, crates, allowed)
    lock = workspace_root / "Cargo.lock"
    if lock.is_file():
        collector.add(SdistFile(_posix(crates[0].dest, "Cargo.lock"), lock))
    _add_python(collector)
    _add_metadata_files(collector, project)
    pyproject = root / "pyproject.toml"
    if project.tool.pyproject is not None and pyproject.is_file():
        collector.add(SdistFile("pyproject.toml", pyproject))
    else:
        collector.add(SdistFile("pyproject.toml", data=DEFAULT_PYPROJECT.encode()))
    collector.add(SdistFile("PKG-INFO", data=project.metadata.core.render().encode("utf-8")))
    return sorted(collector.files.values(), key=lambda f: f.name)


def local_crates(metadata: Mapping[str, Any], main_folder: Path, root: Path,
                 allowed: list[Path]) -> list[LocalCrate]:
    """The built crate first, then each local path dependency reachable from it."""
    by_folder = {Path(os.path.realpath(p["manifest_path"])).parent: p
                 for p in metadata["packages"] if p.get("source") is None}
    main = by_folder[main_folder]
    found = [LocalCrate(main["name"], main_folder, _dest(main_folder, root), main)]
    taken = {c.dest for c in found}
    queue = [found[0]]
    while queue:
        crate = queue.pop(0)
        for dependency in crate.package.get("dependencies", []):
            if not dependency.get("path"):
                continue
            package = by_folder.get(Path(os.path.realpath(dependency["path"])))
            if package is None and dependency.get("kind") == "dev":
                continue  # cargo never loads a dependency's dev-dependencies
            folder = _allowed_folder(dependency, crate, allowed)
            if any(c.folder == folder for c in found):
                continue
            if package is None:
                raise ConfigError(f"path dependency `{dependency['name']}` of {crate.folder} "
                                  f"at {folder} is unknown to cargo metadata",
                                  hint="check that it has a Cargo.toml with a [package]")
            dest = _dest(folder, root)
            if dest.startswith("local/"):
                base, number = dest, 2
                while dest in taken:
                    dest, number = f"{base}-{number}", number + 1
            taken.add(dest)
            found.append(LocalCrate(package["name"], folder, dest, package))
            queue.append(found[-1])
    return found


def _dest(folder: Path, root: Path) -> str:
    if _inside(folder, [root]):
        return folder.relative_to(root).as_posix() if folder != root else ""
    return f"local/{folder.name}"


def _allowed_folder(dependency: Mapping[str, Any], crate: LocalCrate,
                    allowed: list[Path]) -> Path:
    literal = Path(dependency["path"])
    real = Path(os.path.realpath(literal))
    if _inside(real, allowed):
        return real
    through = f"{literal}, a symlink to {real}" if real != literal.absolute() else str(real)
    places = ", ".join(str(p) for p in dict.fromkeys(allowed))
    raise ConfigError(
        f"path dependency `{dependency['name']}` of {crate.folder / 'Cargo.toml'} is at "
        f"{through}, outside the project, its cargo workspace and its git repository "
        f"({places})",
        hint=f"move it inside, or depend on a published version of `{dependency['name']}`",
    )


def _add_crate(collector: _Collector, crate: LocalCrate, crates: list[LocalCrate],
               allowed: list[Path]) -> None:
    listing = _process.run_captured(
        ["cargo", "package", "--list", "--allow-dirty", "--manifest-path",
         str(crate.folder / "Cargo.toml")],
        what=f"listing the files of {crate.folder} with cargo package --list",
        hint="fix the crate's include/exclude settings in Cargo.toml",
    )
    outside = {Path(v).name: crate.folder / v for key in ("readme", "license_file")
               if isinstance(v := crate.package.get(key), str)}
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
        relocate=lambda folder: _relocated(folder, crate, crates),
        root=crate is crates[0],
        appended=_workspace_profiles(crate) if crate is crates[0] else "",
    )
    text = rewrite_manifest(manifest.read_text(encoding="utf-8"), plan)
    collector.add(SdistFile(_posix(crate.dest, "Cargo.toml"), data=text.encode("utf-8")))


def _relocated(folder: Path, crate: LocalCrate, crates: list[LocalCrate]) -> str:
    real = Path(os.path.realpath(folder))
    target = next((c for c in crates if c.folder == real), None)
    if target is None:  # a dependency's dev-dependency: cargo does not look at it
        return Path(os.path.relpath(real, crate.folder)).as_posix()
    return Path(os.path.relpath(Path("/", target.dest), Path("/", crate.dest))).as_posix()


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def find_workspace(folder: Path) -> Workspace | None:
    """The workspace a crate inherits from: `package.workspace`, else the first one above."""
    own = _read_manifest(folder / "Cargo.toml") or {}
    pointer = (own.get("package") or {}).get("workspace")
    candidates = [folder / pointer] if isinstance(pointer, str) else [folder, *folder.parents]
    for candidate in candidates:
        data = _read_manifest(candidate / "Cargo.toml")
        if data is not None and isinstance(data.get("workspace"), dict):
            return Workspace(Path(os.path.realpath(candidate)), data["workspace"])
    return None


def _workspace_profiles(crate: LocalCrate) -> str:
    """A member's build used the workspace root's [profile]s; the sdist's root carries them."""
    workspace = find_workspace(crate.folder)
    if workspace is None or workspace.root == crate.folder:
        return ""
    data = _read_manifest(workspace.root / "Cargo.toml") or {}
    for table in ("patch", "replace"):
        if table in data:
            _process.log(f"warning: the [{table}] table of {workspace.root / 'Cargo.toml'} is "
                         "not carried into the sdist")
    own = _read_manifest(crate.folder / "Cargo.toml") or {}
    if "profile" not in data or "profile" in own:
        return ""
    return toml_tables(("profile",), data["profile"])


def _add_python(collector: _Collector) -> None:
    project = collector.project
    layout = project.layout
    generated: tuple[str, ...] = ()
    if project.binding.binding is Binding.CFFI:
        generated = (layout.native_package + "/",)
    members = [
        *python_sources.python_members(layout, collector.rules, generated),
        *python_sources.include_members(layout, project.tool.include),
        *python_sources.data_members(layout, "data", collector.rules),
    ]
    stub = layout.stub()
    sources = [m.source for m in members if m.source is not None] + ([stub] if stub else [])
    for source in sources:
        name = Path(os.path.relpath(source, layout.project_root)).as_posix()
        collector.add_path(name, source, [collector.root])


def _add_metadata_files(collector: _Collector, project: Project) -> None:
    """Readme and license files the metadata names (most are in cargo's list already)."""
    wanted = list(project.metadata.license_sources.values())
    table = ((project.tool.pyproject and _read_manifest(project.tool.pyproject)) or {})
    readme = (table.get("project") or {}).get("readme")
    readme = readme.get("file") if isinstance(readme, dict) else readme
    if isinstance(readme, str):
        wanted.append(Path(project.layout.project_root) / readme)
    packed = {Path(os.path.realpath(f.source)) for f in collector.files.values() if f.source}
    for source in wanted:
        real = Path(os.path.realpath(source))
        if real in packed:
            continue
        if not _inside(Path(os.path.abspath(source)), [Path(project.layout.project_root)]):
            raise ConfigError(f"{source}, named by the project's metadata, is outside the "
                              f"project folder {collector.root}",
                              hint="move it into the project folder")
        name = Path(os.path.relpath(source, project.layout.project_root)).as_posix()
        collector.add_path(name, source, [collector.root])


def tar_info(name: str, size: int, *, executable: bool, mtime: int) -> tarfile.TarInfo:
    """A member header that says nothing about the machine that wrote it."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def write_tar_gz(path: Path, prefix: str, files: Iterable[SdistFile], mtime: int) -> None:
    """Write the archive to a temporary file next to `path`, then rename it into place."""
    with atomic_path(path) as tmp, open(tmp, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as compressed, \
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for item in sorted(files, key=lambda f: f.name):
            stream: IO[bytes]
            if item.source is not None:
                stream = open(item.source, "rb")  # noqa: SIM115 - closed below
                size = os.fstat(stream.fileno()).st_size
            else:
                stream, size = io.BytesIO(item.data or b""), len(item.data or b"")
            with stream:
                info = tar_info(f"{prefix}/{item.name}", size, executable=item.executable,
                                mtime=mtime)
                tar.addfile(info, stream)
