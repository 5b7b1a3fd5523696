"""`[tool.setuptools-rust]` in pyproject.toml, read as setuptools-rust reads it.

`ext-modules` and `bins` are lists of tables whose keys are the arguments of
`RustExtension` and `RustBin` with dashes (`py-limited-api`, `cargo-manifest-args`);
`binding` and `strip` name a member (`"PyO3"`, `"Exec"`, `"All"`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from .rust_extension import Binding, RustBin, RustExtension, Strip

TABLE = "setuptools-rust"
_ENUMS: dict[str, type[Binding] | type[Strip]] = {"binding": Binding, "strip": Strip}


def has_table(folder: Path) -> bool:
    """A cheap look before parsing: could pyproject.toml hold a `[tool.setuptools-rust]`?"""
    path = folder / "pyproject.toml"
    try:
        return TABLE.encode() in path.read_bytes()
    except OSError:
        return False


def extensions_from_table(table: Mapping[str, Any], where: str) -> list[RustExtension]:
    """The RustExtension and RustBin objects `[tool.setuptools-rust]` describes."""
    known = {"ext-modules": RustExtension, "bins": RustBin}
    found: list[RustExtension] = []
    for key, value in table.items():
        kind = known.get(key)
        if kind is None:
            raise ConfigError(f"unknown key `{key}` in [tool.{TABLE}] of {where}",
                              hint="use ext-modules or bins")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(f"`{key}` in [tool.{TABLE}] of {where} must be a list of tables")
        for index, entry in enumerate(value):
            found.append(_create(kind, entry, f"[tool.{TABLE}] {key}[{index}] of {where}"))
    return found


def _create(kind: type[RustExtension], entry: Mapping[str, Any], where: str) -> RustExtension:
    arguments: dict[str, Any] = {}
    for key, value in entry.items():
        name = str(key).replace("-", "_")
        enum_type = _ENUMS.get(name)
        if enum_type is not None:
            try:
                value = enum_type[value]
            except KeyError:
                choices = ", ".join(member.name for member in enum_type)
                raise ConfigError(f"`{key}` in {where} is {value!r}",
                                  hint=f"use one of {choices}") from None
        arguments[name] = value
    if "target" not in arguments:
        raise ConfigError(f"{where} has no `target`")
    created = kind(**arguments)
    if created.problem is not None:
        raise ConfigError(f"{where}: {created.problem.message}", hint=created.problem.hint)
    return created
