"""How a settings field is set from outside (`Option`, made with `option()`), and the
converters the fields with richer values need (include/exclude patterns, a policy name)."""

import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


class Split(enum.Enum):
    """How a single string becomes a list (command line, environment, config_settings)."""

    SHELL = "shell"
    """Shell words: `--locked "-C opt-level=3"`."""
    COMMA = "comma"
    """Commas or spaces: `fast,simd`."""


@dataclass(frozen=True)
class Option:
    """How one field is set from outside; every name has a default derived from the field."""

    cli: tuple[str, ...] = ()
    """Command-line flags; none: not on the command line."""
    toml: bool = True
    """Settable in `[tool.pyo3-pack]` / `[tool.maturin]` and PEP 517 config_settings."""
    env: bool = True
    """Settable through `PYO3_PACK_<NAME>`."""
    aliases: tuple[str, ...] = ()
    """Other keys meaning this field (maturin's names, older spellings)."""
    env_aliases: tuple[str, ...] = ()
    """Other environment variables meaning this field."""
    merge: bool = False
    """Lists from several sources add up (file first) instead of the last one winning."""
    split: Split = Split.COMMA
    """How a string becomes a list for list fields."""
    parse: Optional[Callable[[Any, str], Any]] = None
    """A converter for values a plain type check cannot handle: (raw value, where) -> value."""
    metavar: Optional[str] = None
    """The value's name in `--help`."""
    many: bool = False
    """The flag takes several values at once (`-i 3.11 3.12`)."""


def option(default: Any = None, **how: Any) -> Any:
    """A settings field: its default and how it is set (see `Option`)."""
    return field(default=default, metadata={"option": Option(**how)})


#: The archives an include or exclude pattern can apply to.
FORMATS = ("sdist", "wheel")


@dataclass(frozen=True)
class Pattern:
    """An include or exclude glob and the archives it applies to (maturin's table form is
    `{ path = "...", format = "sdist" | "wheel" | [...] }`; a plain string means both)."""

    path: str
    formats: frozenset[str] = frozenset(FORMATS)

    def applies_to(self, archive: str) -> bool:
        return archive in self.formats


def _pattern(item: Any, where: str) -> Pattern:
    from ..errors import ConfigError

    if isinstance(item, Pattern):
        return item
    if isinstance(item, str):
        return Pattern(item)
    if isinstance(item, dict) and isinstance(item.get("path"), str):
        formats = item.get("format", list(FORMATS))
        formats = [formats] if isinstance(formats, str) else formats
        if (not isinstance(formats, list) or not formats
                or any(f not in FORMATS for f in formats)):
            raise ConfigError(f"the `format` of `{item['path']}` in {where} must be "
                              '"sdist", "wheel" or a list of them')
        if item.get("from") is not None:
            raise ConfigError(f"`from` of `{item['path']}` in {where} is not supported yet",
                              hint="copy the generated file into the python source folder")
        return Pattern(str(item["path"]), frozenset(formats))
    raise ConfigError(f"each entry of {where} must be a glob pattern string or a table "
                      '{ path = "...", format = "sdist" | "wheel" }')


def _patterns(value: Any, where: str) -> tuple[Pattern, ...]:
    from ..errors import ConfigError

    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{where} must be a list of glob patterns")
    return tuple(_pattern(item, where) for item in value)


def _compatibility(value: Any, where: str) -> Optional[str]:
    """A policy name; maturin's `pypi` (only tags PyPI takes) is the default, the best policy
    the binaries satisfy."""
    from ..errors import ConfigError

    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string like \"manylinux_2_28\"")
    return None if value.strip().lower() == "pypi" else value
