"""Compile a project for one planned wheel: cargo's artifacts and cffi's glue."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from .. import _process
from ..config.settings import Binding
from ..errors import CommandError
from ..platforms.registry import platform_for
from ..project.project import Project
from . import cargo, cffi_glue, pgo, stubs, target_dirs, uniffi
from .select import WheelPlan
from .target_build import check_pyo3_linking, run, rustflags_environment, settings_for


def compile_native(project: Project, item: WheelPlan, phase: pgo.Phase | None = None
                   ) -> list[Path]:
    """Run cargo: one call for the library, or one per binary; for universal2, once per
    machine, with each pair of files merged (a PGO `phase` adds its flags and builds in a
    folder of its own). Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3,
                                      embed=project.binding.embeds_python)
    if phase is not None:
        target_dir = phase.target_dir(project, item.interpreter, item.abi3)
    triples = project.platform.target.cargo_triples
    if triples:
        from .rust_target import ensure_targets

        ensure_targets(triples, crate.root)
    builds = [_compile_for(project, item, triple, target_dir, phase)
              for triple in triples or (None,)]
    if len(builds) == 1:
        return builds[0]
    from . import universal2

    pairs = [sorted(build, key=lambda p: p.name) for build in builds]
    if len({tuple(p.name for p in files) for files in pairs}) != 1:
        raise CommandError("the two builds of universal2 made different files: "
                           + " / ".join(", ".join(p.name for p in files) for files in pairs))
    merged = []
    for thin in zip(*pairs):
        folder = target_dir / str(project.platform.target.triple) / thin[0].parent.name
        merged.append(universal2.merge(thin, folder / thin[0].name))
    return merged


def _compile_for(project: Project, item: WheelPlan, triple: str | None, target_dir: Path,
                 phase: pgo.Phase | None) -> list[Path]:
    """The cargo calls of one target triple (None: this machine, no --target)."""
    crate, settings = project.crate, project.settings
    binding = project.binding.binding
    platform = platform_for(triple) if triple else project.platform
    if item.interpreter is not None and phase is None:
        _share_compiled_units(project, target_dir, triple)
    library = binding is not Binding.BIN
    if triple:
        from .linkers import check_linker

        check_linker(platform, triple, library=library, zig=settings.cargo.zig,
                     crate_root=crate.root, cargo_args=settings.cargo.cargo_extra_args)
    if item.interpreter is not None and item.interpreter.recorded:
        check_pyo3_linking(project, platform)
    settings = settings_for(settings, triple, platform, extension=binding.needs_interpreter)
    environment = platform.build_environment(os.environ)
    if library:
        environment.update(rustflags_environment(triple, platform.library_rustflags(),
                                                 os.environ))
    targets: list[str | None] = [b.name for b in crate.bins] if not library else [None]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, settings, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir,
                                embed=project.binding.embeds_python)
        call = replace(call, env={**call.env, **environment})
        if phase is not None:
            call = phase.apply(call)
        if settings.cargo.zig:
            from . import zig

            call = zig.zigbuild(call, settings.audit.compatibility)
        artifacts += run(call, project, platform)
    return artifacts


def _share_compiled_units(project: Project, target_dir: Path, triple: str | None) -> None:
    """What sibling ABI folders compiled and this one lacks (serde, syn...), brought in."""
    settings = project.settings
    profiles = target_dirs.profile_folders(settings.profile, triple or settings.cargo.target)
    shared = target_dirs.fill_from_siblings(target_dir, profiles, rerun=[project.crate.name])
    for sibling, count in shared.items():
        _process.log(f"reusing {count} compiled units from {sibling}")


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
