"""The same project with the same SOURCE_DATE_EPOCH, built in two different folders, gives
byte-identical wheels and sdists through every door: `pyo3-pack build` and `sdist`, the
PEP 517/660 hooks, and setup.py's bdist_wheel and sdist.

Each example is copied twice (fresh file times, different absolute paths); both copies share
the session's cargo target folder, so the second build recompiles only the crate itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, run_tool

EPOCH = "1700000000"

#: One or more per binding (pyo3, abi3, rust-cpython, cffi, uniffi, bin) and layout (pure,
#: mixed, namespace, python-source folder, rust folder, workspace, path dependency).
CLI_EXAMPLES = ["pyo3-pure", "pyo3-mixed", "pyo3-abi3", "pyo3-stubs", "rust-cpython",
                "cffi-pure", "cffi-mixed", "uniffi-pure", "hello-bin", "maturin-namespace",
                "maturin-rustdir", "maturin-settings", "maturin-workspace", "maturin-pathdep",
                "workspace-path-dep"]
BACKEND_EXAMPLES = ["pyo3-mixed", "maturin-compat", "workspace-path-dep"]
#: setuptools-rust-compat and setuptools-rust-pyproject pass too, but their binaries rebuild
#: pyo3 in the shared target folder (one to two minutes each): left out for CI time.
SETUPTOOLS_EXAMPLES = ["setuptools-cmdclass"]

#: Where the project to build sits inside an example's folder.
PROJECT = {"maturin-pathdep": "project", "workspace-path-dep": "python-ext"}
#: cargo names a path dependency outside the workspace by its absolute folder, and that name
#: is hashed into every symbol of the library: only its native module may differ.
FOLDER_IN_SYMBOLS = {"maturin-pathdep"}


def _environment() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def _copies(example: str, tmp_path: Path) -> list[Path]:
    """Two copies of `example` at different depths, so no path has the same length."""
    roots = [tmp_path / "first", tmp_path / "second" / "copy"]
    return [copy_example(example, root) / PROJECT.get(example, "") for root in roots]


def _assert_identical(first: Path, second: Path, example: str) -> None:
    """Same file names, same bytes (for FOLDER_IN_SYMBOLS, all but the native module)."""
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert names, f"nothing was built for {example}"
    for name in names:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if a == b:
            continue
        differ = _what_differs(first / name, second / name)
        assert example in FOLDER_IN_SYMBOLS and name.endswith(".whl"), \
            f"{example}: {name} differs between the two folders: {differ}"
        assert all(m.endswith((".so", "/RECORD")) for m in differ), differ


def _what_differs(first: Path, second: Path) -> list[str]:
    """The members of two archives whose bytes or headers differ."""
    if not first.name.endswith(".whl"):
        return ["(the archive)"]
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        if a.namelist() != b.namelist():
            return [f"members {a.namelist()} != {b.namelist()}"]
        return [n for n in a.namelist()
                if a.read(n) != b.read(n) or _header(a.getinfo(n)) != _header(b.getinfo(n))]


def _header(info: zipfile.ZipInfo) -> tuple[object, ...]:
    return info.date_time, info.external_attr, info.compress_type, info.extra


@pytest.mark.parametrize("example", CLI_EXAMPLES)
def test_cli_build_and_sdist(example: str, tmp_path: Path) -> None:
    outs = []
    for index, project in enumerate(_copies(example, tmp_path)):
        out = tmp_path / f"out{index}"
        run_tool("build", "--sdist", "-i", sys.executable, "-o", out, cwd=project,
                 env=_environment())
        sdist = tmp_path / f"sdist{index}"
        run_tool("sdist", "-o", sdist, cwd=project, env=_environment())
        assert [p.name for p in sdist.iterdir()] == [p.name for p in out.glob("*.tar.gz")]
        assert (sdist / next(sdist.iterdir()).name).read_bytes() == \
            next(out.glob("*.tar.gz")).read_bytes()
        outs.append(out)
    _assert_identical(outs[0], outs[1], example)


_HOOKS = """
import sys
import setuptools_pyo3pack.build_meta as backend
out = sys.argv[1]
backend.build_wheel(out + "/wheel")
backend.build_sdist(out + "/sdist")
backend.build_editable(out + "/editable")
"""


@pytest.mark.parametrize("example", BACKEND_EXAMPLES)
def test_pep517_hooks(example: str, tmp_path: Path) -> None:
    outs, projects = [], _copies(example, tmp_path)
    for index, project in enumerate(projects):
        out = tmp_path / f"out{index}"
        result = subprocess.run([sys.executable, "-c", _HOOKS, str(out)], cwd=project,
                                env=_environment(), capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr[-4000:]
        outs.append(out)
    for kind in ("wheel", "sdist"):
        _assert_identical(outs[0] / kind, outs[1] / kind, example)
    _assert_same_editable(outs, projects)


def _assert_same_editable(outs: list[Path], projects: list[Path]) -> None:
    """An editable wheel of a project with Python sources names its source folder in a
    .pth: that member (and RECORD, which hashes it) is all that may differ, and the .pth must
    name its own copy. Without Python sources it carries the module and must be identical."""
    wheels = [next((out / "editable").glob("*.whl")) for out in outs]
    assert wheels[0].name == wheels[1].name
    differ = _what_differs(wheels[0], wheels[1])
    for wheel, project in zip(wheels, projects):
        with zipfile.ZipFile(wheel) as archive:
            pth = [n for n in archive.namelist() if n.endswith(".pth")]
            if not pth:
                assert differ == [], differ
                continue
            assert all(m.endswith((".pth", "/RECORD")) for m in differ), differ
            text = archive.read(pth[0]).decode()
            assert str(project.resolve()) in text, text


@pytest.mark.parametrize("example", SETUPTOOLS_EXAMPLES)
def test_setup_py_bdist_wheel_and_sdist(example: str, tmp_path: Path) -> None:
    outs = []
    for index, project in enumerate(_copies(example, tmp_path)):
        out = tmp_path / f"out{index}"
        for command in ("bdist_wheel", "sdist"):
            result = subprocess.run([sys.executable, "setup.py", "-q", command, "-d", str(out)],
                                    cwd=project, env=_environment(), capture_output=True,
                                    text=True, check=False)
            assert result.returncode == 0, result.stderr[-4000:]
        outs.append(out)
    _assert_identical(outs[0], outs[1], example)
