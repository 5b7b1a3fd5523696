"""What one cargo build for a target needs beyond the plain call: the target's settings and
link arguments, its RUSTFLAGS, pyo3's linking on the target, and hints when linking fails."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from ..config.settings import Binding, Settings
from ..errors import CommandError, ConfigError
from ..platforms.base import Platform
from ..project.project import Project
from . import cargo


def check_pyo3_linking(project: Project, platform: Platform) -> None:
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


def settings_for(settings: Settings, triple: str | None, platform: Platform, *,
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


def run(call: cargo.CargoInvocation, project: Project, platform: Platform) -> list[Path]:
    try:
        return cargo.run(call, project.crate)
    except CommandError as exc:
        extra = platform.link_hint() if platform.target.triple else None
        if extra is None:
            raise
        raise CommandError(exc.message, hint=f"{exc.hint}; {extra}" if exc.hint else extra,
                           output_tail=exc.output_tail) from None
