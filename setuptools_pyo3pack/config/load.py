"""Settings for one build: pyproject.toml found and read, then every source resolved once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .chain import Resolved, Source, environment_source, resolve, table_source, values_source
from .pyproject import Pyproject, load_pyproject
from .settings import Settings


@dataclass(frozen=True)
class Configuration:
    """The resolved settings of a build and the pyproject.toml they partly came from."""

    resolved: Resolved
    pyproject: Pyproject
    warnings: tuple[str, ...] = ()

    @property
    def settings(self) -> Settings:
        return self.resolved.settings

    def where(self, path: str, fallback: str) -> str:
        """Where the value of a settings field was given, for messages."""
        return self.resolved.where(path) or fallback


def load_configuration(
    door: Source,
    defaults: Mapping[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    extra: tuple[Source, ...] = (),
) -> Configuration:
    """Resolve defaults < pyproject tool table < environment < `extra` < `door`.

    `door` is what the front door was told (the command line, config_settings, a RustCrate);
    `defaults` are the door's own defaults (e.g. the `release` profile for PEP 517 wheels).
    """
    cwd = cwd or Path.cwd()
    environment = environment_source(os.environ if environ is None else environ)
    hint = _manifest_hint(door, extra, environment)
    pyproject = load_pyproject(hint, cwd)
    warnings: list[str] = []
    sources = [values_source("the defaults", defaults or {})]
    if pyproject.path is not None:
        table, unknown = table_source(pyproject.tool_table(), pyproject.where, pyproject.folder)
        sources.append(table)
        warnings += unknown
    sources += [environment, *extra, door]
    return Configuration(resolve(sources), pyproject, tuple(warnings))


def _manifest_hint(door: Source, extra: tuple[Source, ...], environment: Source) -> Path | None:
    """The Cargo.toml a source names before pyproject.toml is read (it says where to look)."""
    for source in (door, *reversed(extra), environment):
        raw = source.values.get("cargo.manifest_path")
        if raw is not None:
            path = Path(raw)
            return path if path.is_absolute() or source.base is None else source.base / path
    return None
