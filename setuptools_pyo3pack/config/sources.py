"""Building the chain's sources: a `[tool.pyo3-pack]`-style table (and its per-target
tables), the environment, PEP 517 config_settings, and values a front door holds."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .chain import TARGET_TABLES, FieldInfo, Source, fields, split_text
from .settings import TABLE_GROUPS
from .tables import unknown_key_warning


def _by_key(*, text_only: bool) -> dict[str, FieldInfo]:
    return {key: info for info in fields().values() if info.option.toml or text_only
            for key in info.keys}


def table_source(table: Mapping[str, Any], where: str, base: Path | None
                 ) -> tuple[Source, list[str]]:
    """A `[tool.pyo3-pack]`-style table; warnings name unknown keys with a suggestion.

    A group's own sub-table (`sbom = { rust = false }`) is read with the group's keys; the
    per-target tables (`target."<triple>"`) are not settings of this source (see
    `target_table`)."""
    known = _by_key(text_only=False)
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    warnings: list[str] = []
    for key, raw in table.items():
        key = str(key)
        if key == TARGET_TABLES and isinstance(raw, Mapping):
            continue
        if key in TABLE_GROUPS and isinstance(raw, Mapping):
            inner = {info.table_key: info for info in fields().values()
                     if info.group == key and info.option.toml}
            for sub, sub_raw in raw.items():
                info = inner.get(str(sub))
                if info is None:
                    warnings.append(unknown_key_warning(str(sub), list(inner),
                                                        f"the `{key}` table of {where}"))
                    continue
                values[info.path] = sub_raw
                labels[info.path] = f"{key}.{sub}"
            continue
        info = known.get(key)
        if info is None:
            warnings.append(unknown_key_warning(key, list(known), where))
            continue
        values[info.path] = raw
        labels[info.path] = key
    return Source(where, values, base, labels=labels), warnings


def target_table(table: Mapping[str, Any], triple: str, where: str, base: Path | None
                 ) -> tuple[Source, list[str]] | None:
    """The settings of `[tool.maturin.target."<triple>"]` for this build's target, or None
    when the table has none for it; `where` names that table, for messages."""
    tables = table.get(TARGET_TABLES)
    if not isinstance(tables, Mapping) or not isinstance(tables.get(triple), Mapping):
        return None
    return table_source(tables[triple], where, base)


def target_triples(table: Mapping[str, Any]) -> list[str]:
    """The triples the tool table has per-target tables for."""
    tables = table.get(TARGET_TABLES)
    return [str(k) for k, v in tables.items() if isinstance(v, Mapping)] \
        if isinstance(tables, Mapping) else []


def environment_source(environ: Mapping[str, str]) -> Source:
    """`PYO3_PACK_<NAME>` (and each field's older variable names) from the environment."""
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for info in fields().values():
        if not info.option.env:
            continue
        for variable in info.env:
            if variable in environ:
                values[info.path] = environ[variable]
                labels[info.path] = variable
    return Source("the environment", values, Path.cwd(), text=True, labels=labels)


def config_settings_source(config_settings: Mapping[str, str | list[str]] | None
                           ) -> tuple[Source, list[str]]:
    """PEP 517 config_settings: the TOML keys, as strings (a list when given twice)."""
    known = _by_key(text_only=False)
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    warnings: list[str] = []
    for key, raw in (config_settings or {}).items():
        info = known.get(key)
        if info is None:
            warnings.append(unknown_key_warning(key, list(known), "config_settings"))
            continue
        items = [raw] if isinstance(raw, str) else list(raw)
        if info.kind is tuple or info.option.parse is not None:
            values[info.path] = [word for item in items
                                 for word in split_text(item, info.option.split)]
        elif items:
            values[info.path] = items[-1]
        else:
            raise ConfigError(f"`{key}` in config_settings is an empty list",
                              hint=f"give it one value, e.g. `-C {key}=...`, or leave it out")
        labels[info.path] = key
    return Source("config_settings", values, Path.cwd(), text=True, labels=labels), warnings


def values_source(where: str | None, values: Mapping[str, Any], base: Path | None = None,
                  labels: Mapping[str, str] | None = None) -> Source:
    """Values a front door already holds (defaults, parsed flags, RustCrate arguments)."""
    unknown = sorted(set(values) - set(fields()))
    if unknown:
        raise ValueError(f"not settings fields: {unknown}")
    return Source(where, dict(values), base, labels=dict(labels or {}))
