"""Put the core's package metadata (from Cargo.toml and pyproject.toml) on a Distribution.

setup() arguments win: only fields setup.py left empty are filled. With a `[project]` table,
setuptools owns the metadata and only the fields it lists in `dynamic` are filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from setuptools.dist import Distribution

from ...project.metadata import PackageMetadata, spdx_expression

_EXTRA = re.compile(r"""^(?P<before>.*?)\s*(?:\band\s+)?extra\s*==\s*["'](?P<extra>[^"']+)["']"""
                    r"""(?:\s+and\b)?\s*(?P<after>.*)$""")

Setter = Callable[[Distribution, PackageMetadata, Path], None]


def _empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == ()


def _fill(target: object, name: str, value: object) -> None:
    if not _empty(value) and _empty(getattr(target, name, None)):
        setattr(target, name, value)


def _version(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "version", meta.core.version)


def _summary(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "description", meta.core.summary)


def _readme(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    if _empty(dist.metadata.long_description):
        _fill(dist.metadata, "long_description", meta.core.description)
        content_type = meta.core.description_content_type  # setuptools writes the bare type
        _fill(dist.metadata, "long_description_content_type",
              content_type.split(";")[0] if content_type else None)


def _people(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "author", meta.core.author)
    _fill(dist.metadata, "author_email", meta.core.author_email)


def _maintainers(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "maintainer", meta.core.maintainer)
    _fill(dist.metadata, "maintainer_email", meta.core.maintainer_email)


def _license(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    # Cargo's license text is an SPDX expression more often than not
    expression = meta.core.license_expression or spdx_expression(meta.core.license)
    # setuptools >= 77 writes License-Expression; older ones only know License
    known = getattr(Distribution, "_DISTUTILS_UNSUPPORTED_METADATA", {})
    if expression and "license_expression" in known:
        _fill(dist.metadata, "license_expression", expression)
    else:
        _fill(dist.metadata, "license", expression or meta.core.license)


def _license_files(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    inside = []
    for source in meta.license_sources.values():
        try:
            inside.append(source.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue  # outside the project: setuptools only takes files under setup.py's folder
    _fill(dist.metadata, "license_files", inside)


def _keywords(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "keywords", list(meta.core.keywords))


def _classifiers(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "classifiers", list(meta.core.classifiers))


def _urls(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist.metadata, "project_urls", dict(meta.core.project_urls))


def _requires_python(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    _fill(dist, "python_requires", meta.core.requires_python)


def _dependencies(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
    plain, extras = split_requirements(meta.core.requires_dist)
    _fill(dist, "install_requires", plain)
    for extra in meta.core.provides_extra:
        extras.setdefault(extra, [])
    _fill(dist, "extras_require", extras)


def _entry_points(group: str) -> Setter:
    def setter(dist: Distribution, meta: PackageMetadata, root: Path) -> None:
        groups: dict[str, Mapping[str, str]] = {
            **meta.entry_points,
            "console_scripts": meta.console_scripts,
            "gui_scripts": meta.gui_scripts,
        }
        wanted = groups if group == "*" else {group: groups[group]}
        current: dict[str, Any] = dict(getattr(dist, "entry_points", None) or {})
        for name, items in wanted.items():
            if items and name not in current:
                current[name] = [f"{key} = {value}" for key, value in sorted(items.items())]
        if current:
            setattr(dist, "entry_points", current)  # noqa: B010 (not in setuptools' stubs)

    return setter


#: `[project]` key (as `dynamic` names it) -> what fills it
SETTERS: dict[str, Setter] = {
    "version": _version,
    "description": _summary,
    "readme": _readme,
    "authors": _people,
    "maintainers": _maintainers,
    "license": _license,
    "license-files": _license_files,
    "keywords": _keywords,
    "classifiers": _classifiers,
    "urls": _urls,
    "requires-python": _requires_python,
    "dependencies": _dependencies,
    "optional-dependencies": _dependencies,
    "scripts": _entry_points("console_scripts"),
    "gui-scripts": _entry_points("gui_scripts"),
    "entry-points": _entry_points("*"),
}


def apply(
    dist: Distribution, meta: PackageMetadata, root: Path, pyproject: Mapping[str, Any]
) -> None:
    """Fill the Distribution's empty fields from the crate's metadata."""
    project = pyproject.get("project")
    if isinstance(project, Mapping):
        dynamic = project.get("dynamic") or []
        wanted = [SETTERS[key] for key in dynamic if key in SETTERS]
    else:
        _fill(dist.metadata, "name", meta.core.name)
        wanted = list(SETTERS.values())
    for setter in dict.fromkeys(wanted):
        setter(dist, meta, root)


def split_requirements(requires_dist: tuple[str, ...]) -> tuple[list[str], dict[str, list[str]]]:
    """`Requires-Dist` lines as setuptools' install_requires and extras_require."""
    plain: list[str] = []
    extras: dict[str, list[str]] = {}
    for line in requires_dist:
        requirement, _, marker = line.partition(";")
        match = _EXTRA.match(marker.strip()) if marker else None
        if match is None:
            plain.append(line.strip())
            continue
        rest = " and ".join(p for p in (match["before"], match["after"]) if p.strip())
        key = f"{match['extra']}:{rest}" if rest else match["extra"]
        extras.setdefault(key, []).append(requirement.strip())
    return plain, extras
