"""The PEP 517 backend's options: config_settings and the environment, over the defaults."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from setuptools_pyo3pack.frontends.build_meta import backend_configuration

CARGO_ARGS_ENV = "PYO3_PACK_CARGO_ARGS"


@pytest.fixture(autouse=True)
def _no_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_defaults_release_for_wheels_dev_for_editable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CARGO_ARGS_ENV, raising=False)
    wheel = backend_configuration(None, editable=False).settings
    assert wheel.profile == "release"
    assert wheel.output.interpreters == (sys.executable,)  # the interpreter running the hook
    assert backend_configuration(None, editable=True).settings.profile == "dev"


def test_config_settings_and_environment_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CARGO_ARGS_ENV, "--offline")
    settings = backend_configuration(
        {
            "cargo-args": ["--locked", "--config 'net.retry=2'"],  # given twice to pip
            "rustc-args": "-C target-cpu=native",
            "features": "fast, extra",
            "profile": "bench",
            "compatibility": "2_28",
        },
        editable=True,
    ).settings
    assert settings.cargo.cargo_extra_args == ("--offline", "--locked", "--config", "net.retry=2")
    assert settings.cargo.rustc_extra_args == ("-C", "target-cpu=native")
    assert settings.cargo.features == ("fast", "extra")
    assert settings.profile == "bench"
    assert settings.audit.compatibility == "2_28"


def test_unknown_config_setting_is_a_warning_with_a_hint() -> None:
    config = backend_configuration({"featurs": "x"}, editable=False)
    assert config.warnings == ("unknown key `featurs` in config_settings; did you mean "
                               "`features`?",)


def test_maturins_build_args_are_read_as_build_flags() -> None:
    from setuptools_pyo3pack.frontends.maturin_args import maturin_build_args

    source, warnings = maturin_build_args(
        {"build-args": "--features a,b --release --interpreter 3.12"},
        {"MATURIN_PEP517_ARGS": "--compatibility manylinux_2_28 --strip --no-such-flag"})
    assert source is not None
    assert source.values == {"cargo.features": ["a", "b"], "cargo.profile": "release",
                             "audit.compatibility": "manylinux_2_28", "cargo.strip": True}
    assert warnings == ["`--no-such-flag` in MATURIN_PEP517_ARGS or config_settings build-args "
                        "is not a build flag pyo3-pack knows; ignored"]
    assert maturin_build_args(None, {}) == (None, [])
