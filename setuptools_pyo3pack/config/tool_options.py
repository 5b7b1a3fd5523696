"""`[tool.pyo3-pack]` in pyproject.toml, or `[tool.maturin]` with the same meaning.

An existing maturin project builds unchanged: when our own table is absent we read
maturin's. Command-line options win over both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .tables import check_table

#: key -> the types it accepts (a str where a list is expected is split like a shell would)
KEYS: dict[str, tuple[type, ...]] = {
    "bindings": (str,),
    "manylinux": (str,),
    "compatibility": (str,),
    "skip-auditwheel": (bool,),
    "auditwheel": (str,),
    "strip": (bool,),
    "cargo-extra-args": (str, list),
    "rustc-extra-args": (str, list),
    "rustc-args": (str, list),
    "python-source": (str,),
    "python-packages": (list,),
    "module-name": (str,),
    "manifest-path": (str,),
    "features": (list,),
    "all-features": (bool,),
    "no-default-features": (bool,),
    "include": (list,),
    "exclude": (list,),
    "data": (str,),
    "profile": (str,),
    "zig": (bool,),
}
#: maturin keys we read with the same meaning under a different name
MATURIN_ALIASES = {"rustc-args": "rustc-extra-args", "compatibility": "manylinux"}


@dataclass(frozen=True)
class ToolOptions:
    """The options a project sets in its pyproject.toml (all optional)."""

    table: str = "[tool.pyo3-pack]"
    """Where they came from, for messages."""
    pyproject: Path | None = None
    bindings: str | None = None
    manylinux: str | None = None
    skip_auditwheel: bool = False
    auditwheel: str | None = None
    zig: bool = False
    strip: bool = False
    cargo_extra_args: tuple[str, ...] = ()
    rustc_extra_args: tuple[str, ...] = ()
    python_source: str | None = None
    python_packages: tuple[str, ...] = ()
    module_name: str | None = None
    manifest_path: str | None = None
    features: tuple[str, ...] = ()
    all_features: bool = False
    no_default_features: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    data: str | None = None
    profile: str | None = None

    @property
    def where(self) -> str:
        return f"{self.table} of {self.pyproject}" if self.pyproject else self.table


def find_pyproject(manifest_path: Path | None, cwd: Path) -> Path | None:
    """pyproject.toml next to the given Cargo.toml, else in the current folder."""
    candidates = []
    if manifest_path is not None:
        folder = manifest_path if manifest_path.is_dir() else manifest_path.parent
        candidates.append(folder.absolute() / "pyproject.toml")
    candidates.append(cwd / "pyproject.toml")
    return next((c for c in candidates if c.is_file()), None)


def from_pyproject(data: Mapping[str, Any], path: Path) -> tuple[ToolOptions, list[str]]:
    """The tool table of a parsed pyproject.toml, and warnings about its unknown keys."""
    tool = data.get("tool") or {}
    if "pyo3-pack" in tool:
        name, table = "[tool.pyo3-pack]", tool["pyo3-pack"]
    elif "maturin" in tool:
        name, table = "[tool.maturin]", tool["maturin"]
    else:
        return ToolOptions(pyproject=path), []
    where = f"{name} of {path}"
    if not isinstance(table, dict):
        raise ConfigError(f"{name} in {path} must be a table")
    warnings = check_table(table, KEYS, where)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            continue
        name_in_file = str(key)
        attribute = MATURIN_ALIASES.get(name_in_file, name_in_file).replace("-", "_")
        values[attribute] = _convert(name_in_file, value, where)
    return ToolOptions(table=name, pyproject=path, **values), warnings


def _convert(key: str, value: Any, where: str) -> Any:
    if key in ("cargo-extra-args", "rustc-extra-args", "rustc-args") and isinstance(value, str):
        import shlex

        return tuple(shlex.split(value))
    if key in ("include", "exclude"):
        return tuple(_glob(item, key, where) for item in value)
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise ConfigError(f"`{key}` in {where} must be a list of strings")
        return tuple(value)
    return value


def _glob(item: Any, key: str, where: str) -> str:
    """maturin allows `{ path = "...", format = "..." }` as well as a plain pattern."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("path"), str):
        return str(item["path"])
    raise ConfigError(f"each entry of `{key}` in {where} must be a glob pattern string")


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


def load(manifest_path: Path | None, cwd: Path) -> tuple[ToolOptions, dict[str, Any], list[str]]:
    """Tool options, the whole parsed pyproject.toml ({} without one), and warnings."""
    path = find_pyproject(manifest_path, cwd)
    if path is None:
        return ToolOptions(), {}, []
    from .pyproject import load_pyproject  # a TOML parser and PEP 621 checks

    data = load_pyproject(path)
    check_build_system(data, path)
    options, warnings = from_pyproject(data, path)
    return options, data, warnings
