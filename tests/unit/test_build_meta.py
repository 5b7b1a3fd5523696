"""The PEP 517 backend's options: config_settings and the environment, over the defaults."""

from __future__ import annotations

import sys

import pytest

from setuptools_pyo3pack.frontends.build_meta import CARGO_ARGS_ENV, backend_options


def test_defaults_release_for_wheels_dev_for_editable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CARGO_ARGS_ENV, raising=False)
    wheel = backend_options(None, editable=False)
    assert wheel.cargo.profile_name == "release"
    assert wheel.interpreters == (sys.executable,)  # the interpreter running the hook
    assert backend_options(None, editable=True).cargo.profile_name == "dev"


def test_config_settings_and_environment_add_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CARGO_ARGS_ENV, "--offline")
    options = backend_options(
        {
            "cargo-args": ["--locked", "--config 'net.retry=2'"],  # given twice to pip
            "rustc-args": "-C target-cpu=native",
            "features": "fast, extra",
            "profile": "bench",
            "compatibility": "2_28",
        },
        editable=True,
    )
    assert options.cargo.cargo_extra_args == ("--offline", "--locked", "--config", "net.retry=2")
    assert options.cargo.rustc_extra_args == ("-C", "target-cpu=native")
    assert options.cargo.features == ("fast", "extra")
    assert options.cargo.profile_name == "bench"
    assert options.compatibility == "2_28"
