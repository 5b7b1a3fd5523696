"""A resolved project: the crate, its binding, metadata and layout, and the settings that
shaped them. Front doors resolve a `Configuration`, then call `load_project` once."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from .. import _process
from ..config.load import Configuration
from ..config.settings import Binding, Settings
from ..platforms.base import Platform
from ..platforms.registry import platform_for
from ..platforms.tags import normalize_dist_name
from ..platforms.target import Target
from . import metadata
from .bindings import BindingChoice, detect
from .crate import Crate, read_crate
from .discovery import import_name, manifest_path
from .layout import PythonLayout
from .layout import resolve as resolve_layout


@dataclass(frozen=True)
class Project:
    """Everything known about the project before cargo runs."""

    crate: Crate
    binding: BindingChoice
    metadata: metadata.PackageMetadata
    layout: PythonLayout
    config: Configuration
    """The resolved settings and the pyproject.toml they partly came from."""

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @cached_property
    def platform(self) -> Platform:
        """The rules of the target system (this machine's without `--target`)."""
        return platform_for(self.settings.cargo.target)

    @property
    def name(self) -> str:
        return self.metadata.core.name

    @property
    def version(self) -> str:
        return self.metadata.core.version

    @property
    def dist_stem(self) -> str:
        return f"{normalize_dist_name(self.name)}-{self.version}"

    @property
    def wheel_dir(self) -> Path:
        """Where built files go: `-o`, else `<cargo target dir>/wheels`."""
        return self.settings.output.out_dir or self.crate.target_directory / "wheels"

    @property
    def pyproject(self) -> Path | None:
        return self.config.pyproject.path

    @property
    def build_system(self) -> Mapping[str, Any] | None:
        """pyproject.toml's [build-system] table, when there is one."""
        return self.config.pyproject.build_system

    @property
    def has_build_system(self) -> bool:
        return self.build_system is not None

    def where(self, path: str) -> str:
        """Where the setting `path` (`layout.module_name`) was given, for messages."""
        return self.config.where(path, self.config.pyproject.where)


def load_project(config: Configuration) -> Project:
    """Read the crate (one `cargo metadata`), detect its binding, merge its metadata."""
    settings = config.settings
    # universal2 is two cargo targets: the first one's dependency graph stands for both
    triples = Target.from_triple(settings.cargo.target).cargo_triples \
        if settings.cargo.target else ()
    crate = read_crate(manifest_path(config), [*settings.feature_args, *settings.manifest_args],
                       triples[0] if triples else None)
    binding = detect(crate, settings.layout.bindings)
    package_metadata = _package_metadata(crate, binding, config)
    pyproject = config.pyproject
    module_name = settings.layout.module_name or (
        crate.lib.name if crate.lib else normalize_dist_name(crate.name)
    )
    python_layout = resolve_layout(
        pyproject.folder or crate.root,
        module_name,
        python_source=settings.layout.python_source,
        python_packages=settings.layout.python_packages,
        data=settings.layout.data,
        where={key: source for key in ("python-source", "python-packages", "data")
               if (source := config.resolved.source(f"layout.{key.replace('-', '_')}"))},
        import_name=import_name(config),
    )
    for warning in [*config.warnings, *package_metadata.warnings]:
        _process.warn(warning)
    return Project(crate, binding, package_metadata, python_layout, config)


def _package_metadata(crate: Crate, binding: BindingChoice, config: Configuration
                      ) -> metadata.PackageMetadata:
    package_metadata = metadata.from_crate(crate)
    pyproject = config.pyproject
    if pyproject.path is not None and pyproject.project_table is not None:
        from .pyproject_metadata import apply_project_table

        package_metadata = apply_project_table(
            package_metadata, pyproject.project_table, root=pyproject.path.parent,
            pyproject=pyproject.path,
        )
    _, cargo_email, people_warning = metadata.cargo_people(list(crate.package.authors))
    if people_warning and package_metadata.core.author_email == cargo_email:
        _process.log(f"warning: {people_warning} (authors of {crate.manifest_path})")
    if binding.binding is Binding.CFFI:
        package_metadata = _require(package_metadata, "cffi")
    table = pyproject.project_table if pyproject.path is not None else None
    fills_it = not isinstance(table, dict) or "requires-python" in (table.get("dynamic") or [])
    if binding.abi3 and package_metadata.core.requires_python is None and fills_it:
        # an abi3-py39 wheel installs on any later CPython but never on an earlier one; a
        # [project] table that does not list requires-python as dynamic keeps it unset
        # (PEP 621, and what maturin writes)
        floor = f">={binding.abi3[0]}.{binding.abi3[1]}"
        core = dataclasses.replace(package_metadata.core, requires_python=floor)
        package_metadata = dataclasses.replace(package_metadata, core=core)
    return package_metadata


def _require(package_metadata: metadata.PackageMetadata, name: str) -> metadata.PackageMetadata:
    """Add a runtime requirement unless the project already names that distribution."""
    from packaging.requirements import Requirement

    names = {canonicalize_name(Requirement(r).name) for r in package_metadata.core.requires_dist}
    if canonicalize_name(name) in names:
        return package_metadata
    core = package_metadata.core
    core = dataclasses.replace(core, requires_dist=(*core.requires_dist, name))
    return dataclasses.replace(package_metadata, core=core)
