"""Checking a settings table: value types, and unknown keys with a "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError

_TYPE_WORDS = {dict: "table", list: "list", str: "string", bool: "boolean", int: "integer",
               float: "float", tuple: "list"}


def type_word(kind: type | tuple[type, ...]) -> str:
    """`str` -> `string`: TOML's names for Python types, for messages."""
    if isinstance(kind, tuple):
        return " or ".join(type_word(k) for k in kind)
    return _TYPE_WORDS.get(kind, kind.__name__)


def unknown_key_warning(key: str, known: Sequence[str], where: str) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    suggestion = f"; did you mean `{close[0]}`?" if close else ""
    return f"unknown key `{key}` in {where}{suggestion}"


def check_table(
    table: Mapping[str, Any], known: Mapping[str, type | tuple[type, ...]], where: str
) -> list[str]:
    """Type-check a config table; return warnings for unknown keys (with a suggestion)."""
    warnings = []
    for key, value in table.items():
        expected = known.get(key)
        if expected is None:
            warnings.append(unknown_key_warning(key, list(known), where))
        elif not isinstance(value, expected):
            raise ConfigError(
                f"`{key}` in {where} must be a {type_word(expected)}, "
                f"not {type_word(type(value))}"
            )
    return warnings


def string_list(value: Sequence[Any], key: str, where: str) -> tuple[str, ...]:
    if not all(isinstance(item, str) for item in value):
        raise ConfigError(f"`{key}` in {where} must be a list of strings")
    return tuple(value)
