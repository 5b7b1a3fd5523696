"""Grafting a system library into a wheel: pyo3-bzip2 links Debian's libbz2 dynamically.

The repaired wheel must carry `pyo3_bzip2.libs/libbz2-<hash>.so.1.0`, its extension must ask
for that name through `$ORIGIN/../pyo3_bzip2.libs`, it must be tagged manylinux, and it must
import in a fresh virtualenv with the system libbz2 out of the loader's reach.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import read_elf
from setuptools_pyo3pack.audit.locate import LibraryLocator
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python
from tests.unit.test_audit_policy import elf

EXTENSION = re.compile(r"^pyo3_bzip2/pyo3_bzip2\.cpython-\d+[a-z]*-x86_64-linux-gnu\.so$")
GRAFTED = re.compile(r"^pyo3_bzip2\.libs/libbz2-[0-9a-f]{8}\.so\.1\.0$")
MAPS = """
import pyo3_bzip2
print(pyo3_bzip2.bz2_version())
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps")
                         if "libbz2" in line})))
"""


def system_libbz2() -> Path:
    found = LibraryLocator()("libbz2.so.1.0", elf(), Path("/"))
    if found is None:
        pytest.skip("libbz2 is not installed (apt-get install libbz2-dev)")
    return found.path


def needs_wiring(cwd: Path) -> None:
    """`--auditwheel` reaches the builder once the CLI and the wheel pipeline call audit.repair."""
    if "--auditwheel" not in run_tool("build", "--help", cwd=cwd).stdout:
        pytest.skip("`pyo3-pack build --auditwheel` is not wired into the CLI yet")


@pytest.fixture(scope="module")
def python(cpythons: dict[tuple[int, int], Path]) -> Path:
    return cpythons.get(sys.version_info[:2]) or list(cpythons.values())[-1]


@pytest.fixture(scope="module")
def repaired(tmp_path_factory: pytest.TempPathFactory, python: Path) -> Path:
    system_libbz2()
    work = tmp_path_factory.mktemp("repair")
    crate = copy_example("pyo3-bzip2", work)
    needs_wiring(crate)
    out = work / "dist"
    result = run_tool("build", "-i", python, "--auditwheel", "repair", "-o", out, cwd=crate)
    assert "grafted" in result.stderr and "pyo3_bzip2.libs/libbz2-" in result.stderr
    [wheel] = out.glob("*.whl")
    return wheel


def test_repaired_wheel_carries_the_library_and_a_manylinux_tag(repaired: Path) -> None:
    assert re.search(r"-manylinux_2_\d+_x86_64\.whl$", repaired.name), repaired.name
    with zipfile.ZipFile(repaired) as wheel:
        names = wheel.namelist()
        record = wheel.read("pyo3_bzip2-0.1.0.dist-info/RECORD").decode()
    [grafted] = [n for n in names if n.startswith("pyo3_bzip2.libs/")]
    assert GRAFTED.match(grafted), grafted
    assert f"{grafted},sha256=" in record


def test_repaired_extension_asks_for_the_grafted_copy(repaired: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(repaired) as wheel:
        wheel.extractall(tmp_path)
        names = wheel.namelist()
    [extension] = [n for n in names if EXTENSION.match(n)]
    [grafted] = [n for n in names if GRAFTED.match(n)]
    info = read_elf(tmp_path / extension)
    new_name = grafted.rsplit("/", 1)[1]
    assert new_name in info.needed and "libbz2.so.1.0" not in info.needed
    assert info.rpath == ("$ORIGIN/../pyo3_bzip2.libs",) and info.runpath == ()
    assert read_elf(tmp_path / grafted).soname == new_name


def test_repaired_wheel_imports_the_grafted_copy(
    repaired: Path, python: Path, tmp_path: Path
) -> None:
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, repaired)
    version, *mapped = venv_python(venv, MAPS).splitlines()
    assert re.match(r"^1\.0\.\d+", version), version
    assert len(mapped) == 1, mapped
    assert re.search(r"/site-packages/pyo3_bzip2\.libs/libbz2-[0-9a-f]{8}\.so\.1\.0$", mapped[0])


def test_repaired_wheel_imports_with_the_system_libbz2_hidden(
    repaired: Path, python: Path, tmp_path: Path
) -> None:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    real = system_libbz2().resolve()
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, repaired)
    script = tmp_path / "maps.py"
    script.write_text(MAPS)
    # a private mount namespace: the system libbz2 becomes an empty file, for this process only
    hide = f"mount --bind /dev/null {real} && exec {venv / 'bin' / 'python'} {script}"
    probe = subprocess.run([unshare, "-rm", "sh", "-c", f"mount --bind /dev/null {real}"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.strip()[-200:]}")
    hidden = subprocess.run(
        [unshare, "-rm", "sh", "-c",
         f"mount --bind /dev/null {real} && exec python3 -c 'import ctypes; "
         "ctypes.CDLL(\"libbz2.so.1.0\")'"],
        capture_output=True, text=True, check=False,
    )
    assert hidden.returncode != 0, "the system libbz2 should not load in the namespace"
    result = subprocess.run([unshare, "-rm", "sh", "-c", hide], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "pyo3_bzip2.libs/libbz2-" in result.stdout


def test_check_and_warn_do_not_graft(tmp_path: Path, python: Path) -> None:
    system_libbz2()
    crate = copy_example("pyo3-bzip2", tmp_path)
    needs_wiring(crate)
    failed = run_tool("build", "-i", python, "--auditwheel", "check", "-o", tmp_path / "c",
                      cwd=crate, check=False)
    assert failed.returncode == 1
    [line] = [ln for ln in failed.stderr.splitlines() if ln.startswith("pyo3-pack: error:")]
    assert "once libbz2.so.1.0 is grafted into it" in line and "--auditwheel repair" in line
    warned = run_tool("build", "-i", python, "--auditwheel", "warn", "-o", tmp_path / "w",
                      cwd=crate)
    assert "warning: the wheel is linux_x86_64 as built" in warned.stderr
    [wheel] = (tmp_path / "w").glob("*.whl")
    assert wheel.name.endswith("-linux_x86_64.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert not [n for n in archive.namelist() if ".libs/" in n]
