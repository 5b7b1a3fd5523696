"""The pyproject.toml `[project]` table (PEP 621, PEP 639) as Core Metadata 2.4.

`apply_project_table` merges `[project]` over the metadata Cargo.toml gave (`from_crate`):

- A key given in `[project]` wins, after validation (PEP 508 names and requirements, PEP 440
  versions and specifiers, SPDX expressions, license-file globs, entry-point references).
- A key listed in `dynamic` keeps Cargo's value (description, readme, authors, license, ...).
- A key given and also listed in `dynamic` (PEP 621 forbids it; maturin builds it) gets a
  warning and maturin's merge: the fields the given value fills replace Cargo's, the others
  keep Cargo's (`license = "MIT"` with a dynamic license: License-Expression from
  `[project]`, License from Cargo.toml).
- A key neither given nor dynamic is left empty, even when Cargo.toml has a value: PEP 621 says
  a backend must not fill in fields the table leaves out (maturin does the same).
- `version` is the lenient exception: when missing it comes from Cargo.toml, and if it is not
  listed in `dynamic` a warning asks to add it there.
- `license-files` absent: the legacy `license = {file = ...}`, else Cargo's `license-file` when
  `license` or `license-files` is dynamic, else `LICEN[CS]E*`, `COPYING*`, `NOTICE*` and
  `AUTHORS*` found next to pyproject.toml.

Errors are `ConfigError`s naming the file, `[project]` and the key. Nothing here runs a command;
only files the table names (readme, licenses) are read, relative to `root`.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from ..errors import ConfigError
from . import field_checks as checks
from . import pyproject_entries as entries
from . import pyproject_fields as fields
from .metadata import PackageMetadata

if sys.version_info >= (3, 11):
    pass
else:
    pass

T = TypeVar("T")

#: Every key of `[project]` and the TOML type it must have.
PROJECT_KEYS: dict[str, tuple[type, ...]] = {
    "name": (str,), "version": (str,), "description": (str,), "readme": (str, dict),
    "requires-python": (str,), "license": (str, dict), "license-files": (list,),
    "authors": (list,), "maintainers": (list,), "keywords": (list,), "classifiers": (list,),
    "urls": (dict,), "scripts": (dict,), "gui-scripts": (dict,), "entry-points": (dict,),
    "dependencies": (list,), "optional-dependencies": (dict,), "dynamic": (list,),
    "import-names": (list,), "import-namespaces": (list,),
}


def apply_project_table(
    base: PackageMetadata, project: Mapping[str, Any], *, root: Path, pyproject: Path
) -> PackageMetadata:
    """Merge a `[project]` table over Cargo's metadata (see the module docstring for the rules).

    `root` is the folder holding pyproject.toml (readme, license paths and globs are relative to
    it); `pyproject` is only used to name the file in messages.
    """
    ctx = checks.Context(root, pyproject)
    if not isinstance(project, Mapping):
        raise ConfigError(
            f"[project] in {pyproject} must be a table, not {checks.type_word(project)}"
        )
    _check_keys(project, ctx)
    merge = _Merge(project, _dynamic(project, ctx), ctx)
    core = base.core
    if "name" not in project:
        raise ctx.error("name", "is missing", hint=f'add name = "{core.name}"')
    license_expression, license_text, sources = _merge_license(merge, base)
    classifiers = merge.pick("classifiers", fields.classifiers, core.classifiers, ())
    if license_expression and "classifiers" in project:
        fields.no_license_classifiers(classifiers, ctx)
    requires_dist, provides_extra = _merge_requirements(merge, base)
    author, author_email = merge.pick("authors", fields.authors, (core.author, core.author_email),
                                      (None, None))
    maintainer, maintainer_email = merge.pick(
        "maintainers", fields.maintainers, (core.maintainer, core.maintainer_email), (None, None))
    description, content_type = merge.pick(
        "readme", fields.readme, (core.description, core.description_content_type), (None, None))
    new_core = replace(
        core,
        name=fields.name(project["name"], ctx),
        version=merge.pick("version", fields.version, core.version, core.version),
        summary=merge.pick("description", fields.summary, core.summary, None),
        description=description,
        description_content_type=content_type,
        keywords=merge.pick("keywords", fields.keywords, core.keywords, ()),
        author=author,
        author_email=author_email,
        maintainer=maintainer,
        maintainer_email=maintainer_email,
        license_expression=license_expression,
        license=license_text,
        license_files=tuple(sources),
        classifiers=classifiers,
        requires_dist=requires_dist,
        requires_python=merge.pick("requires-python", fields.requires_python, core.requires_python,
                                   None),
        project_urls=merge.pick("urls", fields.urls, core.project_urls, ()),
        home_page=core.home_page if "urls" in merge.dynamic and "urls" not in project else None,
        provides_extra=provides_extra,
    )
    console, gui, entry_points = _merge_entry_points(merge, base)
    return replace(base, core=new_core, console_scripts=console, license_sources=sources,
                   warnings=base.warnings + _warnings(merge, core.version),
                   gui_scripts=gui, entry_points=entry_points)


@dataclass(frozen=True)
class _Merge:
    """The rule of the module docstring: given wins, dynamic keeps Cargo's, else empty."""

    project: Mapping[str, Any]
    dynamic: frozenset[str]
    ctx: checks.Context

    def pick(self, key: str, parse: Callable[[Any, checks.Context], T], cargo: T, empty: T) -> T:
        if key in self.project and key in self.dynamic:
            return _overlay(parse(self.project[key], self.ctx), cargo)
        if key in self.project:
            return parse(self.project[key], self.ctx)
        return cargo if key in self.dynamic else empty


def _overlay(given: T, cargo: T) -> T:
    """maturin's merge of a key both given and dynamic: what the given value fills wins."""
    if isinstance(given, tuple) and isinstance(cargo, tuple) and len(given) == len(cargo) \
            and any(item is None for item in given):
        return type(given)(g if g is not None else c for g, c in zip(given, cargo))
    return given


def _warnings(merge: _Merge, cargo_version: str) -> tuple[str, ...]:
    warnings = []
    where = f"the [project] table of {merge.ctx.pyproject}"
    if "version" not in merge.project and "version" not in merge.dynamic:
        warnings.append(f"{where} has no `version`, so Cargo's {cargo_version} is used; "
                        'add "version" to `dynamic` to say so')
    for key in ("import-names", "import-namespaces"):
        if key in merge.project:
            warnings.append(f"`{key}` in {where} needs Core Metadata 2.5 and is ignored")
    for key in sorted(merge.dynamic & set(merge.project)):
        warnings.append(f"{where} gives `{key}` and also lists it in `dynamic`, which PEP 621 "
                        f"forbids; built as maturin does (the given value wins, Cargo.toml "
                        f"fills what it leaves empty): remove {key!r} from `dynamic`")
    warnings += merge.ctx.warnings
    return tuple(warnings)


_LicenseFields = tuple[Optional[str], Optional[str], Optional[tuple[str, Path]]]


def _merge_license(merge: _Merge, base: PackageMetadata
                   ) -> tuple[str | None, str | None, dict[str, Path]]:
    cargo: _LicenseFields = (base.core.license_expression, base.core.license, None)
    expression, text, license_file = merge.pick(
        "license", fields.license, cargo, (None, None, None)
    )
    project, ctx = merge.project, merge.ctx
    if "license-files" in project:
        if isinstance(project.get("license"), dict):
            raise ctx.error("license-files", "cannot be used with the legacy `license` table",
                            hint='write license = "<SPDX expression>" instead')
        sources = fields.license_files(project["license-files"], ctx)
    elif license_file is not None:
        sources = dict([license_file])
    elif merge.dynamic & {"license", "license-files"} and base.license_sources:
        sources = dict(base.license_sources)
    else:
        sources = fields.auto_license_files(ctx.root)
    return expression, text, sources


def _merge_requirements(merge: _Merge, base: PackageMetadata
                        ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Requires-Dist (plain, then per extra) and Provides-Extra."""
    cargo = base.core.requires_dist
    plain = tuple(r for r in cargo if not entries.has_extra(r))
    with_extra = tuple(r for r in cargo if entries.has_extra(r))
    dependencies = merge.pick("dependencies", entries.dependencies, plain, ())
    extras, extra_requirements = merge.pick(
        "optional-dependencies", entries.optional_dependencies,
        (base.core.provides_extra, with_extra), ((), ()))
    return dependencies + extra_requirements, extras


def _merge_entry_points(merge: _Merge, base: PackageMetadata
                        ) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    empty: dict[str, str] = {}
    console = merge.pick("scripts", entries.console_scripts, dict(base.console_scripts), empty)
    gui = merge.pick("gui-scripts", entries.gui_scripts, empty, empty)
    clash = sorted(set(console) & set(gui))
    if clash:
        raise merge.ctx.error(f"gui-scripts.{clash[0]}", "is also in [project.scripts]",
                              hint="give the two scripts different names")
    no_groups: dict[str, dict[str, str]] = {}
    return console, gui, merge.pick("entry-points", entries.entry_points, no_groups, no_groups)


def _check_keys(project: Mapping[str, Any], ctx: checks.Context) -> None:
    for key, value in project.items():
        expected = PROJECT_KEYS.get(key)
        if expected is None:
            close = difflib.get_close_matches(str(key), list(PROJECT_KEYS), n=1)
            raise ctx.error(key, "is not a [project] key (PEP 621)",
                            hint=f"did you mean `{close[0]}`?" if close
                            else "move tool settings to [tool.pyo3-pack]")
        if not isinstance(value, expected):
            words = " or ".join(checks.TYPE_WORDS[kind] for kind in expected)
            raise ctx.error(key, f"must be {words}, not {checks.type_word(value)}")


def _dynamic(project: Mapping[str, Any], ctx: checks.Context) -> frozenset[str]:
    names = checks.strings(project.get("dynamic", []), "dynamic", ctx)
    for name in names:
        if name == "name":
            raise ctx.error("dynamic", 'must not list "name"', hint="give name statically")
        if name not in PROJECT_KEYS or name == "dynamic":
            close = difflib.get_close_matches(name, list(PROJECT_KEYS), n=1)
            raise ctx.error("dynamic", f"lists {name!r}, which is not a [project] key",
                            hint=f"did you mean {close[0]!r}?" if close else None)
    return frozenset(names)

