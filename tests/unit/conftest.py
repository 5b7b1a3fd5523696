"""Fixtures for the unit tests (pure and fast: no cargo compile)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from setuptools_pyo3pack.project.crate import Crate, crate_from_metadata

from .helpers import EXAMPLES, NEW_STYLE_BUILD_RS, recorded_metadata


@pytest.fixture(scope="session", autouse=True)
def _examples_fetched() -> None:
    """Unit tests run `cargo metadata` offline, so the examples' dependencies must be in cargo's
    cache: `cargo fetch` downloads what is missing (a fraction of a second once it is there)."""
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not on PATH: the tests need a Rust toolchain (see the README)")
    for manifest in sorted(EXAMPLES.glob("*/Cargo.toml")):
        result = subprocess.run(
            ["cargo", "fetch", "--locked", "--quiet", "--manifest-path", str(manifest)],
            capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            tail = " | ".join(result.stderr.strip().splitlines()[-3:])
            pytest.fail(f"cargo fetch for {manifest} failed: {tail} (the unit tests read the "
                        "examples' dependencies from cargo's cache: run them once online)")


@pytest.fixture(autouse=True)
def _isolated_probe_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Interpreter probes are cached under XDG_CACHE_HOME: never touch the user's cache."""
    cache_home = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.setenv("CARGO_NET_OFFLINE", "true")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A stand-in for ~/.cargo/registry/src/<index>; pyo3-ffi gets a new-style build.rs."""
    folder = tmp_path / "registry"
    ffi = folder / "pyo3-ffi-0.30.1"
    ffi.mkdir(parents=True)
    (ffi / "build.rs").write_text(NEW_STYLE_BUILD_RS, encoding="utf-8")
    return folder


@pytest.fixture
def load_crate(tmp_path: Path, registry: Path) -> Callable[[str], Crate]:
    """Build a Crate from a recorded example, with its files copied into tmp_path."""

    def load(name: str) -> Crate:
        root = tmp_path / name
        if not root.exists():
            shutil.copytree(EXAMPLES / name, root, ignore=shutil.ignore_patterns("target"))
        metadata = recorded_metadata(name, root, registry)
        return crate_from_metadata(metadata, root / "Cargo.toml")

    return load


@pytest.fixture
def example_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy examples/<name> (without its target/ folder) into tmp_path and return it."""

    def copy(name: str) -> Path:
        destination = tmp_path / name
        shutil.copytree(EXAMPLES / name, destination, ignore=shutil.ignore_patterns("target"))
        return destination

    return copy


@pytest.fixture
def running_python_wrapper(tmp_path: Path) -> Iterator[Path]:
    """A copy of the running interpreter's binary in tmp_path, whose mtime the test owns.

    A copy, not a `#!` wrapper: probes of launcher scripts are never cached."""
    wrapper = tmp_path / "bin" / "python3.99"
    wrapper.parent.mkdir()
    shutil.copy2(os.path.realpath(sys.executable), wrapper)
    yield wrapper
