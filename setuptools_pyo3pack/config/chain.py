"""The one precedence chain: every source of settings, merged once into `Settings`.

Sources, lowest first: the front door's defaults, `[tool.pyo3-pack]` (or `[tool.maturin]`),
the environment (`PYO3_PACK_<NAME>`), then what the front door was told directly (the
command line, PEP 517 config_settings, `RustCrate(...)` arguments). For a plain field the
highest source that sets it wins; a `merge` field (features, extra arguments) collects every
source's items, lowest first. Each value is checked and converted here, so a typo or a wrong
type is one line naming the key and where it was written.
"""

from __future__ import annotations

import dataclasses
import enum
import shlex
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from . import settings as model
from .option import Option, Split
from .settings import (
    BINDING_ALIASES,
    GROUPS,
    MATURIN_BINDINGS,
    TABLE_GROUPS,
    Settings,
)
from .tables import type_word

ENV_PREFIX = "PYO3_PACK_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_ENUM_LABELS = {model.Binding: "binding", model.AuditMode: "auditwheel mode",
                model.SdistGenerator: "sdist generator"}
#: The key of per-target tables: `[tool.maturin.target."<triple>"]`.
TARGET_TABLES = "target"


@dataclass(frozen=True)
class FieldInfo:
    """One settings field: its place in the model, its type and how it is set."""

    path: str
    """`group.name`, e.g. `cargo.features`."""
    kind: type[Any]
    """The value type with `Optional` removed (`tuple` for lists)."""
    option: Option

    @property
    def group(self) -> str:
        return self.path.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.path.split(".", 1)[1]

    @property
    def table_key(self) -> str:
        """The key inside the field's own table: `cargo-extra-args`, or `rust` in `sbom`."""
        return self.name.replace("_", "-")

    @property
    def key(self) -> str:
        """The flat key in TOML tables and config_settings: `cargo-extra-args`, `sbom-rust`."""
        if self.group in TABLE_GROUPS:
            return f"{self.group}-{self.table_key}"
        return self.table_key

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.option.aliases)

    @property
    def env(self) -> tuple[str, ...]:
        """Environment variables that set it: `PYO3_PACK_CARGO_EXTRA_ARGS` and aliases."""
        return (ENV_PREFIX + self.key.replace("-", "_").upper(), *self.option.env_aliases)


@lru_cache(maxsize=1)
def fields() -> dict[str, FieldInfo]:
    """Every settings field by path, in model order."""
    found: dict[str, FieldInfo] = {}
    for group, cls in GROUPS:
        hints = typing.get_type_hints(cls)
        for item in dataclasses.fields(cls):
            kind = hints[item.name]
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            if typing.get_origin(kind) is typing.Union and len(args) == 1:
                kind = args[0]
            if typing.get_origin(kind) is tuple:
                kind = tuple
            option = item.metadata.get("option", Option())
            found[f"{group}.{item.name}"] = FieldInfo(f"{group}.{item.name}", kind, option)
    return found


@dataclass(frozen=True)
class Source:
    """One place settings come from: raw values by field path, and how to name it."""

    where: str | None
    """For messages, e.g. `[tool.pyo3-pack] of /p/pyproject.toml`; None for the command line,
    whose messages name the flag alone."""
    values: Mapping[str, Any]
    base: Path | None = None
    """The folder relative paths are relative to."""
    text: bool = False
    """Values arrive as strings (environment, config_settings) and are parsed by type."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Field path -> what the user wrote (a key, a flag, a variable), for messages."""

    def origin(self, path: str) -> Origin:
        return Origin(self.labels.get(path, path.split(".", 1)[1].replace("_", "-")),
                      self.where)

    def describe(self, path: str) -> str:
        return str(self.origin(path))


@dataclass(frozen=True)
class Origin:
    """Where a value was written: the key, flag or variable, and the source (None: the
    command line)."""

    label: str
    source: str | None

    def __str__(self) -> str:
        return f"`{self.label}` in {self.source}" if self.source else f"`{self.label}`"


@dataclass(frozen=True)
class Resolved:
    """Settings and where each value set by a source came from."""

    settings: Settings
    origins: Mapping[str, Origin]
    """Field path -> where the winning value was written (for messages)."""
    ranks: Mapping[str, int] = field(default_factory=dict)
    """Field path -> the position of the winning source in the chain (higher wins)."""

    def where(self, path: str) -> str | None:
        """Where the value was written, e.g. "`module-name` in [tool.pyo3-pack] of ..."."""
        origin = self.origins.get(path)
        return str(origin) if origin else None

    def source(self, path: str) -> str | None:
        """Only the source (`[tool.maturin] of ...`, `the environment`), or None."""
        origin = self.origins.get(path)
        return origin.source if origin else None


def resolve(sources: Sequence[Source]) -> Resolved:
    """Merge `sources` (lowest precedence first) into Settings."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    ranks: dict[str, int] = {}
    for rank, source in enumerate(sources):
        for path, raw in source.values.items():
            info = fields()[path]
            value = convert(info, raw, source)
            if info.option.merge and path in values:
                value = (*values[path], *value)
                if info.option.split is Split.COMMA:  # names (features) count once;
                    value = tuple(dict.fromkeys(value))  # arguments keep their repeats
            values[path] = value
            origins[path] = source.origin(path)
            ranks[path] = rank
    groups = {
        group: cls(**{info.name: values[path] for path, info in fields().items()
                      if path.startswith(group + ".") and path in values})
        for group, cls in GROUPS
    }
    return Resolved(Settings(**groups), origins, ranks)


# -- converting one raw value ------------------------------------------------------------------


def convert(info: FieldInfo, raw: Any, source: Source) -> Any:
    """A raw value from `source` as the field's type, or a ConfigError naming it."""
    where = source.describe(info.path)
    if info.option.parse is not None:
        if source.text and isinstance(raw, str):
            raw = split_text(raw, info.option.split)
        return info.option.parse(raw, where)
    kind = info.kind
    if kind is bool:
        return _boolean(raw, where, source.text)
    if kind is tuple:
        return _strings(raw, where, info.option.split)
    if not isinstance(raw, (str, Path)):
        raise ConfigError(f"{where} must be a {type_word(str)}, not {type_word(type(raw))}")
    if kind is Path:
        try:
            path = Path(raw).expanduser()
        except RuntimeError:  # `~name` of a user this machine does not know
            raise ConfigError(f"{where} is `{raw}`, but there is no home folder for its `~`",
                              hint="write the path without `~`, or with the `~` of a user "
                                   "of this machine") from None
        return path if path.is_absolute() or source.base is None else source.base / path
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return _member(kind, str(raw), source)
    return str(raw)


def _boolean(raw: Any, where: str, text: bool) -> bool:
    if isinstance(raw, bool):
        return raw
    if text and isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise ConfigError(f"{where} must be a boolean, not {type_word(type(raw))}",
                      hint="use true or false" if not text else "use 1 or 0")


def split_text(text: str, how: Split) -> list[str]:
    if how is Split.SHELL:
        try:
            return shlex.split(text)
        except ValueError as exc:
            raise ConfigError(f"cannot split {text!r} into arguments: {exc}",
                              hint="check the quotes") from None
    return [item for item in text.replace(",", " ").split() if item]


def _strings(raw: Any, where: str, how: Split) -> tuple[str, ...]:
    if isinstance(raw, str):
        return tuple(split_text(raw, how))
    if isinstance(raw, (list, tuple)) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    raise ConfigError(f"{where} must be a list of strings, not {type_word(type(raw))}")


def _member(kind: type[enum.Enum], raw: str, source: Source) -> enum.Enum:
    text = raw.strip().lower()
    if kind is model.Binding and text in {**BINDING_ALIASES, **MATURIN_BINDINGS}:
        return {**BINDING_ALIASES, **MATURIN_BINDINGS}[text]
    if kind is model.Binding and text == "uniffi":
        raise ConfigError(f"uniffi bindings{f' in {source.where}' if source.where else ''} are "
                          "not supported yet", hint="build this crate with maturin for now")
    try:
        return kind(text)
    except ValueError:
        choices = ", ".join(sorted(str(member.value) for member in kind))
        at = f" in {source.where}" if source.where else ""
        raise ConfigError(f"unknown {_ENUM_LABELS.get(kind, kind.__name__)} `{raw}`{at}",
                          hint=f"use one of {choices}") from None
