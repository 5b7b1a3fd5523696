"""`sdist`: setuptools' source distribution, plus every crate the project builds.

setuptools packs what it knows (Python packages, setup.py, pyproject.toml, MANIFEST.in
files); the crates come from the core's sdist collection: each crate's files as
`cargo package --list` gives them, its Cargo.toml rewritten to build on its own, Cargo.lock,
and the local path dependencies it reaches (copied under `local/` when outside the project).
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools.command.sdist import sdist

from ... import _process
from ...fs import Member, write_member
from .build import rust_crates, setuptools_errors
from .crates import CrateSpec

#: Written by setuptools itself (or not wanted twice).
_SETUPTOOLS_OWN = {"PKG-INFO", "pyproject.toml", "setup.py", "setup.cfg"}


def crate_members(crates: tuple[CrateSpec, ...], root: Path) -> dict[str, Member]:
    """Every crate's sdist members, named relative to setup.py's folder."""
    from ...project.project import load_project
    from ...sdist.collect import collect
    from .projects import BuildRequest, cargo_environment, configuration_for

    found: dict[str, Member] = {}
    seen: set[Path] = set()
    for crate in crates:
        manifest = (root / crate.path).resolve()
        if manifest in seen:
            continue
        seen.add(manifest)
        with cargo_environment(crate):
            project = load_project(configuration_for(crate, root, BuildRequest()))
            members = collect(project)
        base = Path(os.path.relpath(project.layout.project_root, root))
        for member in members:
            if member.archive_name in _SETUPTOOLS_OWN:
                continue
            name = (base / member.archive_name).as_posix()
            found.setdefault(name.removeprefix("./"), member)
    return found


class Sdist(sdist):
    """setuptools' sdist, carrying the Rust crates so the sdist builds on its own, in the
    core's deterministic archive (the same files give the same bytes)."""

    def make_archive(
            self, base_name: str | os.PathLike[str], format: str,
            root_dir: str | bytes | os.PathLike[str] | os.PathLike[bytes] | None = None,
            base_dir: str | None = None, owner: str | None = None,
            group: str | None = None) -> str:
        name, folder = os.fspath(base_name), None if root_dir is None else os.fsdecode(root_dir)
        if format != "gztar" or base_dir is None:
            return str(super().make_archive(name, format, folder, base_dir, owner, group))
        # setuptools' tar keeps each file's time and owner: two checkouts give two archives
        from ...sdist.archive import source_date_epoch, write_tar_gz

        root = Path(folder or os.curdir) / base_dir
        members = [Member(path.relative_to(root).as_posix(), source=path,
                          executable=bool(path.stat().st_mode & 0o111))
                   for path in sorted(root.rglob("*")) if path.is_file()]
        archive = Path(f"{name}.tar.gz")
        write_tar_gz(archive, base_dir, members, source_date_epoch())
        return str(archive)

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        crates = rust_crates(self.distribution)
        if not crates:
            return
        with setuptools_errors():
            members = crate_members(crates, Path.cwd())
        for name, member in sorted(members.items()):
            destination = Path(base_dir) / name
            if destination.exists() and not name.endswith("Cargo.toml"):
                continue  # setuptools packed it already (manifests are rewritten: replaced)
            destination.parent.mkdir(parents=True, exist_ok=True)
            write_member(member, destination)
        _process.log(f"added {len(members)} files of {len(crates)} Rust crate(s) to the sdist")
