"""Binding detection from the dependency graph, and the interpreter range pyo3 supports."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from setuptools_pyo3pack.config.settings import Binding
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.project import bindings
from setuptools_pyo3pack.project.bindings import BindingChoice, SupportedVersions
from setuptools_pyo3pack.project.cargo_metadata import CargoTarget
from setuptools_pyo3pack.project.crate import Crate, crate_from_metadata

from .helpers import NEW_STYLE_BUILD_RS, OLD_STYLE_BUILD_RS, recorded_metadata

NEW_STYLE_SUPPORTED = (
    SupportedVersions("cpython", (3, 9), (3, 15)),
    SupportedVersions("pypy", (3, 11), (3, 15)),
    SupportedVersions("graalpy", (3, 10), (3, 15)),
)


def test_pyo3_crate_is_detected(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(load_crate("pyo3-pure"), None)
    assert choice.binding is Binding.PYO3
    assert choice.crate_version == "0.30.1"
    assert choice.abi3 is None
    assert not choice.is_abi3
    # read from the (stand-in) pyo3-ffi build.rs next to its Cargo.toml
    assert choice.supported == NEW_STYLE_SUPPORTED
    assert choice.free_threaded_minimum == (3, 14)


def test_abi3_crate_is_detected_with_its_floor(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(load_crate("pyo3-abi3"), None)
    assert choice.binding is Binding.PYO3
    assert choice.abi3 == (3, 9)  # abi3-py39 enables abi3-py310 ... abi3-py315 too
    assert choice.is_abi3
    assert not choice.abi3_from_interpreter


def _with_pyo3_features(crate: Crate, features: tuple[str, ...]) -> Crate:
    deps = dict(crate.dependencies)
    for name in ("pyo3", "pyo3-ffi"):
        deps[name] = dataclasses.replace(deps[name], features=features)
    return dataclasses.replace(crate, dependencies=deps)


def test_abi3_without_version_floor_follows_interpreter(
    load_crate: Callable[[str], Crate],
) -> None:
    crate = _with_pyo3_features(load_crate("pyo3-pure"), ("abi3", "default", "macros"))
    choice = bindings.detect(crate, None)
    assert choice.abi3 is None
    assert choice.abi3_from_interpreter
    assert choice.is_abi3


def test_abi3_floor_is_the_lowest_feature(load_crate: Callable[[str], Crate]) -> None:
    crate = _with_pyo3_features(load_crate("pyo3-pure"), ("abi3", "abi3-py312", "abi3-py311"))
    assert bindings.detect(crate, None).abi3 == (3, 11)


def test_bin_crate_is_detected(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(load_crate("hello-bin"), None)
    assert choice == BindingChoice(Binding.BIN)
    assert not choice.binding.needs_interpreter


@pytest.mark.parametrize(
    ("forced", "expected"),
    [("pyo3", Binding.PYO3), ("PyO3", Binding.PYO3), ("bin", Binding.BIN)],
)
def test_forced_binding(load_crate: Callable[[str], Crate], forced: str, expected: Binding) -> None:
    name = "hello-bin" if expected is Binding.BIN else "pyo3-pure"
    assert bindings.detect(load_crate(name), forced).binding is expected


def test_forced_cpython_binding(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(load_crate("pyo3-pure"), "rust-cpython")
    assert choice.binding is Binding.RUST_CPYTHON
    assert bindings.detect(load_crate("pyo3-pure"), "cpython").binding is Binding.RUST_CPYTHON


def test_unknown_forced_binding_lists_choices(load_crate: Callable[[str], Crate]) -> None:
    with pytest.raises(ConfigError) as info:
        bindings.detect(load_crate("pyo3-pure"), "nonsense")
    expected = "unknown binding `nonsense` (use one of bin, cffi, pyo3, rust-cpython, uniffi)"
    assert str(info.value) == expected


def test_forcing_bin_on_a_crate_without_binaries(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    with pytest.raises(ConfigError) as info:
        bindings.detect(crate, "bin")
    assert "no [[bin]] target" in str(info.value)
    assert str(crate.manifest_path) in str(info.value)


def test_forcing_pyo3_on_a_bin_crate(load_crate: Callable[[str], Crate]) -> None:
    with pytest.raises(ConfigError, match="no library target"):
        bindings.detect(load_crate("hello-bin"), "pyo3")


@pytest.mark.parametrize("crate_types", [("lib",), ("rlib",), ("lib", "staticlib")])
def test_lib_without_cdylib_says_how_to_fix(
    load_crate: Callable[[str], Crate], crate_types: tuple[str, ...]
) -> None:
    crate = load_crate("pyo3-pure")
    crate = dataclasses.replace(crate, lib=CargoTarget("pyo3_pure", crate_types, crate_types))
    with pytest.raises(ConfigError) as info:
        bindings.detect(crate, None)
    message = str(info.value)
    assert 'crate-type = ["cdylib"]' in message
    assert str(crate.manifest_path) in message
    assert "\n" not in message


def test_lib_with_cdylib_and_rlib_is_fine(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    types = ("cdylib", "rlib")
    crate = dataclasses.replace(crate, lib=CargoTarget("pyo3_pure", ("cdylib", "rlib"), types))
    assert bindings.detect(crate, None).binding is Binding.PYO3


def test_cdylib_without_python_dependency_is_cffi(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    crate = dataclasses.replace(crate, dependencies={})
    choice = bindings.detect(crate, None)
    assert choice.binding is Binding.CFFI
    assert not choice.binding.needs_interpreter


def test_lib_without_binding_dependency_is_explained(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    crate = dataclasses.replace(
        crate, dependencies={}, lib=CargoTarget("pyo3_pure", ("lib",), ("rlib",))
    )
    with pytest.raises(ConfigError) as info:
        bindings.detect(crate, None)
    assert "depends on none of pyo3, cpython and uniffi" in str(info.value)
    assert "-b bin" in str(info.value)
    assert "\n" not in str(info.value)


def test_dev_dependency_on_pyo3_does_not_make_a_pyo3_module(tmp_path: Path, registry: Path) -> None:
    root = tmp_path / "tool"
    metadata = recorded_metadata("pyo3-pure", root, registry)
    (package,) = [p for p in metadata["packages"] if p["name"] == "pyo3-pure"]
    lib = package["targets"][0]
    lib["kind"] = lib["crate_types"] = ["lib"]
    package["targets"].append(dict(lib, name="tool", kind=["bin"], crate_types=["bin"]))
    (node,) = [n for n in metadata["resolve"]["nodes"] if n["id"] == package["id"]]
    for dep in node["deps"]:
        dep["dep_kinds"] = [{"kind": "dev", "target": None}]
    crate = crate_from_metadata(metadata, Path(package["manifest_path"]))
    assert bindings.detect(crate, None).binding is Binding.BIN


def test_supported_versions_new_style(tmp_path: Path) -> None:
    build_rs = tmp_path / "build.rs"
    build_rs.write_text(NEW_STYLE_BUILD_RS, encoding="utf-8")
    supported, free_threaded = bindings.supported_versions(build_rs)
    assert supported == NEW_STYLE_SUPPORTED
    assert free_threaded == (3, 14)


def test_supported_versions_old_style(tmp_path: Path) -> None:
    build_rs = tmp_path / "build.rs"
    build_rs.write_text(OLD_STYLE_BUILD_RS, encoding="utf-8")
    supported, free_threaded = bindings.supported_versions(build_rs)
    assert supported == (
        SupportedVersions("cpython", (3, 7), (3, 12)),
        SupportedVersions("pypy", (3, 7), (3, 10)),
    )
    assert free_threaded is None


def test_supported_versions_without_build_rs(tmp_path: Path) -> None:
    assert bindings.supported_versions(tmp_path / "missing.rs") == ((), None)


def test_supported_versions_of_the_real_pyo3_ffi() -> None:
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    build_rs = next((cargo_home / "registry" / "src").glob("*/pyo3-ffi-0.30.1/build.rs"), None)
    assert build_rs is not None, f"cargo fetch left no pyo3-ffi 0.30.1 in {cargo_home}/registry"
    supported, free_threaded = bindings.supported_versions(build_rs)
    cpython = next(s for s in supported if s.implementation == "cpython")
    assert cpython.minimum == (3, 9)
    assert cpython.maximum is not None and cpython.maximum >= (3, 13)
    assert {s.implementation for s in supported} >= {"cpython", "pypy"}
    assert free_threaded is not None


PYO3 = BindingChoice(
    Binding.PYO3, crate_version="0.30.1", supported=NEW_STYLE_SUPPORTED,
    free_threaded_minimum=(3, 14),
)  # fmt: skip
PYO3_ABI3 = dataclasses.replace(PYO3, abi3=(3, 9))


@pytest.mark.parametrize(
    ("choice", "implementation", "version", "free_threaded", "expected"),
    [
        (PYO3, "cpython", (3, 12), False, None),
        (PYO3, "cpython", (3, 9), False, None),
        (PYO3, "cpython", (3, 15), False, None),
        (
            PYO3, "cpython", (3, 8), False,
            "pyo3 0.30.1 supports cpython 3.9 to 3.15; this one is older than 3.9",
        ),
        (
            PYO3, "cpython", (3, 16), False,
            "pyo3 0.30.1 supports cpython 3.9 to 3.15; this one is newer than 3.15",
        ),
        (
            PYO3, "pypy", (3, 10), False,
            "pyo3 0.30.1 supports pypy 3.11 to 3.15; this one is older than 3.11",
        ),
        (PYO3, "pypy", (3, 11), False, None),
        # abi3 wheels are forward compatible: a newer CPython still builds them
        (PYO3_ABI3, "cpython", (3, 16), False, None),
        (
            PYO3_ABI3, "cpython", (3, 8), False,
            "pyo3 0.30.1 supports cpython 3.9 to 3.15; this one is older than 3.9",
        ),
        # free-threaded CPython, PyPy and GraalPy get version-specific modules from an abi3
        # crate: the range is theirs, not the stable ABI's
        (PYO3_ABI3, "cpython", (3, 14), True, None),
        (
            PYO3_ABI3, "cpython", (3, 13), True,
            "pyo3 0.30.1 supports free-threaded CPython from 3.14",
        ),
        (
            PYO3_ABI3, "pypy", (3, 16), False,
            "pyo3 0.30.1 supports pypy 3.11 to 3.15; this one is newer than 3.15",
        ),
        (
            dataclasses.replace(PYO3, free_threaded_minimum=None, free_threaded_unsupported=True),
            "cpython", (3, 14), True,
            "pyo3 0.30.1 does not support free-threaded CPython (pyo3 0.23 is the first that "
            "does)",
        ),
        (
            PYO3, "cpython", (3, 13), True,
            "pyo3 0.30.1 supports free-threaded CPython from 3.14",
        ),
        (PYO3, "cpython", (3, 14), True, None),
        (
            dataclasses.replace(PYO3, supported=NEW_STYLE_SUPPORTED[:1]), "pypy", (3, 11), False,
            "pyo3 0.30.1 does not support pypy",
        ),
        # nothing known about the range: let cargo decide
        (BindingChoice(Binding.PYO3, crate_version="0.30.1"), "cpython", (3, 20), False, None),
    ],
)  # fmt: skip
def test_why_unsupported(
    choice: BindingChoice,
    implementation: str,
    version: tuple[int, int],
    free_threaded: bool,
    expected: str | None,
) -> None:
    assert choice.why_unsupported(implementation, version, free_threaded) == expected


def test_open_ended_range_message() -> None:
    choice = BindingChoice(
        Binding.PYO3, crate_version="0.20.0",
        supported=(SupportedVersions("cpython", (3, 7), None),),
    )  # fmt: skip
    assert choice.why_unsupported("cpython", (3, 6)) == (
        "pyo3 0.20.0 supports cpython >= 3.7; this one is older than 3.7"
    )
    assert choice.why_unsupported("cpython", (3, 30)) is None


def test_interpreter_older_than_abi3_floor_is_unsupported() -> None:
    choice = dataclasses.replace(PYO3, abi3=(3, 10))
    reason = choice.why_unsupported("cpython", (3, 9))
    assert reason is not None and "3.10" in reason
