"""`pyo3-pack generate-ci`: the workflows, read back with a YAML parser, build what the tool
supports (the platforms registry's release targets, every recorded CPython from 3.9), the
sdist, and publish on tags only."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from setuptools_pyo3pack.cli import main
from setuptools_pyo3pack.frontends.scaffold.yaml_text import Value, dump
from setuptools_pyo3pack.platforms.recorded import recorded_interpreters
from setuptools_pyo3pack.platforms.registry import RELEASE_TARGETS, platform_for
from setuptools_pyo3pack.platforms.target import Target


def _generate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["generate-ci", *args]) == 0
    out = capsys.readouterr().out
    document: dict[str, Any] = yaml.safe_load(out)
    return document


def _cpythons(triple: str) -> list[str]:
    """What the recorded values say a release builds for (GIL CPython, 3.9 and later)."""
    recorded = recorded_interpreters(Target.from_triple(triple))
    return [f"{i.version[0]}.{i.version[1]}" for i in recorded
            if i.implementation == "cpython" and not i.free_threaded and i.version >= (3, 9, 0)]


def _build_argv(command: str) -> dict[str, Any]:
    argv = shlex.split(command)
    assert argv[:3] == ["pyo3-pack", "build", "--release"] or argv[:2] == ["pyo3-pack", "build"]
    options: dict[str, Any] = {"zig": "--zig" in argv}
    for flag in ("--target", "--compatibility", "-o", "-m"):
        options[flag] = argv[argv.index(flag) + 1] if flag in argv else None
    start = argv.index("-i") + 1
    end = next((n for n in range(start, len(argv)) if argv[n].startswith("-")), len(argv))
    options["-i"] = argv[start:end]
    return options


def _check_build(triple: str, command: str) -> None:
    options = _build_argv(command)
    assert options["--target"] == triple
    assert options["zig"]
    assert options["-i"] == _cpythons(triple)
    libc = Target.from_triple(triple).libc
    expected = {"glibc": "manylinux2014", "musl": "musllinux_1_2", None: None}[libc]
    assert options["--compatibility"] == expected
    assert options["-o"] == "dist"


def test_github_matrix_builds_every_release_target(capsys: pytest.CaptureFixture[str]) -> None:
    workflow = _generate(capsys, "github")
    jobs = workflow["jobs"]
    entries = jobs["wheels"]["strategy"]["matrix"]["platform"]
    assert [e["target"] for e in entries] == list(RELEASE_TARGETS)
    for entry in entries:
        _check_build(entry["target"], entry["build"])
    assert "${{ matrix.platform.build }}" in [s.get("run") for s in jobs["wheels"]["steps"]]
    # every target has wheel rules here, and together they are the platforms the issue asks for
    targets = [Target.from_triple(t) for t in RELEASE_TARGETS]
    assert all(platform_for(t) for t in RELEASE_TARGETS)
    assert {(t.os.value, t.arch.value, t.libc) for t in targets} == {
        ("linux", "x86_64", "glibc"), ("linux", "aarch64", "glibc"),
        ("linux", "x86_64", "musl"), ("linux", "aarch64", "musl"),
        ("macos", "x86_64", None), ("macos", "aarch64", None), ("windows", "x86_64", None)}
    # the runner has every CPython the native build asks for
    versions = jobs["wheels"]["steps"][1]["with"]["python-version"].split()
    assert versions == _cpythons("x86_64-unknown-linux-gnu")


def test_github_sdist_and_publish_on_tags_only(capsys: pytest.CaptureFixture[str]) -> None:
    workflow = _generate(capsys, "github")
    jobs = workflow["jobs"]
    assert set(jobs) == {"wheels", "sdist", "publish"}
    runs = [s.get("run", "") for s in jobs["sdist"]["steps"]]
    assert "pyo3-pack sdist -o dist" in runs
    publish = jobs["publish"]
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/')"
    assert publish["needs"] == ["wheels", "sdist"]
    assert publish["permissions"] == {"id-token": "write"}
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in
               publish["steps"])
    for name in ("wheels", "sdist"):
        assert "if" not in jobs[name] and "permissions" not in jobs[name]
    assert workflow["permissions"] == {"contents": "read"}
    assert set(workflow["on"]["push"]["tags"]) == {"*"}


def test_gitlab_pipeline(capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = _generate(capsys, "gitlab")
    assert pipeline["stages"] == ["build", "publish"]
    matrix = pipeline["wheels"]["parallel"]["matrix"]
    assert [m["TARGET"] for m in matrix] == list(RELEASE_TARGETS)
    for entry in matrix:
        _check_build(entry["TARGET"], entry["BUILD"])
    assert pipeline["wheels"]["script"] == ["$BUILD"]
    # the native build's interpreters are installed on the runner
    [install] = [c for c in pipeline["wheels"]["before_script"] if "python install" in c]
    assert install.split()[3:] == _cpythons("x86_64-unknown-linux-gnu")
    assert "pyo3-pack sdist -o dist" in pipeline["sdist"]["script"]
    publish = pipeline["publish"]
    assert publish["rules"] == [{"if": "$CI_COMMIT_TAG"}]
    assert publish["id_tokens"] == {"PYPI_ID_TOKEN": {"aud": "pypi"}}
    assert publish["needs"] == ["wheels", "sdist"]
    assert "rules" not in pipeline["wheels"] and "rules" not in pipeline["sdist"]


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_platform_manifest_and_sccache_options(ci: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    plain = main(["generate-ci", ci]) == 0 and capsys.readouterr().out
    assert plain and "RUSTC_WRAPPER" not in yaml.safe_load(plain).get("env", {})
    assert "RUSTC_WRAPPER=sccache" in plain  # the opt-in is documented in a comment
    document = _generate(capsys, ci, "--platform", "macos", "--platform", "windows",
                         "-m", "rust/Cargo.toml", "--sccache")
    if ci == "github":
        builds = [e["build"] for e in document["jobs"]["wheels"]["strategy"]["matrix"]["platform"]]
        sdist = [s.get("run", "") for s in document["jobs"]["sdist"]["steps"]]
        env = document["env"]
    else:
        builds = [m["BUILD"] for m in document["wheels"]["parallel"]["matrix"]]
        sdist = document["sdist"]["script"]
        env = document["variables"]
    assert [_build_argv(b)["--target"] for b in builds] == \
        ["x86_64-apple-darwin", "aarch64-apple-darwin", "x86_64-pc-windows-gnu"]
    assert all(_build_argv(b)["-m"] == "rust/Cargo.toml" for b in builds)
    assert "pyo3-pack sdist -m rust/Cargo.toml -o dist" in sdist
    assert env["RUSTC_WRAPPER"] == "sccache"


def test_output_file_is_written_instead_of_printed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / ".github" / "workflows" / "release.yml"
    assert main(["generate-ci", "github", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert yaml.safe_load(out.read_text())["jobs"]["publish"]
    assert [p.name for p in out.parent.iterdir()] == ["release.yml"]  # no temporary left


def test_unknown_ci_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate-ci", "jenkins"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'jenkins'" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["on", "yes", "No", "3.10", "12", "a: b", "x #y", "#x",
                                  "${{ matrix.x }}", "'quoted'", "- item", "", "null", "~",
                                  "one\ntwo\n", "one\ntwo", "\nlead", "x\n\n", " a\nb",
                                  "tab\there", "é", ".inf", ".nan", "True", "x:", "a,b"])
def test_yaml_writer_keeps_strings_strings(text: str) -> None:
    data: dict[str, Value] = {"key": text, "list": [text, {"k": text, "n": [text]}, {}],
                              "on": {"x": True}, text: [text]}
    assert yaml.safe_load(dump(data)) == data
