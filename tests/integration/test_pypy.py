"""PyPy: a module that links the interpreter's own library (libpypy3.9-c.so, as pyo3 0.22
does without `extension-module`) is repaired by dropping that DT_NEEDED, never by grafting
libpypy (nor the libffi, libbz2, libtinfo, libexpat it links) into the wheel.

Needs a PyPy 3.9 `pypy3` on PATH (Debian 12: `apt-get install pypy3`; see the README's test
section): pyo3 0.22 is the last pyo3 that builds for PyPy 3.9.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python


@pytest.fixture(scope="module")
def pypy3() -> Path:
    found = shutil.which("pypy3")
    if found is None:
        pytest.skip("pypy3 is not installed (optional: `apt-get install pypy3`, see the README)")
    version = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    if version != "(3, 9)":
        pytest.skip(f"pypy3 is PyPy for Python {version}; pyo3 0.22 needs PyPy 3.9")
    return Path(found)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pypy3: Path) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("pypy")
    crate = copy_example("pyo3-pypy", folder)
    result = run_tool("build", "-i", pypy3, "-o", folder / "dist", cwd=crate)
    [wheel] = (folder / "dist").glob("*.whl")
    return wheel, result.stderr


def test_the_interpreters_library_is_dropped_not_grafted(built: tuple[Path, str]) -> None:
    wheel, log = built
    assert wheel.name.startswith("pyo3_pypy-0.1.0-pp39-pypy39_pp73-manylinux_"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert not [n for n in names if ".libs/" in n], names  # nothing grafted at all
    assert "dropped the DT_NEEDED on libpypy3.9-c.so from pyo3_pypy/" in log
    assert "pyo3-pack: grafted" not in log
    result = run_tool("audit", "--json", wheel, cwd=wheel.parent)
    [verdict] = json.loads(result.stdout)
    assert not [lib for lib in verdict["needed"] if "pypy" in lib]
    assert verdict["needed"] == sorted(verdict["needed"])
    assert {"libffi.so.8", "libbz2.so.1.0", "libtinfo.so.6"}.isdisjoint(verdict["needed"])


def test_the_wheel_imports_in_a_fresh_pypy_venv(
    built: tuple[Path, str], pypy3: Path, tmp_path: Path
) -> None:
    wheel, _ = built
    venv = make_venv(pypy3, tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_pypy; print(pyo3_pypy.add(2, 40))") == "42"
    assert venv_python(venv, "import pyo3_pypy; print(pyo3_pypy.implementation())") == "pypy"
