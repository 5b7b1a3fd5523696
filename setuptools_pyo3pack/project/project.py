"""A resolved project: the crate, its binding, metadata and layout, and the options."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _process
from ..config import tool_options
from ..config.settings import BuildOptions
from ..config.tool_options import ToolOptions
from ..platforms import tags
from . import metadata
from .bindings import Binding, BindingChoice, detect
from .cargo_metadata import Crate, read_crate
from .layout import PythonLayout
from .layout import resolve as resolve_layout


@dataclass(frozen=True)
class Project:
    """Everything known about the project before cargo runs."""

    crate: Crate
    binding: BindingChoice
    metadata: metadata.PackageMetadata
    layout: PythonLayout
    tool: ToolOptions
    options: BuildOptions
    """The command line's options merged over the pyproject.toml ones."""

    @property
    def name(self) -> str:
        return self.metadata.core.name

    @property
    def version(self) -> str:
        return self.metadata.core.version

    @property
    def dist_stem(self) -> str:
        return f"{tags.normalize_dist_name(self.name)}-{self.version}"

    @property
    def wheel_dir(self) -> Path:
        """Where built files go: `-o`, else `<cargo target dir>/wheels`."""
        return self.options.out_dir or self.crate.target_directory / "wheels"

    @property
    def has_build_system(self) -> bool:
        return self.build_system is not None

    build_system: dict[str, Any] | None = None
    """pyproject.toml's [build-system] table, when there is one."""


def load_project(cli_options: BuildOptions) -> Project:
    tool, pyproject, warnings = tool_options.load(cli_options.cargo.manifest_path, Path.cwd())
    options = merge_options(cli_options, tool)
    crate = read_crate(options.cargo)
    binding = detect(crate, options.bindings)
    package_metadata = metadata.from_crate(crate)
    if "project" in pyproject and tool.pyproject is not None:
        from .pyproject_metadata import apply_project_table

        package_metadata = apply_project_table(
            package_metadata, pyproject["project"], root=tool.pyproject.parent,
            pyproject=tool.pyproject,
        )
    if binding.binding is Binding.CFFI:
        package_metadata = _require(package_metadata, "cffi")
    if binding.abi3 and package_metadata.core.requires_python is None:
        # an abi3-py39 wheel installs on any later CPython but never on an earlier one
        floor = f">={binding.abi3[0]}.{binding.abi3[1]}"
        core = dataclasses.replace(package_metadata.core, requires_python=floor)
        package_metadata = dataclasses.replace(package_metadata, core=core)
    project_root = tool.pyproject.parent if tool.pyproject else crate.root
    module_name = tool.module_name or (
        crate.lib.name if crate.lib else tags.normalize_dist_name(crate.name)
    )
    python_layout = resolve_layout(
        project_root,
        module_name,
        python_source=tool.python_source,
        python_packages=tool.python_packages,
        data=tool.data,
        where=tool.where,
    )
    for warning in [*warnings, *package_metadata.warnings]:
        _process.log(f"warning: {warning}")
    return Project(crate, binding, package_metadata, python_layout, tool, options,
                   pyproject.get("build-system"))


def merge_options(cli: BuildOptions, tool: ToolOptions) -> BuildOptions:
    """Command-line options win; lists (features, extra args) add up, file first."""
    ours = cli.cargo
    manifest = ours.manifest_path
    if manifest is None and tool.manifest_path and tool.pyproject is not None:
        manifest = tool.pyproject.parent / tool.manifest_path
    profile = ours.profile
    if profile is None and not ours.release:
        profile = tool.profile
    merged = dataclasses.replace(
        ours,
        manifest_path=manifest,
        profile=profile,
        strip=ours.strip or tool.strip,
        features=tuple(dict.fromkeys(tool.features + ours.features)),
        all_features=ours.all_features or tool.all_features,
        no_default_features=ours.no_default_features or tool.no_default_features,
        cargo_extra_args=tool.cargo_extra_args + ours.cargo_extra_args,
        rustc_extra_args=tool.rustc_extra_args + ours.rustc_extra_args,
    )
    return dataclasses.replace(cli, cargo=merged, bindings=cli.bindings or tool.bindings,
                               zig=cli.zig or tool.zig)


def _require(package_metadata: metadata.PackageMetadata, name: str) -> metadata.PackageMetadata:
    """Add a runtime requirement unless the project already names that distribution."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    names = {canonicalize_name(Requirement(r).name) for r in package_metadata.core.requires_dist}
    if canonicalize_name(name) in names:
        return package_metadata
    core = package_metadata.core
    core = dataclasses.replace(core, requires_dist=(*core.requires_dist, name))
    return dataclasses.replace(package_metadata, core=core)
