"""The crate being packed: its package, targets and resolved dependencies, and its version
as Python spells it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from ..config.cargo_keys import cargo_keys
from ..errors import ConfigError
from .cargo_metadata import (
    CargoMetadata,
    CargoPackage,
    CargoTarget,
    locate_manifest,
    parse_metadata,
    run_cargo_metadata,
)

#: Keys accepted in `[package.metadata.pyo3-pack]` and the type each must have.
PYO3_PACK_KEYS: dict[str, type] = cargo_keys()
_LIBRARY_KINDS = ("lib", "rlib", "dylib", "cdylib", "staticlib")


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
    package: CargoPackage
    """The package as cargo describes it (description, authors, urls, metadata tables)."""
    graph: CargoMetadata | None = field(default=None, compare=False)
    """Everything `cargo metadata` said: every package and the resolved graph (the SBOM)."""

    @property
    def root(self) -> Path:
        return self.manifest_path.parent

    @property
    def pyo3_pack_table(self) -> Mapping[str, Any]:
        return self.package.metadata_table("pyo3-pack")


def read_crate(manifest_path: Path | None, feature_args: Sequence[str] = (),
               target: str | None = None) -> Crate:
    """Run `cargo metadata` once and return the crate it describes."""
    manifest = locate_manifest(manifest_path)
    return crate_in(run_cargo_metadata(manifest, feature_args, target), manifest)


def crate_from_metadata(raw: Mapping[str, Any], manifest: Path) -> Crate:
    """The crate of `manifest` out of raw `cargo metadata` JSON (recorded, in tests)."""
    return crate_in(parse_metadata(raw), manifest)


def crate_in(metadata: CargoMetadata, manifest: Path) -> Crate:
    package = metadata.package_at(manifest)
    if package is None:
        raise ConfigError(
            f"{manifest} is a virtual workspace manifest with no [package]",
            hint="pass -m with the Cargo.toml of the member crate to pack",
        )
    lib = next((t for t in package.targets if "bin" not in t.kinds
                and any(kind in _LIBRARY_KINDS for kind in t.kinds)), None)
    return Crate(
        name=package.name,
        version=package.version,
        manifest_path=Path(manifest).resolve(),
        target_directory=metadata.target_directory,
        lib=lib,
        bins=tuple(t for t in package.targets if "bin" in t.kinds),
        dependencies=_resolved_dependencies(metadata, package.id),
        package=package,
        graph=metadata,
    )


def _resolved_dependencies(metadata: CargoMetadata, root_id: str
                           ) -> dict[str, ResolvedDependency]:
    """Every package reachable from the root in the resolved graph, by crate name."""
    seen: dict[str, ResolvedDependency] = {}
    stack = [root_id]
    visited: set[str] = set()
    while stack:
        node_id = stack.pop()
        node = metadata.resolve.get(node_id)
        if node_id in visited or node is None:
            continue
        visited.add(node_id)
        if node_id != root_id:
            package = metadata.by_id(node_id)
            seen.setdefault(package.name, ResolvedDependency(
                package.name, package.version, node.features, package.manifest_path))
        stack.extend(node.dependencies)
    return seen


_PEP440_PRE = re.compile(r"^(a|alpha|b|beta|c|rc|pre|preview|dev)(\.?\d+)?$", re.I)


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
