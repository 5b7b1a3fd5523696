"""uniffi crates: uniffi-bindgen of the crate's uniffi release is provisioned by pyo3-pack,
and the wheel holds the generated module and the cdylib, as maturin packs them."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

from setuptools_pyo3pack.compile import tools, uniffi
from tests.conftest import TEST_TOOLS
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

ROUND_TRIP = """\
from uniffi_pure import Point, add, midpoint
p = midpoint(Point(x=0.0, y=2.0, label="a"), Point(x=4.0, y=0.0, label="b"))
print(add(40, 2), p.x, p.y, p.label, type(p).__name__)
"""


def test_a_function_and_a_record_round_trip(tmp_path: Path) -> None:
    crate = copy_example("uniffi-pure", tmp_path)
    env = dict(os.environ)
    env.pop(uniffi.BINDGEN_VARIABLE, None)
    result = run_tool("build", "-o", tmp_path / "dist", cwd=crate, env=env)
    bindgen = tools.cached_program(uniffi.bindgen_tool("0.32.2"), TEST_TOOLS)
    assert bindgen.is_file()  # provisioned (now or by an earlier session), never by hand
    if "installing uniffi-bindgen 0.32.2" in result.stderr:
        assert "uniffi-bindgen 0.32.2 installed in " in result.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    assert wheel.name.startswith("uniffi_pure-0.1.0-py3-none-manylinux_"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = [n for n in archive.namelist() if ".dist-info/" not in n]
        init = archive.read("uniffi_pure/__init__.py").decode()
    assert names == ["uniffi_pure/__init__.py", "uniffi_pure/libuniffi_pure.so",
                     "uniffi_pure/uniffi_pure.py"]
    assert init == "from .uniffi_pure import *  # noqa: F401,F403\n"

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, ROUND_TRIP) == "42 2.0 1.0 a-b Point"


def test_uniffi_toml_renames_the_library(tmp_path: Path) -> None:
    crate = copy_example("uniffi-pure", tmp_path)
    (crate / "uniffi.toml").write_text('[bindings.python]\ncdylib_name = "arith"\n')
    run_tool("build", "-o", tmp_path / "dist", cwd=crate)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "uniffi_pure/libarith.so" in archive.namelist()
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import uniffi_pure; print(uniffi_pure.add(1, 2))") == "3"


def test_develop_installs_it_into_the_venv(tmp_path: Path) -> None:
    crate = copy_example("uniffi-pure", tmp_path)
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    result = run_tool("develop", cwd=crate, env=dict(os.environ, VIRTUAL_ENV=str(venv)))
    assert f"installed uniffi-pure 0.1.0 into {venv}" in result.stderr
    assert venv_python(venv, ROUND_TRIP) == "42 2.0 1.0 a-b Point"
    assert not (crate / "uniffi_pure").exists()  # a pure project's tree is left alone
