"""A small TOML scanner and writer, so Cargo.toml can be edited in place.

tomllib reads TOML but cannot write it. The scanner finds where each key, value and table
header sits in the original text, so an edit replaces exactly one value and keeps the rest of
the file (comments, order, formatting) as the user wrote it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9 and 3.10
    import tomli as tomllib

__all__ = ["Entry", "Header", "Key", "scan", "toml_key", "toml_tables", "toml_value", "tomllib"]

Key = tuple[str, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Entry:
    """One `key = value` of the document; `table + key` is its full path."""

    table: Key
    key: Key
    start: int
    end: int
    value_start: int
    inline: bool
    """Inside an inline table: `table` is then the full path of that inline table."""

    @property
    def full(self) -> Key:
        return self.table + self.key


@dataclass(frozen=True)
class Header:
    key: Key
    start: int


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.entries: list[Entry | None] = []
        self.headers: list[Header] = []

    def error(self, what: str) -> ValueError:
        line = self.text.count("\n", 0, self.pos) + 1
        return ValueError(f"{what} on line {line}")

    def peek(self, count: int = 1) -> str:
        return self.text[self.pos:self.pos + count]

    def skip_blank(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self.pos += 1
            elif newlines and char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def key(self) -> Key:
        parts = []
        while True:
            self.skip_blank(False)
            if self.peek() in ('"', "'"):
                start = self.pos
                self.string()
                parts.append(str(tomllib.loads(f"k = {self.text[start:self.pos]}")["k"]))
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise self.error("expected a key")
                parts.append(match.group())
                self.pos = match.end()
            self.skip_blank(False)
            if self.peek() != ".":
                return tuple(parts)
            self.pos += 1

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            end = self.text.find(quote * 3, self.pos + 3)
            while quote == '"' and end > 0 and _escaped(self.text, end):
                end = self.text.find(quote * 3, end + 1)
            if end < 0:
                raise self.error("unterminated string")
            self.pos = end + 3
            while self.peek() == quote:  # up to two quotes may close the content
                self.pos += 1
            return
        end = self.text.find(quote, self.pos + 1)
        while quote == '"' and end > 0 and _escaped(self.text, end):
            end = self.text.find(quote, end + 1)
        if end < 0:
            raise self.error("unterminated string")
        self.pos = end + 1

    def value(self, table: Key, record: bool) -> None:
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.pos += 1
            while True:
                self.skip_blank(True)
                if self.peek() == "]":
                    self.pos += 1
                    return
                self.value(table, False)
                self.skip_blank(True)
                if self.peek() == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.skip_blank(False)
                if self.peek() == "}":
                    self.pos += 1
                    return
                self.pair(table, inline=True, record=record)
                self.skip_blank(False)
                if self.peek() == ",":
                    self.pos += 1
        else:
            match = re.compile(r"[^,\]}#\n]+").match(self.text, self.pos)
            if not match or not match.group().strip():
                raise self.error("expected a value")
            self.pos = match.start() + len(match.group().rstrip())

    def pair(self, table: Key, *, inline: bool, record: bool) -> None:
        start = self.pos
        key = self.key()
        if self.peek() != "=":
            raise self.error("expected `=`")
        self.pos += 1
        self.skip_blank(False)
        value_start = self.pos
        index = len(self.entries)
        self.entries.append(None)
        self.value(table + key, record)
        if record:
            self.entries[index] = Entry(table, key, start, self.pos, value_start, inline)

    def document(self) -> None:
        table: Key = ()
        while True:
            self.skip_blank(True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.peek() == "[":
                double = self.peek(2) == "[["
                self.pos += 2 if double else 1
                table = self.key()
                self.pos += 2 if double else 1
                self.headers.append(Header(table, start))
            else:
                self.pair(table, inline=False, record=True)


def _escaped(text: str, index: int) -> bool:
    backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
    return backslashes % 2 == 1


def scan(text: str) -> tuple[list[Entry], list[Header]]:
    """Every key/value (also inside inline tables) and every table header, with positions."""
    scanner = _Scanner(text)
    scanner.document()
    return [e for e in scanner.entries if e is not None], scanner.headers


def toml_key(key: Key) -> str:
    return ".".join(part if _BARE_KEY.fullmatch(part) else json.dumps(part) for part in key)


def toml_value(value: Any) -> str:
    """A value as inline TOML (strings, numbers, booleans, arrays, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key((str(k),))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    return str(value.isoformat())  # dates and times


def toml_tables(prefix: Key, table: Mapping[str, Any]) -> str:
    """`table` as `[prefix]` sections (nested tables get their own headers)."""
    plain = {k: v for k, v in table.items() if not isinstance(v, Mapping)}
    text = f"\n[{toml_key(prefix)}]\n" if plain or not table else ""
    text += "".join(f"{toml_key((k,))} = {toml_value(v)}\n" for k, v in plain.items())
    for name, value in table.items():
        if isinstance(value, Mapping):
            text += toml_tables((*prefix, name), value)
    return text


