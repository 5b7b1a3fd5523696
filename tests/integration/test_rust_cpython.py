"""`pyo3-pack build` and `develop` on a rust-cpython crate (examples/rust-cpython).

The example uses cpython 0.7.2, the last release of rust-cpython (July 2024; the project is
no longer maintained). Its README lists "Python 3.7 to 3.12" and its changelog's last entry
is "Added support for Python 3.12"; python3-sys 0.7.2 has no `Py_3_13` code paths, so these
tests use the newest CPython on the machine within 3.7..3.12, even when a newer one exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

RUST_CPYTHON_SUPPORTED = ((3, 7), (3, 12))  # cpython 0.7.2 / python3-sys 0.7.2
DIST = "rust_cpython_example-0.2.0"
MODULE = "rust_cpython_example"
DOC = "A Python module implemented in Rust with rust-cpython."


def fresh_copy(dest: Path) -> Path:
    """copy_example, with every file's mtime set to now.

    The copy keeps the example's old mtimes, and cargo (which hashes path crates relative to
    their workspace, so every copy shares one fingerprint in the shared target folder) would
    take the newer artifact of an earlier, edited copy as up to date.
    """
    crate = copy_example("rust-cpython", dest)
    for path in crate.rglob("*"):
        os.utime(path)
    return crate


@pytest.fixture(scope="module")
def python(cpythons: dict[tuple[int, int], Path]) -> tuple[tuple[int, int], Path]:
    """The newest CPython here that rust-cpython's last release supports."""
    low, high = RUST_CPYTHON_SUPPORTED
    usable = [v for v in cpythons if low <= v <= high]
    if not usable:
        pytest.skip("needs a CPython between 3.7 and 3.12 (what cpython 0.7.2 supports), "
                    "e.g. `pyenv install 3.12`")
    return usable[-1], cpythons[usable[-1]]


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory, python: tuple[tuple[int, int], Path]
) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("rust-cpython")
    crate = fresh_copy(work)
    out = work / "wheels"
    result = run_tool("build", "-i", python[1], "-o", out, cwd=crate)
    (wheel,) = out.glob("*.whl")
    return wheel, result.stderr


def test_wheel_name_tag_and_contents(
    built: tuple[Path, str], python: tuple[tuple[int, int], Path]
) -> None:
    wheel, stderr = built
    tag = f"cp3{python[0][1]}"
    match = re.fullmatch(rf"{DIST}-{tag}-{tag}-(?P<platform>[\w.]+)\.whl", wheel.name)
    assert match, wheel.name
    platforms = match["platform"].split(".")  # linux_x86_64, or manylinux tags once audited
    assert all(re.fullmatch(r"(many)?linux(_\d+_\d+|\d+)?_x86_64", p) for p in platforms)
    assert f"building `rust-cpython-example` for CPython 3.{python[0][1]}." in stderr
    extension = f"{MODULE}/{MODULE}.cpython-3{python[0][1]}-x86_64-linux-gnu.so"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.namelist() == [
            f"{MODULE}/__init__.py",
            extension,
            f"{DIST}.dist-info/METADATA",
            f"{DIST}.dist-info/WHEEL",
            f"{DIST}.dist-info/sboms/rust-cpython-example.cyclonedx.json",
            f"{DIST}.dist-info/RECORD",
        ]
        wheel_file = archive.read(f"{DIST}.dist-info/WHEEL").decode()
        metadata = archive.read(f"{DIST}.dist-info/METADATA").decode()
        native = archive.read(extension)
    tags = [line[5:] for line in wheel_file.splitlines() if line.startswith("Tag: ")]
    assert tags == [f"{tag}-{tag}-{p}" for p in platforms]
    assert "Root-Is-Purelib: false" in wheel_file
    assert "Name: rust-cpython-example\n" in metadata
    assert "Version: 0.2.0\n" in metadata
    assert native[:4] == b"\x7fELF"
    readelf = shutil.which("readelf")
    if readelf:
        # cpython's `extension-module` feature: the module must not link libpython
        so = wheel.parent / "module.so"
        so.write_bytes(native)
        dynamic = subprocess.run([readelf, "-d", so], capture_output=True, text=True,
                                 check=True).stdout
        assert "libpython" not in dynamic, dynamic
        symbols = subprocess.run([readelf, "--dyn-syms", "-W", so], capture_output=True,
                                 text=True, check=True).stdout
        assert f" PyInit_{MODULE}\n" in symbols


def test_wheel_installs_imports_and_calls(
    built: tuple[Path, str], python: tuple[tuple[int, int], Path], tmp_path: Path
) -> None:
    wheel, _ = built
    venv = make_venv(python[1], tmp_path / "venv")
    pip_install(venv, wheel)
    out = venv_python(
        venv,
        f"import {MODULE} as m, sys\n"
        "print(m.sum_as_string(2, 40), m.python_version(), sys.version_info[1])\n"
        f"print(m.__doc__ == m.{MODULE}.__doc__ == {DOC!r})\n"
        "try:\n"
        "    m.sum_as_string(1, 'x')\n"
        "except TypeError:\n"
        "    print('TypeError')\n",
    )
    minor = python[0][1]
    assert out.splitlines() == [f"42 3.{minor} {minor}", "True", "TypeError"]


def test_develop_into_a_venv_and_rebuild(
    python: tuple[tuple[int, int], Path], tmp_path: Path
) -> None:
    crate = fresh_copy(tmp_path)
    venv = make_venv(python[1], tmp_path / "venv", with_pip=False)
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    call = f"import {MODULE}; print({MODULE}.sum_as_string(1, 2))"
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(venv, call) == "3"

    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("(a + b)", "(a + b + 100)"))
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(venv, call) == "103"
    site = Path(venv_python(venv, "import sysconfig; print(sysconfig.get_paths()['platlib'])"))
    assert sorted(p.name for p in site.iterdir() if MODULE in p.name) == [
        MODULE, f"{DIST}.dist-info"]
