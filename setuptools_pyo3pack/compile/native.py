"""Compile a project for one planned wheel: cargo's artifacts, checked, and cffi's glue."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..config.settings import Binding, Settings
from ..errors import CommandError, ConfigError
from ..platforms.base import Platform
from ..platforms.registry import platform_for
from ..project.project import Project
from . import cargo, cffi_glue, native_checks
from .select import WheelPlan


def compile_native(project: Project, item: WheelPlan) -> list[Path]:
    """Run cargo: one call for the library, or one per binary; for universal2, once per
    machine, with each pair of files merged. Returns the artifacts."""
    crate = project.crate
    target_dir = cargo.target_dir_for(crate, item.interpreter, item.abi3)
    triples = project.platform.target.cargo_triples
    if triples:
        from .rust_target import ensure_targets

        ensure_targets(triples, crate.root)
    builds = [_compile_for(project, item, triple, target_dir) for triple in triples or (None,)]
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


def _compile_for(project: Project, item: WheelPlan, triple: str | None, target_dir: Path
                 ) -> list[Path]:
    """The cargo calls of one target triple (None: this machine, no --target)."""
    crate, settings = project.crate, project.settings
    binding = project.binding.binding
    platform = platform_for(triple) if triple else project.platform
    library = binding is not Binding.BIN
    if triple:
        from .linkers import check_linker

        check_linker(platform, triple, library=library, zig=settings.cargo.zig,
                     crate_root=crate.root, cargo_args=settings.cargo.cargo_extra_args)
    if item.interpreter is not None and item.interpreter.recorded:
        _check_pyo3_linking(project, platform)
    settings = _settings_for(settings, triple, platform, extension=binding.needs_interpreter)
    environment = platform.build_environment(os.environ)
    if library:
        environment.update(rustflags_environment(triple, platform.library_rustflags(),
                                                 os.environ))
    targets: list[str | None] = [b.name for b in crate.bins] if not library else [None]
    artifacts: list[Path] = []
    for bin_name in targets:
        call = cargo.invocation(crate, settings, bin_name=bin_name,
                                interpreter=item.interpreter, target_dir=target_dir)
        call = replace(call, env={**call.env, **environment})
        if settings.cargo.zig:
            from . import zig

            call = zig.zigbuild(call, settings.audit.compatibility)
        artifacts += _run(call, project, platform)
    return artifacts


def _check_pyo3_linking(project: Project, platform: Platform) -> None:
    """A cross-built pyo3 module must be able to link against Python on the target."""
    choice = project.binding
    if choice.binding is not Binding.PYO3 or not choice.crate_version:
        return
    version = tuple(int(p) for p in choice.crate_version.split("-")[0].split(".")[:3]
                    if p.isdigit())
    dependencies = project.crate.dependencies
    features = frozenset(feature for name in ("pyo3", "pyo3-ffi")
                         if (dep := dependencies.get(name)) for feature in dep.features)
    problem = platform.pyo3_link_problem(version, features, zig=project.settings.cargo.zig)
    if problem:
        raise ConfigError(f"cannot build for {platform.target.description}: {problem}")


def _settings_for(settings: Settings, triple: str | None, platform: Platform, *,
                  extension: bool) -> Settings:
    """The settings of one cargo build: its triple, and the platform's link arguments for
    extension modules ahead of the user's rustc arguments."""
    cargo_settings = settings.cargo
    link_args = platform.extension_link_args() if extension else ()
    cargo_settings = replace(cargo_settings, target=triple or cargo_settings.target,
                             rustc_extra_args=(*link_args, *cargo_settings.rustc_extra_args))
    return replace(settings, cargo=cargo_settings)


def rustflags_environment(triple: str | None, flags: tuple[str, ...],
                          environ: Mapping[str, str]) -> dict[str, str]:
    """`flags` added for every crate of the build, in the one variable cargo will read: the
    user's RUSTFLAGS (which hides every other source) if set, else the target's own."""
    if not flags:
        return {}
    if "CARGO_ENCODED_RUSTFLAGS" in environ:
        old = environ["CARGO_ENCODED_RUSTFLAGS"]
        return {"CARGO_ENCODED_RUSTFLAGS": "\x1f".join([*([old] if old else []), *flags])}
    name = "RUSTFLAGS"
    if name not in environ and triple:
        name = f"CARGO_TARGET_{triple.upper().replace('-', '_').replace('.', '_')}_RUSTFLAGS"
    return {name: " ".join([*environ.get(name, "").split(), *flags])}


def _run(call: cargo.CargoInvocation, project: Project, platform: Platform) -> list[Path]:
    try:
        return cargo.run(call, project.crate)
    except CommandError as exc:
        extra = platform.link_hint() if platform.target.triple else None
        if extra is None:
            raise
        raise CommandError(exc.message, hint=f"{exc.hint}; {extra}" if exc.hint else extra,
                           output_tail=exc.output_tail) from None


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
