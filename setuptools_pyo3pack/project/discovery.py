"""Where the crate is, as maturin finds it: `-m`/`manifest-path`, else `Cargo.toml` next to
pyproject.toml, or `rust/Cargo.toml` in a project whose Python code lives elsewhere."""

from __future__ import annotations

from pathlib import Path

from ..config.load import Configuration


def import_name(config: Configuration) -> str | None:
    """[project]'s name as Python imports it (`my-project` -> `my_project`), or None."""
    table = config.pyproject.project_table
    name = table.get("name") if isinstance(table, dict) else None
    return name.replace("-", "_").replace(".", "_") if isinstance(name, str) else None


def manifest_path(config: Configuration) -> Path | None:
    """The Cargo.toml to build: the one a setting names, else `rust/Cargo.toml` beside
    pyproject.toml when `python-source` is set or a `src/<import name>` package exists
    (maturin's layout for Rust kept out of the Python tree), else None (the current
    folder's)."""
    given = config.settings.cargo.manifest_path
    folder = config.pyproject.folder
    if given is not None or folder is None:
        return given
    rust = folder / "rust" / "Cargo.toml"
    if not rust.is_file():
        return None
    name = import_name(config)
    if config.settings.layout.python_source or (name and (folder / "src" / name).is_dir()):
        return rust
    return None
