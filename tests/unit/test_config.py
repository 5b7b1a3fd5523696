"""Reading the crate from recorded `cargo metadata` JSON, versions, and table checks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from setuptools_pyo3pack.config.chain import resolve
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.config.tables import check_table, string_list
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.project import cargo_metadata as config
from setuptools_pyo3pack.project.cargo_metadata import CargoTarget
from setuptools_pyo3pack.project.crate import (
    PYO3_PACK_KEYS,
    Crate,
    crate_from_metadata,
    python_version,
)

from .helpers import recorded_metadata


def test_pyo3_pure_crate(load_crate: Callable[[str], Crate], tmp_path: Path) -> None:
    crate = load_crate("pyo3-pure")
    root = tmp_path / "pyo3-pure"
    assert crate.name == "pyo3-pure"
    assert crate.version == "2.1.0-beta.1"
    assert crate.manifest_path == root / "Cargo.toml"
    assert crate.root == root
    assert crate.target_directory == root / "target"
    assert crate.lib == CargoTarget("pyo3_pure", ("cdylib",), ("cdylib",))
    assert crate.bins == ()
    pyo3 = crate.dependencies["pyo3"]
    assert pyo3.version == "0.30.1"
    assert "macros" in pyo3.features
    assert not any(f.startswith("abi3") for f in pyo3.features)
    assert crate.dependencies["pyo3-ffi"].manifest_path == (
        tmp_path / "registry" / "pyo3-ffi-0.30.1" / "Cargo.toml"
    )
    # build-dependencies of dependencies are part of the graph too
    assert "pyo3-build-config" in crate.dependencies
    assert "pyo3-pure" not in crate.dependencies
    assert crate.package.description == "A pyo3 extension module packed by pyo3-pack"
    assert crate.pyo3_pack_table == {
        "classifier": ["Programming Language :: Rust", "Programming Language :: Python :: 3"]
    }


def test_pyo3_abi3_crate_features(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-abi3")
    assert (crate.name, crate.version) == ("pyo3-abi3", "0.3.0")
    assert crate.lib == CargoTarget("pyo3_abi3", ("cdylib",), ("cdylib",))
    features = set(crate.dependencies["pyo3"].features)
    assert {"abi3", "abi3-py39"} <= features
    assert {"abi3", "abi3-py39"} <= set(crate.dependencies["pyo3-ffi"].features)


def test_hello_bin_crate(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("hello-bin")
    assert (crate.name, crate.version) == ("hello-bin", "0.1.0")
    assert crate.lib is None
    assert crate.bins == (CargoTarget("hello-bin", ("bin",), ("bin",)),)
    assert dict(crate.dependencies) == {}
    assert crate.pyo3_pack_table == {}


def test_manifest_reached_through_a_symlink_is_found(tmp_path: Path, registry: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "Cargo.toml").write_text("", encoding="utf-8")
    (tmp_path / "link").symlink_to(real)
    metadata = recorded_metadata("hello-bin", real, registry)
    crate = crate_from_metadata(metadata, tmp_path / "link" / "Cargo.toml")
    assert crate.name == "hello-bin"


def test_virtual_workspace_manifest_is_a_config_error(tmp_path: Path, registry: Path) -> None:
    metadata = recorded_metadata("hello-bin", tmp_path / "member", registry)
    with pytest.raises(ConfigError) as info:
        crate_from_metadata(metadata, tmp_path / "Cargo.toml")
    message = str(info.value)
    assert "virtual workspace" in message
    assert str(tmp_path / "Cargo.toml") in message
    assert "-m" in message


def _with_version(crate: Crate, version: str) -> Crate:
    return dataclasses.replace(crate, version=version)


@pytest.mark.parametrize(
    ("cargo_version", "expected"),
    [
        ("0.1.0", "0.1.0"),
        ("2.1.0-beta.1", "2.1.0b1"),
        ("1.0.0-alpha.2", "1.0.0a2"),
        ("1.0.0-rc.1", "1.0.0rc1"),
        ("1.0.0-alpha", "1.0.0a0"),
        ("1.0.0+build.5", "1.0.0+build.5"),
        ("1.0.0-rc.1+build.5", "1.0.0rc1+build.5"),
    ],
)
def test_python_version(
    load_crate: Callable[[str], Crate], cargo_version: str, expected: str
) -> None:
    crate = _with_version(load_crate("hello-bin"), cargo_version)
    assert python_version(crate) == expected


@pytest.mark.parametrize("cargo_version", ["1.0.0-foo", "1.0.0-alpha.beta", "1.0.0-x.7.z"])
def test_python_version_unrepresentable_is_one_line_error(
    load_crate: Callable[[str], Crate], cargo_version: str
) -> None:
    crate = _with_version(load_crate("hello-bin"), cargo_version)
    with pytest.raises(ConfigError) as info:
        python_version(crate)
    message = str(info.value)
    assert "\n" not in message
    assert repr(cargo_version) in message
    assert str(crate.manifest_path) in message
    assert "PEP 440" in message


@pytest.mark.parametrize("cargo_version", ["1.0.0-1", "1.0.0-post.1"])
def test_semver_prerelease_never_becomes_a_post_release(
    load_crate: Callable[[str], Crate], cargo_version: str
) -> None:
    crate = _with_version(load_crate("hello-bin"), cargo_version)
    try:
        version = python_version(crate)
    except ConfigError:
        return  # refusing is fine; what is not fine is reordering
    assert ".post" not in version


WHERE = "[package.metadata.pyo3-pack] of /src/demo/Cargo.toml"


def test_check_table_accepts_known_keys() -> None:
    table = {"classifier": ["A :: B"], "requires-python": ">=3.9", "scripts": {"a": "b:c"}}
    assert check_table(table, PYO3_PACK_KEYS, WHERE) == []


@pytest.mark.parametrize(
    ("key", "suggestion"),
    [
        ("clasifier", "classifier"),
        ("requires_dist", "requires-dist"),
        ("script", "scripts"),
        ("project-urls", "project-url"),
    ],
)
def test_check_table_unknown_key_suggests(key: str, suggestion: str) -> None:
    (warning,) = check_table({key: "x"}, PYO3_PACK_KEYS, WHERE)
    assert warning == f"unknown key `{key}` in {WHERE}; did you mean `{suggestion}`?"


def test_check_table_unknown_key_without_close_match() -> None:
    (warning,) = check_table({"zzzzzz": 1}, PYO3_PACK_KEYS, WHERE)
    assert warning == f"unknown key `zzzzzz` in {WHERE}"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("classifier", "Programming Language :: Rust", "must be a list, not string"),
        ("requires-python", 3.9, "must be a string, not float"),
        ("scripts", ["a"], "must be a table, not list"),
        ("project-url", "https://x", "must be a table, not string"),
    ],
)
def test_check_table_wrong_type_names_key_and_file(key: str, value: object, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_table({key: value}, PYO3_PACK_KEYS, WHERE)
    message = str(info.value)
    assert f"`{key}`" in message
    assert "/src/demo/Cargo.toml" in message
    assert expected in message
    assert "\n" not in message


def test_string_list_rejects_non_strings() -> None:
    assert string_list(["a", "b"], "classifier", WHERE) == ("a", "b")
    with pytest.raises(ConfigError, match=r"`classifier` in .* must be a list of strings"):
        string_list(["a", 1], "classifier", WHERE)


def test_locate_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Cargo.toml").write_text("", encoding="utf-8")
    assert config.locate_manifest(tmp_path) == tmp_path / "Cargo.toml"
    assert config.locate_manifest(tmp_path / "Cargo.toml") == tmp_path / "Cargo.toml"
    monkeypatch.chdir(tmp_path)
    assert config.locate_manifest(None) == tmp_path / "Cargo.toml"


def test_locate_manifest_missing_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        config.locate_manifest(tmp_path / "nowhere")
    assert str(info.value).startswith(f"no Cargo.toml at {tmp_path / 'nowhere'} (")
    assert "-m" in str(info.value)


def test_cargo_metadata_argv_passes_feature_and_target_options(tmp_path: Path) -> None:
    manifest = tmp_path / "Cargo.toml"
    settings = resolve([values_source(None, {
        "cargo.features": ("a", "b"),
        "cargo.all_features": True,
        "cargo.no_default_features": True,
        "cargo.target": "aarch64-unknown-linux-gnu",
    })]).settings
    assert config.cargo_metadata_argv(manifest, settings.feature_args,
                                      settings.cargo.target) == [
        "cargo", "metadata", "--format-version", "1", "--manifest-path", str(manifest),
        "--features", "a,b", "--all-features", "--no-default-features",
        "--filter-platform", "aarch64-unknown-linux-gnu",
    ]  # fmt: skip
