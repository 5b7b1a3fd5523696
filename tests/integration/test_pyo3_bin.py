"""Binaries that embed Python through pyo3: built, tagged and installed per interpreter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from setuptools_pyo3pack.audit.elf import read_elf
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool
from tests.integration.maturin_diff import assert_same_wheel, maturin_build

CP = f"cp{sys.version_info[0]}{sys.version_info[1]}"
PROGRAM = "pyo3_bin-0.3.0.data/scripts/pyo3-bin"


def _build(crate: Path, out: Path) -> Path:
    run_tool("build", "-i", sys.executable, "-o", out, "--no-sdist", cwd=crate)
    (wheel,) = out.glob("*.whl")
    return wheel


def test_embedding_binary_is_built_and_tagged_for_its_interpreter(tmp_path: Path) -> None:
    crate = copy_example("pyo3-bin", tmp_path)
    wheel = _build(crate, tmp_path / "out")
    assert re.fullmatch(rf"pyo3_bin-0\.3\.0-{CP}-{CP}-(manylinux_2_\d+|linux)_x86_64\.whl",
                        wheel.name), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert PROGRAM in names
        # the interpreter's library is never grafted: the binary finds the installed one
        assert not [n for n in names if "libpython" in n]
        program = tmp_path / "program"
        program.write_bytes(archive.read(PROGRAM))
    needed = read_elf(program).needed
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):  # linked, and the link kept
        assert any(lib.startswith(f"libpython{sys.version_info[0]}.") for lib in needed)

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    libdir = sysconfig.get_config_var("LIBDIR")
    if libdir:  # pyo3 sets no RPATH: a shared libpython outside the loader's path is named
        env["LD_LIBRARY_PATH"] = os.pathsep.join(
            p for p in (libdir, os.environ.get("LD_LIBRARY_PATH")) if p)
    result = subprocess.run(["pyo3-bin"], env=env, capture_output=True, text=True, check=True)
    name = sys.implementation.name
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert result.stdout == f"embedded {name} {version} (from a Rust binary)\n"


def test_embedding_binary_gives_maturins_wheel(tmp_path: Path) -> None:
    crate = copy_example("pyo3-bin", tmp_path)
    ours = _build(crate, tmp_path / "ours")
    theirs = maturin_build(crate, tmp_path / "maturin")
    assert_same_wheel(ours, crate, theirs, crate)
    # both link the interpreter's library and leave it out of the wheel
    assert _needed(ours, tmp_path / "a") == _needed(theirs, tmp_path / "b")


def _needed(wheel: Path, where: Path) -> tuple[str, ...]:
    with zipfile.ZipFile(wheel) as archive:
        where.write_bytes(archive.read(PROGRAM))
    return read_elf(where).needed
