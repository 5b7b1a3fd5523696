"""`pyo3-pack build --pgo`: an instrumented wheel runs `pgo-command` in a temporary
virtualenv, llvm-profdata merges what it recorded, and the wheel is built with that profile."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

from setuptools_pyo3pack.compile import pgo
from tests.conftest import SHARED_TARGET
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
HOST = "x86_64-unknown-linux-gnu"


def _sections(library: Path) -> set[str]:
    with library.open("rb") as handle:
        return {section.name for section in ELFFile(handle).iter_sections()}


@pytest.fixture(scope="module")
def pgo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("pgo")
    crate = copy_example("pyo3-pgo", folder)
    env = dict(os.environ)
    env.pop(pgo.LLVM_PROFDATA_VARIABLE, None)
    # -v: cargo shows each rustc command line, flags from CARGO_ENCODED_RUSTFLAGS included
    result = run_tool("build", "--pgo", "-i", PY, "-o", folder / "dist",
                      "--cargo-extra-args=-v", cwd=crate, env=env)
    [wheel] = (folder / "dist").glob("*.whl")
    return wheel, result.stderr


def test_the_command_runs_with_the_instrumented_build_and_its_profile_is_used(
    pgo_build: tuple[Path, str],
) -> None:
    wheel, log = pgo_build
    assert "building `pyo3-pgo` for CPython" in log and "(instrumented for PGO)" in log
    assert "PGO: running `python bench.py` in " in log
    assert "collatz_total(20000) x3 = 5503902" in log  # the command's output reached the user
    [merged] = re.findall(r"PGO: merged \d+ profile\(s\) into (\S+\.profdata)", log)
    profile = Path(merged)
    assert profile.is_file() and profile.parent == SHARED_TARGET / "pyo3-pack" / "abi3-pgo"
    # the rustc that compiled the crate for the wheel read that profile, the first one wrote
    rustc_lines = [line for line in log.splitlines() if "--crate-name pyo3_pgo " in line]
    assert any(f"-Cprofile-generate={profile.parent / 'raw'}" in line for line in rustc_lines)
    assert any(f"-Cprofile-use={profile}" in line and f"--target {HOST}" in line
               for line in rustc_lines)
    # the profile holds counts of the hot loop bench.py ran
    profdata = _llvm_profdata()
    shown = subprocess.run([str(profdata), "show", "--all-functions", str(profile)],
                           capture_output=True, text=True, check=True).stdout
    assert "collatz_total" in shown
    # instrumented build: counters; the packed library: none
    instrumented = (SHARED_TARGET / "pyo3-pack" / "abi3-pgo-instrumented" / HOST / "release"
                    / "libpyo3_pgo.so")
    assert "__llvm_prf_cnts" in _sections(instrumented)
    with zipfile.ZipFile(wheel) as archive:
        packed = wheel.parent / "packed.so"
        packed.write_bytes(archive.read("pyo3_pgo/pyo3_pgo.abi3.so"))
    assert "__llvm_prf_cnts" not in _sections(packed)


def _llvm_profdata() -> Path:
    sysroot = subprocess.run(["rustc", "--print", "sysroot"], capture_output=True, text=True,
                             check=True).stdout.strip()
    return Path(sysroot) / "lib" / "rustlib" / HOST / "bin" / "llvm-profdata"


def test_the_optimized_wheel_imports_in_a_fresh_venv(pgo_build: tuple[Path, str],
                                                     tmp_path: Path) -> None:
    wheel, _ = pgo_build
    assert wheel.name.startswith("pyo3_pgo-0.1.0-cp39-abi3-manylinux_"), wheel.name
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_pgo; print(pyo3_pgo.collatz_total(10))") == "67"


@pytest.mark.parametrize(("command", "message"), [
    ("python -c 'raise SystemExit(3)'",
     "the PGO command `python -c 'raise SystemExit(3)'` failed with exit code 3"),
    ("python -c 'print(1)'",
     "the PGO command `python -c 'print(1)'` ran but recorded no profile: it never loaded the "
     "instrumented pyo3_pgo"),
])
def test_a_failing_or_idle_command_is_one_clear_line(
    pgo_build: tuple[Path, str], tmp_path: Path, command: str, message: str
) -> None:
    crate = copy_example("pyo3-pgo", tmp_path)
    env = dict(os.environ, PYO3_PACK_PGO_COMMAND=command)
    result = run_tool("build", "--pgo", "-i", PY, "-o", tmp_path / "dist", cwd=crate, env=env,
                      check=False)
    assert result.returncode != 0
    [error] = [line for line in result.stderr.splitlines() if "error:" in line]
    assert error.startswith(f"pyo3-pack: error: {message}")
    assert not list((tmp_path / "dist").glob("*.whl"))


def test_pgo_without_a_command_says_where_to_put_one(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pgo", tmp_path)
    (crate / "pyproject.toml").unlink()
    env = dict(os.environ)
    env.pop("PYO3_PACK_PGO_COMMAND", None)
    result = run_tool("build", "--pgo", "-i", PY, cwd=crate, env=env, check=False)
    assert result.returncode != 0
    assert "--pgo needs a command that exercises the instrumented build" in result.stderr
    assert "building" not in result.stderr  # before cargo ran


def test_the_backend_builds_with_pgo_from_config_settings(
    tmp_path: Path, tool_wheelhouse: Path
) -> None:
    crate = copy_example("pyo3-pgo", tmp_path)
    pyproject = crate / "pyproject.toml"
    pyproject.write_text('[build-system]\nrequires = ["setuptools-pyo3pack"]\n'
                         'build-backend = "setuptools_pyo3pack.build_meta"\n\n'
                         + pyproject.read_text())
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "wheel", "-v", "--no-deps",
         "--disable-pip-version-check", "--find-links", tool_wheelhouse,
         "--config-settings", "pgo=true", "-w", tmp_path / "dist", crate],
        capture_output=True, text=True, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "(instrumented for PGO)" in output and "PGO: merged 1 profile(s)" in output
    [wheel] = (tmp_path / "dist").glob("*.whl")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_pgo; print(pyo3_pgo.collatz_total(10))") == "67"
