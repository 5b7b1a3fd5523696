"""Source distributions: `{dist}-{version}.tar.gz` that build on their own.

The sdist's top folder is the project folder (where pyproject.toml is). It holds PKG-INFO,
pyproject.toml, the crate's files as `cargo package --list` gives them, the Python sources,
and every local path dependency: kept in place when inside the project folder, else copied to
`local/<name>/`. Manifests are rewritten (`manifest`) so paths still resolve, inherited
workspace fields become concrete, and the built crate is its own workspace root.
The archive is deterministic: entries sorted, one mtime (SOURCE_DATE_EPOCH), owner 0.
"""

from __future__ import annotations

from pathlib import Path

from .. import _process
from ..project.project import Project
from .archive import source_date_epoch, write_tar_gz
from .collect import collect


def build_sdist(project: Project, out_dir: Path) -> Path:
    """Write `{dist}-{version}.tar.gz` into `out_dir` and return its path."""
    path = out_dir / f"{project.dist_stem}.tar.gz"
    _process.log(f"packing the source distribution of {project.name} {project.version}")
    write_tar_gz(path, project.dist_stem, collect(project), source_date_epoch())
    _process.log(f"wrote {path}")
    return path
