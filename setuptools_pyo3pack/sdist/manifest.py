"""Cargo.toml rewriting for sdists: path dependencies moved, workspace inheritance resolved.

tomllib reads TOML but cannot write it, so the original text is kept and only the values that
must change are replaced, at positions found by a small scanner (`toml_edit.scan`). The result
is parsed again and checked, so a rewrite either is exactly what was meant or fails clearly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .toml_edit import Entry, Header, Key, scan, toml_key, toml_value, tomllib

__all__ = ["ManifestPlan", "Workspace", "rewrite_manifest"]
_DEPENDENCY_TABLES = {"dependencies", "dev-dependencies", "build-dependencies",
                      "dev_dependencies", "build_dependencies"}
#: `[package]` fields a workspace member may inherit whose value is a path.
_PATH_FIELDS = ("readme", "license-file")


@dataclass(frozen=True)
class Workspace:
    """The `[workspace]` table members inherit from, and the folder of its Cargo.toml."""

    root: Path
    table: Mapping[str, Any]


@dataclass(frozen=True)
class ManifestPlan:
    """How one Cargo.toml changes on its way into the sdist."""

    where: str
    """The original manifest's path, for messages."""
    package_dir: Path
    workspace: Workspace | None
    relocate: Callable[[Path], str]
    """A path dependency's original folder -> the `path` value the sdist's copy needs."""
    root: bool
    """The crate the sdist builds: it becomes its own workspace root."""
    appended: str = ""
    """Text added at the end (e.g. the workspace's `[profile]` tables)."""


def is_dependency_table(key: Key) -> bool:
    if len(key) == 1:
        return key[0] in _DEPENDENCY_TABLES
    return len(key) == 3 and key[0] == "target" and key[2] in _DEPENDENCY_TABLES


def dependency_tables(data: Mapping[str, Any]) -> list[tuple[Key, Mapping[str, Any]]]:
    """Every dependency table of a parsed manifest, with its key path."""
    found: list[tuple[Key, Mapping[str, Any]]] = [
        ((name,), data[name]) for name in sorted(_DEPENDENCY_TABLES) if name in data]
    for platform, table in (data.get("target") or {}).items():
        found += [(("target", platform, name), table[name])
                  for name in sorted(_DEPENDENCY_TABLES) if name in table]
    return found


class _Edits:
    def __init__(self, text: str, entries: list[Entry]) -> None:
        self.text = text
        self.entries = entries
        self.changes: list[tuple[int, int, str]] = []

    def find(self, full: Key) -> Entry | None:
        return next((e for e in self.entries if e.full == full), None)

    def replace(self, start: int, end: int, new: str) -> None:
        self.changes.append((start, end, new))

    def delete_line(self, entry: Entry) -> None:
        start = self.text.rfind("\n", 0, entry.start) + 1
        end = self.text.find("\n", entry.end)
        self.changes.append((start, len(self.text) if end < 0 else end + 1, ""))

    def apply(self) -> str:
        text = self.text
        last = len(text) + 1
        for start, end, new in sorted(self.changes, reverse=True):
            if end > last:
                raise ValueError("overlapping edits")
            text = text[:start] + new + text[end:]
            last = start
        return text

    def inherit(self, full: Key, value: Any, own: Mapping[str, Any]) -> None:
        """Replace the `workspace = true` of the item at `full` with the inherited `value`.

        `own` holds the other keys the member sets on it (a dependency's features or
        `optional`); `value` already has them merged in.
        """
        marker = self.find((*full, "workspace"))
        if marker is None:
            raise ValueError(f"cannot locate `{toml_key(full)}.workspace`")
        if marker.inline:
            holder = self.find(full)
            assert holder is not None
            self.replace(holder.value_start, holder.end, toml_value(value))
            return
        prefix = marker.key[:-1]
        if not isinstance(value, Mapping):
            self.replace(marker.start, marker.end, f"{toml_key(prefix)} = {toml_value(value)}")
            return
        lines = [f"{toml_key((*prefix, k))} = {toml_value(v)}"
                 for k, v in value.items() if k not in own]
        self.replace(marker.start, marker.end, "\n".join(lines))
        features = self.find((*full, "features"))
        if "features" in own and features is not None:
            self.replace(features.value_start, features.end, toml_value(value["features"]))


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _inherited_field(name: str, value: Any, plan: ManifestPlan) -> Any:
    if name in _PATH_FIELDS and isinstance(value, str) and plan.workspace is not None:
        return _package_file(plan.workspace.root / value, plan.package_dir)
    return value


def _package_file(path: Path, package_dir: Path) -> str:
    """cargo packs a readme or license file from outside the package at the package root."""
    relative = _relative(path, package_dir)
    return path.name if relative.startswith("../") else relative


def _inherited_dependency(name: str, own: Mapping[str, Any], plan: ManifestPlan) -> Any:
    assert plan.workspace is not None
    shared = (plan.workspace.table.get("dependencies") or {}).get(name)
    if shared is None:
        raise ConfigError(f"dependency `{name}` of {plan.where} says `workspace = true` but "
                          f"[workspace.dependencies] of {plan.workspace.root} has no `{name}`")
    merged: dict[str, Any] = {"version": shared} if isinstance(shared, str) else dict(shared)
    if "path" in merged:
        merged["path"] = plan.relocate((plan.workspace.root / merged["path"]).resolve())
    for key, value in own.items():
        if key == "features":
            merged["features"] = list(dict.fromkeys([*merged.get("features", []), *value]))
        elif key != "workspace":
            merged[key] = value
    return merged


def rewrite_manifest(text: str, plan: ManifestPlan) -> str:
    """The manifest as the sdist needs it; the result is parsed again and checked."""
    try:
        data = tomllib.loads(text)
        entries, headers = scan(text)
        edits = _Edits(text, entries)
        expected = _plan_edits(data, edits, headers, plan)
        new_text = edits.apply() + plan.appended
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot rewrite {plan.where} for the sdist: {exc}",
                          hint="simplify that part of Cargo.toml, or report it") from None
    check_rewritten(new_text, expected, plan.where)
    return new_text


def _plan_edits(data: Mapping[str, Any], edits: _Edits, headers: Sequence[Header],
                plan: ManifestPlan) -> dict[Key, str]:
    """Queue every edit; return the `path` each path dependency must end up with."""
    package = data.get("package") or {}
    for name, value in package.items():
        if isinstance(value, Mapping) and value.get("workspace") is True:
            if plan.workspace is None:
                raise ConfigError(f"`package.{name}` of {plan.where} is inherited from a "
                                  "workspace, but no workspace Cargo.toml was found above it")
            inherited = (plan.workspace.table.get("package") or {}).get(name)
            if inherited is None:
                raise ConfigError(f"`package.{name}` of {plan.where} is inherited, but "
                                  f"[workspace.package] of {plan.workspace.root} has no `{name}`")
            edits.inherit(("package", name), _inherited_field(name, inherited, plan), {})
        elif name in _PATH_FIELDS and isinstance(value, str):
            new = _package_file(plan.package_dir / value, plan.package_dir)
            entry = edits.find(("package", name))
            if new != value and entry is not None:
                edits.replace(entry.value_start, entry.end, toml_value(new))
    if "workspace" in package and (entry := edits.find(("package", "workspace"))):
        edits.delete_line(entry)
    lints = data.get("lints")
    if isinstance(lints, Mapping) and lints.get("workspace") is True:
        edits.inherit(("lints",), dict((plan.workspace.table if plan.workspace else {})
                                       .get("lints") or {}), {})
    expected: dict[Key, str] = {}
    for table_key, table in dependency_tables(data):
        for name, spec in table.items():
            if not isinstance(spec, Mapping):
                continue
            if spec.get("workspace") is True:
                if plan.workspace is None:
                    raise ConfigError(f"dependency `{name}` of {plan.where} is inherited from "
                                      "a workspace, but no workspace Cargo.toml was found")
                merged = _inherited_dependency(name, spec, plan)
                edits.inherit((*table_key, name), merged, spec)
                if "path" in merged:
                    dependency = (*table_key, name)
                    expected[dependency] = merged["path"]
            elif isinstance(spec.get("path"), str):
                new = plan.relocate((plan.package_dir / spec["path"]).resolve())
                dependency = (*table_key, name)
                expected[dependency] = new
                entry = edits.find((*table_key, name, "path"))
                if entry is None:
                    raise ValueError(f"cannot locate the path of dependency `{name}`")
                if new != spec["path"]:
                    edits.replace(entry.value_start, entry.end, toml_value(new))
    _plan_workspace_table(data, edits, headers, plan)
    return expected


def _plan_workspace_table(data: Mapping[str, Any], edits: _Edits, headers: Sequence[Header],
                          plan: ManifestPlan) -> None:
    """The built crate is its own workspace root (with no other members); others have none."""
    if "workspace" not in data:
        if plan.root:
            edits.replace(len(edits.text), len(edits.text),
                          ("" if edits.text.endswith("\n") else "\n") + "\n[workspace]\n")
        return
    if plan.root:
        members = edits.find(("workspace", "members"))
        if members is not None:
            edits.replace(members.value_start, members.end, "[]")
        for key in ("default-members",):
            entry = edits.find(("workspace", key))
            if entry is not None:
                edits.delete_line(entry)
        return
    for index, header in enumerate(headers):
        if header.key[0] == "workspace":
            end = headers[index + 1].start if index + 1 < len(headers) else len(edits.text)
            edits.replace(header.start, end, "")
    for entry in edits.entries:
        if not entry.inline and entry.table == () and entry.key[0] == "workspace":
            edits.delete_line(entry)


def check_rewritten(text: str, expected_paths: Mapping[Key, str], where: str) -> None:
    """The rewritten manifest parses, inherits nothing, and has the planned dependency paths."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"rewriting {where} for the sdist produced invalid TOML ({exc})",
                          hint="please report this with the Cargo.toml") from None
    leftovers = [f"package.{k}" for k, v in (data.get("package") or {}).items()
                 if isinstance(v, Mapping) and v.get("workspace") is True]
    found: dict[Key, str] = {}
    for table_key, table in dependency_tables(data):
        for name, spec in table.items():
            if isinstance(spec, Mapping) and spec.get("workspace") is True:
                leftovers.append(toml_key((*table_key, name)))
            if isinstance(spec, Mapping) and isinstance(spec.get("path"), str):
                dependency = (*table_key, name)
                found[dependency] = spec["path"]
    if leftovers or found != dict(expected_paths):
        detail = f"still inherits {', '.join(leftovers)}" if leftovers else \
            "its dependency paths did not come out as planned"
        raise ConfigError(f"rewriting {where} for the sdist failed: {detail}",
                          hint="please report this with the Cargo.toml")
