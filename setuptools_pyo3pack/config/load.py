"""Settings for one build: pyproject.toml found and read, then every source resolved once."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import _process
from .chain import Resolved, Source, resolve
from .pyproject import Pyproject, load_pyproject
from .settings import Settings
from .sources import environment_source, table_source, target_table, target_triples, values_source


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
    editable: bool = False,
) -> Configuration:
    """Resolve defaults < pyproject tool table < its table for this build's target <
    environment < `extra` < `door`.

    `door` is what the front door was told (the command line, config_settings, a RustCrate);
    `defaults` are the door's own defaults (e.g. the `release` profile for PEP 517 wheels).
    An `editable` build (develop, `pip install -e`) takes `editable-profile` as its profile
    unless a higher source names a profile.
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
    resolved = resolve(sources)
    if pyproject.path is not None and target_triples(pyproject.tool_table()):
        triple = resolved.settings.cargo.target or host_triple()
        where = pyproject.where.replace(
            pyproject.tool_table_name, f'{pyproject.tool_table_name[:-1]}.target."{triple}"]')
        layer = target_table(pyproject.tool_table(), triple, where, pyproject.folder)
        if layer is not None:
            sources.insert(2, layer[0])
            warnings += layer[1]
            resolved = resolve(sources)
    if editable:
        resolved = _editable_profile(resolved)
    return Configuration(resolved, pyproject, tuple(warnings))


def _editable_profile(resolved: Resolved) -> Resolved:
    """`editable-profile` replaces `profile` unless a higher source set the profile."""
    ranks = resolved.ranks
    chosen = resolved.settings.cargo.editable_profile
    if chosen is None or ranks.get("cargo.profile", -1) > ranks["cargo.editable_profile"]:
        return resolved
    settings = resolved.settings
    cargo = dataclasses.replace(settings.cargo, profile=chosen)
    origins = {**resolved.origins, "cargo.profile": resolved.origins["cargo.editable_profile"]}
    return Resolved(dataclasses.replace(settings, cargo=cargo), origins,
                    {**ranks, "cargo.profile": ranks["cargo.editable_profile"]})


@lru_cache(maxsize=1)
def host_triple() -> str:
    """This machine's Rust target triple, as rustc reports it."""
    output = _process.run_captured(["rustc", "-vV"], what="asking rustc for the host triple",
                                   hint="install Rust with rustup and make sure rustc is on PATH")
    for line in output.splitlines():
        if line.startswith("host:"):
            return line.split(":", 1)[1].strip()
    return ""


def _manifest_hint(door: Source, extra: tuple[Source, ...], environment: Source) -> Path | None:
    """The Cargo.toml a source names before pyproject.toml is read (it says where to look)."""
    for source in (door, *reversed(extra), environment):
        raw = source.values.get("cargo.manifest_path")
        if raw is not None:
            path = Path(raw)
            return path if path.is_absolute() or source.base is None else source.base / path
    return None
