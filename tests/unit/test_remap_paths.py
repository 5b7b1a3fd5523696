"""The packed crate's binary names this machine's folders by fixed names, so the same project
built in two folders gives the same library."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import cargo
from setuptools_pyo3pack.config.settings import Settings
from setuptools_pyo3pack.project.crate import Crate


def _rustc_args(crate: Crate, settings: Settings, target_dir: Path) -> list[str]:
    call = cargo.invocation(crate, settings, bin_name=None, interpreter=None,
                            target_dir=target_dir)
    return list(call.argv[call.argv.index("--") + 1:])


def test_workspace_cargo_home_and_target_folder_are_remapped(
        load_crate: Callable[[str], Crate], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "cargo-home"))
    crate = load_crate("pyo3-pure")
    assert crate.graph is not None
    target = tmp_path / "pyo3-pure" / "target" / "pyo3-pack" / "cp312"
    args = _rustc_args(crate, Settings(), target)
    # the most specific folder last: rustc applies the last prefix that matches
    assert args == [f"--remap-path-prefix={tmp_path / 'cargo-home'}=/cargo",
                    f"--remap-path-prefix={crate.graph.workspace_root}=.",
                    f"--remap-path-prefix={target}=/target"]


def test_a_remap_of_your_own_wins(load_crate: Callable[[str], Crate], tmp_path: Path) -> None:
    crate = load_crate("pyo3-pure")
    settings = Settings()
    own = ("-C", "opt-level=2", "--remap-path-prefix=/src=/mine")
    settings = dataclasses.replace(settings, cargo=dataclasses.replace(
        settings.cargo, rustc_extra_args=own, strip=True))
    assert _rustc_args(crate, settings, tmp_path) == [*own, "-C", "strip=symbols"]
