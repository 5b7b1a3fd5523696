"""Compile a project for one planned wheel: cargo's artifacts and cffi's glue."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import _process
from ..config.settings import Binding
from ..project.project import Project
from . import cargo, cffi_glue, pgo, stubs, uniffi
from .select import WheelPlan


def compile_native(project: Project, item: WheelPlan, phase: pgo.Phase | None = None
                   ) -> list[Path]:
    """Run cargo: one call for the library, or one per binary (a PGO `phase` adds its flags
    and builds in a folder of its own). Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
    if phase is not None:
        target_dir = phase.target_dir(project, item.interpreter, item.abi3)
    targets: list[str | None] = [None]
    if project.binding.binding is Binding.BIN:
        targets = [b.name for b in crate.bins]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, project.settings, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir)
        if phase is not None:
            call = phase.apply(call)
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


def uniffi_modules(project: Project, artifacts: list[Path]) -> uniffi.UniffiModules | None:
    """uniffi-bindgen's Python modules for a uniffi crate's cdylib, None for other bindings."""
    if project.binding.binding is not Binding.UNIFFI:
        return None
    libraries = [a for a in artifacts if a.suffix in project.platform.library_suffixes]
    if len(libraries) != 1:
        return None  # the layout step reports what cargo gave instead of one library
    version = project.binding.crate_version or ""
    return uniffi.generate(project.crate, version, libraries[0])


def generated_stubs(project: Project, artifacts: list[Path]) -> dict[str, str] | None:
    """Type stubs from pyo3's introspection data, when the crate's pyo3 embeds it
    (`experimental-inspect`) and the project has no stub of its own."""
    version = stubs.pyo3_version(project)
    libraries = [a for a in artifacts if a.suffix in project.platform.library_suffixes]
    if version is None or len(libraries) != 1:
        return None
    own = stubs.hand_written_stub(project.layout)
    if own is not None:
        _process.log(f"type stubs: {own} (written by hand, so none are generated)")
        return None
    return stubs.generate(project, version, libraries[0])
