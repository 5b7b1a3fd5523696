"""Bad input at the command line: one clear line on stderr, a nonzero exit, nothing built.

These may run `cargo metadata` (fast, offline) but never compile anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from setuptools_pyo3pack import __version__
from setuptools_pyo3pack.frontends.cli import main

BROKEN_MANIFEST = '[package]\nname = "broken"\nversion = \n'


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("pyo3-pack: error: ")
    return lines[0]


def test_no_cargo_toml_in_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) != 0
    line = _one_error_line(capsys)
    assert f"no Cargo.toml at {tmp_path / 'Cargo.toml'}" in line
    assert "-m" in line
    assert _files(tmp_path) == []


def test_manifest_path_to_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-m", "sub/Cargo.toml"]) != 0
    assert str(tmp_path / "sub" / "Cargo.toml") in _one_error_line(capsys)


def test_malformed_cargo_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Cargo.toml").write_text(BROKEN_MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) != 0
    line = _one_error_line(capsys)
    assert str(tmp_path / "Cargo.toml") in line
    assert "cargo metadata failed" in line
    assert _files(tmp_path) == ["Cargo.toml"]


def test_malformed_cargo_toml_says_what_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Cargo.toml").write_text(BROKEN_MANIFEST, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) != 0
    line = _one_error_line(capsys)
    assert "string values must be quoted" in line
    assert "Cargo.toml:3" in line


def test_cargo_not_installed(
    example_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crate = example_copy("hello-bin")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.chdir(crate)
    assert main(["build"]) != 0
    line = _one_error_line(capsys)
    assert "cargo was not found on PATH" in line
    assert "rustup" in line


def test_unknown_binding(
    example_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crate = example_copy("hello-bin")
    before = _files(crate)
    monkeypatch.chdir(crate)
    assert main(["build", "-b", "nonsense"]) != 0
    line = _one_error_line(capsys)
    assert line == (
        "pyo3-pack: error: unknown binding `nonsense` (use one of bin, cffi, pyo3, rust-cpython, "
        "uniffi)"
    )
    assert _files(crate) == before


def test_pyo3_binding_on_a_bin_crate(
    example_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crate = example_copy("hello-bin")
    monkeypatch.chdir(crate)
    assert main(["build", "-b", "pyo3"]) != 0
    line = _one_error_line(capsys)
    assert "has no library target" in line
    assert str(crate / "Cargo.toml") in line


def test_unknown_target_triple(
    example_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crate = example_copy("hello-bin")
    before = _files(crate)
    monkeypatch.chdir(crate)
    assert main(["build", "--target", "wasm32-unknown-unknown"]) != 0
    line = _one_error_line(capsys)
    assert "wasm32-unknown-unknown" in line
    assert _files(crate) == before


@pytest.mark.parametrize("extra", [[], ["-b", "nonsense"]])
def test_develop_without_virtualenv(
    example_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
) -> None:
    crate = example_copy("hello-bin")
    before = _files(crate)
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    monkeypatch.delenv("CONDA_PREFIX", raising=False)
    monkeypatch.chdir(crate)
    assert main(["develop", *extra]) != 0
    line = _one_error_line(capsys)
    assert "virtualenv" in line
    assert "python -m venv" in line
    assert _files(crate) == before


def test_develop_with_virtual_env_that_is_not_one(
    example_copy: Callable[[str], Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    crate = example_copy("hello-bin")
    not_a_venv = tmp_path / "not-a-venv"
    not_a_venv.mkdir()
    monkeypatch.setenv("VIRTUAL_ENV", str(not_a_venv))
    monkeypatch.chdir(crate)
    assert main(["develop"]) != 0
    line = _one_error_line(capsys)
    assert str(not_a_venv) in line
    assert "bin/python" in line
    assert _files(not_a_venv) == []


@pytest.mark.parametrize("spec", ["/nonexistent/python", "python3.99"])
def test_missing_interpreter(
    example_copy: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    spec: str,
) -> None:
    crate = example_copy("pyo3-pure")
    before = _files(crate)
    monkeypatch.chdir(crate)
    assert main(["build", "-i", spec]) != 0
    line = _one_error_line(capsys)
    assert f"interpreter `{spec}`" in line
    assert _files(crate) == before  # no target/ folder: nothing was compiled


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"pyo3-pack {__version__}"


def test_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_publish_builds_release_and_takes_the_registry_as_r(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from setuptools_pyo3pack.frontends.cli import build_parser
    from setuptools_pyo3pack.frontends.upload_cli import PUBLISH_DEFAULTS
    from setuptools_pyo3pack.frontends.wheel_options import configuration

    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["publish", "-r", "http://127.0.0.1:9/"])
    assert args.repository_url == "http://127.0.0.1:9/"
    assert configuration(args, defaults=PUBLISH_DEFAULTS).settings.profile == "release"
    debug = build_parser().parse_args(["publish", "--debug"])
    assert configuration(debug, defaults=PUBLISH_DEFAULTS).settings.profile == "dev"
    assert configuration(build_parser().parse_args(["build"])).settings.profile == "dev"


def test_cargo_output_flags_and_trailing_rustc_flags_as_maturin_takes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from setuptools_pyo3pack.frontends.cli import build_parser
    from setuptools_pyo3pack.frontends.wheel_options import configuration

    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(
        ["build", "-vv", "--timings", "--color", "never", "--cargo-extra-args", "--locked -Zx",
         "--rustc-extra-args", "-C opt-level=1", "--", "-C", "target-cpu=native"])
    cargo = configuration(args).settings.cargo
    assert cargo.cargo_extra_args == ("--locked", "-Zx", "--timings", "--verbose", "--verbose",
                                      "--color", "never")
    assert cargo.rustc_extra_args == ("-C", "opt-level=1", "-C", "target-cpu=native")


@pytest.mark.parametrize(("flags", "strip"), [([], False), (["--strip"], True),
                                              (["--strip", "false"], False),
                                              (["--strip", "true"], True)])
def test_boolean_flags_take_an_optional_value(flags: list[str], strip: bool, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from setuptools_pyo3pack.frontends.cli import build_parser
    from setuptools_pyo3pack.frontends.wheel_options import configuration

    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(["build", *flags])
    assert configuration(args).settings.cargo.strip is strip
    assert args.rustc_args == []
