"""The setuptools front door, end to end: setup.py commands, pip, build and editable installs.

Each test runs against the oldest setuptools we support and the one pip installs today. The
venv that builds has setuptools, `build` and this checkout (from `tool_wheelhouse`); builds
with the newest setuptools go through pip's build isolation, builds with the oldest use the
venv's own setuptools (`--no-build-isolation`), since isolation would fetch the newest.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TypedDict

import pytest

from tests.integration.conftest import OLDEST, Builder, copy_example, make_venv

CP = f"cp{sys.version_info[0]}{sys.version_info[1]}"
EXT = f".cpython-{CP[2:]}-x86_64-linux-gnu.so"
#: warnings raised from our own modules fail the run
OUR_MODULES = ["commands", *(f"frontends.setuptools.{m}" for m in (
    "build", "commands", "crates", "develop", "dist_metadata", "hook", "projects", "wheel",
    "rust_extension", "rust_table", "sdist", "versions"))]
STRICT_WARNINGS = [f"-Werror::DeprecationWarning:setuptools_pyo3pack.{m}" for m in OUR_MODULES]

class Expected(TypedDict):
    wheel: str
    members: list[str]
    check: str
    prints: str
    script: list[str]
    script_prints: str
    in_place: list[str]


EXPECTED: dict[str, Expected] = {
    "setuptools-cmdclass": {
        "wheel": rf"setuptools_cmdclass-1\.2\.0rc1-{CP}-{CP}-manylinux_2_\d+_x86_64\.whl",
        "members": [
            "setuptools_cmdclass/__init__.py",
            f"setuptools_cmdclass/setuptools_cmdclass{EXT}",
            "setuptools_cmdclass-1.2.0rc1.dist-info/METADATA",
            "setuptools_cmdclass-1.2.0rc1.dist-info/RECORD",
            "setuptools_cmdclass-1.2.0rc1.dist-info/WHEEL",
            "setuptools_cmdclass-1.2.0rc1.dist-info/entry_points.txt",
            "setuptools_cmdclass-1.2.0rc1.dist-info/top_level.txt",
        ],
        "check": "import setuptools_cmdclass as m; print(m.add(2, 40))",
        "prints": "42",
        "script": ["cmdclass-sum", "1", "2", "3"],
        "script_prints": "6",
        "in_place": [f"setuptools_cmdclass{EXT}"],
    },
    "setuptools-mixed": {
        "wheel": rf"setuptools_mixed-0\.3\.0-{CP}-{CP}-manylinux_2_\d+_x86_64\.whl",
        "members": [
            "mixedpkg/__init__.py",
            f"mixedpkg/_native{EXT}",
            f"mixedpkg/_speedups{EXT}",
            "mixedpkg/data/greeting.txt",
            "setuptools_mixed-0.3.0.data/scripts/mixed-tool",
            "setuptools_mixed-0.3.0.dist-info/METADATA",
            "setuptools_mixed-0.3.0.dist-info/RECORD",
            "setuptools_mixed-0.3.0.dist-info/WHEEL",
            "setuptools_mixed-0.3.0.dist-info/top_level.txt",
        ],
        "check": "import mixedpkg as m; print(m.sextuple(7), m.greeting())",
        "prints": "42 hello from package data",
        "script": ["mixed-tool", "setuptools"],
        "script_prints": "mixed-tool says hello to setuptools",
        "in_place": [f"mixedpkg/_native{EXT}"],
    },
}
EXAMPLES = sorted(EXPECTED)


def _members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())


def _only_wheel(folder: Path) -> Path:
    (wheel,) = folder.glob("*.whl")
    return wheel


def _install_and_run(wheel: Path, example: str, where: Path) -> None:
    """Install the wheel into a fresh venv without pip, import it and run its command."""
    venv = make_venv(Path(sys.executable), where / "consumer", with_pip=False)
    subprocess.run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
                    "--quiet", "--no-deps", "--no-index", "--disable-pip-version-check", wheel],
                   check=True)
    _check_importable(venv, example, where)


def _check_importable(venv: Path, example: str, cwd: Path) -> None:
    expected = EXPECTED[example]
    result = subprocess.run([venv / "bin" / "python", "-c", expected["check"]], cwd=cwd,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == expected["prints"]
    script = [str(venv / "bin" / expected["script"][0]), *expected["script"][1:]]
    result = subprocess.run(script, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == expected["script_prints"]


@pytest.mark.parametrize("example", EXAMPLES)
def test_setup_py_bdist_wheel(builder: Builder, example: str, tmp_path: Path) -> None:
    project = copy_example(example, tmp_path)
    builder.run(*STRICT_WARNINGS, "setup.py", "bdist_wheel", cwd=project)
    wheel = _only_wheel(project / "dist")
    assert re.fullmatch(EXPECTED[example]["wheel"], wheel.name)
    assert _members(wheel) == sorted(EXPECTED[example]["members"])
    with zipfile.ZipFile(wheel) as archive:
        dist_info = wheel.name.split("-")[0] + "-" + wheel.name.split("-")[1] + ".dist-info"
        wheel_file = archive.read(f"{dist_info}/WHEEL").decode()
        metadata = archive.read(f"{dist_info}/METADATA").decode()
    platform = wheel.name[:-4].split("-")[-1]
    assert f"Tag: {CP}-{CP}-{platform}" in wheel_file
    assert "Root-Is-Purelib: false" in wheel_file
    if example == "setuptools-cmdclass":
        _check_cargo_metadata(metadata, builder.setuptools)
    _install_and_run(wheel, example, tmp_path)


def _check_cargo_metadata(metadata: str, setuptools: str) -> None:
    """Zero configuration: everything in METADATA comes from Cargo.toml."""
    for line in ("Name: setuptools-cmdclass", "Version: 1.2.0rc1",
                 "Summary: A pyo3 module built by setuptools with zero configuration",
                 "Author-email: Ada Example <ada@example.org>",
                 "Project-URL: Homepage, https://example.org/setuptools-cmdclass",
                 "Classifier: Programming Language :: Rust",
                 "Description-Content-Type: text/markdown", "Provides-Extra: pretty"):
        assert line in metadata.splitlines()
    license_line = "License: MIT" if setuptools == OLDEST else "License-Expression: MIT"
    assert license_line in metadata.splitlines()
    requires = [re.sub(r"\s+", "", line) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    assert requires == ["Requires-Dist:packaging>=20", "Requires-Dist:rich>=13;extra==\"pretty\""] \
        or requires == ["Requires-Dist:packaging>=20", "Requires-Dist:rich>=13;extra=='pretty'"]
    assert "whole setup.py" in metadata  # the README is the long description


@pytest.mark.parametrize("example", EXAMPLES)
def test_pip_wheel_and_python_m_build(builder: Builder, example: str, tmp_path: Path) -> None:
    project = copy_example(example, tmp_path)
    builder.pip("wheel", "--quiet", "--no-deps", "-w", tmp_path / "pip", ".", cwd=project)
    from_pip = _only_wheel(tmp_path / "pip")
    isolation = [] if builder.isolated else ["--no-isolation"]
    builder.run("-m", "build", "--wheel", *isolation, "-o", tmp_path / "build", ".", cwd=project)
    from_build = _only_wheel(tmp_path / "build")
    assert re.fullmatch(EXPECTED[example]["wheel"], from_pip.name)
    assert from_build.name == from_pip.name
    assert _members(from_pip) == _members(from_build) == sorted(EXPECTED[example]["members"])


@pytest.mark.parametrize("mode", ["lenient", "strict"])
@pytest.mark.parametrize("example", EXAMPLES)
def test_editable_install(builder: Builder, example: str, mode: str, tmp_path: Path) -> None:
    project = copy_example(example, tmp_path)
    editable = ["install", "--quiet", "--no-deps", "-e", ".", "--config-settings",
                f"editable_mode={mode}"]
    builder.pip(*editable, cwd=project)
    for name in EXPECTED[example]["in_place"]:
        assert (project / name).is_file()  # the native module is built in place
    _check_importable(builder.venv, example, tmp_path)
    if example == "setuptools-cmdclass":
        lib = project / "src" / "lib.rs"
        lib.write_text(lib.read_text().replace("a + b", "a + b + 100"))
        builder.pip(*editable, cwd=project)
        result = subprocess.run([builder.python, "-c", EXPECTED[example]["check"]],
                                cwd=tmp_path, capture_output=True, text=True, check=True)
        assert result.stdout.strip() == "142"
    builder.run("-m", "pip", "uninstall", "--yes", "--quiet", example, cwd=project)


@pytest.mark.parametrize("example", EXAMPLES)
def test_setup_py_develop_then_clean(builder: Builder, example: str, tmp_path: Path) -> None:
    project = copy_example(example, tmp_path)
    # setuptools >= 80 runs `pip install -e .` for develop, itself deprecated
    builder.run("setup.py", "develop", "--no-deps", cwd=project)
    _check_importable(builder.venv, example, tmp_path)
    in_place = [project / name for name in EXPECTED[example]["in_place"]]
    assert all(path.is_file() for path in in_place)
    builder.run(*STRICT_WARNINGS, "setup.py", "clean", cwd=project)
    assert not any(path.exists() for path in in_place)
    assert (project / "src" if example == "setuptools-cmdclass" else project / "mixedpkg").is_dir()
    builder.run("-m", "pip", "uninstall", "--yes", "--quiet", example, cwd=project)


def test_twine_uploads_the_audited_wheel(builder: Builder, tmp_path: Path) -> None:
    """The setuptools flow ends with `twine upload`: the retagged wheel is what gets served."""
    from tests.integration.registry import running_pypiserver

    if not builder.isolated:
        pytest.skip("the upload does not depend on the setuptools version; tested once")
    project = copy_example("setuptools-cmdclass", tmp_path)
    builder.run("setup.py", "bdist_wheel", cwd=project)
    wheel = _only_wheel(project / "dist")
    with running_pypiserver(tmp_path / "registry") as registry:
        upload = subprocess.run(
            [sys.executable, "-m", "twine", "upload", "--non-interactive", "--repository-url",
             registry.url, "-u", registry.username, "-p", registry.password, wheel],
            capture_output=True, text=True, check=False, timeout=120,
        )
        assert upload.returncode == 0, upload.stdout + upload.stderr
        consumer = make_venv(Path(sys.executable), tmp_path / "consumer")
        subprocess.run(
            [consumer / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-cache-dir",
             "--disable-pip-version-check", "--pre", "--no-deps",  # its dependencies are
             "--index-url", registry.simple_url, "setuptools-cmdclass"],  # on the public index
            check=True, timeout=120,
        )
    _check_importable(consumer, "setuptools-cmdclass", tmp_path)
