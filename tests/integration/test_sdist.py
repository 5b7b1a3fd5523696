"""Source distributions of the examples: exact contents, and each builds alone once unpacked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

#: Builds the sdist the way the CLI will: load the project in the current folder, then pack.
DRIVER = """
import sys
from pathlib import Path
from setuptools_pyo3pack.project.project import load_project
from setuptools_pyo3pack.errors import Pyo3PackError
from setuptools_pyo3pack.sdist.sdist import build_sdist
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.config.load import load_configuration
try:
    config = load_configuration(values_source(None, {}))
    print(build_sdist(load_project(config), Path(sys.argv[1])))
except Pyo3PackError as exc:
    print(f"pyo3-pack: error: {exc}", file=sys.stderr)
    sys.exit(exc.exit_code)
"""
CURRENT = f"{sys.version_info[0]}.{sys.version_info[1]}"

EXPECTED = {
    "pyo3-pure": ["Cargo.lock", "Cargo.toml", "PKG-INFO", "README.md", "pyproject.toml",
                  "src/lib.rs"],
    "pyo3-mixed": ["Cargo.lock", "Cargo.toml", "PKG-INFO", "README.md", "pyo3_mixed/__init__.py",
                   "pyo3_mixed/py.typed", "pyo3_mixed/pyo3_mixed.pyi",
                   "pyo3_mixed/python_module/__init__.py",
                   "pyo3_mixed/python_module/double.py", "pyproject.toml", "src/lib.rs"],
    "hello-bin": ["Cargo.lock", "Cargo.toml", "PKG-INFO", "pyproject.toml", "src/main.rs"],
    "workspace-path-dep": ["Cargo.lock", "Cargo.toml", "PKG-INFO", "README.md",
                           "local/core/Cargo.toml", "local/core/src/lib.rs", "pyproject.toml",
                           "src/lib.rs"],
}
STEMS = {"pyo3-pure": "pyo3_pure-2.1.0b1", "pyo3-mixed": "pyo3_mixed-0.4.0",
         "hello-bin": "hello_bin-0.1.0", "workspace-path-dep": "workspace_path_dep-0.2.0"}
CHECKS = {
    "pyo3-pure": ("import pyo3_pure; print(pyo3_pure.add(2, 40))", "42"),
    "pyo3-mixed": ("import pyo3_mixed; print(pyo3_mixed.double(pyo3_mixed.get_21()))", "42"),
    "workspace-path-dep": ("import workspace_path_dep as w; print(w.sum_of_squares([1, 2, 6]))",
                           "41"),
}


def build_sdist(project: Path, out: Path,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", DRIVER, str(out)], cwd=project, env=env,
                          capture_output=True, text=True, check=False)


def _project_dir(example: str, copy: Path) -> Path:
    return copy / "python-ext" if example == "workspace-path-dep" else copy


def _unpack(sdist: Path, where: Path) -> None:
    with tarfile.open(sdist) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(where, filter="data")
        else:  # pragma: no cover - Python without PEP 706 filters
            tar.extractall(where)
    # The archive's fixed 1980 mtimes would let cargo take another copy's build of the same
    # crate from the shared target folder as fresh; real unpacks get fresh target folders.
    for path in where.rglob("*"):
        os.utime(path)


def _members(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as tar:
        return [m.name for m in tar.getmembers()]


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_sdist_contents_and_standalone_build(example: str, tmp_path: Path) -> None:
    copy = copy_example(example, tmp_path / "src")
    project = _project_dir(example, copy)
    if example == "pyo3-mixed":  # what `develop` and Python leave in the tree is never packed
        (project / "pyo3_mixed" / f"pyo3_mixed.cpython-{CURRENT.replace('.', '')}-x86_64"
         "-linux-gnu.so").write_bytes(b"\x7fELF")
        (project / "pyo3_mixed" / "__pycache__").mkdir()
        (project / "pyo3_mixed" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"")
    result = build_sdist(project, tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    stem = STEMS[example]
    sdist = tmp_path / "dist" / f"{stem}.tar.gz"
    assert result.stdout.strip() == str(sdist)
    assert _members(sdist) == [f"{stem}/{name}" for name in EXPECTED[example]]
    with tarfile.open(sdist) as tar:
        pkg_info = tar.extractfile(f"{stem}/PKG-INFO").read().decode()  # type: ignore[union-attr]
    assert pkg_info.startswith(f"Metadata-Version: 2.4\nName: {example}\n")

    shutil.rmtree(tmp_path / "src")  # the sdist must need nothing from the original tree
    _unpack(sdist, tmp_path / "unpacked")
    unpacked = tmp_path / "unpacked" / stem
    run_tool("build", "-i", sys.executable, "-o", "out", cwd=unpacked)
    wheels = sorted((unpacked / "out").glob("*.whl"))
    assert len(wheels) == 1
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheels[0])
    if example == "hello-bin":
        said = subprocess.run([venv / "bin" / "hello-bin", "sdist"], capture_output=True,
                              text=True, check=True).stdout
        assert said == "Hello, sdist! (from a Rust binary)\n"
    else:
        code, expected = CHECKS[example]
        assert venv_python(venv, code) == expected


def test_workspace_member_manifest_stands_alone(tmp_path: Path) -> None:
    copy = copy_example("workspace-path-dep", tmp_path)
    assert build_sdist(copy / "python-ext", tmp_path / "dist").returncode == 0
    with tarfile.open(tmp_path / "dist" / "workspace_path_dep-0.2.0.tar.gz") as tar:
        manifest = tar.extractfile("workspace_path_dep-0.2.0/Cargo.toml")
        core = tar.extractfile("workspace_path_dep-0.2.0/local/core/Cargo.toml")
        assert manifest is not None and core is not None
        text, core_text = manifest.read().decode(), core.read().decode()
    assert 'version = "0.2.0"\nedition = "2021"\n' in text
    assert 'wpd-core = { path = "local/core" }\npyo3 = { version = "0.30" }\n' in text
    assert text.endswith("\n[workspace]\n")
    assert "workspace" not in core_text and 'version = "0.2.0"' in core_text


def test_same_source_date_epoch_gives_identical_sdists(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    built = []
    for copy in ("one", "two"):
        project = copy_example("workspace-path-dep", tmp_path / copy) / "python-ext"
        assert build_sdist(project, tmp_path / copy / "dist", env).returncode == 0
        built.append(tmp_path / copy / "dist" / "workspace_path_dep-0.2.0.tar.gz")
    assert built[0].read_bytes() == built[1].read_bytes()
    with tarfile.open(built[0]) as tar:
        assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in tar.getmembers()} == {
            (1700000000, 0, 0, "", "")}


def test_path_dependency_outside_the_project_is_packed(tmp_path: Path) -> None:
    """As maturin does, an sdist carries a path dependency from outside the project (a wheel
    from the unpacked sdist is built in test_maturin_projects)."""
    crate = copy_example("pyo3-pure", tmp_path / "project")
    elsewhere = tmp_path / "elsewhere" / "helper"
    (elsewhere / "src").mkdir(parents=True)
    (elsewhere / "Cargo.toml").write_text(
        '[package]\nname = "helper"\nversion = "0.1.0"\nedition = "2021"\n')
    (elsewhere / "src" / "lib.rs").write_text("pub fn one() -> i64 { 1 }\n")
    manifest = crate / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace(
        "[dependencies]\n", f'[dependencies]\nhelper = {{ path = "{elsewhere}" }}\n'))
    result = build_sdist(crate, tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    assert f"packing path dependency `helper` from {elsewhere}, outside the project" \
        in result.stderr
    members = _members(tmp_path / "dist" / "pyo3_pure-2.1.0b1.tar.gz")
    assert {"pyo3_pure-2.1.0b1/local/helper/Cargo.toml",
            "pyo3_pure-2.1.0b1/local/helper/src/lib.rs"} <= set(members)
    with tarfile.open(tmp_path / "dist" / "pyo3_pure-2.1.0b1.tar.gz") as tar:
        text = tar.extractfile("pyo3_pure-2.1.0b1/Cargo.toml").read().decode()  # type: ignore[union-attr]
    assert 'helper = { path = "local/helper" }' in text


def test_pyproject_above_the_crate_keeps_the_layout(tmp_path: Path) -> None:
    """pyproject.toml at the workspace root with `manifest-path`: crates keep their folders."""
    copy = copy_example("workspace-path-dep", tmp_path / "src")
    pyproject = (copy / "python-ext" / "pyproject.toml").read_text()
    (copy / "python-ext" / "pyproject.toml").unlink()
    (copy / "pyproject.toml").write_text(
        pyproject.replace('readme = "README.md"', 'readme = "python-ext/README.md"')
        + '\n[tool.pyo3-pack]\nmanifest-path = "python-ext/Cargo.toml"\n')
    result = build_sdist(copy, tmp_path / "dist")
    assert result.returncode == 0, result.stderr
    sdist = tmp_path / "dist" / "workspace_path_dep-0.2.0.tar.gz"
    assert _members(sdist) == [f"workspace_path_dep-0.2.0/{name}" for name in (
        "PKG-INFO", "core/Cargo.toml", "core/src/lib.rs", "pyproject.toml",
        "python-ext/Cargo.lock", "python-ext/Cargo.toml", "python-ext/README.md",
        "python-ext/src/lib.rs")]
    shutil.rmtree(tmp_path / "src")
    _unpack(sdist, tmp_path / "unpacked")
    unpacked = tmp_path / "unpacked" / "workspace_path_dep-0.2.0"
    run_tool("build", "-i", sys.executable, "-o", "out", cwd=unpacked)
    assert len(list((unpacked / "out").glob("workspace_path_dep-0.2.0-*.whl"))) == 1
