"""Tags, extension file names and build plans from recorded interpreter probes: CPython,
free-threaded CPython, PyPy and GraalPy (tests/unit/fixtures/interpreters/README.md says
which were recorded and which written from published sysconfig values)."""

from __future__ import annotations

import dataclasses
import json
import os
import sysconfig
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pytest
from packaging import tags as packaging_tags
from packaging.utils import parse_wheel_filename

from setuptools_pyo3pack.compile import interpreters, select
from setuptools_pyo3pack.config.settings import Binding, Settings
from setuptools_pyo3pack.platforms.interpreter import Interpreter
from setuptools_pyo3pack.platforms.registry import platform_for
from setuptools_pyo3pack.platforms.tags import interpreter_tag, wheel_filename
from setuptools_pyo3pack.project.bindings import BindingChoice
from setuptools_pyo3pack.project.project import Project

from .helpers import NEW_STYLE_BUILD_RS

RECORDS = Path(__file__).parent / "fixtures" / "interpreters"


def recorded(name: str) -> Interpreter:
    data = json.loads((RECORDS / f"{name}.json").read_text(encoding="utf-8"))
    return interpreters._from_probe(data["executable"], data)


# (record, wheel tag, extension file of module `m`, target folder key, name in messages)
EXPECTED = [
    ("cpython-3.12", "cp312-cp312", "m.cpython-312-x86_64-linux-gnu.so", "cpython-3.12",
     "CPython 3.12.1"),
    ("cpython-3.13t", "cp313-cp313t", "m.cpython-313t-x86_64-linux-gnu.so", "cpython-3.13t",
     "CPython 3.13.5 (free-threaded)"),
    ("cpython-3.14t", "cp314-cp314t", "m.cpython-314t-x86_64-linux-gnu.so", "cpython-3.14t",
     "CPython 3.14.0 (free-threaded)"),
    ("pypy-3.9", "pp39-pypy39_pp73", "m.pypy39-pp73-x86_64-linux-gnu.so", "pypy-3.9",
     "PyPy 3.9.16"),
    ("graalpy-24.2", "graalpy311-graalpy242_311_native",
     "m.graalpy242-311-native-x86_64-linux.so", "graalpy-3.11", "GraalPy 3.11.7"),
]


@pytest.mark.parametrize(("record", "tag", "filename", "key", "pretty"), EXPECTED)
def test_tag_file_name_and_folder_from_the_record(
    record: str, tag: str, filename: str, key: str, pretty: str
) -> None:
    interpreter = recorded(record)
    wheel_tag = interpreter_tag(interpreter, "linux_x86_64")
    assert f"{wheel_tag.python}-{wheel_tag.abi}" == tag
    platform = platform_for("x86_64-unknown-linux-gnu")
    assert platform.extension_filename("m", interpreter.ext_suffix, abi3=False) == filename
    assert interpreter.abi_key == key
    assert interpreter.pretty_name == pretty
    name = wheel_filename("my-ext", "1.0", wheel_tag)
    assert name == f"my_ext-1.0-{tag}-linux_x86_64.whl"
    assert parse_wheel_filename(name)[3] == frozenset(wheel_tag.expanded())


def _packaging_abi(interpreter: Interpreter, monkeypatch: pytest.MonkeyPatch) -> str:
    """The ABI tag packaging.tags (pip's view) gives an interpreter with these sysconfig
    values."""
    config: dict[str, Any] = {
        "EXT_SUFFIX": interpreter.ext_suffix, "SOABI": interpreter.soabi,
        "Py_GIL_DISABLED": int(interpreter.free_threaded), "Py_DEBUG": 0,
    }
    monkeypatch.setattr(sysconfig, "get_config_var", config.get)
    if interpreter.implementation == "cpython":
        return next(packaging_tags._cpython_abis(interpreter.minor_version))
    return next(packaging_tags._generic_abi())


@pytest.mark.parametrize("record", [row[0] for row in EXPECTED])
def test_the_abi_tag_is_the_one_pip_derives(record: str, monkeypatch: pytest.MonkeyPatch) -> None:
    interpreter = recorded(record)
    expected = _packaging_abi(interpreter, monkeypatch)
    assert interpreter_tag(interpreter, "linux_x86_64").abi == expected


def test_abi3_is_never_claimed_for_free_threaded_builds() -> None:
    for record in ("cpython-3.13t", "cpython-3.14t"):
        tag = interpreter_tag(recorded(record), "linux_x86_64")
        assert "abi3" not in str(tag) and tag.abi.endswith("t")


def test_discovery_finds_graalpy_pypy_and_free_threaded_names(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    names = ["python3.13t", "pypy3.9", "pypy3.11", "graalpy", "graalpy-config", "python3-config",
             "pypy3"]
    for name in names:
        (bin_dir / name).write_text("")
        (bin_dir / name).chmod(0o755)
    graalpy = tmp_path / "pyenv" / "versions" / "graalpy-24.2.1" / "bin" / "graalpy"
    graalpy.parent.mkdir(parents=True)
    graalpy.write_text("")
    graalpy.chmod(0o755)
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    found = [Path(p).name for p in interpreters.candidate_paths(str(bin_dir))]
    assert found == ["graalpy", "pypy3.9", "pypy3.11", "python3.13t", "graalpy"]


@dataclass(frozen=True)
class _PlanProject:
    """The parts of a Project that `select.plan` reads."""

    binding: BindingChoice
    settings: Settings = dataclasses.field(default_factory=Settings)
    platform: Any = dataclasses.field(
        default_factory=lambda: platform_for("x86_64-unknown-linux-gnu"))
    #: `metadata.core.requires_python`: none, so every interpreter qualifies
    metadata: Any = dataclasses.field(default_factory=lambda: types.SimpleNamespace(
        core=types.SimpleNamespace(requires_python=None)))


def _plan(binding: BindingChoice, found: list[Interpreter], monkeypatch: pytest.MonkeyPatch
          ) -> list[str]:
    monkeypatch.setattr(interpreters, "discover", lambda: (found, []))
    project = cast(Project, _PlanProject(binding))
    return [f"{item.tag}{' abi3' if item.abi3 else ''}" for item in select.plan(project)]


def _pyo3(tmp_path: Path, **changes: Any) -> BindingChoice:
    from setuptools_pyo3pack.project import bindings

    build_rs = tmp_path / "build.rs"
    build_rs.write_text(NEW_STYLE_BUILD_RS, encoding="utf-8")
    supported, free = bindings.supported_versions(build_rs)
    choice = BindingChoice(Binding.PYO3, crate_version="0.30.1", supported=supported,
                           free_threaded_minimum=free)
    return dataclasses.replace(choice, **changes)


ALL = ["cpython-3.12", "cpython-3.13t", "cpython-3.14t", "pypy-3.9", "graalpy-24.2"]


def test_abi3_crate_gets_one_abi3_wheel_and_its_own_for_free_threaded_pypy_graalpy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # pyo3 0.30.1: free-threaded from 3.14, PyPy from 3.11, GraalPy from 3.10
    plans = _plan(_pyo3(tmp_path, abi3=(3, 9)), [recorded(r) for r in ALL], monkeypatch)
    assert plans == [
        "cp39-abi3-linux_x86_64 abi3",
        "cp314-cp314t-linux_x86_64",
        "graalpy311-graalpy242_311_native-linux_x86_64",
    ]
    log = capsys.readouterr().err
    assert "skipping CPython 3.13.5 (free-threaded)" in log
    assert "pyo3 0.30.1 supports free-threaded CPython from 3.14" in log
    assert "skipping PyPy 3.9.16" in log and "older than 3.11" in log


def test_version_specific_crate_gets_a_wheel_per_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = _plan(_pyo3(tmp_path), [recorded(r) for r in ALL], monkeypatch)
    assert plans == [
        "cp312-cp312-linux_x86_64",
        "cp314-cp314t-linux_x86_64",
        "graalpy311-graalpy242_311_native-linux_x86_64",
    ]


def test_pyo3_without_free_threading_skips_free_threaded_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from setuptools_pyo3pack.project import bindings

    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    build_rs = next((cargo_home / "registry" / "src").glob("*/pyo3-ffi-0.22.6/build.rs"), None)
    assert build_rs is not None, "the pyo3-any-python example's pyo3-ffi 0.22.6 is not fetched"
    supported, free = bindings.supported_versions(build_rs)
    assert free is None
    choice = bindings.BindingChoice(Binding.PYO3, crate_version="0.22.6", supported=supported,
                                    free_threaded_unsupported=True)
    plans = _plan(choice, [recorded("cpython-3.12"), recorded("cpython-3.14t")], monkeypatch)
    assert plans == ["cp312-cp312-linux_x86_64"]
    assert ("pyo3 0.22.6 does not support free-threaded CPython (pyo3 0.23 is the first that "
            "does)") in capsys.readouterr().err
