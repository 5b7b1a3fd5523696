"""Checks shared by the `[project]` fields: the context that names the file in messages,
and the type checks every field needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError

TYPE_WORDS = {str: "a string", dict: "a table", list: "an array", bool: "a boolean",
              int: "an integer", float: "a float"}


@dataclass(frozen=True)
class Context:
    root: Path
    pyproject: Path
    warnings: list[str] = field(default_factory=list, compare=False)
    """What a field accepted although a spec says otherwise (as maturin does)."""

    def error(self, key: str, what: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"`{key}` in the [project] table of {self.pyproject} {what}",
                           hint=hint)

    def read(self, key: str, relative: str) -> tuple[Path, str]:
        path = self.root / relative
        if not path.is_file():
            raise self.error(key, f"names {relative!r}, which is not a file in {self.root}",
                             hint="give a path relative to pyproject.toml")
        try:
            return path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise self.error(key, f"names {relative!r}, which is not UTF-8 text",
                             hint="save it as UTF-8") from None
        except OSError as exc:
            raise self.error(key, f"names {relative!r}, which cannot be read: "
                             f"{exc.strerror or exc}") from None


def check_subkeys(table: Mapping[str, Any], known: tuple[str, ...], key: str,
                   ctx: Context) -> None:
    for subkey in table:
        if subkey not in known:
            allowed = ", ".join(f"`{k}`" for k in known)
            raise ctx.error(f"{key}.{subkey}", "is not allowed", hint=f"use {allowed}")


def string(value: Any, key: str, ctx: Context) -> str:
    if not isinstance(value, str):
        raise ctx.error(key, f"must be a string, not {type_word(value)}")
    return value


def array(value: Any, key: str, ctx: Context) -> list[Any]:
    if not isinstance(value, list):
        raise ctx.error(key, f"must be an array of strings, not {type_word(value)}")
    return value


def strings(value: Any, key: str, ctx: Context) -> tuple[str, ...]:
    for item in array(value, key, ctx):
        if not isinstance(item, str):
            raise ctx.error(key, f"must be an array of strings, but has {type_word(item)}")
    return tuple(value)


def type_word(value: Any) -> str:
    return TYPE_WORDS.get(type(value), type(value).__name__)


def one_line(text: str) -> str:
    return " ".join(text.split())

