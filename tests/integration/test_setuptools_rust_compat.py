"""setup.py projects written for setuptools-rust, built here after changing the import line
(or, for `[tool.setuptools-rust]`, only the build requirement), as a user would.

Two examples share the work: `setuptools-rust-compat` (setup.py: a pyo3 module and a
`RustBin` from one crate, a second crate loaded with cffi, a path dependency, a Python
console script) and `setuptools-rust-pyproject` (pyproject.toml only: an abi3 pyo3 module
and a binary of the same crate, `[project.scripts]`). The oldest supported setuptools and the
newest each run a pairwise selection of the build commands, not the full matrix.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import OLDEST, Builder, copy_example, make_venv
from tests.integration.test_setuptools import CP, STRICT_WARNINGS

EXT = f".cpython-{CP[2:]}-x86_64-linux-gnu.so"
COMPAT = "setuptools-rust-compat"
PYPROJECT = "setuptools-rust-pyproject"
COMPAT_MEMBERS = sorted([
    "compat/__init__.py",
    "compat/ffi.py",
    f"compat/_native{EXT}",
    f"compat/_ffi{EXT}",
    "setuptools_rust_compat-0.4.0.data/scripts/compat-tool",
    "setuptools_rust_compat-0.4.0.dist-info/METADATA",
    "setuptools_rust_compat-0.4.0.dist-info/RECORD",
    "setuptools_rust_compat-0.4.0.dist-info/WHEEL",
    "setuptools_rust_compat-0.4.0.dist-info/entry_points.txt",
    "setuptools_rust_compat-0.4.0.dist-info/top_level.txt",
])
PYPROJECT_MEMBERS = sorted([
    "srp/__init__.py",
    "srp/_core.abi3.so",
    "srp_demo-0.2.0.data/scripts/srp-count",
    "srp_demo-0.2.0.dist-info/METADATA",
    "srp_demo-0.2.0.dist-info/RECORD",
    "srp_demo-0.2.0.dist-info/WHEEL",
    "srp_demo-0.2.0.dist-info/entry_points.txt",
    "srp_demo-0.2.0.dist-info/top_level.txt",
])


@pytest.fixture(scope="module")
def cffi_wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cffi (and its dependency) as wheels, so consumer venvs install them without an index."""
    folder = tmp_path_factory.mktemp("cffi-wheels")
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:",
                    "--disable-pip-version-check", "-d", folder, "cffi"], check=True)
    return folder


def _members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())


def _only(folder: Path, pattern: str = "*.whl") -> Path:
    (found,) = folder.glob(pattern)
    return found


def _consumer(where: Path, wheel: Path, cffi_wheels: Path | None = None) -> Path:
    venv = make_venv(Path(sys.executable), where / "consumer", with_pip=False)
    extra = [str(p) for p in cffi_wheels.glob("*.whl")] if cffi_wheels else []
    subprocess.run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python",
                    "install", "--quiet", "--no-deps", "--no-index",
                    "--disable-pip-version-check", wheel, *extra], check=True)
    return venv


def _run(argv: list[str | Path], cwd: Path) -> str:
    result = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def check_compat(venv: Path, cwd: Path) -> None:
    """The pyo3 module, the cffi-loaded library, the Rust command and the Python command."""
    python = venv / "bin" / "python"
    code = "import compat, compat.ffi as f; print(compat.double(21), compat.loud(), " \
           "f.lib.ffi_add(40, 2))"
    assert _run([python, "-c", code], cwd) == "42 True 42"
    assert _run([venv / "bin" / "compat-tool", "1", "2", "3"], cwd) == "compat-tool sums to 6"
    assert _run([venv / "bin" / "compat-hello"], cwd) == "compat-hello: double(21) = 42"


def check_pyproject(venv: Path, cwd: Path) -> None:
    python = venv / "bin" / "python"
    assert _run([python, "-c", "import srp; print(srp.triple(14))"], cwd) == "42"
    assert _run([venv / "bin" / "srp-count", "a", "b"], cwd) == "srp-count counted 2 arguments"
    assert _run([venv / "bin" / "srp-hello"], cwd) == "srp-hello: triple(14) = 42"


def test_setup_py_bdist_wheel(builder: Builder, tmp_path: Path, cffi_wheels: Path) -> None:
    project = copy_example(COMPAT, tmp_path)
    builder.run(*STRICT_WARNINGS, "setup.py", "bdist_wheel", cwd=project)
    wheel = _only(project / "dist")
    assert re.fullmatch(rf"setuptools_rust_compat-0\.4\.0-{CP}-{CP}-manylinux_2_\d+_x86_64\.whl",
                        wheel.name)
    assert _members(wheel) == COMPAT_MEMBERS
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read("setuptools_rust_compat-0.4.0.dist-info/entry_points.txt")
    assert "compat-hello = compat:hello" in entry_points.decode()
    check_compat(_consumer(tmp_path, wheel, cffi_wheels), tmp_path)


def test_pyproject_only_pip_wheel_and_build(builder: Builder, tmp_path: Path) -> None:
    """`[tool.setuptools-rust]` read as it is: an abi3 module and a binary of one crate."""
    project = copy_example(PYPROJECT, tmp_path)
    builder.pip("wheel", "--quiet", "--no-deps", "-w", tmp_path / "pip", ".", cwd=project)
    from_pip = _only(tmp_path / "pip")
    isolation = [] if builder.isolated else ["--no-isolation"]
    builder.run("-m", "build", "--wheel", *isolation, "-o", tmp_path / "build", ".", cwd=project)
    from_build = _only(tmp_path / "build")
    assert re.fullmatch(r"srp_demo-0\.2\.0-cp39-abi3-manylinux_2_\d+_x86_64\.whl", from_pip.name)
    assert from_build.name == from_pip.name
    assert _members(from_pip) == _members(from_build) == PYPROJECT_MEMBERS
    check_pyproject(_consumer(tmp_path, from_pip), tmp_path)


def test_editable_install(builder: Builder, tmp_path: Path) -> None:
    """`pip install -e .`: lenient with the oldest setuptools, strict with the newest. The
    library and the binary of one crate are both there, the binary on the venv's PATH."""
    mode = "lenient" if builder.setuptools == OLDEST else "strict"
    project = copy_example(PYPROJECT, tmp_path)
    builder.pip("install", "--quiet", "--no-deps", "-e", ".", "--config-settings",
                f"editable_mode={mode}", cwd=project)
    check_pyproject(builder.venv, tmp_path)
    core = project / "src" / "lib.rs"
    core.write_text(core.read_text().replace("3 * x", "3 * x + 1"))
    builder.pip("install", "--quiet", "--no-deps", "-e", ".", "--config-settings",
                f"editable_mode={mode}", cwd=project)
    python = builder.venv / "bin" / "python"
    assert _run([python, "-c", "import srp; print(srp.triple(14))"], tmp_path) == "43"
    builder.run("-m", "pip", "uninstall", "--yes", "--quiet", "srp-demo", cwd=project)
    assert not (builder.venv / "bin" / "srp-count").exists()


def test_build_ext_inplace_and_develop(builder: Builder, tmp_path: Path,
                                       cffi_wheels: Path) -> None:
    project = copy_example(COMPAT, tmp_path)
    if builder.setuptools == OLDEST:
        builder.run(*STRICT_WARNINGS, "setup.py", "build_ext", "--inplace", cwd=project)
        assert (project / "compat" / f"_native{EXT}").is_file()
        assert (project / "compat" / f"_ffi{EXT}").is_file()
        # the modules import from the source tree
        assert _run([builder.python, "-c", "import compat; print(compat.double(5))"],
                    project) == "10"
        builder.run("setup.py", "clean", cwd=project)
        assert not (project / "compat" / f"_native{EXT}").exists()
        return
    builder.pip("install", "--quiet", *(str(p) for p in cffi_wheels.glob("*.whl")), cwd=project)
    builder.run("setup.py", "develop", "--no-deps", cwd=project)
    check_compat(builder.venv, tmp_path)
    builder.run("-m", "pip", "uninstall", "--yes", "--quiet", COMPAT, cwd=project)


def test_sdist_builds_on_its_own(builder: Builder, tmp_path: Path, cffi_wheels: Path) -> None:
    """The sdist carries every crate, the lock file and the path dependency."""
    if builder.setuptools == OLDEST:
        pytest.skip("the sdist does not depend on the setuptools version; tested once")
    project = copy_example(COMPAT, tmp_path)
    builder.run("setup.py", "sdist", cwd=project)
    sdist = _only(project / "dist", "*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for name in ("native/Cargo.toml", "native/Cargo.lock", "native/src/lib.rs",
                 "native/src/main.rs", "ffi/Cargo.toml", "ffi/src/lib.rs", "adder/Cargo.toml",
                 "adder/src/lib.rs", "compat/ffi.py", "setup.py", "pyproject.toml"):
        assert name in names
    unpacked = tmp_path / "unpacked"
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (root,) = unpacked.iterdir()
    builder.pip("wheel", "--quiet", "--no-deps", "-w", tmp_path / "wheel", ".", cwd=root)
    wheel = _only(tmp_path / "wheel")
    assert _members(wheel) == COMPAT_MEMBERS
    check_compat(_consumer(tmp_path, wheel, cffi_wheels), tmp_path)


@pytest.fixture(scope="module")
def next_to_setuptools_rust(tmp_path_factory: pytest.TempPathFactory,
                            tool_wheelhouse: Path) -> Builder:
    """A venv with the newest setuptools, setuptools-rust and setuptools-pyo3pack together."""
    import os

    venv = make_venv(Path(sys.executable), tmp_path_factory.mktemp("both") / "venv")
    env = dict(os.environ, PIP_FIND_LINKS=str(tool_wheelhouse), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--upgrade",
                    "setuptools", "setuptools-rust", "setuptools-pyo3pack"], env=env, check=True)
    return Builder(venv, "latest", env)


def test_installed_next_to_setuptools_rust(next_to_setuptools_rust: Builder,
                                           tmp_path: Path) -> None:
    """Each tool builds the projects that ask for it; neither takes over the other's."""
    both = next_to_setuptools_rust
    ours = copy_example(PYPROJECT, tmp_path / "ours")
    both.run("-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w",
             tmp_path / "ours-wheel", ".", cwd=ours)
    ours_wheel = _only(tmp_path / "ours-wheel")
    assert re.fullmatch(r"srp_demo-0\.2\.0-cp39-abi3-manylinux_2_\d+_x86_64\.whl",
                        ours_wheel.name)  # audited and tagged by us
    assert _members(ours_wheel) == PYPROJECT_MEMBERS
    check_pyproject(_consumer(tmp_path / "ours", ours_wheel), tmp_path)

    theirs = copy_example(PYPROJECT, tmp_path / "theirs")
    pyproject = theirs / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"setuptools-pyo3pack"',
                                                       '"setuptools-rust"'))
    result = both.run("-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v", "-w",
                      tmp_path / "theirs-wheel", ".", cwd=theirs)
    assert "pyo3-pack:" not in result.stderr + result.stdout  # our hook stayed out of it
    their_wheel = _only(tmp_path / "theirs-wheel")
    assert their_wheel.name.endswith("-linux_x86_64.whl")  # setuptools-rust does not audit
    check_pyproject(_consumer(tmp_path / "theirs", their_wheel), tmp_path)

    setup_py = copy_example(COMPAT, tmp_path / "setup-py")
    both.run(*STRICT_WARNINGS, "setup.py", "bdist_wheel", cwd=setup_py)
    assert _members(_only(setup_py / "dist")) == COMPAT_MEMBERS


def test_old_setuptools_without_wheel_says_what_to_do(tmp_path: Path,
                                                      tool_wheelhouse: Path) -> None:
    """setuptools < 70.1 and no wheel package: one line with the versions and the fix."""
    import os

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    env = dict(os.environ, PIP_FIND_LINKS=str(tool_wheelhouse), PIP_DISABLE_PIP_VERSION_CHECK="1")
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", f"setuptools=={OLDEST}",
                    "setuptools-pyo3pack"], env=env, check=True)
    subprocess.run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "wheel"], env=env,
                   check=True)
    project = copy_example(COMPAT, tmp_path)
    result = subprocess.run([python, "setup.py", "bdist_wheel"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: setuptools {OLDEST} has no bdist_wheel command (it has one from 70.1 on) and "
        "the wheel package is not installed: run `python -m pip install -U 'setuptools>=70.1'` "
        "(or `python -m pip install wheel`)")
