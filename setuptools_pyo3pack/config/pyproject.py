"""pyproject.toml, read once: where it is, its tool table, `[project]` and `[build-system]`."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

#: Our table first; a maturin project's table is read with the same meaning when ours is absent.
TOOL_TABLES = ("pyo3-pack", "maturin")


def load_toml(path: Path, what: str = "pyproject.toml") -> dict[str, Any]:
    """Read a TOML file; a syntax error becomes a one-line ConfigError with its line."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise ConfigError(f"{what} at {path} is not valid TOML: {reason}",
                          hint="fix the syntax at that line") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} at {path} is not valid TOML: {exc}",
                          hint="save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what} at {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Pyproject:
    """A parsed pyproject.toml, or the empty stand-in for a project without one."""

    path: Path | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def tool_table_name(self) -> str:
        """`[tool.pyo3-pack]`, or `[tool.maturin]` when only that one is there."""
        tool = self.data.get("tool") or {}
        name = next((n for n in TOOL_TABLES if n in tool), TOOL_TABLES[0])
        return f"[tool.{name}]"

    @property
    def where(self) -> str:
        """The tool table and file, for messages."""
        return f"{self.tool_table_name} of {self.path}" if self.path else self.tool_table_name

    def tool_table(self) -> Mapping[str, Any]:
        tool = self.data.get("tool") or {}
        name = self.tool_table_name[len("[tool."):-1]
        table = tool.get(name, {}) if isinstance(tool, Mapping) else {}
        if not isinstance(table, Mapping):
            raise ConfigError(f"{self.tool_table_name} in {self.path} must be a table")
        return table

    @property
    def build_system(self) -> Mapping[str, Any] | None:
        table = self.data.get("build-system")
        return table if isinstance(table, Mapping) else None

    @property
    def project_table(self) -> Any:
        """`[project]` as written (checked by project.pyproject_metadata), or None."""
        return self.data.get("project")


def find_pyproject(manifest_path: Path | None, cwd: Path) -> Path | None:
    """pyproject.toml for the given Cargo.toml, else the one in the current folder.

    As maturin looks for it: in the crate's folder or above it, up to the folder holding the
    crate's cargo workspace (so `-m rust/Cargo.toml` finds the project's pyproject.toml)."""
    candidates = []
    if manifest_path is not None:
        folder = (manifest_path if manifest_path.is_dir() else manifest_path.parent).absolute()
        limit = workspace_root(folder).parent
        candidates += [parent / "pyproject.toml" for parent in (folder, *folder.parents)
                       if parent == limit or limit in parent.parents]
    candidates.append(cwd / "pyproject.toml")
    return next((c for c in candidates if c.is_file()), None)


def workspace_root(folder: Path) -> Path:
    """The nearest folder at or above `folder` whose Cargo.toml has a `[workspace]` table
    (cargo's rule, without running cargo), else `folder`."""
    for parent in (folder, *folder.parents):
        manifest = parent / "Cargo.toml"
        if not manifest.is_file():
            continue
        try:
            if "workspace" in load_toml(manifest, "Cargo.toml"):
                return parent
        except ConfigError:
            return folder  # cargo will say what is wrong with it
    return folder


def load_pyproject(manifest_path: Path | None, cwd: Path) -> Pyproject:
    """The project's pyproject.toml (an empty one when there is none), with its checks."""
    path = find_pyproject(manifest_path, cwd)
    if path is None:
        return Pyproject()
    data = load_toml(path)
    check_build_system(data, path)
    return Pyproject(path, data)


def check_build_system(data: Mapping[str, Any], path: Path) -> None:
    """PEP 518: a [build-system] table must say what to install before building."""
    table = data.get("build-system")
    if table is None:
        return
    requires = table.get("requires") if isinstance(table, dict) else None
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        raise ConfigError(
            f"[build-system] in {path} has no `requires` list, so pip cannot build the project",
            hint='add requires = ["setuptools-pyo3pack"]',
        )
