"""Which kind of Python package the crate becomes, read from its resolved dependencies."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from ..config.settings import BINDING_ALIASES as SPELLINGS
from ..config.settings import Binding
from ..errors import ConfigError
from .cargo_metadata import CargoTarget
from .crate import Crate

#: Every spelling of a binding users may write, lower case.
BINDING_ALIASES = {**{b.value: b for b in Binding}, **SPELLINGS}


@dataclass(frozen=True)
class SupportedVersions:
    """The Python minor versions a binding crate can build for (inclusive)."""

    implementation: str
    minimum: tuple[int, int]
    maximum: tuple[int, int] | None

    def why_not(self, version: tuple[int, int]) -> str | None:
        """Why `version` cannot be built, or None if it can."""
        if version < self.minimum:
            return f"older than {_dotted(self.minimum)}"
        if self.maximum is not None and version > self.maximum:
            return f"newer than {_dotted(self.maximum)}"
        return None


@dataclass(frozen=True)
class BindingChoice:
    binding: Binding
    crate_version: str | None = None
    """Version of the binding crate (pyo3, cpython), for messages."""
    abi3: tuple[int, int] | None = None
    """For pyo3 with the abi3 feature: the oldest CPython the wheel serves (abi3-pyXY)."""
    abi3_from_interpreter: bool = False
    """abi3 without an abi3-pyXY feature: the oldest interpreter built for sets the floor."""
    supported: tuple[SupportedVersions, ...] = ()
    free_threaded_minimum: tuple[int, int] | None = None
    """Oldest free-threaded CPython the binding crate builds for, when it says."""
    free_threaded_unsupported: bool = False
    """The binding crate cannot build for free-threaded CPython at all (pyo3 before 0.23,
    rust-cpython)."""
    embeds_python: bool = False
    """Binaries that link pyo3: each embeds one interpreter, so each wheel is built for one."""

    @property
    def is_abi3(self) -> bool:
        return self.abi3 is not None or self.abi3_from_interpreter

    @property
    def needs_interpreter(self) -> bool:
        """Built once per interpreter (or once for the stable ABI) and tagged for it:
        extension modules, and binaries embedding Python through pyo3."""
        return self.binding.needs_interpreter or self.embeds_python

    @property
    def crate_name(self) -> str:
        """The crate that talks to Python, for messages: `pyo3` for embedding binaries."""
        return "pyo3" if self.embeds_python else self.binding.value

    def why_unsupported(
        self, implementation: str, version: tuple[int, int], free_threaded: bool = False
    ) -> str | None:
        """Why the binding crate cannot build for this interpreter, or None if it can.

        With the abi3 feature, only GIL CPythons build the stable-ABI wheel; pyo3 builds a
        version-specific module for free-threaded CPython, PyPy and GraalPy instead."""
        if free_threaded and self.free_threaded_unsupported:
            return (f"{self.crate_name} {self.crate_version} does not support free-threaded "
                    "CPython" + (" (pyo3 0.23 is the first that does)"
                                 if self.crate_name == "pyo3" else ""))
        minimum = self.free_threaded_minimum
        if free_threaded and minimum is not None and version < minimum:
            return (f"{self.crate_name} {self.crate_version} supports free-threaded "
                    f"CPython from {_dotted(minimum)}")
        stable = self.is_abi3 and implementation == "cpython" and not free_threaded
        reason = self._outside_range(implementation, version, stable)
        if reason is None and stable and self.abi3 is not None and version < self.abi3:
            reason = f"the abi3-py3{self.abi3[1]} feature needs CPython >= {_dotted(self.abi3)}"
        return reason

    def _outside_range(self, implementation: str, version: tuple[int, int],
                       stable: bool) -> str | None:
        entry = next((e for e in self.supported if e.implementation == implementation), None)
        if entry is None:
            if self.supported:
                return f"{self.crate_name} {self.crate_version} does not support " \
                       f"{implementation}"
            return None
        reason = entry.why_not(version)
        if reason is None or (stable and reason.startswith("newer")):
            return None  # the stable ABI is forward compatible
        return (f"{self.crate_name} {self.crate_version} supports {implementation} "
                f"{_range(entry)}; this one is {reason}")


def _dotted(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _range(entry: SupportedVersions) -> str:
    if entry.maximum is None:
        return f">= {_dotted(entry.minimum)}"
    return f"{_dotted(entry.minimum)} to {_dotted(entry.maximum)}"


def detect(crate: Crate, forced: Binding | str | None) -> BindingChoice:
    """The binding named by the user, or the one the dependency graph shows."""
    if isinstance(forced, str) and not isinstance(forced, Binding):
        forced = _parse_forced(forced)
    binding = forced or _detect_kind(crate)
    if binding is Binding.BIN:
        if not crate.bins:
            raise ConfigError(
                f"crate `{crate.name}` has no [[bin]] target to pack",
                hint=f"add src/main.rs or a [[bin]] section to {crate.manifest_path}",
            )
        return _bin_choice(crate)
    _require_cdylib(crate, crate.lib)
    if binding is Binding.PYO3:
        return _pyo3_choice(crate)
    if binding is Binding.CFFI:
        return BindingChoice(Binding.CFFI)
    if binding is Binding.UNIFFI:
        return _uniffi_choice(crate)
    dep = crate.dependencies.get("cpython")
    version = dep.version if dep else None
    return BindingChoice(Binding.RUST_CPYTHON, crate_version=version,
                         supported=RUST_CPYTHON_SUPPORT.get(_minor_series(version), ()),
                         free_threaded_unsupported=True)


def _bin_choice(crate: Crate) -> BindingChoice:
    """Binaries; those of a crate depending on pyo3 (or pyo3-ffi) link an interpreter, so
    they carry pyo3's facts (supported versions, abi3) and are built for each interpreter."""
    if not _uses_pyo3(crate):
        return BindingChoice(Binding.BIN)
    return replace(_pyo3_choice(crate), binding=Binding.BIN, embeds_python=True)


def _uses_pyo3(crate: Crate) -> bool:
    return "pyo3" in crate.dependencies or "pyo3-ffi" in crate.dependencies


def _uniffi_choice(crate: Crate) -> BindingChoice:
    dep = crate.dependencies.get("uniffi")
    if dep is None:
        raise ConfigError(
            f"uniffi bindings need the uniffi crate, which `{crate.name}` does not depend on",
            hint=f"add uniffi to [dependencies] in {crate.manifest_path}",
        )
    return BindingChoice(Binding.UNIFFI, crate_version=dep.version)


def _parse_forced(name: str) -> Binding:
    try:
        return BINDING_ALIASES[name.lower()]
    except KeyError:
        choices = ", ".join(sorted(b.value for b in Binding))
        raise ConfigError(f"unknown binding `{name}`", hint=f"use one of {choices}") from None


def _detect_kind(crate: Crate) -> Binding:
    if crate.lib is None:
        if crate.bins:
            return Binding.BIN
        raise ConfigError(f"crate `{crate.name}` has neither a library nor a binary target")
    if _uses_pyo3(crate):
        if "cdylib" not in crate.lib.crate_types and crate.bins:
            return Binding.BIN  # no module to build: binaries that embed Python
        return Binding.PYO3
    if "cpython" in crate.dependencies:
        return Binding.RUST_CPYTHON
    if "uniffi" in crate.dependencies:
        return Binding.UNIFFI
    if "cdylib" in crate.lib.crate_types:
        return Binding.CFFI  # a C ABI library without Python bindings of its own
    if crate.bins:
        return Binding.BIN
    raise ConfigError(
        f"cannot tell how crate `{crate.name}` talks to Python: it depends on none of pyo3, "
        "cpython and uniffi, and its library is not a cdylib",
        hint=f'add pyo3 to [dependencies] or `crate-type = ["cdylib"]` under [lib] in '
        f"{crate.manifest_path}, or pass -b bin for a crate of binaries",
    )


def _require_cdylib(crate: Crate, lib: CargoTarget | None) -> None:
    if lib is None:
        raise ConfigError(
            f"crate `{crate.name}` has no library target to build a Python module from",
            hint=f"add src/lib.rs, or pass -b bin to pack its binaries ({crate.manifest_path})",
        )
    if "cdylib" not in lib.crate_types:
        raise ConfigError(
            f"the library of `{crate.name}` is not a cdylib (crate-type = "
            f"{list(lib.crate_types)})",
            hint=f'add `crate-type = ["cdylib"]` under [lib] in {crate.manifest_path}',
        )


#: rust-cpython's releases and the CPythons each was made for (its README; unmaintained since)
RUST_CPYTHON_SUPPORT = {
    "0.7": (SupportedVersions("cpython", (3, 7), (3, 12)),),
}


def _minor_series(version: str | None) -> str:
    return ".".join((version or "").split(".")[:2])


ABI3_FEATURE = re.compile(r"^abi3-py3(\d+)$")


def _pyo3_choice(crate: Crate) -> BindingChoice:
    ffi = crate.dependencies.get("pyo3-ffi")
    pyo3 = crate.dependencies.get("pyo3") or ffi
    features = set(pyo3.features if pyo3 else ()) | set(ffi.features if ffi else ())
    minors = [int(m.group(1)) for f in features if (m := ABI3_FEATURE.match(f))]
    build_rs = ffi.manifest_path.parent / "build.rs" if ffi else None
    supported, free_threaded_minimum = supported_versions(build_rs) if build_rs else ((), None)
    return BindingChoice(
        Binding.PYO3,
        crate_version=pyo3.version if pyo3 else None,
        abi3=(3, min(minors)) if minors else None,
        abi3_from_interpreter=not minors and "abi3" in features,
        supported=supported,
        free_threaded_minimum=free_threaded_minimum,
        # a build script we could read that names no free-threaded minimum predates it
        free_threaded_unsupported=bool(supported) and free_threaded_minimum is None,
    )


_BOUNDS = re.compile(
    r"SUPPORTED_VERSIONS_(?P<impl>[A-Z]+)\s*:\s*SupportedVersions\s*=\s*SupportedVersions\s*\{"
    r"(?P<body>.*?)\};",
    re.S,
)
# pyo3-ffi spells versions `PY_3_9` (0.23+) or `PythonVersion { major: 3, minor: 7 }` (older)
_VERSION = (
    r"(?:PY_3_(?P<{0}a>\d+)"
    r"|PythonVersion\s*\{{\s*major:\s*3,\s*minor:\s*(?P<{0}b>\d+)\s*\}})"
)
_MIN = re.compile(r"min:\s*" + _VERSION.format("min"))
_MAX = re.compile(r"max:\s*" + _VERSION.format("max"))
_IMPLEMENTATIONS = {"CPYTHON": "cpython", "PYPY": "pypy", "GRAALPY": "graalpy"}
# a constant (`MIN_FREE_THREADED_VERSION: PythonVersion = PY_3_14`, pyo3 0.29+) or a local
# (`let min_free_threaded_version = PythonVersion { major: 3, minor: 14 }`)
_FREE_THREADED = re.compile(
    r"MIN_FREE_THREADED_VERSION\s*(?::\s*PythonVersion\s*)?=\s*" + _VERSION.format("min"),
    re.I,
)
#: pyo3 0.23 .. 0.27 build for free-threaded CPython from its first release, 3.13; their
#: build scripts ask whether the interpreter is free-threaded without naming a minimum
_KNOWS_FREE_THREADING = re.compile(r"is_free_threaded\(\)")
#: pyo3 0.22 and older refuse free-threaded builds (`ensure_gil_enabled`)
_REFUSES_FREE_THREADING = re.compile(r"UNSAFE_PYO3_BUILD_FREE_THREADED|ensure_gil_enabled")


def supported_versions(
    build_rs: os.PathLike[str] | str,
) -> tuple[tuple[SupportedVersions, ...], tuple[int, int] | None]:
    """The supported interpreter range that pyo3-ffi's build script enforces.

    pyo3 refuses to build for interpreters outside this range; reading it lets us skip
    them up front with a reason instead of a build-script panic per interpreter.
    """
    try:
        with open(build_rs, encoding="utf-8") as handle:
            source = handle.read()
    except OSError:
        return (), None
    found: dict[str, SupportedVersions] = {}
    for block in _BOUNDS.finditer(source):
        implementation = _IMPLEMENTATIONS.get(block.group("impl"))
        low = _MIN.search(block.group("body"))
        high = _MAX.search(block.group("body"))
        if implementation is None or low is None:
            continue
        minimum = (3, int(low.group("mina") or low.group("minb")))
        maximum = None
        if high is not None:
            maximum = (3, int(high.group("maxa") or high.group("maxb")))
        elif "CPYTHON.max" in block.group("body") and "cpython" in found:
            maximum = found["cpython"].maximum
        found[implementation] = SupportedVersions(implementation, minimum, maximum)
    free = _FREE_THREADED.search(source)
    free_minimum = (3, int(free.group("mina") or free.group("minb"))) if free else None
    if free_minimum is None and _KNOWS_FREE_THREADING.search(source) \
            and not _REFUSES_FREE_THREADING.search(source):
        free_minimum = (3, 13)
    return tuple(found.values()), free_minimum

