"""Type stubs generated from pyo3's introspection data (`experimental-inspect`), packed with
py.typed and read by mypy from the installed wheel; a hand-written stub wins."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
CHECK = """\
import pyo3_stubs
reveal_type(pyo3_stubs.add(1, 2))
reveal_type(pyo3_stubs.Counter().bump())
pyo3_stubs.repeat(3)
"""


def _build(crate: Path, out: Path) -> tuple[Path, str]:
    result = run_tool("build", "-i", PY, "-o", out, cwd=crate)
    [wheel] = out.glob("*.whl")
    return wheel, result.stderr


def test_generated_stubs_are_packed_and_read_by_mypy(tmp_path: Path) -> None:
    wheel, log = _build(copy_example("pyo3-stubs", tmp_path), tmp_path / "dist")
    assert "generated type stubs of `pyo3_stubs`: __init__.pyi" in log
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        stub = archive.read("pyo3_stubs/__init__.pyi").decode()
    assert {"pyo3_stubs/__init__.py", "pyo3_stubs/__init__.pyi", "pyo3_stubs/py.typed"} <= names
    assert "def repeat(word: str, times: SupportsIndex = 2) -> str:" in stub
    assert "class Counter:" in stub and "Adds two integers." in stub

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_stubs; print(pyo3_stubs.repeat('ab'))") == "abab"
    check = tmp_path / "check.py"
    check.write_text(CHECK)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--python-executable",
         str(venv / "bin" / "python"), str(check)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    lines = result.stdout.splitlines()
    assert 'check.py:2: note: Revealed type is "int"' in lines, result.stdout
    assert 'check.py:3: note: Revealed type is "int"' in lines, result.stdout
    assert any("check.py:4: error: Argument 1 to \"repeat\" has incompatible type \"int\"" in line
               for line in lines), result.stdout


def test_a_hand_written_stub_wins_over_the_generated_one(tmp_path: Path) -> None:
    crate = copy_example("pyo3-stubs", tmp_path)
    own = "def add(a: int, b: int) -> int: ...\n"
    (crate / "pyo3_stubs.pyi").write_text(own)
    wheel, log = _build(crate, tmp_path / "dist")
    assert "written by hand, so none are generated" in log
    assert "generated type stubs" not in log
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("pyo3_stubs/__init__.pyi").decode() == own
        assert "pyo3_stubs/py.typed" in archive.namelist()
