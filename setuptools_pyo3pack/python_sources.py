"""Where a project's Python code lives and which of its files go into the wheel.

A folder named after the module's top-level package, next to Cargo.toml (or under
`python-source`), makes a mixed Rust/Python project: its files are packed and the native
module goes inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .layout import Member

#: Never packed, whatever the ignore files say.
_ALWAYS_SKIPPED_DIRS = {"__pycache__", ".git", ".hg", ".mypy_cache", ".pytest_cache", "target"}
_ALWAYS_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_DATA_SCHEMES = ("data", "scripts", "headers", "purelib", "platlib")


@dataclass(frozen=True)
class PythonLayout:
    project_root: Path
    python_root: Path
    module_name: str
    """Dotted import name of the native module (`pkg` or `pkg._native`)."""
    mixed: bool
    packages: tuple[str, ...] = ()
    """Top-level Python packages to pack from `python_root` (mixed projects)."""
    data_dir: Path | None = None

    @property
    def top_package(self) -> str:
        return self.module_name.split(".")[0]

    @property
    def native_name(self) -> str:
        return self.module_name.split(".")[-1]

    @property
    def native_dir(self) -> str:
        """The wheel folder (and, for develop, the folder under python_root) of the module."""
        parts = self.module_name.split(".")
        if len(parts) > 1:
            return "/".join(parts[:-1])
        return parts[0]

    @property
    def native_package(self) -> str:
        """The wheel folder of a native module shipped as a package (cffi): the module
        itself for a pure project, a subpackage of the Python package for a mixed one."""
        if not self.mixed and "." not in self.module_name:
            return self.module_name
        return f"{self.native_dir}/{self.native_name}"

    def stub(self) -> Path | None:
        """A pure project's `<module>.pyi` next to Cargo.toml (packed as `__init__.pyi`)."""
        candidate = self.python_root / f"{self.native_name}.pyi"
        return candidate if not self.mixed and candidate.is_file() else None


def resolve(
    project_root: Path,
    module_name: str,
    *,
    python_source: str | None,
    python_packages: tuple[str, ...] = (),
    data: str | None = None,
    where: str = "pyproject.toml",
) -> PythonLayout:
    python_root = project_root / python_source if python_source else project_root
    if python_source and not python_root.is_dir():
        raise ConfigError(
            f"python-source `{python_source}` in {where} points to {python_root}, "
            "which is not a folder",
            hint="create it or fix python-source",
        )
    top = module_name.split(".")[0]
    package_dir = python_root / top
    mixed = package_dir.is_dir()
    if python_source and not mixed:
        raise ConfigError(
            f"python-source `{python_source}` in {where} holds no `{top}` package folder",
            hint=f"move the Python package to {package_dir}",
        )
    if mixed and not (package_dir / "__init__.py").is_file():
        raise ConfigError(
            f"the module folder {package_dir} has no __init__.py",
            hint=f"add {package_dir / '__init__.py'} (it may be empty)",
        )
    for extra in python_packages:
        if not (python_root / extra).is_dir():
            raise ConfigError(f"python-packages entry `{extra}` in {where} is not a folder "
                              f"under {python_root}")
    packages = (top, *python_packages) if mixed else tuple(python_packages)
    data_dir = project_root / data if data else python_root / f"{top}.data"
    if data and not data_dir.is_dir():
        raise ConfigError(f"data folder `{data}` in {where} does not exist ({data_dir})")
    return PythonLayout(
        project_root, python_root, module_name, mixed, packages,
        data_dir if data_dir.is_dir() else None,
    )


class IgnoreRules:
    """The project's .gitignore plus `exclude` globs, matched against project-relative paths."""

    def __init__(self, project_root: Path, excludes: tuple[str, ...] = ()) -> None:
        self.root = project_root
        self._excludes = excludes
        self._specs: tuple[Any, Any] | None = None

    def _compiled(self) -> tuple[Any, Any]:
        """Parsed on first use: a pure extension project never needs pathspec."""
        if self._specs is None:
            import pathspec

            lines: list[str] = []
            ignore_file = self.root / ".gitignore"
            if ignore_file.is_file():
                lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
            self._specs = (pathspec.GitIgnoreSpec.from_lines(lines),
                           pathspec.GitIgnoreSpec.from_lines(list(self._excludes)))
        return self._specs

    def ignored(self, path: Path) -> bool:
        relative = path.relative_to(self.root).as_posix()
        if path.is_dir():
            relative += "/"
        gitignore, excludes = self._compiled()
        return bool(gitignore.match_file(relative) or excludes.match_file(relative))


def _walk(folder: Path, rules: IgnoreRules) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.name in _ALWAYS_SKIPPED_DIRS or rules.ignored(entry):
            continue
        if entry.is_dir():
            yield from _walk(entry, rules)
        elif entry.is_file() and not entry.name.endswith(_ALWAYS_SKIPPED_SUFFIXES):
            yield entry


def is_generated_native(relative: str, layout: PythonLayout) -> bool:
    """Native files that `develop` copies into the tree must never be packed from there."""
    folder, _, name = relative.rpartition("/")
    if folder != layout.native_dir:
        return False
    stem = layout.native_name
    return (name.startswith(stem + ".") and name.endswith((".so", ".pyd", ".dylib"))) or (
        name == stem  # a cffi package folder's files are handled by the caller
    )


def python_members(
    layout: PythonLayout, rules: IgnoreRules, generated_prefixes: tuple[str, ...] = ()
) -> list[Member]:
    """Every Python file of the packages, skipping caches, ignored and generated files."""
    members = []
    for package in layout.packages:
        for path in _walk(layout.python_root / package, rules):
            relative = path.relative_to(layout.python_root).as_posix()
            if is_generated_native(relative, layout):
                continue
            if any(relative.startswith(prefix) for prefix in generated_prefixes):
                continue
            members.append(Member(relative, source=path, executable=os.access(path, os.X_OK)))
    return members


def include_members(layout: PythonLayout, patterns: tuple[str, ...]) -> list[Member]:
    """Extra files from `include` globs, at the same path relative to the python root."""
    members = []
    for pattern in patterns:
        matches = sorted(p for p in layout.python_root.glob(pattern) if p.is_file())
        if not matches:
            raise ConfigError(f"include pattern `{pattern}` matches no file under "
                              f"{layout.python_root}")
        members += [Member(p.relative_to(layout.python_root).as_posix(), source=p)
                    for p in matches]
    return members


def data_members(layout: PythonLayout, data_prefix: str, rules: IgnoreRules) -> list[Member]:
    """`<name>.data/{data,scripts,headers,purelib,platlib}/...` into the wheel's .data."""
    if layout.data_dir is None:
        return []
    members = []
    for scheme_dir in sorted(layout.data_dir.iterdir()):
        if scheme_dir.name not in _DATA_SCHEMES or not scheme_dir.is_dir():
            raise ConfigError(
                f"{scheme_dir} is not one of the wheel data folders",
                hint=f"use only {', '.join(_DATA_SCHEMES)} inside {layout.data_dir}",
            )
        for path in _walk(scheme_dir, rules):
            relative = path.relative_to(layout.data_dir).as_posix()
            members.append(Member(f"{data_prefix}/{relative}", source=path,
                                  executable=os.access(path, os.X_OK)))
    return members
