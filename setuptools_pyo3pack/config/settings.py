"""Every user-facing option, as frozen dataclasses with one docstring per field.

The CLI fills these from arguments; the PEP 517 backend and the setuptools commands will
fill them from their own inputs. Nothing below the front doors reads argv or os.environ
for options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class CargoOptions:
    """How cargo is asked to build the crate."""

    manifest_path: Path | None = None
    """Cargo.toml of the crate; default: the one in the current folder."""

    release: bool = False
    """Build with the `release` profile instead of `dev`."""

    profile: str | None = None
    """A named cargo profile; overrides `release`."""

    strip: bool = False
    """Strip symbols from the native artifacts (smaller wheels, no debug info)."""

    target: str | None = None
    """A rustc target triple to cross-compile for."""

    features: tuple[str, ...] = ()
    """Cargo features to activate."""

    all_features: bool = False
    """Activate every feature of the crate."""

    no_default_features: bool = False
    """Do not activate the crate's default feature."""

    cargo_extra_args: tuple[str, ...] = ()
    """More arguments for cargo itself (before `--`)."""

    rustc_extra_args: tuple[str, ...] = ()
    """More arguments for rustc (after `--`)."""

    @property
    def feature_args(self) -> list[str]:
        """The feature flags as cargo takes them, for every cargo command."""
        args = ["--features", ",".join(self.features)] if self.features else []
        if self.all_features:
            args.append("--all-features")
        if self.no_default_features:
            args.append("--no-default-features")
        return args

    @property
    def profile_name(self) -> str:
        if self.profile:
            return self.profile
        return "release" if self.release else "dev"


@dataclass(frozen=True)
class BuildOptions:
    """What `pyo3-pack build` (and the other front doors) build."""

    cargo: CargoOptions = field(default_factory=CargoOptions)
    """How cargo builds."""

    bindings: str | None = None
    """Force a binding (`pyo3`, `rust-cpython`, `bin`); default: detected from the dependencies."""

    interpreters: tuple[str, ...] = ()
    """Interpreters to build for (names on PATH or paths); default: every supported one found."""

    out_dir: Path | None = None
    """Where wheels go; default: `<cargo target directory>/wheels`."""

    compress: bool = True
    """Deflate wheel members (develop turns this off: the wheel is unpacked at once)."""

    compatibility: str | None = None
    """Platform policy to tag Linux wheels with (`manylinux_2_17`, `2014`, `musllinux_1_2`,
    `off`; `-unchecked` skips the check); default: the best policy the binaries satisfy."""

    skip_audit: bool = False
    """Do not inspect the binaries; tag Linux wheels `linux_<arch>` (or as `compatibility` says)."""

    auditwheel: str | None = None
    """`repair` (graft libraries outside the policy into the wheel; the default), `check`
    (fail if the wheel would need that), `warn` (tag `linux_` and warn instead) or `skip`."""

    zig: bool = False
    """Link with zig (`cargo-zigbuild`) against the glibc of `compatibility` (default 2.17)."""
