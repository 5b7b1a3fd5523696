"""Compile a project for one planned wheel: cargo's artifacts, checked, and cffi's glue."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import _process
from ..config.settings import Binding
from ..project.project import Project
from . import cargo, cffi_glue, native_checks, target_dirs
from .select import WheelPlan


def compile_native(project: Project, item: WheelPlan) -> list[Path]:
    """Run cargo: one call for the library, or one per binary. Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
    if item.interpreter is not None:
        _share_compiled_units(project, target_dir)
    targets: list[str | None] = [None]
    if project.binding.binding is Binding.BIN:
        targets = [b.name for b in crate.bins]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, project.settings, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir)
        if project.settings.cargo.zig:
            from . import zig

            call = zig.zigbuild(call, project.settings.audit.compatibility)
        artifacts += cargo.run(call, crate)
    return artifacts


def _share_compiled_units(project: Project, target_dir: Path) -> None:
    """What sibling ABI folders compiled and this one lacks (serde, syn...), brought in."""
    settings = project.settings
    profiles = target_dirs.profile_folders(settings.profile, settings.cargo.target)
    shared = target_dirs.fill_from_siblings(target_dir, profiles, rerun=[project.crate.name])
    for sibling, count in shared.items():
        _process.log(f"reusing {count} compiled units from {sibling}")


def check_artifacts(project: Project, artifacts: list[Path]) -> None:
    """An extension module must define the `PyInit_` its module name calls for."""
    if not project.binding.binding.needs_interpreter:
        return
    where = project.config.where(
        "layout.module_name", f"[lib] name in {project.crate.manifest_path}")
    for library in artifacts:
        native_checks.check_module_init(library, project.layout.module_name, where)


def ffi_source(project: Project) -> str | None:
    """cffi's `ffi.py` for a cffi crate (from its C header), None for other bindings."""
    if project.binding.binding is not Binding.CFFI:
        return None
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-header-") as tmp:
        header = cffi_glue.header_for(project.crate, Path(tmp))
        module = project.layout.native_package.replace("/", ".")
        return cffi_glue.ffi_module(header, f"{module}.ffi")
