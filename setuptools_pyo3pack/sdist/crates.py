"""The crates an sdist carries: the built one and every local path dependency it reaches,
each with its folder in the sdist, and the workspace each inherits from."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _process
from ..errors import ConfigError
from ..project.cargo_metadata import CargoMetadata, CargoPackage
from .manifest import Workspace
from .toml_edit import toml_tables, tomllib


@dataclass(frozen=True)
class LocalCrate:
    """A crate of the project's own (the built one or a path dependency) and its sdist folder."""

    name: str
    folder: Path
    """Its real folder on disk."""
    dest: str
    """Its folder inside the sdist, `""` for the top."""
    package: CargoPackage


def inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def local_crates(metadata: CargoMetadata, main_folder: Path, root: Path,
                 allowed: list[Path]) -> list[LocalCrate]:
    """The built crate first, then each local path dependency reachable from it. One outside
    `allowed` (the project, its workspace, its git repository) is packed too, as maturin
    packs it, under `local/<name>/`, with a status line saying so."""
    by_folder = {Path(os.path.realpath(p.manifest_path)).parent: p
                 for p in metadata.packages if p.source is None}
    main = by_folder[main_folder]
    found = [LocalCrate(main.name, main_folder, _dest(main_folder, root), main)]
    taken = {c.dest for c in found}
    queue = [found[0]]
    while queue:
        crate = queue.pop(0)
        for dependency in crate.package.dependencies:
            if dependency.path is None:
                continue
            package = by_folder.get(Path(os.path.realpath(dependency.path)))
            if package is None and dependency.kind == "dev":
                continue  # cargo never loads a dependency's dev-dependencies
            folder = Path(os.path.realpath(dependency.path))
            if any(c.folder == folder for c in found):
                continue
            if not inside(folder, allowed):
                _process.log(f"packing path dependency `{dependency.name}` from {folder}, "
                             "outside the project, into the sdist")
            if package is None:
                raise ConfigError(f"path dependency `{dependency.name}` of {crate.folder} "
                                  f"at {folder} is unknown to cargo metadata",
                                  hint="check that it has a Cargo.toml with a [package]")
            dest = _dest(folder, root)
            if dest.startswith("local/"):
                base, number = dest, 2
                while dest in taken:
                    dest, number = f"{base}-{number}", number + 1
            taken.add(dest)
            found.append(LocalCrate(package.name, folder, dest, package))
            queue.append(found[-1])
    return found


def _dest(folder: Path, root: Path) -> str:
    if inside(folder, [root]):
        return folder.relative_to(root).as_posix() if folder != root else ""
    return f"local/{folder.name}"


def relocated(folder: Path, crate: LocalCrate, crates: list[LocalCrate]) -> str:
    """The `path` a dependency in `folder` gets in the sdist copy of `crate`'s manifest."""
    real = Path(os.path.realpath(folder))
    target = next((c for c in crates if c.folder == real), None)
    if target is None:  # a dependency's dev-dependency: cargo does not look at it
        return Path(os.path.relpath(real, crate.folder)).as_posix()
    return Path(os.path.relpath(Path("/", target.dest), Path("/", crate.dest))).as_posix()


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def find_workspace(folder: Path) -> Workspace | None:
    """The workspace a crate inherits from: `package.workspace`, else the first one above."""
    own = read_manifest(folder / "Cargo.toml") or {}
    pointer = (own.get("package") or {}).get("workspace")
    candidates = [folder / pointer] if isinstance(pointer, str) else [folder, *folder.parents]
    for candidate in candidates:
        data = read_manifest(candidate / "Cargo.toml")
        if data is not None and isinstance(data.get("workspace"), dict):
            return Workspace(Path(os.path.realpath(candidate)), data["workspace"])
    return None


def workspace_profiles(crate: LocalCrate) -> str:
    """A member's build used the workspace root's [profile]s; the sdist's root carries them."""
    workspace = find_workspace(crate.folder)
    if workspace is None or workspace.root == crate.folder:
        return ""
    data = read_manifest(workspace.root / "Cargo.toml") or {}
    for table in ("patch", "replace"):
        if table in data:
            _process.log(f"warning: the [{table}] table of {workspace.root / 'Cargo.toml'} is "
                         "not carried into the sdist")
    own = read_manifest(crate.folder / "Cargo.toml") or {}
    if "profile" not in data or "profile" in own:
        return ""
    return toml_tables(("profile",), data["profile"])
