"""Mixed Rust/Python projects, [tool.maturin] projects and cffi bindings, end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
CP = f"cp{sys.version_info[0]}{sys.version_info[1]}"


def _build_one(crate: Path, out: Path, *args: str) -> Path:
    run_tool("build", "-i", PY, "-o", out, *args, cwd=crate)
    (wheel,) = out.glob("*.whl")
    return wheel


def _members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _develop_env(venv: Path) -> dict[str, str]:
    return dict(os.environ, VIRTUAL_ENV=str(venv),
                PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture(scope="module")
def cffi_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with cffi's runtime, which every cffi wheel requires."""
    venv = make_venv(Path(sys.executable), tmp_path_factory.mktemp("cffi") / "venv")
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "cffi"], check=True)
    return venv


def test_mixed_wheel_packs_python_stub_and_script(tmp_path: Path) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    package = crate / "pyo3_mixed"
    (package / "debug.log").write_text("ignored by .gitignore\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "stale.cpython-311.pyc").write_bytes(b"\0")
    wheel = _build_one(crate, tmp_path / "out")
    assert _members(wheel) == [
        "pyo3_mixed/__init__.py",
        "pyo3_mixed/py.typed",
        f"pyo3_mixed/pyo3_mixed.cpython-{CP[2:]}-x86_64-linux-gnu.so",
        "pyo3_mixed/pyo3_mixed.pyi",
        "pyo3_mixed/python_module/__init__.py",
        "pyo3_mixed/python_module/double.py",
        "pyo3_mixed-0.4.0.dist-info/METADATA",
        "pyo3_mixed-0.4.0.dist-info/WHEEL",
        "pyo3_mixed-0.4.0.dist-info/entry_points.txt",
        "pyo3_mixed-0.4.0.dist-info/sboms/pyo3-mixed.cyclonedx.json",
        "pyo3_mixed-0.4.0.dist-info/RECORD",
    ]
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_mixed; print(pyo3_mixed.double(pyo3_mixed.get_21()))") \
        == "42"
    script = subprocess.run([venv / "bin" / "pyo3-mixed"], capture_output=True, text=True,
                            check=True)
    assert script.stdout == "42 is twice the answer from Rust\n"


def test_mixed_metadata_comes_from_pyproject(tmp_path: Path) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    with zipfile.ZipFile(_build_one(crate, tmp_path / "out")) as archive:
        metadata = archive.read("pyo3_mixed-0.4.0.dist-info/METADATA").decode()
    for line in ("Summary: Rust and Python side by side in one package",
                 "Author-email: Ada Example <ada@example.org>", "License-Expression: MIT",
                 "Requires-Python: >=3.9",
                 "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM"):
        assert line in metadata.splitlines()
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                            *(tmp_path / "out").glob("*.whl")],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_develop_mixed_python_edits_are_live(tmp_path: Path) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    env = _develop_env(venv)
    result = run_tool("develop", cwd=crate, env=env)
    assert "add `pyo3_mixed/pyo3_mixed.*.so` to .gitignore" in result.stderr
    code = "import pyo3_mixed; print(pyo3_mixed.double(pyo3_mixed.get_21()))"
    assert venv_python(venv, code) == "42"

    double = crate / "pyo3_mixed" / "python_module" / "double.py"
    double.write_text(double.read_text().replace("2 * value", "3 * value"))
    assert venv_python(venv, code) == "63"  # no rebuild: the .pth points at the sources

    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("    21\n", "    20\n"))
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(venv, code) == "60"
    native = list((crate / "pyo3_mixed").glob("pyo3_mixed.*.so"))
    assert len(native) == 1


def test_maturin_configured_project_builds_unchanged(tmp_path: Path) -> None:
    crate = copy_example("maturin-compat", tmp_path)
    wheel = _build_one(crate, tmp_path / "out")
    assert re.fullmatch(rf"maturin_compat-1\.2\.3-{CP}-{CP}-manylinux_2_\d+_x86_64\.whl",
                        wheel.name)
    assert _members(wheel) == [
        "maturin_compat/__init__.py",
        f"maturin_compat/_native.cpython-{CP[2:]}-x86_64-linux-gnu.so",
        "maturin_compat-1.2.3.dist-info/METADATA",
        "maturin_compat-1.2.3.dist-info/WHEEL",
        "maturin_compat-1.2.3.dist-info/sboms/maturin-compat.cyclonedx.json",
        "maturin_compat-1.2.3.dist-info/RECORD",
    ]
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    # `features = ["loud"]` in [tool.maturin] reached cargo
    assert venv_python(venv, "import maturin_compat; print(maturin_compat.greet('ada'))") \
        == "HELLO, ADA!"


def test_cffi_pure(tmp_path: Path, cffi_venv: Path) -> None:
    crate = copy_example("cffi-pure", tmp_path)
    wheel = _build_one(crate, tmp_path / "out")
    assert re.fullmatch(r"cffi_pure-0\.1\.0-py3-none-manylinux_2_\d+_x86_64\.whl", wheel.name)
    assert _members(wheel) == [
        "cffi_pure/__init__.py",
        "cffi_pure/ffi.py",
        "cffi_pure/libcffi_pure.so",
        "cffi_pure-0.1.0.dist-info/METADATA",
        "cffi_pure-0.1.0.dist-info/WHEEL",
        "cffi_pure-0.1.0.dist-info/sboms/cffi-pure.cyclonedx.json",
        "cffi_pure-0.1.0.dist-info/RECORD",
    ]
    with zipfile.ZipFile(wheel) as archive:
        assert "Requires-Dist: cffi" in archive.read(
            "cffi_pure-0.1.0.dist-info/METADATA").decode().splitlines()
    pip_install(cffi_venv, wheel)
    out = venv_python(cffi_venv, "import cffi_pure as m; p = m.lib.get_origin(); "
                      "print(p.x, m.lib.is_in_range(p, 1.0), m.lib.add(2, 3))")
    assert out == "0.0 True 5"


def test_cffi_mixed_build_and_develop(tmp_path: Path, cffi_venv: Path) -> None:
    crate = copy_example("cffi-mixed", tmp_path)
    wheel = _build_one(crate, tmp_path / "out")
    assert _members(wheel)[:4] == [
        "cffi_mixed/__init__.py",
        "cffi_mixed/cffi_mixed/__init__.py",
        "cffi_mixed/cffi_mixed/ffi.py",
        "cffi_mixed/cffi_mixed/libcffi_mixed.so",
    ]
    env = _develop_env(cffi_venv)
    result = run_tool("develop", cwd=crate, env=env)
    assert "add `/cffi_mixed/cffi_mixed/` to .gitignore" in result.stderr
    assert venv_python(cffi_venv, "import cffi_mixed; print(cffi_mixed.area(3, 4))") == "12.0"
    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("a * b", "a * b + 1.0"))
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(cffi_venv, "import cffi_mixed; print(cffi_mixed.area(3, 4))") == "13.0"
    # a second build still packs a fresh copy, never the files develop wrote into the tree
    assert len(_members(_build_one(crate, tmp_path / "out2"))) == len(_members(wheel))


def test_include_exclude_and_data_folder(tmp_path: Path) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    with open(crate / "pyproject.toml", "a") as pyproject:
        pyproject.write('\n[tool.pyo3-pack]\ninclude = ["extra/*.txt"]\n'
                        'exclude = ["pyo3_mixed/python_module/secret.py"]\n')
    (crate / "extra").mkdir()
    (crate / "extra" / "notes.txt").write_text("included\n")
    (crate / "pyo3_mixed" / "python_module" / "secret.py").write_text("TOKEN = 1\n")
    scripts = crate / "pyo3_mixed.data" / "scripts"
    scripts.mkdir(parents=True)
    (scripts / "mixed-hello").write_text("#!/bin/sh\necho hello from data/scripts\n")
    (scripts / "mixed-hello").chmod(0o755)
    (crate / "pyo3_mixed.data" / "data" / "share").mkdir(parents=True)
    (crate / "pyo3_mixed.data" / "data" / "share" / "mixed.txt").write_text("shared\n")

    wheel = _build_one(crate, tmp_path / "out")
    members = _members(wheel)
    assert "extra/notes.txt" in members
    assert "pyo3_mixed/python_module/secret.py" not in members
    assert "pyo3_mixed-0.4.0.data/scripts/mixed-hello" in members
    assert "pyo3_mixed-0.4.0.data/data/share/mixed.txt" in members
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    hello = subprocess.run([venv / "bin" / "mixed-hello"], capture_output=True, text=True,
                           check=True)
    assert hello.stdout == "hello from data/scripts\n"
    assert (venv / "share" / "mixed.txt").read_text() == "shared\n"
