"""What `develop` installs before the project, and with which installer."""

from __future__ import annotations

from pathlib import Path

import pytest

from setuptools_pyo3pack.errors import ConfigError, EnvironmentNotFound
from setuptools_pyo3pack.install import requirements
from setuptools_pyo3pack.project.metadata import CoreMetadata

from .helpers import make_interpreter

CORE = CoreMetadata(
    name="x", version="1",
    requires_dist=("numpy>=1.20", 'tomli; python_version < "3.11"',
                   'pytest>=8; extra == "test-suite"',
                   'pywin32; (sys_platform == "win32" or os_name == "nt") and '
                   'extra == "test-suite"',
                   'sphinx; extra == "docs"'),
    provides_extra=("test-suite", "docs"),
)


@pytest.mark.parametrize(("extras", "expected"), [
    ((), ["numpy>=1.20", 'tomli; python_version < "3.11"']),
    (("Test_Suite",), ["numpy>=1.20", 'tomli; python_version < "3.11"', "pytest>=8",
                       'pywin32; sys_platform == "win32" or os_name == "nt"']),
    (("docs", "test-suite"), ["numpy>=1.20", 'tomli; python_version < "3.11"', "pytest>=8",
                              'pywin32; sys_platform == "win32" or os_name == "nt"', "sphinx"]),
])
def test_requirements_of_the_project_and_its_extras(extras: tuple[str, ...],
                                                    expected: list[str]) -> None:
    assert requirements.requirements_for(CORE, extras) == expected


def test_an_unknown_extra_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"no extra 'gui' \(its extras are: test-suite, docs\)"):
        requirements.requirements_for(CORE, ["gui"])


def test_the_installer_is_pip_unless_uv_is_asked_for_or_pip_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "pip").mkdir(parents=True)
    interpreter = make_interpreter()
    interpreter.paths.update(purelib=str(site), platlib=str(site))
    venv = tmp_path / "venv"
    assert requirements.installer_argv(venv, interpreter)[:3] == \
        [interpreter.path, "-m", "pip"]
    monkeypatch.setattr("shutil.which", lambda name: f"/bin/{name}")
    assert requirements.installer_argv(venv, interpreter, uv=True) == \
        ["/bin/uv", "pip", "install", "--python", interpreter.path]
    (site / "pip").rmdir()
    assert requirements.installer_argv(venv, interpreter)[0] == "/bin/uv"
    assert requirements.installer_argv(venv, interpreter, pip_path=Path("/p/pip"))[:4] == \
        ["/p/pip", "--python", interpreter.path, "install"]
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(EnvironmentNotFound, match="has no pip, and uv is not on PATH"):
        requirements.installer_argv(venv, interpreter)


def test_dependency_groups_follow_their_includes(tmp_path: Path) -> None:
    from setuptools_pyo3pack.config.pyproject import Pyproject

    data = {"dependency-groups": {"test": ["pytest>=8", {"include-group": "Lint"}],
                                  "lint": ["ruff"], "loop": [{"include-group": "loop"}]}}
    pyproject = Pyproject(tmp_path / "pyproject.toml", data)
    assert requirements.dependency_groups(pyproject, ["test"]) == ["pytest>=8", "ruff"]
    assert requirements.dependency_groups(pyproject, ["lint", "test"]) == ["ruff", "pytest>=8"]
    with pytest.raises(ConfigError, match="has no group 'docs'"):
        requirements.dependency_groups(pyproject, ["docs"])
    with pytest.raises(ConfigError, match="includes itself"):
        requirements.dependency_groups(pyproject, ["loop"])
