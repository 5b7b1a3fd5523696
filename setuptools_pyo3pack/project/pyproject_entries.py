"""`[project]` requirements and entry points: PEP 508 requirements, extras, scripts and
entry-point groups, each checked and converted to its Core Metadata form."""

from __future__ import annotations

import re
from typing import Any

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidName, canonicalize_name

from .field_checks import Context, array, string, strings, type_word

_DOTTED = r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*"
_REFERENCE = re.compile(rf"^\s*{_DOTTED}\s*(?::\s*{_DOTTED}\s*)?(?:\[[\w\s,.-]*\]\s*)?$")
_GROUP = re.compile(r"^\w+(?:[.-]\w+)*$")


def _requirements(value: list[Any], key: str, ctx: Context) -> tuple[str, ...]:
    requirements = []
    for text in strings(value, key, ctx):
        try:
            requirements.append(str(Requirement(text)))
        except InvalidRequirement as exc:
            raise ctx.error(key, f"has {text!r}, which is not a PEP 508 requirement: "
                            f"{(str(exc).splitlines() or [''])[0]}") from None
    return tuple(requirements)


def dependencies(value: list[Any], ctx: Context) -> tuple[str, ...]:
    return _requirements(value, "dependencies", ctx)


def optional_dependencies(value: dict[str, Any], ctx: Context
                           ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    extras: dict[str, str] = {}
    requirements: list[str] = []
    for extra, items in value.items():
        key = f"optional-dependencies.{extra}"
        try:
            name = canonicalize_name(extra, validate=True)
        except InvalidName:
            raise ctx.error(key, f"uses {extra!r}, which is not a valid extra name",
                            hint="use letters, digits, `-`, `_` and `.`") from None
        if name in extras:
            raise ctx.error(key, f"is the same extra as `{extras[name]}` once normalised to "
                            f"{name!r}", hint="merge the two lists")
        extras[name] = extra
        for text in _requirements(array(items, key, ctx), key, ctx):
            requirement = Requirement(text)
            condition = f'extra == "{name}"'
            if requirement.marker is not None:
                condition = f"({requirement.marker}) and {condition}"
            requirement.marker = Marker(condition)
            requirements.append(str(requirement))
    return tuple(extras), tuple(requirements)


def has_extra(requirement: str) -> bool:
    try:
        marker = Requirement(requirement).marker
    except InvalidRequirement:
        return False
    return marker is not None and "extra" in str(marker)


def _scripts(value: dict[str, Any], key: str, ctx: Context) -> dict[str, str]:
    scripts = _entries(value, key, ctx)
    for name, target in scripts.items():
        if ":" not in target:
            raise ctx.error(f"{key}.{name}", f"is {target!r}, which names no function",
                            hint='write it as "package.module:function"')
    return scripts


def console_scripts(value: dict[str, Any], ctx: Context) -> dict[str, str]:
    return _scripts(value, "scripts", ctx)


def gui_scripts(value: dict[str, Any], ctx: Context) -> dict[str, str]:
    return _scripts(value, "gui-scripts", ctx)


def entry_points(value: dict[str, Any], ctx: Context) -> dict[str, dict[str, str]]:
    groups = {}
    for group, entries in value.items():
        key = f"entry-points.{group}"
        if group in ("console_scripts", "gui_scripts"):
            table = "scripts" if group == "console_scripts" else "gui-scripts"
            raise ctx.error(key, "is not allowed (PEP 621)", hint=f"use [project.{table}]")
        if not _GROUP.match(group):
            raise ctx.error(key, f"uses {group!r}, which is not a valid entry-point group",
                            hint="use dotted words like myapp.plugins")
        if not isinstance(entries, dict):
            raise ctx.error(key, f"must be a table, not {type_word(entries)}")
        groups[group] = _entries(entries, key, ctx)
    return groups


def _entries(value: dict[str, Any], key: str, ctx: Context) -> dict[str, str]:
    entries = {}
    for name, target in value.items():
        where = f"{key}.{name}"
        target = string(target, where, ctx)
        if not name.strip() or "=" in name or name.startswith("[") or "\n" in name:
            raise ctx.error(where, "has an invalid name", hint="use no `=`, `[` or newline")
        if not _REFERENCE.match(target):
            raise ctx.error(where, f"is {target!r}, which is not an object reference",
                            hint='write it as "package.module:object"')
        entries[name] = target.strip()
    return entries

