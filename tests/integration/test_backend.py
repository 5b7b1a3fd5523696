"""The PEP 517/660 backend as pip, build and uv drive it, with build isolation."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, venv_python

BACKEND_TOML = """
[build-system]
requires = ["setuptools-pyo3pack"]
build-backend = "{backend}"
"""


def _with_pyproject(crate: Path, backend: str = "setuptools_pyo3pack.build_meta") -> Path:
    """Zero-config examples get the two lines a user adds to use the backend."""
    pyproject = crate / "pyproject.toml"
    if not pyproject.exists():
        pyproject.write_text(BACKEND_TOML.format(backend=backend))
    return crate


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    return make_venv(Path(sys.executable), tmp_path / "venv")


def _pip(venv: Path, wheelhouse: Path, *args: str | os.PathLike[str]) -> None:
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--find-links", wheelhouse, *map(str, args)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.parametrize(
    ("example", "check"),
    [
        ("pyo3-pure", "import pyo3_pure; print(pyo3_pure.add(40, 2))"),
        ("pyo3-mixed", "import pyo3_mixed; print(pyo3_mixed.double(pyo3_mixed.get_21()))"),
        ("cffi-pure", "import cffi_pure; print(cffi_pure.lib.add(40, 2))"),
        ("cffi-mixed", "import cffi_mixed; print(int(cffi_mixed.area(6, 7)))"),
        ("uniffi-pure", "import uniffi_pure; print(uniffi_pure.add(40, 2))"),
        ("workspace-path-dep/python-ext",
         "import workspace_path_dep as m; print(m.sum_of_squares([1, 4, 5]))"),
    ],
)
def test_pip_install_with_build_isolation(
    example: str, check: str, tmp_path: Path, venv: Path, tool_wheelhouse: Path
) -> None:
    top, _, member = example.partition("/")
    crate = _with_pyproject(copy_example(top, tmp_path) / member)
    _pip(venv, tool_wheelhouse, crate)
    assert venv_python(venv, check) == "42"


def test_pip_install_bin_crate_and_seed_backend_name(
    tmp_path: Path, venv: Path, tool_wheelhouse: Path
) -> None:
    crate = _with_pyproject(copy_example("hello-bin", tmp_path), backend="pyo3_pack")
    _pip(venv, tool_wheelhouse, crate)
    result = subprocess.run([venv / "bin" / "hello-bin", "pip"], capture_output=True, text=True,
                            check=True)
    assert result.stdout == "Hello, pip! (from a Rust binary)\n"


@pytest.mark.parametrize("mode", ["lenient", "strict"])
def test_editable_install_python_edits_are_live(
    mode: str, tmp_path: Path, venv: Path, tool_wheelhouse: Path
) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    extra = ["--config-settings", "editable_mode=strict"] if mode == "strict" else []
    _pip(venv, tool_wheelhouse, *extra, "-e", crate)
    code = "import pyo3_mixed; print(pyo3_mixed.double(pyo3_mixed.get_21()))"
    assert venv_python(venv, code) == "42"
    double = crate / "pyo3_mixed" / "python_module" / "double.py"
    double.write_text(double.read_text().replace("2 * value", "3 * value"))
    assert venv_python(venv, code) == "63"
    script = subprocess.run([venv / "bin" / "pyo3-mixed"], capture_output=True, text=True,
                            check=True)
    assert script.stdout.startswith("63 ")


def test_uv_pip_install(tmp_path: Path, venv: Path, tool_wheelhouse: Path) -> None:
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        pytest.fail("uv is not installed: pip install -e '.[test]'")
    crate = copy_example("pyo3-mixed", tmp_path)
    result = subprocess.run(
        [uv, "pip", "install", "--python", venv / "bin" / "python", "--find-links",
         tool_wheelhouse, crate],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert venv_python(venv, "import pyo3_mixed; print(pyo3_mixed.get_21())") == "21"


def test_prepared_metadata_matches_the_wheel(tmp_path: Path) -> None:
    """pip resolves with prepare_metadata_for_build_wheel's METADATA: it must be the wheel's."""
    crate = copy_example("pyo3-mixed", tmp_path)
    script = (
        "import sys, pathlib; from setuptools_pyo3pack import build_meta as b\n"
        "out = pathlib.Path(sys.argv[1])\n"
        "print(b.prepare_metadata_for_build_wheel(str(out / 'meta')))\n"
        "print(b.build_wheel(str(out / 'wheel')))\n"
    )
    (tmp_path / "meta").mkdir()
    result = subprocess.run([sys.executable, "-c", script, tmp_path], cwd=crate,
                            capture_output=True, text=True, check=True)
    dist_info, wheel_name = result.stdout.split()
    prepared = (tmp_path / "meta" / dist_info / "METADATA").read_bytes()
    with zipfile.ZipFile(tmp_path / "wheel" / wheel_name) as archive:
        assert archive.read(f"{dist_info}/METADATA") == prepared
        names = archive.namelist()
    assert f"{dist_info}/entry_points.txt" in names
    assert (tmp_path / "meta" / dist_info / "entry_points.txt").is_file()


@pytest.mark.parametrize(
    ("example", "stem"),
    [("pyo3-mixed", "pyo3_mixed-0.4.0"),
     ("workspace-path-dep/python-ext", "workspace_path_dep-0.2.0")],
)
def test_python_m_build_sdist_then_wheel_from_it(
    example: str, stem: str, tmp_path: Path, tool_wheelhouse: Path
) -> None:
    """`python -m build` makes the sdist, then builds the wheel from the unpacked sdist alone."""
    top, _, member = example.partition("/")
    crate = copy_example(top, tmp_path) / member
    out = tmp_path / "dist"
    env = dict(os.environ, PIP_FIND_LINKS=str(tool_wheelhouse))
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", out, crate],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    assert sdist.name == f"{stem}.tar.gz"
    with tarfile.open(sdist) as archive:
        assert f"{stem}/PKG-INFO" in archive.getnames()
    assert wheel.name.startswith(f"{stem}-cp3")


def test_isolated_builds_do_not_recompile_pyo3(
    tmp_path: Path, venv: Path, tool_wheelhouse: Path
) -> None:
    """Each isolated build runs from a new environment; cargo must still find pyo3 fresh."""
    first = _with_pyproject(copy_example("pyo3-pure", tmp_path / "one"))
    _pip(venv, tool_wheelhouse, first)
    second = _with_pyproject(copy_example("pyo3-pure", tmp_path / "two"))
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "-v", "--disable-pip-version-check",
         "--force-reinstall", "--no-deps", "--find-links", tool_wheelhouse, second],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "Compiling pyo3-pure" in output  # the crate itself, copied anew, is rebuilt
    assert "Compiling pyo3 " not in output and "Compiling pyo3-ffi" not in output


def test_backend_errors_are_one_line(tmp_path: Path, venv: Path, tool_wheelhouse: Path) -> None:
    crate = _with_pyproject(copy_example("pyo3-pure", tmp_path))
    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("a + b", "a + missing"))
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check",
         "--find-links", tool_wheelhouse, crate],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "pyo3-pack: error: cargo failed to build `pyo3-pure`" in result.stdout + result.stderr
