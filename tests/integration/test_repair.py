"""Grafting a library into a wheel: pyo3-extlib links libanswer, which the test compiles.

The repaired wheel must carry `pyo3_extlib.libs/libanswer-<hash>.so.1`, its extension must ask
for that name through `$ORIGIN/../pyo3_extlib.libs`, it must be tagged manylinux, and it must
import in a fresh virtualenv once the original library is gone.
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
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python
from tests.integration.extlib import SONAME, build_env, build_libanswer

EXTENSION = re.compile(r"^pyo3_extlib/pyo3_extlib\.cpython-\d+[a-z]*-x86_64-linux-gnu\.so$")
GRAFTED = re.compile(r"^pyo3_extlib\.libs/libanswer-[0-9a-f]{8}\.so\.1$")
#: what the installed module answers, and every libanswer the process has mapped
MAPS = """
import pyo3_extlib
print(pyo3_extlib.version(), pyo3_extlib.the_answer())
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps")
                         if "libanswer" in line})))
"""
#: both ways the original could be found: by its path, and by its name
ORIGINAL_GONE = """
import ctypes, sys
for name in sys.argv[1:]:
    try:
        ctypes.CDLL(name)
    except OSError:
        continue
    sys.exit(f"{name} still loads")
"""


@pytest.fixture(scope="module")
def python(cpythons: dict[tuple[int, int], Path]) -> Path:
    return cpythons.get(sys.version_info[:2]) or list(cpythons.values())[-1]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libanswer, for the module's builds; removed before the repaired wheel is imported."""
    return build_libanswer(tmp_path_factory.mktemp("libanswer"))


@pytest.fixture(scope="module")
def repaired(tmp_path_factory: pytest.TempPathFactory, python: Path, original: Path) -> Path:
    work = tmp_path_factory.mktemp("repair")
    crate = copy_example("pyo3-extlib", work)
    out = work / "dist"
    result = run_tool("build", "-i", python, "--auditwheel", "repair", "-o", out, cwd=crate,
                      env=build_env(original.parent))
    assert "grafted" in result.stderr and "pyo3_extlib.libs/libanswer-" in result.stderr
    [wheel] = out.glob("*.whl")
    return wheel


def test_repaired_wheel_carries_the_library_and_a_manylinux_tag(repaired: Path) -> None:
    assert re.search(r"-manylinux_2_\d+_x86_64\.whl$", repaired.name), repaired.name
    with zipfile.ZipFile(repaired) as wheel:
        names = wheel.namelist()
        record = wheel.read("pyo3_extlib-0.1.0.dist-info/RECORD").decode()
    [grafted] = [n for n in names if n.startswith("pyo3_extlib.libs/")]
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
    assert new_name in info.needed and SONAME not in info.needed
    assert info.rpath == ("$ORIGIN/../pyo3_extlib.libs",) and info.runpath == ()
    assert read_elf(tmp_path / grafted).soname == new_name


def test_repaired_wheel_imports_the_grafted_copy_with_the_original_gone(
    repaired: Path, original: Path, python: Path, tmp_path: Path
) -> None:
    shutil.rmtree(original.parent)  # the library the wheel was built against is no more
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, repaired)
    venv_python(venv, f"import sys; sys.argv[1:] = [{str(original)!r}, {SONAME!r}]\n"
                + ORIGINAL_GONE)
    answer, *mapped = venv_python(venv, MAPS).splitlines()
    assert answer == "answer 1.0.0 42"
    assert len(mapped) == 1, mapped
    assert re.search(r"/site-packages/pyo3_extlib\.libs/libanswer-[0-9a-f]{8}\.so\.1$",
                     mapped[0]), mapped


def test_check_fails_and_warn_neither_grafts_nor_imports_alone(
    tmp_path: Path, python: Path
) -> None:
    library = build_libanswer(tmp_path / "lib")
    env = build_env(library.parent)
    crate = copy_example("pyo3-extlib", tmp_path)
    failed = run_tool("build", "-i", python, "--auditwheel", "check", "-o", tmp_path / "c",
                      cwd=crate, env=env, check=False)
    assert failed.returncode == 1
    [line] = [ln for ln in failed.stderr.splitlines() if ln.startswith("pyo3-pack: error:")]
    assert f"once {SONAME} is grafted into it" in line and "--auditwheel repair" in line
    warned = run_tool("build", "-i", python, "--auditwheel", "warn", "-o", tmp_path / "w",
                      cwd=crate, env=env)
    assert "warning: the wheel is linux_x86_64 as built" in warned.stderr
    [wheel] = (tmp_path / "w").glob("*.whl")
    assert wheel.name.endswith("-linux_x86_64.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert not [n for n in archive.namelist() if ".libs/" in n]
    # without the graft, the module loads only where the loader finds the original
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_extlib; print(pyo3_extlib.the_answer())",
                       env=env) == "42"
    shutil.rmtree(library.parent)
    alone = subprocess.run([venv / "bin" / "python", "-c", "import pyo3_extlib"],
                           capture_output=True, text=True, check=False)
    assert alone.returncode != 0
    assert f"{SONAME}: cannot open shared object file" in alone.stderr


def _shape(names: set[str]) -> set[str]:
    """Member names with the interpreter's suffix and the graft's hash left out."""
    return {"<graft>" if GRAFTED.match(n) else "<ext>" if EXTENSION.match(n) else n
            for n in names}


SETUP_PY = "from setuptools import setup\nfrom setuptools_pyo3pack import cmdclass\n\n" \
    "setup(cmdclass=cmdclass())\n"


def test_setup_py_wheel_is_repaired_like_a_cli_wheel(
    repaired: Path, python: Path, tmp_path: Path
) -> None:
    """bdist_wheel goes through the same audit-and-repair step as the CLI and the backend."""
    library = build_libanswer(tmp_path / "libanswer")
    crate = copy_example("pyo3-extlib", tmp_path)
    (crate / "setup.py").write_text(SETUP_PY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "setup.py", "-q", "bdist_wheel", "-d", str(tmp_path / "dist")],
        cwd=crate, capture_output=True, text=True, check=False,
        env=build_env(library.parent),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("*.whl")
    assert re.search(r"-manylinux_2_\d+_x86_64\.whl$", wheel.name), wheel.name
    with zipfile.ZipFile(wheel) as built, zipfile.ZipFile(repaired) as cli:
        ours = {n for n in built.namelist() if ".dist-info/" not in n}
        theirs = {n for n in cli.namelist() if ".dist-info/" not in n}
        record = built.read("pyo3_extlib-0.1.0.dist-info/RECORD").decode()
        built.extractall(tmp_path / "unpacked")
    [grafted] = [n for n in ours if GRAFTED.match(n)]
    [extension] = [n for n in ours if EXTENSION.match(n)]
    assert _shape(ours) == _shape(theirs)  # the same files as the CLI wheel, graft included
    assert f"{grafted},sha256=" in record
    info = read_elf(tmp_path / "unpacked" / extension)
    assert grafted.rsplit("/", 1)[1] in info.needed and SONAME not in info.needed
    assert info.rpath == ("$ORIGIN/../pyo3_extlib.libs",)
    shutil.rmtree(library.parent)
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    answer, *mapped = venv_python(venv, MAPS).splitlines()
    assert answer == "answer 1.0.0 42"
    assert len(mapped) == 1 and "/site-packages/pyo3_extlib.libs/libanswer-" in mapped[0], mapped
