"""Checking a settings table: value types, and unknown keys with a "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError


def check_table(
    table: Mapping[str, Any], known: Mapping[str, type | tuple[type, ...]], where: str
) -> list[str]:
    """Type-check a config table; return warnings for unknown keys (with a suggestion)."""
    warnings = []
    for key, value in table.items():
        expected = known.get(key)
        if expected is None:
            close = difflib.get_close_matches(key, list(known), n=1)
            suggestion = f"; did you mean `{close[0]}`?" if close else ""
            warnings.append(f"unknown key `{key}` in {where}{suggestion}")
        elif not isinstance(value, expected):
            raise ConfigError(
                f"`{key}` in {where} must be a {_type_word(expected)}, "
                f"not {_type_word(type(value))}"
            )
    return warnings


def _type_word(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(_type_word(k) for k in kind)
    return {dict: "table", list: "list", str: "string", bool: "boolean", int: "integer"}.get(
        kind, kind.__name__
    )


def string_list(value: Sequence[Any], key: str, where: str) -> tuple[str, ...]:
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"`{key}` in {where} must be a list of strings")
    return tuple(value)
