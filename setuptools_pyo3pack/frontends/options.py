"""Command-line flags made from the settings model, and parsed flags back as a `Source`.

A settings field with `option(cli=...)` becomes a flag of every command that shows its
group, with its docstring as help; adding an option needs no change here.
"""

from __future__ import annotations

import argparse
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from ..config.chain import Source, fields, split_text
from ..config.docs import field_docs
from ..config.settings import GROUPS
from ..config.sources import values_source

_TITLES = {"cargo": "cargo", "layout": "project", "audit": "platform tag (Linux)",
           "output": "output", "sbom": "software bill of materials"}


def add_settings_options(parser: argparse.ArgumentParser, groups: Collection[str], *,
                         only: Collection[str] = ()) -> None:
    """Flags for the fields of `groups` (and the single fields in `only`)."""
    docs = field_docs()
    for group, _ in GROUPS:
        chosen = [info for info in fields().values() if info.option.cli
                  and ((group in groups and info.path.startswith(group + "."))
                       or (info.path in only and info.path.startswith(group + ".")))]
        if not chosen:
            continue
        section = parser.add_argument_group(_TITLES[group])
        for info in chosen:
            text = docs.get(info.path, "").replace("%", "%%")
            kwargs: dict[str, Any] = {"dest": info.path, "default": argparse.SUPPRESS,
                                      "help": text}
            if info.kind is bool:  # `--strip`, or `--strip false` as maturin takes it
                kwargs.update(nargs="?", const=True, type=_boolean, metavar="true|false")
            elif info.kind is tuple and info.option.many:
                kwargs.update(action="extend", nargs="+", metavar=info.option.metavar)
            elif info.kind is tuple:
                kwargs.update(action="append", metavar=info.option.metavar)
            else:
                kwargs["metavar"] = info.option.metavar
            section.add_argument(*info.option.cli, **kwargs)


def _boolean(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise argparse.ArgumentTypeError(f"expected true or false, not {text!r}")
    return value in ("true", "1", "yes", "on")


def namespace_source(args: argparse.Namespace, extra: Mapping[str, Any] | None = None) -> Source:
    """The settings the user gave as flags (and `extra` values a command adds)."""
    given = vars(args)
    values: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for path, info in fields().items():
        if path not in given:
            continue
        value = given[path]
        if info.kind is tuple and not info.option.many:  # `-F "a,b"`: split as the field says
            value = [word for item in value for word in split_text(item, info.option.split)]
        values[path] = value
        labels[path] = info.option.cli[-1]
    values.update(extra or {})
    return values_source(None, values, Path.cwd(), labels)
