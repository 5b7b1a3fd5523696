"""setuptools-rust's `RustExtension`, `RustBin`, `Binding` and `Strip`, with the same
arguments, so a setup.py moves over by changing its import line.

Each argument becomes a settings value (`CrateSpec.values`, resolved by the one precedence
chain) or one of the few things only the setuptools door does (`optional`, `env`, which
binaries and where they go). Arguments without an equivalent are accepted with a warning.
Pure values; nothing here runs cargo or imports setuptools.
"""

from __future__ import annotations

import difflib
import enum
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ... import _process
from ...errors import ConfigError
from .crates import CrateSpec


class Binding(enum.IntEnum):
    """How the extension talks to Python (setuptools-rust's names)."""

    PyO3 = 1
    RustCPython = 2
    NoBinding = 3
    """Bring your own bindings: the cdylib is installed as the extension module file."""
    Exec = 4
    """Executables rather than an extension module."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class Strip(enum.IntEnum):
    """Which symbols to strip from the built files."""

    No = 1
    Debug = 2
    All = 3

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


#: Our binding names, also accepted for `binding=`.
_OUR_BINDINGS = {"pyo3": "pyo3", "rust-cpython": "rust-cpython", "cpython": "rust-cpython",
                 "cffi": "cffi", "bin": "bin"}
_SETTING = {Binding.PyO3: "pyo3", Binding.RustCPython: "rust-cpython",
            Binding.NoBinding: "pyo3", Binding.Exec: "bin"}
#: Features setuptools-rust turns on for each binding (crates written for it rely on them).
_BINDING_FEATURES = {Binding.PyO3: ("pyo3/extension-module",),
                     Binding.RustCPython: ("cpython/python3-sys", "cpython/extension-module")}
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_EXEC_PLACE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.[\w-]+)?$")
_EXTENSION_ARGS = ("target", "path", "args", "cargo_manifest_args", "features", "rustc_flags",
                   "rust_version", "quiet", "debug", "binding", "strip", "script", "native",
                   "optional", "py_limited_api", "env", "generated_files")
_BIN_ARGS = ("target", "path", "args", "cargo_manifest_args", "features", "rust_version",
             "quiet", "debug", "strip", "optional", "env")


class RustExtension:
    """A Rust extension module (or, with `Binding.Exec`, executables placed in a package)."""

    _kind = "RustExtension"

    def __init__(
        self,
        target: str | Mapping[str, str],
        path: str = "Cargo.toml",
        args: Sequence[str] | None = (),
        cargo_manifest_args: Sequence[str] | None = (),
        features: Sequence[str] | None = (),
        rustc_flags: Sequence[str] | None = (),
        rust_version: str | None = None,
        quiet: bool = False,
        debug: bool | None = None,
        binding: Binding | str = Binding.PyO3,
        strip: Strip = Strip.No,
        script: bool = False,
        native: bool = False,
        optional: bool = False,
        py_limited_api: bool | str = "auto",
        env: Mapping[str, str] | None = None,
        generated_files: Mapping[str, str] | None = None,
        **unknown: object,
    ) -> None:
        # a bad argument is raised by spec(), inside setup(): setuptools then reports it as
        # one line, where raising here would end setup.py with a traceback
        self.problem: ConfigError | None = getattr(self, "problem", None)
        if unknown and self.problem is None:
            self.problem = ConfigError(_unknown_message(self._kind, sorted(unknown),
                                                        _EXTENSION_ARGS))
        self.name = str(target)
        self.path = str(path)
        self.script = False
        self.binding = binding
        try:
            self._check(target, path, args, cargo_manifest_args, features, rustc_flags)
        except ConfigError as error:
            self.problem = self.problem or error
            return
        self.rust_version = rust_version
        self.quiet = bool(quiet)
        self.debug = debug
        self.strip = strip
        self.script = bool(script)
        self.native = bool(native)
        self.optional = bool(optional)
        self.py_limited_api = py_limited_api
        self.env = dict(env or {})
        self.generated_files = dict(generated_files or {})

    def _check(self, target: str | Mapping[str, str], path: str, args: object,
               cargo_manifest_args: object, features: object, rustc_flags: object) -> None:
        self.target: dict[str, str] = dict(target) if isinstance(target, Mapping) \
            else {"": _string(target, "target", self._kind)}
        self.name = "; ".join(f"{k}={v}" for k, v in target.items()) \
            if isinstance(target, Mapping) else target
        self.path = _string(path, "path", self.name)
        self.args = _strings(args, "args", self.name)
        self.cargo_manifest_args = _strings(cargo_manifest_args, "cargo_manifest_args",
                                            self.name)
        self.features = _strings(features, "features", self.name)
        self.rustc_flags = _strings(rustc_flags, "rustc_flags", self.name)

    def __repr__(self) -> str:
        return f"{self._kind}({self.name!r}, path={self.path!r})"

    def entry_points(self) -> list[str]:
        """Console scripts of executables placed in a package with `script=True`."""
        if self.problem is not None or not (self.script and self.binding is Binding.Exec):
            return []
        scripts = []
        for exe, place in _exec_targets(self).items():
            package, _, command = place.rpartition(".")
            scripts.append(f"{command}={package}.{_runner_module(exe)}:run")
        return scripts

    def spec(self) -> CrateSpec:
        """The settings and build details these arguments mean."""
        if self.problem is not None:
            raise self.problem
        return _spec(self)


class RustBin(RustExtension):
    """A Rust binary installed as a command (into the environment's scripts folder)."""

    _kind = "RustBin"

    def __init__(
        self,
        target: str | Mapping[str, str],
        path: str = "Cargo.toml",
        args: Sequence[str] | None = (),
        cargo_manifest_args: Sequence[str] | None = (),
        features: Sequence[str] | None = (),
        rust_version: str | None = None,
        quiet: bool = False,
        debug: bool | None = None,
        strip: Strip = Strip.No,
        optional: bool = False,
        env: Mapping[str, str] | None = None,
        **unknown: object,
    ) -> None:
        if unknown:
            self.problem = ConfigError(_unknown_message(self._kind, sorted(unknown), _BIN_ARGS))
        super().__init__(target, path, args, cargo_manifest_args, features, (), rust_version,
                         quiet, debug, Binding.Exec, strip, False, False, optional, "auto",
                         env)


# -- checking arguments ---------------------------------------------------------------------


def _unknown_message(kind: str, names: list[str], known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(names[0], known, n=1)
    hint = f"; did you mean `{close[0]}`?" if close else f"; known: {', '.join(known)}"
    return f"{kind}() got an unknown argument `{names[0]}`{hint}"


def _string(value: object, name: str, owner: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{name} of {owner} must be a non-empty string, not {value!r}")
    return value


def _strings(value: object, name: str, owner: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise ConfigError(f"{name} of {owner} must be a list of strings, not the string "
                          f"{value!r}", hint=f"write {name}=[{value!r}]")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{name} of {owner} must be a list of strings, not {value!r}")
    return tuple(value)


# -- what the arguments mean ----------------------------------------------------------------


def _binding_setting(ext: RustExtension, label: str) -> str:
    if isinstance(ext.binding, Binding):
        return _SETTING[ext.binding]
    if isinstance(ext.binding, str) and ext.binding.lower() in _OUR_BINDINGS:
        return _OUR_BINDINGS[ext.binding.lower()]
    names = ", ".join(f"Binding.{b.name}" for b in Binding)
    raise ConfigError(f"binding of {label} is {ext.binding!r}", hint=f"use one of {names}")


def _exec_targets(ext: RustExtension) -> dict[str, str]:
    """Binary name -> its dotted place (setuptools-rust: `{"": "pkg.tool"}` is binary `tool`)."""
    return {(exe or place.split(".")[-1]): place for exe, place in ext.target.items()}


def _runner_module(exe: str) -> str:
    return "_gen_" + re.sub(r"\W", "_", exe)


def split_cargo_args(args: tuple[str, ...], label: str) -> tuple[dict[str, Any], list[str]]:
    """Cargo arguments that are settings (`--profile`, features, `--target`) and the rest."""
    values: dict[str, Any] = {}
    rest: list[str] = []
    features: list[str] = []
    words = list(args)
    while words:
        word = words.pop(0)
        flag, has_value, inline = word.partition("=")
        if flag in ("--profile", "--features", "-F", "--target") and not has_value:
            if not words:
                raise ConfigError(f"`{flag}` in args of {label} has no value")
            inline = words.pop(0)
        if flag == "--profile":
            values["cargo.profile"] = inline
        elif flag in ("--features", "-F"):
            features += inline.replace(",", " ").split()
        elif flag == "--target":
            values["cargo.target"] = inline
        elif word == "--release":
            values["cargo.profile"] = "release"
        elif word == "--all-features":
            values["cargo.all_features"] = True
        elif word == "--no-default-features":
            values["cargo.no_default_features"] = True
        elif word == "--":
            values["cargo.rustc_extra_args"] = tuple(words)
            break
        else:
            rest.append(word)
    if features:
        values["cargo.features"] = tuple(features)
    return values, rest


def _spec(ext: RustExtension) -> CrateSpec:
    label = repr(ext)
    binding = _binding_setting(ext, label)
    if len(ext.target) > 1 and ext.binding is not Binding.Exec:
        raise ConfigError(f"{label}: several targets are only possible with Binding.Exec")
    from_args, cargo_args = split_cargo_args(ext.args, label)
    rustc = [*from_args.pop("cargo.rustc_extra_args", ()), *ext.rustc_flags]
    if ext.native:
        rustc += ["-C", "target-cpu=native"]
    if ext.strip is Strip.Debug:
        rustc += ["-C", "strip=debuginfo"]
    values: dict[str, Any] = {"layout.bindings": binding, **from_args,
                              "cargo.cargo_extra_args": (*cargo_args, *ext.cargo_manifest_args),
                              "cargo.rustc_extra_args": tuple(rustc)}
    if ext.strip is Strip.All:
        values["cargo.strip"] = True
    labels = {"layout.bindings": "binding", "cargo.cargo_extra_args": "args",
              "cargo.rustc_extra_args": "rustc_flags", "cargo.profile": "args",
              "cargo.target": "args", "layout.module_name": "target"}
    features = (*from_args.pop("cargo.features", ()), *ext.features)
    values.pop("cargo.features", None)
    if isinstance(ext.binding, Binding):
        features = (*_BINDING_FEATURES.get(ext.binding, ()), *features)
    bins: tuple[str, ...] | None = None
    places: dict[str, str] = {}
    runners: dict[str, str] = {}
    commands: dict[str, str] = {}
    if binding == "bin":
        targets = _exec_targets(ext)
        bins = tuple(targets)
        if isinstance(ext, RustBin):  # installed as commands, maybe under another name
            commands = {exe: name for exe, name in targets.items() if name != exe}
        else:  # Binding.Exec: inside the Python package
            for exe, place in targets.items():
                if not _EXEC_PLACE.match(place) or "." not in place:
                    raise ConfigError(f"target {place!r} of {label} is not a dotted place "
                                      "inside a Python package (`pkg.tool`)")
                package, _, command = place.rpartition(".")
                places[exe] = f"{package.replace('.', '/')}/{command}"
                if ext.script:
                    runners[exe] = f"{package.replace('.', '/')}/{_runner_module(exe)}.py"
    else:
        module = ext.target[""] if "" in ext.target else next(iter(ext.target.values()))
        if not _MODULE.match(module):
            raise ConfigError(f"target {module!r} of {label} is not a dotted module name")
        values["layout.module_name"] = module
    _warn_unsupported(ext, label)
    env = dict(ext.env)
    if {"--offline", "--frozen"} & set(ext.cargo_manifest_args):
        env.setdefault("CARGO_NET_OFFLINE", "true")  # cargo metadata must not go online either
    if ext.quiet:
        env.setdefault("CARGO_TERM_QUIET", "true")
    profile = None if ext.debug is None else "dev" if ext.debug else "release"
    profile = from_args.get("cargo.profile", profile)
    values.pop("cargo.profile", None)
    limited: bool | str = ext.py_limited_api if ext.binding is Binding.PyO3 else False
    return CrateSpec(ext.path, label, values=values, labels=labels, profile=profile,
                     features=tuple(dict.fromkeys(features)), limited_api=limited,
                     optional=ext.optional, env=env, bins=bins, bin_places=places,
                     runners=runners, commands=commands, rust_version=ext.rust_version)


def _warn_unsupported(ext: RustExtension, label: str) -> None:
    if ext.generated_files:
        _process.log(f"warning: {label}: generated_files is not supported by "
                     "setuptools-pyo3pack and is ignored; copy the files in a build script "
                     "into the Python package instead")
    if ext.script and ext.binding is not Binding.Exec:
        _process.log(f"warning: {label}: script=True only means something with "
                     "Binding.Exec; ignored")
