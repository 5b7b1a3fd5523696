"""A typed view of `cargo metadata`: the only way we read Cargo.toml.

Cargo resolves workspaces, inherited fields, features and the dependency graph; we run it
once and turn its JSON answer into frozen dataclasses here, so nothing above this module
handles raw dictionaries.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _process
from ..errors import CommandError, ConfigError


@dataclass(frozen=True)
class CargoTarget:
    """One `[lib]` or `[[bin]]` target of a package."""

    name: str
    kinds: tuple[str, ...]
    crate_types: tuple[str, ...]
    src_path: Path | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Dependency:
    """A dependency as a package's Cargo.toml declares it (before resolution)."""

    name: str
    kind: str | None = None
    """`dev`, `build`, or None for a normal dependency."""
    path: Path | None = None
    """The folder of a path dependency."""


@dataclass(frozen=True)
class CargoPackage:
    """One package of the workspace or the dependency graph."""

    id: str
    name: str
    version: str
    manifest_path: Path
    source: str | None = None
    """Where it comes from (a registry, git); None for a local package."""
    targets: tuple[CargoTarget, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    description: str | None = None
    authors: tuple[str, ...] = ()
    license: str | None = None
    license_file: str | None = None
    readme: str | None = None
    homepage: str | None = None
    repository: str | None = None
    documentation: str | None = None
    keywords: tuple[str, ...] = ()
    links: str | None = None
    """The native library the package links (`links = "..."` in Cargo.toml)."""
    metadata: Mapping[str, Any] = field(default_factory=dict, hash=False)
    """`[package.metadata]`: free-form tables other tools (and we) define."""

    @property
    def root(self) -> Path:
        return self.manifest_path.parent

    def metadata_table(self, tool: str) -> Mapping[str, Any]:
        """`[package.metadata.<tool>]`, or {} when absent or not a table."""
        table = self.metadata.get(tool) or {}
        return table if isinstance(table, Mapping) else {}


@dataclass(frozen=True)
class ResolveNode:
    """A package in the resolved graph: its enabled features and what it depends on."""

    features: tuple[str, ...]
    dependencies: tuple[str, ...]
    """Package ids of its non-dev dependencies."""
    build_only: frozenset[str] = frozenset()
    """Those of `dependencies` that are only build-dependencies (build scripts)."""


@dataclass(frozen=True)
class CargoMetadata:
    """`cargo metadata --format-version 1`, typed."""

    packages: tuple[CargoPackage, ...]
    workspace_root: Path
    target_directory: Path
    resolve: Mapping[str, ResolveNode] = field(default_factory=dict, hash=False)

    def package_at(self, manifest: Path) -> CargoPackage | None:
        """The package whose Cargo.toml is `manifest` (symlinks resolved)."""
        real = Path(os.path.realpath(manifest))
        return next((p for p in self.packages
                     if Path(os.path.realpath(p.manifest_path)) == real), None)

    def by_id(self, package_id: str) -> CargoPackage:
        return next(p for p in self.packages if p.id == package_id)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value or ())


def _optional(value: Any) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _table(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_package(raw: Mapping[str, Any]) -> CargoPackage:
    targets = tuple(
        CargoTarget(str(t["name"]), _strings(t.get("kind")),
                    _strings(t.get("crate_types", t.get("kind"))),
                    Path(t["src_path"]) if t.get("src_path") else None)
        for t in raw.get("targets") or ())
    dependencies = tuple(
        Dependency(str(d["name"]), _optional(d.get("kind")),
                   Path(d["path"]) if d.get("path") else None)
        for d in raw.get("dependencies") or ())
    return CargoPackage(
        id=str(raw["id"]), name=str(raw["name"]), version=str(raw["version"]),
        manifest_path=Path(raw["manifest_path"]), source=_optional(raw.get("source")),
        targets=targets, dependencies=dependencies,
        description=_optional(raw.get("description")), authors=_strings(raw.get("authors")),
        license=_optional(raw.get("license")), license_file=_optional(raw.get("license_file")),
        readme=_optional(raw.get("readme")), homepage=_optional(raw.get("homepage")),
        repository=_optional(raw.get("repository")),
        documentation=_optional(raw.get("documentation")),
        keywords=_strings(raw.get("keywords")),
        links=_optional(raw.get("links")),
        metadata=_table(raw.get("metadata")),
    )


def _dev_only(dep: Mapping[str, Any]) -> bool:
    """Dev-dependencies (tests, benches) never end up in the built library."""
    kinds = dep.get("dep_kinds") or []
    return bool(kinds) and all(kind.get("kind") == "dev" for kind in kinds)


def _build_only(dep: Mapping[str, Any]) -> bool:
    kinds = [kind.get("kind") for kind in dep.get("dep_kinds") or [] if kind.get("kind") != "dev"]
    return bool(kinds) and all(kind == "build" for kind in kinds)


def parse_metadata(raw: Mapping[str, Any]) -> CargoMetadata:
    nodes = {
        str(node["id"]): ResolveNode(
            _strings(node.get("features")),
            tuple(str(dep["pkg"]) for dep in node.get("deps", []) if not _dev_only(dep)),
            frozenset(str(dep["pkg"]) for dep in node.get("deps", []) if _build_only(dep)),
        )
        for node in (raw.get("resolve") or {}).get("nodes", [])
    }
    return CargoMetadata(
        packages=tuple(parse_package(p) for p in raw["packages"]),
        workspace_root=Path(raw["workspace_root"]),
        target_directory=Path(raw["target_directory"]),
        resolve=nodes,
    )


def locate_manifest(manifest_path: Path | None) -> Path:
    path = (manifest_path or Path.cwd() / "Cargo.toml").absolute()
    if path.is_dir():
        path = path / "Cargo.toml"
    if not path.is_file():
        raise ConfigError(
            f"no Cargo.toml at {path}",
            hint="run pyo3-pack in the crate's folder or pass -m path/to/Cargo.toml",
        )
    return path


def cargo_metadata_argv(manifest: Path, feature_args: Sequence[str] = (),
                        target: str | None = None) -> list[str]:
    argv = ["cargo", "metadata", "--format-version", "1", "--manifest-path", str(manifest)]
    argv += feature_args
    if target:
        argv += ["--filter-platform", target]
    return argv


def run_cargo_metadata(manifest: Path, feature_args: Sequence[str] = (),
                       target: str | None = None) -> CargoMetadata:
    """`cargo metadata` for `manifest`, typed; a missing cargo is one clear line."""
    try:
        output = _process.run_captured(
            cargo_metadata_argv(manifest, feature_args, target),
            what=f"reading {manifest} with cargo metadata",
            hint="fix Cargo.toml and try again",
        )
    except CommandError as exc:
        if "was not found" in exc.message:
            raise CommandError(
                "cargo was not found on PATH",
                hint="install Rust with rustup (https://rustup.rs) and open a new shell",
            ) from exc
        if "does not contain this feature" in exc.message:  # from -F / `features`, not the file
            raise CommandError(exc.message, hint="fix the features asked for (-F, --features "
                               "or `features` in [tool.pyo3-pack]), or add the feature to "
                               "[features] in Cargo.toml") from exc
        raise
    return parse_metadata(json.loads(output))
