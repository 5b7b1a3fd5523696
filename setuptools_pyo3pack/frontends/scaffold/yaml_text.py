"""A small YAML writer for CI files: block mappings and sequences of plain data.

Strings that YAML could read as something else are written JSON-quoted (a JSON string is a
valid YAML double-quoted scalar); strings with newlines as literal blocks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Union

Value = Union[str, int, bool, None, Sequence["Value"], Mapping[str, "Value"]]

#: plain scalars that stay strings in YAML 1.1 and 1.2 readers
_PLAIN = re.compile(r"^[A-Za-z_/$][A-Za-z0-9_./${}()\[\] ,'*=@>|-]*$")
_SPECIAL = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(value: str | int | bool | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if (_PLAIN.match(value) and value.lower() not in _SPECIAL and not value.endswith(" ")
            and ": " not in value and " #" not in value and not value.startswith("${{")):
        return value
    return json.dumps(value)


def dump(data: Mapping[str, Value]) -> str:
    """`data` as a YAML document."""
    return "".join(f"{line}\n" for line in _mapping(data, 0))


def _literal(value: str) -> bool:
    """Whether a literal block keeps `value` exactly: lines, and at most one newline at the
    end, with no line starting with a blank or control character."""
    lines = value.rstrip("\n").split("\n")
    return ("\n" in value and not value.endswith("\n\n") and not value.startswith("\n")
            and all(line.isprintable() and not line.startswith(" ") for line in lines))


def _key(key: str) -> str:
    return scalar(key)


def _mapping(data: Mapping[str, Value], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        lines += _entry(f"{pad}{_key(key)}:", value, indent)
    return lines


def _entry(head: str, value: Value, indent: int) -> list[str]:
    """`head` (`key:` or `- key:`) followed by `value`, nested two spaces deeper."""
    if isinstance(value, Mapping):
        return [head + " {}"] if not value else [head, *_mapping(value, indent + 2)]
    if isinstance(value, str) and _literal(value):
        body = [f"{' ' * (indent + 2)}{line}" if line else "" for line in value.splitlines()]
        return [f"{head} {'|' if value.endswith(chr(10)) else '|-'}", *body]
    if isinstance(value, (str, int, bool)) or value is None:
        return [f"{head} {scalar(value)}"]
    return [head + " []"] if not value else [head, *_sequence(value, indent + 2)]


def _sequence(items: Sequence[Value], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping) and not item:
            lines.append(f"{pad}- {{}}")
        elif isinstance(item, Mapping):
            first, *rest = item.items()
            lines += _entry(f"{pad}- {_key(first[0])}:", first[1], indent + 2)
            for key, value in rest:
                lines += _entry(f"{pad}  {_key(key)}:", value, indent + 2)
        elif isinstance(item, (str, int, bool)) or item is None:
            lines += _entry(f"{pad}-", item, indent)
        else:
            raise TypeError(f"nested sequences are not written: {item!r}")
    return lines
