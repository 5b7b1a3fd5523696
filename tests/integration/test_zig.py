"""`--zig`: on a host with a new glibc, zig links against glibc 2.17 and the wheel is a real
manylinux2014 wheel, by our audit and by auditwheel's."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import audit_wheel
from setuptools_pyo3pack.audit.check import version_key
from setuptools_pyo3pack.compile.zig import find_cargo_zigbuild
from setuptools_pyo3pack.errors import CommandError
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python
from tests.integration.extlib import build_env, build_libanswer
from tests.integration.test_repair import GRAFTED

MANYLINUX2014 = "manylinux_2_17_x86_64.manylinux2014_x86_64"


@pytest.fixture(scope="module")
def python(cpythons: dict[tuple[int, int], Path]) -> Path:
    return cpythons.get(sys.version_info[:2]) or list(cpythons.values())[-1]


@pytest.fixture(autouse=True)
def _needs_zig() -> None:
    """cargo-zigbuild and ziglang come with the test extra (`pip install -e '.[test]'`)."""
    try:
        find_cargo_zigbuild()
    except CommandError as exc:
        pytest.fail(str(exc))
    if importlib.util.find_spec("ziglang") is None:
        pytest.fail("the ziglang package is not installed: pip install -e '.[test]'")


def build(crate: Path, out: Path, python: Path, env: dict[str, str] | None = None) -> Path:
    run_tool("build", "-i", python, "--zig", "--manylinux", "2014", "-o", out, cwd=crate,
             env=env)
    [wheel] = out.glob("*.whl")
    return wheel


def auditwheel_tag(wheel: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
                            capture_output=True, text=True, check=True)
    return str(json.loads(result.stdout)["overall_tag"])


def test_zig_builds_a_manylinux2014_wheel(tmp_path: Path, python: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    wheel = build(crate, tmp_path / "dist", python)
    assert wheel.name.endswith(f"-{MANYLINUX2014}.whl"), wheel.name
    verdict = audit_wheel(wheel).verdict
    assert verdict is not None and verdict.platform_tag == MANYLINUX2014
    glibc = [version_key(v) for vs in verdict.versioned_symbols().values() for v in vs
             if v.startswith("GLIBC_")]
    assert max(glibc) <= version_key("GLIBC_2.17")  # on a glibc 2.36 host
    assert auditwheel_tag(wheel) == "manylinux_2_17_x86_64"
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_pure; print(pyo3_pure.add(2, 40))") == "42"


def test_zig_and_repair_together(tmp_path: Path, python: Path) -> None:
    """zig links libanswer from the folder build.rs names, and the repair step grafts it."""
    library = build_libanswer(tmp_path / "lib")
    crate = copy_example("pyo3-extlib", tmp_path)
    wheel = build(crate, tmp_path / "dist", python, build_env(library.parent))
    assert wheel.name.endswith(f"-{MANYLINUX2014}.whl"), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        assert [n for n in archive.namelist() if GRAFTED.match(n)]
    assert auditwheel_tag(wheel) == "manylinux_2_17_x86_64"
    venv = make_venv(python, tmp_path / "venv")
    pip_install(venv, wheel)
    assert venv_python(venv, "import pyo3_extlib; print(pyo3_extlib.the_answer())") == "42"
