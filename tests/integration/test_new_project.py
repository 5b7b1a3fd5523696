"""`pyo3-pack new` end to end: each kind of project it writes builds with `pyo3-pack build`,
installs into a fresh virtualenv, imports and answers (a program runs), and its own generated
tests pass against the installed wheel."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

from tests.integration.conftest import make_venv, pip_install, run_tool, venv_python

KINDS = {
    "pyo3": [],
    "pyo3-mixed": ["--mixed"],
    "cffi": ["-b", "cffi"],
    "cffi-mixed": ["-b", "cffi", "--mixed"],
    "uniffi": ["-b", "uniffi"],
    "uniffi-mixed": ["-b", "uniffi", "--mixed"],
    "bin": ["-b", "bin"],
}
#: What the installed project answers, per kind: Python code and its output.
CALLS = {
    "pyo3": ("import {m}; print({m}.add(2, 40), {m}.greet('Ada'))",
             "42 Hello, Ada, from Rust!"),
    "cffi": ("import {m}; print({m}.lib.add(2, 40))", "42"),
    "uniffi": ("import {m}; print({m}.add(2, 40), {m}.greet('Ada'))",
               "42 Hello, Ada, from Rust!"),
}


def _venv_site_packages(venv: Path) -> str:
    return sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)})


def _run_generated_tests(project: Path, venv: Path, cwd: Path) -> None:
    """The project's own tests, by this session's pytest, against what the venv installed
    (same interpreter): not from the source folder, which has no native module."""
    env = dict(os.environ, PYTHONPATH=_venv_site_packages(venv),
               PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project / "tests")],
        cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_new_project_builds_installs_and_imports(kind: str, tmp_path: Path) -> None:
    name = f"new-{kind}"
    module = name.replace("-", "_")
    run_tool("new", name, *KINDS[kind], cwd=tmp_path)
    project = tmp_path / name
    run_tool("build", "-i", sys.executable, "-o", tmp_path / "dist", cwd=project)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        members = archive.namelist()
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    base = kind.split("-")[0]
    if base == "cffi":  # its one runtime requirement, from the package index
        subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "cffi"], check=True)
    pip_install(venv, wheel)
    if base == "bin":
        assert f"{module}-0.1.0.data/scripts/{name}" in members
        program = subprocess.run([venv / "bin" / name, "Ada"], capture_output=True, text=True,
                                 check=True)
        assert program.stdout == "Hello, Ada, from Rust!\n"
    else:
        code, expected = CALLS[base]
        assert venv_python(venv, code.format(m=module)) == expected
    if kind.endswith("-mixed"):
        assert f"{module}/__init__.py" in members
        assert venv_python(venv, f"import {module}; print({module}.add_all(1, 2, 3, 36))") \
            == "42"
    _run_generated_tests(project, venv, tmp_path)


def test_init_refuses_a_folder_with_one_of_its_files(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text("// mine\n")
    result = run_tool("init", "-b", "cffi", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert result.stderr == ("pyo3-pack: error: src/lib.rs already exists; init writes no "
                             "file over another (move it away, or start in an empty folder)\n")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        ["src", "src/lib.rs"]
    assert (tmp_path / "src" / "lib.rs").read_text() == "// mine\n"


#: What each release target's wheel is tagged (the policy the workflow asks for, for Linux).
RELEASE_TAGS = {
    "x86_64-unknown-linux-gnu": "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "aarch64-unknown-linux-gnu": "manylinux_2_17_aarch64.manylinux2014_aarch64",
    "x86_64-unknown-linux-musl": "musllinux_1_2_x86_64",
    "aarch64-unknown-linux-musl": "musllinux_1_2_aarch64",
    "x86_64-apple-darwin": "macosx_10_12_x86_64",
    "aarch64-apple-darwin": "macosx_11_0_arm64",
    "x86_64-pc-windows-gnu": "win_amd64",
}


def test_the_generated_workflow_commands_build_every_release_wheel(tmp_path: Path) -> None:
    """The CI file's own build and sdist commands, run here as written, for a new program:
    one wheel per target, tagged for it (a program needs no interpreter, so the `-i` list of
    every release CPython is fine here too)."""
    run_tool("new", "ship-it", "-b", "bin", cwd=tmp_path)
    project = tmp_path / "ship-it"
    workflow = yaml.safe_load((project / ".github/workflows/CI.yml").read_text())
    entries = workflow["jobs"]["wheels"]["strategy"]["matrix"]["platform"]
    assert {e["target"] for e in entries} == set(RELEASE_TAGS)
    commands = [e["build"] for e in entries]
    commands += [s["run"] for s in workflow["jobs"]["sdist"]["steps"]
                 if s.get("run", "").startswith("pyo3-pack sdist")]
    for command in commands:
        argv = shlex.split(command)
        assert argv[0] == "pyo3-pack"
        run_tool(*argv[1:], cwd=project)
    built = sorted(p.name for p in (project / "dist").iterdir())
    assert built == sorted(["ship_it-0.1.0.tar.gz"] + [f"ship_it-0.1.0-py3-none-{tag}.whl"
                                                        for tag in RELEASE_TAGS.values()])


def test_a_new_project_develops_and_builds_through_its_backend(
        tmp_path: Path, tool_wheelhouse: Path) -> None:
    """What the `new` message suggests (`pyo3-pack develop`) works, and the pyproject.toml it
    wrote builds by itself: pip reads its [build-system], installs this tool in isolation and
    calls the backend."""
    run_tool("new", "fresh", "--mixed", cwd=tmp_path)
    project = tmp_path / "fresh"
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    run_tool("develop", cwd=project, env=dict(os.environ, VIRTUAL_ENV=str(venv)))
    assert venv_python(venv, "import fresh; print(fresh.add_all(40, 2))") == "42"

    env = dict(os.environ, PIP_FIND_LINKS=str(tool_wheelhouse),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "wheels"), str(project)], env=env, check=True)
    [wheel] = (tmp_path / "wheels").glob("fresh-0.1.0-cp*.whl")
    other = make_venv(Path(sys.executable), tmp_path / "other")
    pip_install(other, wheel)
    assert venv_python(other, "import fresh; print(fresh.greet('Ada'))") == \
        "Hello, Ada, from Rust!"
