"""PEP 517: the METADATA `prepare_metadata_for_build_wheel` writes is the wheel's, whatever
config_settings say (pip may install from the prepared metadata and never look again)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack import build_meta
from setuptools_pyo3pack.config.chain import fields
from tests.integration.conftest import copy_example

#: A value for every key config_settings accept (the test fails when a key has none), chosen
#: so the build still succeeds on the crate below.
VALUES: dict[str, str] = {
    "manifest-path": "Cargo.toml",
    "profile": "dev",
    "editable-profile": "dev",
    "features": "abi3",  # turns on pyo3's abi3-py310: an abi3 wheel
    "all-features": "true",
    "no-default-features": "true",
    "target": "x86_64-unknown-linux-gnu",
    "strip": "true",
    "cargo-extra-args": "--locked",
    "rustc-extra-args": "-C debug-assertions=off",
    "frozen": "false",
    "locked": "true",
    "offline": "true",
    "config": "profile.dev.debug=0",
    "unstable-flags": "",  # nightly only: an empty list on stable
    "macos-deployment-target": "11.0",
    "zig": "false",
    "pgo": "false",  # tests/integration/test_pgo.py builds with pgo=true
    "pgo-command": "python -c 'import pyo3_pure'",
    "bindings": "pyo3",
    "module-name": "pyo3_pure",
    "python-source": "python",
    "python-packages": "helpers",
    "include": "README.md",
    "exclude": "*.txt",
    "data": "extra",
    "sdist-generator": "git",
    "compatibility": "off",
    "auditwheel": "skip",
    "skip-auditwheel": "true",
    "use-base-python": "true",
    "sbom-rust": "false",
    "sbom-include": "README.md",
}
PYPROJECT = """[build-system]
requires = ["setuptools-pyo3pack"]
build-backend = "setuptools_pyo3pack.build_meta"

[project]
name = "pyo3-pure"
dynamic = ["version", "description", "readme", "authors", "license", "keywords", "urls"]
"""


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example("pyo3-pure", tmp_path_factory.mktemp("metadata"))
    manifest = folder / "Cargo.toml"
    manifest.write_text(manifest.read_text() + '\n[features]\nabi3 = ["pyo3/abi3-py310"]\n')
    (folder / "pyproject.toml").write_text(PYPROJECT)
    (folder / "python" / "pyo3_pure").mkdir(parents=True)
    (folder / "python" / "pyo3_pure" / "__init__.py").write_text("from .pyo3_pure import *\n")
    (folder / "helpers").mkdir()
    (folder / "helpers" / "__init__.py").write_text("")
    (folder / "extra" / "data").mkdir(parents=True)
    (folder / "extra" / "data" / "notes.txt").write_text("notes\n")
    return folder


def test_every_config_setting_has_a_value_here() -> None:
    keys = {info.key for info in fields().values() if info.option.toml}
    assert keys == set(VALUES)


@pytest.mark.parametrize("key", sorted(VALUES))
def test_prepared_metadata_is_the_wheels(key: str, crate: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(crate)
    settings = {key: VALUES[key]}
    name = build_meta.prepare_metadata_for_build_wheel(str(tmp_path / "meta"), settings)
    prepared = (tmp_path / "meta" / name / "METADATA").read_bytes()
    wheel = build_meta.build_wheel(str(tmp_path / "dist"), settings)
    with zipfile.ZipFile(tmp_path / "dist" / wheel) as archive:
        assert archive.read(f"{name}/METADATA") == prepared
    if key == "features":
        assert "-abi3-" in wheel
