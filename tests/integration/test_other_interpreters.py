"""PyPy found by discovery (no `-i`), its wheel tagged and named from its own sysconfig,
installed into a PyPy virtualenv and imported. (Free-threaded CPython and GraalPy cannot be
installed on the development machine: tests/unit/test_interpreter_records.py covers them
from their sysconfig values.)

Needs PyPy 3.9 as `pypy3.9` (Debian 12: `apt-get install pypy3`, see the README's test
section); pyo3 0.22 (examples/pyo3-any-python) is the last pyo3 that builds for it.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

INTERPRETER = re.compile(r"^(python|pypy|graalpy)")


@pytest.fixture(scope="module")
def pypy39() -> Path:
    found = shutil.which("pypy3.9")
    if found is None:
        pytest.skip("no PyPy 3.9 on this machine (optional: the README's test section says "
                    "how to add one)")
    return Path(found)


def only_interpreter(pypy: Path, folder: Path) -> dict[str, str]:
    """The environment with PATH holding no Python but `pypy` (and no pyenv), so discovery
    has one interpreter to find and everything else (cargo, cc) is still there."""
    entries = [folder / "pypy"]
    (folder / "pypy").mkdir(parents=True)
    (folder / "pypy" / pypy.name).symlink_to(pypy)
    for index, entry in enumerate(os.environ["PATH"].split(os.pathsep)):
        source = Path(entry)
        if not source.is_dir():
            continue
        shadow = folder / str(index)
        shadow.mkdir()
        for item in source.iterdir():
            if not INTERPRETER.match(item.name):
                (shadow / item.name).symlink_to(item)
        entries.append(shadow)
    return dict(os.environ, PATH=os.pathsep.join(map(str, entries)),
                PYENV_ROOT=str(folder / "no-pyenv"))


def test_discovery_builds_for_pypy_and_the_wheel_imports(pypy39: Path, tmp_path: Path) -> None:
    env = only_interpreter(pypy39, tmp_path / "path")
    listed = run_tool("list-python", cwd=tmp_path, env=env).stdout
    assert re.search(r"^PyPy 3\.9\.\d+ +.*/pypy3\.9$", listed, re.M), listed

    crate = copy_example("pyo3-any-python", tmp_path)
    result = run_tool("build", "-o", tmp_path / "dist", cwd=crate, env=env)
    assert "building `pyo3-any-python` for PyPy 3.9" in result.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    assert wheel.name.startswith("pyo3_any_python-0.1.0-pp39-pypy39_pp73-manylinux_"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        assert "pyo3_any_python/pyo3_any_python.pypy39-pp73-x86_64-linux-gnu.so" in (
            archive.namelist())

    venv = make_venv(pypy39, tmp_path / "venv")
    pip_install(venv, wheel)
    code = "import pyo3_any_python as m; print(m.add(40, 2), m.implementation())"
    assert venv_python(venv, code) == "42 pypy"
