"""Compile a project for one planned wheel: cargo's artifacts and cffi's glue."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..config.settings import Binding
from ..project.project import Project
from . import cargo, cffi_glue
from .select import WheelPlan


def compile_native(project: Project, item: WheelPlan) -> list[Path]:
    """Run cargo: one call for the library, or one per binary. Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
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


def ffi_source(project: Project) -> str | None:
    """cffi's `ffi.py` for a cffi crate (from its C header), None for other bindings."""
    if project.binding.binding is not Binding.CFFI:
        return None
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-header-") as tmp:
        header = cffi_glue.header_for(project.crate, Path(tmp))
        module = project.layout.native_package.replace("/", ".")
        return cffi_glue.ffi_module(header, f"{module}.ffi")
