"""`RustCrate` and the `rust_crates=[...]` setup keyword: which crates a setup.py builds.

Every way of naming a crate (`RustCrate`, setuptools-rust's `RustExtension` and `RustBin`,
`[tool.setuptools-rust]`) becomes a `CrateSpec`: settings values for the one precedence
chain plus the few things only the setuptools door does (optional builds, cargo's
environment, which binaries, where they go). Pure values and validation; nothing here runs
cargo or imports setuptools.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import ConfigError
from ...project.bindings import BINDING_ALIASES

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_FIELDS = ("path", "module", "binding", "features", "profile")


@dataclass(frozen=True, init=False)
class RustCrate:
    """A crate `build_rust` builds: `RustCrate("rust/Cargo.toml", module="pkg._native")`."""

    path: str = "Cargo.toml"
    """Cargo.toml of the crate (or its folder), relative to setup.py."""
    module: str | None = None
    """Dotted import name of the native module; default: the `[lib] name` (or `module-name`)."""
    binding: str | None = None
    """`pyo3`, `rust-cpython`, `cffi` or `bin`; default: detected from the dependencies."""
    features: tuple[str, ...] = field(default=())
    """Cargo features to activate."""
    profile: str | None = None
    """Cargo profile; default `release` for wheels and `dev` for in-place (editable) builds."""

    def __init__(
        self,
        path: str = "Cargo.toml",
        *,
        module: str | None = None,
        binding: str | None = None,
        features: Iterable[str] = (),
        profile: str | None = None,
        **unknown: object,
    ) -> None:
        if unknown:
            raise ConfigError(_unknown_message(sorted(unknown)))
        features = (features,) if isinstance(features, str) else tuple(features)
        _check(path, module, binding, features, profile)
        object.__setattr__(self, "path", str(path))
        object.__setattr__(self, "module", module)
        object.__setattr__(self, "binding", binding)
        object.__setattr__(self, "features", features)
        object.__setattr__(self, "profile", profile)

    def spec(self) -> CrateSpec:
        values = {"layout.bindings": self.binding, "layout.module_name": self.module}
        return CrateSpec(self.path, f"RustCrate({self.path!r})",
                         values={k: v for k, v in values.items() if v},
                         profile=self.profile, features=self.features)


@dataclass(frozen=True)
class CrateSpec:
    """What one entry of `rust_crates` or `rust_extensions` asks `build_rust` to build."""

    path: str
    """Cargo.toml of the crate (or its folder), relative to setup.py."""
    label: str
    """How the entry is named in messages: `RustExtension('pkg._lib')`."""
    values: Mapping[str, Any] = field(default_factory=dict)
    """Settings values by field path (`cargo.rustc_extra_args`), for the precedence chain."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Field path -> the argument that set it, for messages."""
    profile: str | None = None
    """The entry's cargo profile; `build_rust --debug/--release` win over it."""
    features: tuple[str, ...] = ()
    """The entry's cargo features; `build_rust --features` add to them."""
    limited_api: bool | str = False
    """`auto`: the stable ABI when bdist_wheel's `py_limited_api` asks for it (pyo3)."""
    optional: bool = False
    """A failed build is a warning, and the module is left out."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Variables added to cargo's environment."""
    bins: tuple[str, ...] | None = None
    """Only these binaries of the crate (None: all of them)."""
    bin_places: Mapping[str, str] = field(default_factory=dict)
    """Binary -> its file inside a Python package (`pkg/tool`), instead of the scripts."""
    runners: Mapping[str, str] = field(default_factory=dict)
    """Generated modules (`pkg/_gen_tool.py`) that run a binary placed in a package."""
    commands: Mapping[str, str] = field(default_factory=dict)
    """Binary -> the command name it is installed as, when not its own (`RustBin` dicts)."""
    """Generated modules (`pkg/_gen_tool.py`) that run a binary placed in a package."""
    rust_version: str | None = None
    """A version requirement on rustc, checked before building."""

    @property
    def module(self) -> str | None:
        value = self.values.get("layout.module_name")
        return value if isinstance(value, str) else None


def _unknown_message(names: list[str]) -> str:
    name = names[0]
    close = difflib.get_close_matches(name, _FIELDS, n=1)
    hint = f"; did you mean `{close[0]}`?" if close else f"; known: {', '.join(_FIELDS)}"
    return f"RustCrate() got an unknown option `{name}`{hint}"


def _check(
    path: object, module: object, binding: object, features: tuple[object, ...], profile: object
) -> None:
    if not isinstance(path, str) or not path:
        raise ConfigError(f"RustCrate path must be the path of a Cargo.toml, not {path!r}")
    if module is not None and (not isinstance(module, str) or not _MODULE.match(module)):
        raise ConfigError(f"RustCrate module {module!r} is not a dotted Python module name")
    if binding is not None and (not isinstance(binding, str) or binding not in BINDING_ALIASES):
        choices = ", ".join(sorted(BINDING_ALIASES))
        raise ConfigError(f"RustCrate binding {binding!r} is not one of {choices}")
    if not all(isinstance(f, str) and f for f in features):
        raise ConfigError(f"RustCrate features must be feature names, not {list(features)!r}")
    if profile is not None and (not isinstance(profile, str) or not profile):
        raise ConfigError(f"RustCrate profile must be a cargo profile name, not {profile!r}")


def specs(crates: Iterable[RustCrate | CrateSpec]) -> tuple[CrateSpec, ...]:
    """Every entry as a CrateSpec; two entries must not build the same module."""
    found = tuple(c.spec() if isinstance(c, RustCrate) else c for c in crates)
    modules = [s.module for s in found if s.module]
    if len(set(modules)) != len(modules):
        raise ConfigError(f"two Rust entries of setup() build the same module: {modules}")
    return found


def normalize(value: object) -> tuple[RustCrate, ...]:
    """`rust_crates=` as written in setup.py (paths and RustCrate objects) as RustCrates."""
    if isinstance(value, (str, RustCrate)):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ConfigError("rust_crates must be a non-empty list of Cargo.toml paths or "
                          f"RustCrate(...) objects, not {value!r}")
    crates = []
    for entry in value:
        if isinstance(entry, str):
            entry = RustCrate(entry)
        if not isinstance(entry, RustCrate):
            raise ConfigError(f"rust_crates entry {entry!r} is neither a Cargo.toml path "
                              "nor a RustCrate(...)")
        crates.append(entry)
    modules = [c.module for c in crates if c.module]
    if len(set(modules)) != len(modules):
        raise ConfigError(f"two rust_crates entries build the same module: {modules}")
    return tuple(crates)
