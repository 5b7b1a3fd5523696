"""Every build option, once: nested frozen dataclasses with one docstring per field.

A field is an option everywhere at once. Its key in `[tool.pyo3-pack]` (and `[tool.maturin]`)
and in PEP 517 `config_settings` is the field name with dashes; its environment variable is
`PYO3_PACK_` and the name in capitals; `option(cli=...)` gives it command-line flags too.
`chain.resolve` fills the model from those sources in one order of precedence; the docstring
is the option's help text and documentation (read by `docs.field_docs`).

This module avoids `from __future__ import annotations`: the chain reads the field types at
run time, which on Python 3.9 needs `Optional[...]` rather than `... | None`.
"""

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .option import Pattern, Split, _compatibility, _patterns, option


class Choice(str, enum.Enum):
    """An enumeration whose members are their string values (in messages and settings)."""

    def __str__(self) -> str:
        return str(self.value)


class Binding(Choice):
    """How the crate talks to Python."""

    PYO3 = "pyo3"
    RUST_CPYTHON = "rust-cpython"
    CFFI = "cffi"
    UNIFFI = "uniffi"
    BIN = "bin"

    @property
    def needs_interpreter(self) -> bool:
        """Extension modules are built per interpreter; cffi libraries and binaries are not."""
        return self in (Binding.PYO3, Binding.RUST_CPYTHON)


#: Other spellings users write for a binding (maturin accepts `cpython`).
BINDING_ALIASES = {"cpython": Binding.RUST_CPYTHON}
#: maturin's `pyo3-ffi` (crates on pyo3's raw FFI layer) builds and packs as pyo3 does.
MATURIN_BINDINGS = {"pyo3-ffi": Binding.PYO3}


class AuditMode(Choice):
    """What the build does with a verdict about its native files."""

    REPAIR = "repair"
    CHECK = "check"
    WARN = "warn"
    SKIP = "skip"


class SdistGenerator(Choice):
    """Which files an sdist holds."""

    CARGO = "cargo"
    GIT = "git"


@dataclass(frozen=True)
class CargoSettings:
    """How cargo builds the crate."""

    manifest_path: Optional[Path] = option(cli=("-m", "--manifest-path"), metavar="PATH")
    """Cargo.toml of the crate (or its folder); default: the one next to pyproject.toml or
    in the current folder."""

    profile: Optional[str] = option(cli=("--profile",), metavar="NAME")
    """The cargo profile; default `dev` for `build` and `develop`, `release` for `publish`,
    backend wheels and setuptools wheels (`-r/--release` is `--profile release`)."""

    editable_profile: Optional[str] = option()
    """The cargo profile of editable builds (`develop`, `pip install -e`); default: `profile`
    when the same or a lower source sets it, else `dev`."""

    features: tuple[str, ...] = option((), cli=("-F", "--features"), merge=True,
                                       metavar="FEATURES")
    """Cargo features to activate (comma or space separated on the command line)."""

    all_features: bool = option(False, cli=("--all-features",))
    """Activate every feature of the crate."""

    no_default_features: bool = option(False, cli=("--no-default-features",))
    """Do not activate the crate's default feature."""

    target: Optional[str] = option(cli=("--target",), metavar="TRIPLE")
    """A rustc target triple to build for; default: this machine's."""

    strip: bool = option(False, cli=("--strip",))
    """Strip symbols from the native files (smaller wheels, no debug info)."""

    cargo_extra_args: tuple[str, ...] = option(
        (), cli=("--cargo-extra-args",), merge=True, split=Split.SHELL, aliases=("cargo-args",),
        env_aliases=("PYO3_PACK_CARGO_ARGS",), metavar="ARGS")
    """More arguments for cargo, as one shell-quoted string (e.g. `--locked`)."""

    rustc_extra_args: tuple[str, ...] = option(
        (), cli=("--rustc-extra-args",), merge=True, split=Split.SHELL, aliases=("rustc-args",),
        metavar="ARGS")
    """More arguments for rustc, as one shell-quoted string (e.g. `-C target-cpu=native`)."""

    pgo: bool = option(False, cli=("--pgo",))
    """Profile-guided optimization: build an instrumented wheel, install it into a temporary
    virtualenv, run `pgo-command` there, and build again with the profile it recorded
    (cargo's `release` profile unless another is given)."""

    pgo_command: Optional[str] = option(metavar="COMMAND")
    """The shell command that exercises the instrumented build for `--pgo` (run in the
    project folder with the temporary virtualenv active), e.g. `python bench.py`."""

    frozen: bool = option(False, cli=("--frozen",))
    """Require Cargo.lock and the dependency cache to be up to date (cargo's `--frozen`)."""

    locked: bool = option(False, cli=("--locked",))
    """Require Cargo.lock to be up to date (cargo's `--locked`)."""

    offline: bool = option(False, cli=("--offline",))
    """Run cargo without accessing the network (cargo's `--offline`)."""

    config: tuple[str, ...] = option((), cli=("--config",), merge=True, split=Split.SHELL,
                                     metavar="KEY=VALUE")
    """Cargo configuration values to override (cargo's `--config`), one per item."""

    unstable_flags: tuple[str, ...] = option((), cli=("-Z",), merge=True, split=Split.SHELL,
                                             metavar="FLAG")
    """Unstable (nightly-only) cargo flags, passed as `-Z FLAG`."""

    jobs: Optional[str] = option(cli=("-j", "--jobs"), toml=False, metavar="N")
    """How many compiler jobs cargo runs at once; default: one per CPU."""

    macos_deployment_target: Optional[str] = option(aliases=("macosx-deployment-target",))
    """The oldest macOS version to build for (MACOSX_DEPLOYMENT_TARGET), usually set in a
    `[tool.maturin.target."<triple>"]` table; only used for macOS targets."""

    zig: bool = option(False, cli=("--zig",))
    """Link with zig (`cargo-zigbuild`) against the glibc of the `compatibility` policy
    (default manylinux2014), so a new host builds wheels for old distributions."""


@dataclass(frozen=True)
class LayoutSettings:
    """What the crate is bound with and where its Python files live."""

    bindings: Optional[Binding] = option(cli=("-b", "--bindings"), metavar="NAME")
    """`pyo3`, `rust-cpython`, `cffi`, `uniffi` or `bin`; default: detected from the
    dependencies."""

    module_name: Optional[str] = option()
    """Dotted import name of the native module (`pkg._native`); default: the `[lib]` name."""

    python_source: Optional[str] = option()
    """The folder holding the Python package of a mixed project, relative to pyproject.toml."""

    python_packages: tuple[str, ...] = option(())
    """More top-level Python packages to pack, next to the module's package."""

    include: tuple[Pattern, ...] = option((), parse=_patterns)
    """Extra files to pack: globs relative to the project folder (pyproject.toml's), tried
    relative to the Python source folder when they match nothing there; a table
    `{ path = "...", format = "sdist" }` limits one to the sdist or the wheel. A pattern
    that matches nothing is skipped."""

    exclude: tuple[Pattern, ...] = option((), parse=_patterns)
    """Files to leave out: globs relative to the project folder (for wheels also relative to
    the Python source folder), in the same forms as `include`."""

    sdist_generator: Optional[SdistGenerator] = option(metavar="NAME")
    """Which files the sdist holds: `cargo` (what `cargo package --list` gives, plus path
    dependencies; the default) or `git` (the files `git ls-files` lists)."""

    data: Optional[str] = option()
    """A folder with data/, scripts/, headers/ to install with the wheel; default:
    `<module-name>.data` in the project folder (the whole dotted name, as maturin looks
    for it)."""


@dataclass(frozen=True)
class AuditSettings:
    """The platform tag of Linux wheels, and what to do about libraries outside the policy."""

    compatibility: Optional[str] = option(cli=("--compatibility", "--manylinux"),
                                          aliases=("manylinux",), metavar="POLICY",
                                          parse=_compatibility)
    """Tag for this policy, checked against the binaries: `2014`, `2_28`, `manylinux_2_17`,
    `musllinux_1_2`, `off` or `linux` (plain `linux_<arch>`); add `-unchecked` to skip the
    check; default (and maturin's `pypi`): the best policy the binaries satisfy."""

    auditwheel: Optional[AuditMode] = option(cli=("--auditwheel",), metavar="MODE")
    """`repair`: graft libraries the policy does not allow into the wheel (the default);
    `check`: fail if that is needed; `warn`: tag `linux_<arch>` and warn; `skip`: no audit."""

    skip_auditwheel: bool = option(False, cli=("--skip-auditwheel",))
    """Deprecated: the same as `compatibility = "off"`."""


@dataclass(frozen=True)
class OutputSettings:
    """Which wheels are built and where they go."""

    interpreters: tuple[str, ...] = option((), cli=("-i", "--interpreter"), toml=False,
                                           many=True, metavar="PYTHON")
    """Interpreters to build for: names on PATH (`python3.12`), versions (`3.12`) or paths;
    default: every supported one found."""

    out_dir: Optional[Path] = option(cli=("-o", "--out"), toml=False, metavar="DIR")
    """Where built files go; default: `<cargo target directory>/wheels`."""

    use_base_python: bool = option(False)
    """Point cargo at the base interpreter of a PEP 517 build environment rather than the
    environment's own (accepted for maturin projects; the backend always does so, so pyo3
    is not rebuilt for every new isolated environment)."""


@dataclass(frozen=True)
class SbomSettings:
    """Software bills of materials in `.dist-info/sboms/` (PEP 770); written in pyproject as
    the `[tool.pyo3-pack.sbom]` (or `[tool.maturin.sbom]`) table."""

    rust: bool = option(True)
    """Write a CycloneDX 1.5 SBOM of the crate's Rust dependency graph
    (`<crate>.cyclonedx.json`)."""

    include: tuple[str, ...] = option((), cli=("--sbom-include",), many=True, metavar="FILE")
    """More SBOM files to ship, relative to the project folder."""


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a build, resolved from every source (see `chain.resolve`)."""

    cargo: CargoSettings = field(default_factory=CargoSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    output: OutputSettings = field(default_factory=OutputSettings)
    sbom: SbomSettings = field(default_factory=SbomSettings)

    @property
    def profile(self) -> str:
        """The cargo profile to build with (`dev` unless a source said otherwise; `release`
        for `--pgo`, which would gain nothing without optimizations)."""
        return self.cargo.profile or ("release" if self.cargo.pgo else "dev")

    @property
    def feature_args(self) -> list[str]:
        """The feature flags as cargo takes them, for every cargo command."""
        cargo = self.cargo
        args = ["--features", ",".join(cargo.features)] if cargo.features else []
        if cargo.all_features:
            args.append("--all-features")
        if cargo.no_default_features:
            args.append("--no-default-features")
        return args

    @property
    def manifest_args(self) -> list[str]:
        """Cargo's lock-file, network and configuration flags: for every cargo command,
        `cargo metadata` included."""
        cargo = self.cargo
        args = [flag for flag, on in (("--frozen", cargo.frozen), ("--locked", cargo.locked),
                                      ("--offline", cargo.offline)) if on]
        for value in cargo.config:
            args += ["--config", value]
        for flag in cargo.unstable_flags:
            args += ["-Z", flag]
        return args


#: The groups of `Settings`, in the order `--help` and the documentation show them.
GROUPS: tuple[tuple[str, type[Any]], ...] = (
    ("cargo", CargoSettings),
    ("layout", LayoutSettings),
    ("audit", AuditSettings),
    ("output", OutputSettings),
    ("sbom", SbomSettings),
)

#: Groups written as their own sub-table (`[tool.pyo3-pack.sbom]`); their flat keys and
#: environment variables carry the group's name (`sbom-rust`, `PYO3_PACK_SBOM_RUST`).
TABLE_GROUPS = frozenset({"sbom"})
