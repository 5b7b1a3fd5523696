"""Where a project's Python code lives and which of its files go into the wheel.

A folder named after the module's top-level package, next to Cargo.toml (or under
`python-source`), makes a mixed Rust/Python project: its files are packed and the native
module goes inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config.settings import Binding
from ..errors import ConfigError
from ..fs import Member
from ..platforms.base import SHARED_LIBRARY_SUFFIXES
from .layout import PythonLayout
from .project import Project

#: Never packed, whatever the ignore files say.
_ALWAYS_SKIPPED_DIRS = {"__pycache__", ".git", ".hg", ".mypy_cache", ".pytest_cache", "target"}
_ALWAYS_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_DATA_SCHEMES = ("data", "scripts", "headers", "purelib", "platlib")






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
    return (name.startswith(stem + ".") and name.endswith(SHARED_LIBRARY_SUFFIXES)) or (
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


def source_members(project: Project, *, data_prefix: str, rules: IgnoreRules | None = None,
                   editable: bool = False) -> list[Member]:
    """The project's own files, for a wheel and an sdist alike: the Python packages and
    `include` globs (left in the tree by an editable wheel), and the data folder."""
    layout = project.layout
    rules = rules or IgnoreRules(layout.project_root, project.settings.layout.exclude)
    data = data_members(layout, data_prefix, rules)
    if editable:
        return data
    generated: tuple[str, ...] = ()
    if project.binding.binding in (Binding.CFFI, Binding.UNIFFI):
        generated = (layout.native_package + "/",)  # develop writes it into the tree
    return [
        *python_members(layout, rules, generated),
        *include_members(layout, project.settings.layout.include),
        *data,
    ]
