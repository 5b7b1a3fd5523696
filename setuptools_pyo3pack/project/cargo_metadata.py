"""Project configuration, read once from `cargo metadata`.

Cargo.toml is never parsed by hand: cargo resolves workspaces, inherited fields, features
and the dependency graph, and we read its JSON answer.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from .. import _process
from ..config.settings import CargoOptions
from ..errors import CommandError, ConfigError

#: Keys accepted in `[package.metadata.pyo3-pack]` and the type each must have.
PYO3_PACK_KEYS: dict[str, type] = {
    "scripts": dict,
    "classifier": list,
    "requires-dist": list,
    "requires-python": str,
    "project-url": dict,
    "maintainer": str,
    "maintainer-email": str,
}


@dataclass(frozen=True)
class CargoTarget:
    """One `[lib]` or `[[bin]]` target of the crate."""

    name: str
    kinds: tuple[str, ...]
    crate_types: tuple[str, ...]


@dataclass(frozen=True)
class ResolvedDependency:
    """A package somewhere in the crate's resolved dependency graph."""

    name: str
    version: str
    features: tuple[str, ...]
    manifest_path: Path


@dataclass(frozen=True)
class Crate:
    """What we need from `cargo metadata` about the crate being packed."""

    name: str
    version: str
    manifest_path: Path
    target_directory: Path
    lib: CargoTarget | None
    bins: tuple[CargoTarget, ...]
    dependencies: Mapping[str, ResolvedDependency]
    package: Mapping[str, Any]
    """The raw package entry of `cargo metadata` (description, authors, urls, ...)."""

    @property
    def root(self) -> Path:
        return self.manifest_path.parent

    @property
    def pyo3_pack_table(self) -> Mapping[str, Any]:
        metadata = self.package.get("metadata") or {}
        table = metadata.get("pyo3-pack") or {}
        return table if isinstance(table, dict) else {}


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


def cargo_metadata_argv(manifest: Path, options: CargoOptions) -> list[str]:
    argv = ["cargo", "metadata", "--format-version", "1", "--manifest-path", str(manifest)]
    argv += options.feature_args
    if options.target:
        argv += ["--filter-platform", options.target]
    return argv


def read_crate(options: CargoOptions) -> Crate:
    """Run `cargo metadata` once and return the crate it describes."""
    manifest = locate_manifest(options.manifest_path)
    try:
        output = _process.run_captured(
            cargo_metadata_argv(manifest, options),
            what=f"reading {manifest} with cargo metadata",
            hint="fix Cargo.toml and try again",
        )
    except CommandError as exc:
        if "was not found" in exc.message:
            raise CommandError(
                "cargo was not found on PATH",
                hint="install Rust with rustup (https://rustup.rs) and open a new shell",
            ) from exc
        raise
    return crate_from_metadata(json.loads(output), manifest)


def crate_from_metadata(metadata: Mapping[str, Any], manifest: Path) -> Crate:
    """Pick the package whose manifest is `manifest` out of `cargo metadata` JSON."""
    manifest = Path(os.path.realpath(manifest))
    packages = {pkg["id"]: pkg for pkg in metadata["packages"]}
    package = next(
        (p for p in packages.values() if Path(os.path.realpath(p["manifest_path"])) == manifest),
        None,
    )
    if package is None:
        raise ConfigError(
            f"{manifest} is a virtual workspace manifest with no [package]",
            hint="pass -m with the Cargo.toml of the member crate to pack",
        )
    lib, bins = _targets(package)
    return Crate(
        name=package["name"],
        version=package["version"],
        manifest_path=manifest,
        target_directory=Path(metadata["target_directory"]),
        lib=lib,
        bins=tuple(bins),
        dependencies=_resolved_dependencies(metadata, packages, package["id"]),
        package=package,
    )


def _targets(package: Mapping[str, Any]) -> tuple[CargoTarget | None, list[CargoTarget]]:
    lib = None
    bins = []
    for target in package["targets"]:
        kinds = tuple(target["kind"])
        entry = CargoTarget(target["name"], kinds, tuple(target.get("crate_types", kinds)))
        if "bin" in kinds:
            bins.append(entry)
        elif any(kind in ("lib", "rlib", "dylib", "cdylib", "staticlib") for kind in kinds):
            lib = entry
    return lib, bins


def _resolved_dependencies(
    metadata: Mapping[str, Any], packages: Mapping[str, Any], root_id: str
) -> dict[str, ResolvedDependency]:
    """Every package reachable from the root in the resolved graph, by crate name."""
    resolve = metadata.get("resolve") or {}
    nodes = {node["id"]: node for node in resolve.get("nodes", [])}
    seen: dict[str, ResolvedDependency] = {}
    stack = [root_id]
    visited = set()
    while stack:
        node_id = stack.pop()
        if node_id in visited or node_id not in nodes:
            continue
        visited.add(node_id)
        node = nodes[node_id]
        if node_id != root_id:
            pkg = packages[node_id]
            seen.setdefault(
                pkg["name"],
                ResolvedDependency(
                    pkg["name"],
                    pkg["version"],
                    tuple(node.get("features", [])),
                    Path(pkg["manifest_path"]),
                ),
            )
        stack.extend(dep["pkg"] for dep in node.get("deps", []) if not _dev_only(dep))
    return seen


_PEP440_PRE = re.compile(r"^(a|alpha|b|beta|c|rc|pre|preview|dev)(\.?\d+)?$", re.I)


def _dev_only(dep: Mapping[str, Any]) -> bool:
    """Dev-dependencies (tests, benches) never end up in the built library."""
    kinds = dep.get("dep_kinds") or []
    return bool(kinds) and all(kind.get("kind") == "dev" for kind in kinds)


def python_version(crate: Crate) -> str:
    """Cargo's SemVer version as a normalised PEP 440 version.

    Only pre-releases PEP 440 can order the same way are accepted: `1.0.0-1` would read
    as a post-release (newer than 1.0.0) where SemVer means older.
    """
    _, _, rest = crate.version.partition("-")
    pre = rest.split("+")[0]
    try:
        if pre and not _PEP440_PRE.match(pre):
            raise InvalidVersion(crate.version)
        return str(Version(crate.version))
    except InvalidVersion:
        raise ConfigError(
            f"version {crate.version!r} of {crate.manifest_path} cannot be written as a PEP 440 "
            "version",
            hint="use pre-releases like 1.0.0-alpha.1, -beta.2 or -rc.1",
        ) from None






