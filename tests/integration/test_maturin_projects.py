"""maturin projects, unchanged: each builds through every door and gives maturin's wheel.

The examples are written the way maturin documents projects (`build-backend = "maturin"`,
`[tool.maturin]`): a cargo workspace whose root pyproject.toml points at a member, Rust under
`rust/` with Python under `src/`, implicit namespace packages, a path dependency outside the
project, and every build setting. A user switches by running `pyo3-pack` in the folder or by
changing the build-backend line; each test checks what that user would notice, and the
differential tests build the same folder with maturin and compare the wheels.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.config.load import host_triple
from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python
from tests.integration.maturin_diff import assert_same_wheel, maturin_build, wheel_facts

CP = f"cp{sys.version_info[0]}{sys.version_info[1]}"
SUFFIX = f"{CP[2:]}-x86_64-linux-gnu.so"
OUR_BACKEND = ('[build-system]\nrequires = ["setuptools-pyo3pack"]\n'
               'build-backend = "setuptools_pyo3pack.build_meta"\n')


def _build(project: Path, out: Path, *args: str) -> tuple[Path, str]:
    """`pyo3-pack build` in the project folder: the one wheel and the status lines."""
    result = run_tool("build", "-i", sys.executable, "-o", out, "--no-sdist", *args, cwd=project)
    (wheel,) = out.glob("*.whl")
    return wheel, result.stderr


def _members(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return sorted(archive.namelist())


def _metadata(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return archive.read(name).decode().splitlines()


def _switch_backend(project: Path) -> None:
    """What a maturin user changes to build with pyo3-pack through pip or build."""
    pyproject = project / "pyproject.toml"
    text = pyproject.read_text()
    head, _, rest = text.partition('build-backend = "maturin"\n')
    assert rest, "the example names maturin as its backend"
    pyproject.write_text(OUR_BACKEND + rest)
    assert head.startswith("[build-system]")


def _tiny_wheel(folder: Path, name: str) -> None:
    """A pure-Python wheel of `name` 1.0, for offline dependency installs."""
    module = name.replace("-", "_")
    dist_info = f"{module}-1.0.dist-info"
    files = {f"{module}/__init__.py": "VERSION = '1.0'\n",
             f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
             f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                   "Tag: py3-none-any\n"}
    files[f"{dist_info}/RECORD"] = "".join(f"{n},,\n" for n in [*files, f"{dist_info}/RECORD"])
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"{module}-1.0-py3-none-any.whl", "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)


def _pip(venv: Path, *args: str | os.PathLike[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


# -- a cargo workspace, pyproject.toml at its root --------------------------------------------


def test_workspace_project_gives_maturins_wheel(tmp_path: Path) -> None:
    project = copy_example("maturin-workspace", tmp_path)
    with open(project / "pyproject.toml", "a") as pyproject:  # a layer for this machine only
        pyproject.write(f'\n[tool.maturin.target."{host_triple()}"]\nfeatures = ["loud"]\n')
    wheel, log = _build(project, tmp_path / "ours")
    stem = "maturin_workspace-0.5.0"
    assert _members(wheel) == sorted([
        "assets/values.json",  # include, wheel only, relative to the project folder
        "maturin_workspace/__init__.py",
        f"maturin_workspace/_native.cpython-{SUFFIX}",
        "maturin_workspace/sdist_skip.py",  # excluded from the sdist only
        "mw_helpers/__init__.py",  # python-packages, from python-source
        f"{stem}.dist-info/METADATA", f"{stem}.dist-info/WHEEL", f"{stem}.dist-info/RECORD",
        f"{stem}.dist-info/sboms/maturin-workspace.cyclonedx.json",
    ])
    metadata = _metadata(wheel)
    for line in ("Summary: A maturin project in a cargo workspace",
                 "Keywords: maturin,workspace", "Home-page: https://example.org/mw",
                 "Author: Ada Example <ada@example.org>, Grace",
                 "Author-email: Ada Example <ada@example.org>, Grace",
                 "License: MIT OR Apache-2.0",
                 "Project-URL: Homepage, https://example.org/mw",
                 "Project-URL: Documentation, https://example.org/mw/docs",
                 "Project-URL: Source Code, https://example.org/mw.git",
                 "Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM"):
        assert line in metadata
    assert "Author-email lists 'Grace' without an email address" in log
    sbom = wheel_facts(wheel).sbom
    assert sbom is not None
    core = next(c for c in sbom["components"] if c["name"] == "mw-core")
    assert (core["scope"], core["purl"]) == \
        ("required", "pkg:cargo/mw-core@0.5.0?download_url=file://../core")

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    code = "import maturin_workspace as m, mw_helpers; print(m.greet('ada'), m.scaled(14))"
    assert venv_python(venv, code) == "HELLO, ADA! 42"  # the target table's feature

    theirs = maturin_build(project, tmp_path / "maturin")
    assert_same_wheel(wheel, project, theirs, project)


def test_member_manifest_finds_the_workspace_pyproject(tmp_path: Path) -> None:
    """`-m` naming the member: pyproject.toml is found above it, as maturin finds it (and
    the SBOM is left out when the environment turns it off)."""
    project = copy_example("maturin-workspace", tmp_path / "src")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_tool("build", "-i", sys.executable, "-o", tmp_path / "out", "--no-sdist", "-m",
                      project / "crates" / "py" / "Cargo.toml", cwd=elsewhere,
                      env={**os.environ, "PYO3_PACK_SBOM_RUST": "0"})
    (wheel,) = (tmp_path / "out").glob("*.whl")
    assert result.returncode == 0
    members = _members(wheel)
    assert f"maturin_workspace/_native.cpython-{SUFFIX}" in members
    assert {"maturin_workspace/__init__.py", "mw_helpers/__init__.py"} <= set(members)
    assert not [m for m in members if "/sboms/" in m]


def test_workspace_project_through_pip_wheel(tmp_path: Path, tool_wheelhouse: Path) -> None:
    """The PEP 517 door, with maturin's way of passing build flags to it."""
    project = copy_example("maturin-workspace", tmp_path / "src")
    _switch_backend(project)
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    out = tmp_path / "wheels"
    _pip(venv, "wheel", "--quiet", "--no-deps", "--find-links", tool_wheelhouse, "-w", out,
         project, env={**os.environ, "MATURIN_PEP517_ARGS": "--features loud"})
    (wheel,) = out.glob("maturin_workspace-*.whl")
    cli, _ = _build(project, tmp_path / "cli")
    assert _members(wheel) == _members(cli)
    assert _metadata(wheel) == _metadata(cli)
    pip_install(venv, wheel)
    assert venv_python(venv, "import maturin_workspace as m; print(m.greet('pip'))") == \
        "HELLO, PIP!"


# -- rust/ and src/ -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The maturin-rustdir example's dependencies, installable without an index."""
    folder = tmp_path_factory.mktemp("deps")
    for name in ("mrd-needed", "mrd-optional"):
        _tiny_wheel(folder, name)
    return folder


def test_rust_folder_and_src_layout_give_maturins_wheel(tmp_path: Path) -> None:
    project = copy_example("maturin-rustdir", tmp_path)
    wheel, _ = _build(project, tmp_path / "ours")  # found: rust/Cargo.toml, src/maturin_rustdir
    assert [m for m in _members(wheel) if m.startswith("maturin_rustdir/")] == sorted([
        "maturin_rustdir/__init__.py", f"maturin_rustdir/_native.cpython-{SUFFIX}",
        "maturin_rustdir/_native.pyi", "maturin_rustdir/py.typed"])
    assert "Requires-Dist: mrd-needed" in _metadata(wheel)
    theirs = maturin_build(project, tmp_path / "maturin")
    assert_same_wheel(wheel, project, theirs, project)


def test_editable_install_takes_the_editable_profile(tmp_path: Path, tool_wheelhouse: Path,
                                                     wheelhouse: Path) -> None:
    project = copy_example("maturin-rustdir", tmp_path / "src")
    _switch_backend(project)
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    _pip(venv, "install", "--quiet", "--find-links", tool_wheelhouse, "--find-links",
         wheelhouse, "-e", project)
    native = project / "src" / "maturin_rustdir" / f"_native.cpython-{SUFFIX}"
    assert native.is_file()  # next to the Python sources, which stay in place
    code = "import maturin_rustdir, mrd_needed; print(maturin_rustdir.debug_build())"
    assert venv_python(venv, code) == "False"  # editable-profile = "release"


def _develop(project: Path, venv: Path, *args: str, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return run_tool("develop", *args, cwd=project,
                    env={**os.environ, "VIRTUAL_ENV": str(venv), **(env or {})})


def test_develop_installs_dependencies_and_extras_first(tmp_path: Path,
                                                        wheelhouse: Path) -> None:
    project = copy_example("maturin-rustdir", tmp_path / "src")
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    log = _develop(project, venv, "-E", "extra", env=offline).stderr
    assert "installing 2 requirement(s)" in log and "mrd-optional" in log
    code = "import maturin_rustdir, mrd_needed, mrd_optional; print(maturin_rustdir.debug_build())"
    assert venv_python(venv, code) == "False"  # editable-profile here too
    _develop(project, venv, "--profile", "dev", env=offline)  # the command line wins
    assert venv_python(venv, "import maturin_rustdir; print(maturin_rustdir.debug_build())") \
        == "True"

    # a virtualenv without pip: uv installs the requirements (also with --uv)
    bare = make_venv(Path(sys.executable), tmp_path / "bare", with_pip=False)
    uv_env = {"UV_OFFLINE": "1", "UV_FIND_LINKS": str(wheelhouse),
              "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    _develop(project, bare, env=uv_env)
    assert venv_python(bare, "import maturin_rustdir, mrd_needed; print('ok')") == "ok"
    assert not (bare / "bin" / "pip").exists()

    # --skip-install: only the native module in the source tree, nothing in the venv
    native = project / "src" / "maturin_rustdir" / f"_native.cpython-{SUFFIX}"
    native.unlink()
    empty = make_venv(Path(sys.executable), tmp_path / "empty", with_pip=False)
    _develop(project, empty, "--skip-install", env=offline)
    assert native.is_file()
    assert not list((empty / "lib").glob("python*/site-packages/maturin_rustdir*"))


# -- implicit namespace packages --------------------------------------------------------------


def test_namespace_packages_give_maturins_wheel(tmp_path: Path) -> None:
    project = copy_example("maturin-namespace", tmp_path)
    assert not (project / "python" / "mns" / "__init__.py").exists()
    wheel, _ = _build(project, tmp_path / "ours")
    stem = "maturin_namespace-0.2.0"
    assert _members(wheel) == sorted([
        "mns/helpers.py", "mns/sub/__init__.py", f"mns/sub/native.cpython-{SUFFIX}",
        f"{stem}.dist-info/METADATA", f"{stem}.dist-info/WHEEL", f"{stem}.dist-info/RECORD",
        f"{stem}.dist-info/entry_points.txt",
        f"{stem}.dist-info/sboms/maturin-namespace.cyclonedx.json"])
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    code = "import mns.sub, mns.helpers; print(mns.sub.answer() - mns.helpers.HALF)"
    assert venv_python(venv, code) == "21"
    said = subprocess.run([venv / "bin" / "mns-answer"], capture_output=True, text=True,
                          check=True)
    assert said.stdout == "42\n"
    theirs = maturin_build(project, tmp_path / "maturin")
    assert_same_wheel(wheel, project, theirs, project)


# -- a path dependency outside the project; license given and dynamic ------------------------


def test_path_dependency_outside_builds_from_its_sdist(tmp_path: Path,
                                                      tool_wheelhouse: Path) -> None:
    """`python -m build` packs the sdist (carrying ../shared) and builds the wheel from it."""
    root = copy_example("maturin-pathdep", tmp_path)
    project = root / "project"
    wheel, log = _build(project, tmp_path / "cli")
    assert "lists it in `dynamic`, which PEP 621 forbids" in log
    metadata = _metadata(wheel)
    assert "License-Expression: MIT" in metadata and "License: Apache-2.0" in metadata
    assert {"maturin_pathdep/__init__.pyi", "maturin_pathdep/py.typed"} <= set(_members(wheel))
    theirs = maturin_build(project, tmp_path / "maturin")
    assert_same_wheel(wheel, project, theirs, project)

    _switch_backend(project)
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", dist, project], capture_output=True,
        text=True, check=False, env={**os.environ, "PIP_FIND_LINKS": str(tool_wheelhouse)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    assert "maturin_pathdep-0.3.0/local/shared/src/lib.rs" in names
    (built,) = dist.glob("*.whl")
    assert _members(built) == _members(wheel)
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, built)
    assert venv_python(venv, "import maturin_pathdep; print(maturin_pathdep.doubled(21))") \
        == "42"


# -- every build setting, in every door -----------------------------------------------------


def _flags(venv: Path) -> str:
    return venv_python(venv, "import maturin_settings as m; print(*m.flags())")


def _stripped(wheel_or_library: Path) -> bool:
    """Whether the (wheel's) native library has no symbol table left."""
    from elftools.elf.elffile import ELFFile

    if wheel_or_library.suffix == ".so":
        data = wheel_or_library.read_bytes()
    else:
        with zipfile.ZipFile(wheel_or_library) as archive:
            data = archive.read(next(n for n in archive.namelist() if n.endswith(".so")))
    return ELFFile(io.BytesIO(data)).get_section_by_name(".symtab") is None


def test_settings_are_honoured_by_every_door(tmp_path: Path, tool_wheelhouse: Path) -> None:
    project = copy_example("maturin-settings", tmp_path / "src")
    with open(project / "pyproject.toml", "a") as pyproject:
        pyproject.write(f'\n[tool.maturin.target."{host_triple()}"]\nstrip = true\n')
    # features (tool table), cargo-extra-args, rustc-args, profile, compatibility, exclude
    cli, _ = _build(project, tmp_path / "cli")
    assert cli.name == f"maturin_settings-0.1.0-{CP}-{CP}-linux_x86_64.whl"
    assert "maturin_settings/_dev_only.py" not in _members(cli)
    assert _stripped(cli)  # the host's target table
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, cli)
    assert _flags(venv) == "True True False True"

    _switch_backend(project)
    out = tmp_path / "pep517"
    _pip(venv, "wheel", "--quiet", "--no-deps", "--find-links", tool_wheelhouse, "-w", out,
         project)
    (backend,) = out.glob("maturin_settings-*.whl")
    assert backend.name == cli.name and _members(backend) == _members(cli)
    assert _stripped(backend)

    editable = make_venv(Path(sys.executable), tmp_path / "editable")
    _pip(editable, "install", "--quiet", "--find-links", tool_wheelhouse, "-e", project)
    assert _flags(editable) == "True True True True"  # editable-profile = "dev"
    (in_tree,) = (project / "python" / "maturin_settings").glob("_native.*.so")
    assert _stripped(in_tree)  # the target table applies to editable builds too

    developed = make_venv(Path(sys.executable), tmp_path / "developed")
    _develop(project, developed)
    assert _flags(developed) == "True True True True"


def test_git_sdist_generator_packs_what_git_tracks(tmp_path: Path) -> None:
    project = copy_example("maturin-settings", tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"cargo"', '"git"'))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "pyproject.toml", "Cargo.toml", "src", "python"], cwd=project,
                   check=True)
    (project / "untracked.txt").write_text("not in git\n")
    run_tool("sdist", "-o", tmp_path / "dist", cwd=project)
    (sdist,) = (tmp_path / "dist").glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = sorted(n.split("/", 1)[1] for n in tar.getnames())
    assert names == ["Cargo.toml", "PKG-INFO", "pyproject.toml",
                     "python/maturin_settings/__init__.py",
                     "python/maturin_settings/_dev_only.py",  # wheel-relative: not excluded
                     "src/lib.rs"]
