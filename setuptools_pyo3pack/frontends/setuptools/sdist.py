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
    """setuptools' sdist, carrying the Rust crates so the sdist builds on its own."""

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
