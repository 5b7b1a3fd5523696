"""`pyo3-pack new` and `init`: the files each kind of project gets, the pinned versions, and
refusals that leave nothing written. (tests/integration/test_new_project.py builds them.)"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from setuptools_pyo3pack.cli import main
from tests.conftest import EXAMPLES

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

COMMON = {".github/workflows/CI.yml", ".gitignore", "Cargo.toml", "pyproject.toml"}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _toml(path: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads(path.read_text())


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pyo3-pack: error: "), captured.err
    return lines[0]


@pytest.mark.parametrize(("args", "expected"), [
    ([], {"src/lib.rs", "tests/test_my_app.py"}),
    (["--mixed"], {"src/lib.rs", "tests/test_my_app.py", "my_app/__init__.py"}),
    (["-b", "cffi"], {"src/lib.rs", "tests/test_my_app.py"}),
    (["-b", "cffi", "--mixed"], {"src/lib.rs", "tests/test_my_app.py", "my_app/__init__.py"}),
    (["--bindings", "uniffi"], {"src/lib.rs", "tests/test_my_app.py"}),
    (["-b", "uniffi", "--mixed"], {"src/lib.rs", "tests/test_my_app.py", "my_app/__init__.py"}),
    (["-b", "bin"], {"src/main.rs", "tests/test_my_app.py"}),
], ids=["pyo3", "pyo3-mixed", "cffi", "cffi-mixed", "uniffi", "uniffi-mixed", "bin"])
def test_new_writes_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                args: list[str], expected: set[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-app", *args]) == 0
    project = tmp_path / "my-app"
    assert _files(project) == COMMON | expected
    cargo = _toml(project / "Cargo.toml")
    assert cargo["package"]["name"] == "my-app"
    pyproject = _toml(project / "pyproject.toml")
    assert pyproject["build-system"]["build-backend"] == "setuptools_pyo3pack.build_meta"
    assert pyproject["build-system"]["requires"][0].startswith("setuptools-pyo3pack")
    assert pyproject["project"]["name"] == "my-app"
    assert pyproject["project"]["dynamic"] == ["version"]
    for path in project.rglob("*.py"):
        ast.parse(path.read_text(), str(path))
    if "bin" not in args:
        assert cargo["lib"] == {"name": "my_app", "crate-type": ["cdylib"]}
    # the workflow is what `generate-ci github` writes
    assert main(["generate-ci", "github", "-o", "ci-check.yml"]) == 0
    assert (project / ".github/workflows/CI.yml").read_text() == \
        (tmp_path / "ci-check.yml").read_text()


@pytest.mark.parametrize(("bindings", "example", "dependency"), [
    ("pyo3", "pyo3-pure", "pyo3"), ("uniffi", "uniffi-pure", "uniffi")])
def test_dependency_versions_are_the_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              bindings: str, example: str,
                                              dependency: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "demo", "-b", bindings]) == 0
    generated = _toml(tmp_path / "demo" / "Cargo.toml")["dependencies"]
    assert generated == {dependency: _toml(EXAMPLES / example / "Cargo.toml")["dependencies"][
        dependency]}


def test_cffi_and_bin_have_no_rust_dependency_and_cffi_requires_cffi(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "c", "-b", "cffi"]) == 0
    assert main(["new", "b", "-b", "bin"]) == 0
    assert "dependencies" not in _toml(tmp_path / "c" / "Cargo.toml")
    assert _toml(tmp_path / "c" / "pyproject.toml")["project"]["dependencies"] == ["cffi>=1.15"]
    assert set(_toml(tmp_path / "b" / "Cargo.toml")) == {"package"}
    assert "dependencies" not in _toml(tmp_path / "b" / "pyproject.toml")["project"]


@pytest.mark.parametrize("name", ["1abc", "my.app", "a-", "a b", "fn", "class", "test", "std",
                                  "x" * 65, "naïve"])
def test_invalid_names_are_refused_and_nothing_is_written(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", name]) == 1
    line = _error_line(capsys)
    assert f"`{name}` (the folder name) is not a valid crate and Python module name" in line
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_an_existing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken").mkdir()
    assert main(["new", "taken"]) == 1
    assert "taken already exists" in _error_line(capsys)
    assert list((tmp_path / "taken").iterdir()) == []


def test_mixed_bin_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "tool", "-b", "bin", "--mixed"]) == 1
    assert "--mixed needs a library, not `bin`" in _error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_init_fills_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "here-it-is"
    folder.mkdir()
    (folder / "README.md").write_text("mine\n")
    monkeypatch.chdir(folder)
    assert main(["init", "--mixed"]) == 0
    assert _files(folder) == COMMON | {"README.md", "src/lib.rs", "tests/test_here_it_is.py",
                                       "here_it_is/__init__.py"}
    assert (folder / "README.md").read_text() == "mine\n"
    assert _toml(folder / "Cargo.toml")["lib"]["name"] == "here_it_is"


def test_init_with_a_name_for_a_folder_whose_name_is_no_module(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "2024 work"
    folder.mkdir()
    assert main(["init", str(folder)]) == 1
    assert "is not a valid crate and Python module name" in _error_line(capsys)
    assert list(folder.iterdir()) == []
    assert main(["init", str(folder), "--name", "work", "-b", "bin"]) == 0
    assert _toml(folder / "Cargo.toml")["package"]["name"] == "work"


@pytest.mark.parametrize("existing", ["Cargo.toml", ".gitignore", "src/lib.rs",
                                      ".github/workflows/CI.yml"])
def test_init_never_overwrites_a_file(existing: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("keep me\n")
    before = _files(tmp_path)
    assert main(["init", str(tmp_path)]) == 1
    line = _error_line(capsys)
    assert f"{tmp_path / existing} already exists" in line
    assert _files(tmp_path) == before
    assert (tmp_path / existing).read_text() == "keep me\n"


def test_init_needs_an_existing_folder(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "nope")]) == 1
    assert "nope is not a folder" in _error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_one_line_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.chdir(tmp_path)
    # a file where the project's folder would need to be a folder
    assert main(["new", "file/sub/app"]) == 1
    assert "cannot write" in _error_line(capsys)
    assert main(["generate-ci", "gitlab", "-o", "file/.gitlab-ci.yml"]) == 1
    line = _error_line(capsys)
    assert line.startswith("pyo3-pack: error: cannot write file/.gitlab-ci.yml: ")
    assert "a file is in the way" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
