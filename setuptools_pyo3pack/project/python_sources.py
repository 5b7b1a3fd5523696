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

from ..config.option import Pattern
from ..config.settings import Binding
from ..errors import ConfigError
from ..fs import Member
from ..platforms.base import SHARED_LIBRARY_SUFFIXES
from . import patterns
from .layout import PythonLayout
from .project import Project

#: Never packed, whatever the ignore files say.
_ALWAYS_SKIPPED_DIRS = {"__pycache__", ".git", ".hg", ".mypy_cache", ".pytest_cache", "target"}
_ALWAYS_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_DATA_SCHEMES = ("data", "scripts", "headers", "purelib", "platlib")


class IgnoreRules:
    """The project's .gitignore, and the `exclude` globs for one kind of archive.

    Exclude globs match files by their path relative to the project folder; for a wheel
    also by their path relative to the python root (where the wheel puts them)."""

    def __init__(self, project_root: Path, excludes: tuple[Pattern, ...] = (), *,
                 archive: str = "wheel", python_root: Path | None = None) -> None:
        self.root = project_root
        self._excludes = [p.path for p in excludes if p.applies_to(archive)]
        self._python_root = python_root if archive == "wheel" else None
        self._gitignore: Any = None

    def _compiled(self) -> Any:
        """Parsed on first use: a pure extension project never needs pathspec."""
        if self._gitignore is None:
            import pathspec

            lines: list[str] = []
            ignore_file = self.root / ".gitignore"
            if ignore_file.is_file():
                lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
            self._gitignore = pathspec.GitIgnoreSpec.from_lines(lines)
        return self._gitignore

    def ignored(self, path: Path) -> bool:
        relative = path.relative_to(self.root).as_posix()
        if path.is_dir():
            return bool(self._compiled().match_file(relative + "/"))
        return bool(self._compiled().match_file(relative)) or self.excluded(path)

    def excluded(self, path: Path) -> bool:
        """Whether an `exclude` glob names this file."""
        names = [path.relative_to(self.root).as_posix()]
        if self._python_root is not None and path.is_relative_to(self._python_root):
            names.append(path.relative_to(self._python_root).as_posix())
        return any(patterns.matches(p, name) for p in self._excludes for name in names)


def utf8_name(path: Path) -> Path:
    """`path`, if an archive can hold its name: wheel and sdist names are UTF-8."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", errors="backslashreplace")
        raise ConfigError(f"the file name {shown} is not UTF-8, which a wheel or sdist cannot "
                          "hold", hint="rename it, or leave it out with `exclude` in "
                          "[tool.pyo3-pack]") from None
    return path


def _walk(folder: Path, rules: IgnoreRules) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.name in _ALWAYS_SKIPPED_DIRS or rules.ignored(entry):
            continue
        utf8_name(entry)
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


def include_members(layout: PythonLayout, includes: tuple[Pattern, ...], rules: IgnoreRules,
                    *, archive: str = "wheel") -> list[Member]:
    """Extra files from `include` globs: relative to the project folder, else to the python
    root. In a wheel a file below the python root goes where the packages go, any other one
    at its project-relative path; an sdist keeps project-relative paths. A pattern that
    matches nothing adds nothing; excluded files stay out."""
    members = []
    for pattern in (p.path for p in includes if p.applies_to(archive)):
        found = _glob_files(layout.project_root, pattern)
        if not found and layout.python_root != layout.project_root:
            found = _glob_files(layout.python_root, pattern)
        for path in found:
            if rules.excluded(path):
                continue
            base = layout.python_root if archive == "wheel" and path.is_relative_to(
                layout.python_root) else layout.project_root
            members.append(Member(path.relative_to(base).as_posix(), source=path,
                                  executable=os.access(path, os.X_OK)))
    return members


def _glob_files(folder: Path, pattern: str) -> list[Path]:
    try:
        return sorted(utf8_name(p) for p in folder.glob(pattern) if p.is_file())
    except (ValueError, NotImplementedError):
        raise ConfigError(f"include pattern `{pattern}` is not a relative glob pattern",
                          hint="write it relative to the folder of pyproject.toml") from None


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
                   editable: bool = False, archive: str = "wheel") -> list[Member]:
    """The project's own files, for a wheel and an sdist alike: the Python packages and
    `include` globs (left in the tree by an editable wheel), and the data folder. A file
    `include` names that is packed already is packed once."""
    layout = project.layout
    rules = rules or IgnoreRules(layout.project_root, project.settings.layout.exclude,
                                 archive=archive, python_root=layout.python_root)
    data = data_members(layout, data_prefix, rules)
    if editable:
        return data
    generated: tuple[str, ...] = ()
    if project.binding.binding in (Binding.CFFI, Binding.UNIFFI):
        generated = (layout.native_package + "/",)  # develop writes it into the tree
    members = {m.archive_name: m for m in python_members(layout, rules, generated)}
    for member in include_members(layout, project.settings.layout.include, rules,
                                  archive=archive):
        known = members.get(member.archive_name)
        if known is not None and known.source is not None and member.source is not None \
                and known.source.resolve() == member.source.resolve():
            continue
        if known is not None:
            raise ConfigError(f"`include` puts {member.source} at {member.archive_name}, "
                              f"where {known.source} is packed already",
                              hint="narrow the include pattern")
        members[member.archive_name] = member
    return [*members.values(), *data]
