"""Fixtures for tests that build the examples with real cargo.

One cargo target folder serves the whole session (and later sessions on the same machine),
so pyo3 and its dependencies compile once per interpreter ABI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO, SHARED_TARGET

#: The oldest setuptools the setuptools front door supports (and is tested with).
OLDEST = "65.5.0"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session", autouse=True)
def shared_cargo_target() -> Iterator[Path]:
    if shutil.which("cargo") is None:
        pytest.fail("cargo is not on PATH: integration tests need a Rust toolchain")
    previous = os.environ.get("CARGO_TARGET_DIR")
    os.environ["CARGO_TARGET_DIR"] = str(SHARED_TARGET)
    yield SHARED_TARGET
    if previous is None:
        os.environ.pop("CARGO_TARGET_DIR", None)
    else:
        os.environ["CARGO_TARGET_DIR"] = previous


def find_cpythons() -> dict[tuple[int, int], Path]:
    """CPython 3.8+ on this machine, found independently of the tool under test."""
    found: dict[tuple[int, int], Path] = {}
    roots = [Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"]
    candidates = []
    for root in roots:
        if root.is_dir():
            candidates += sorted(root.glob("*/bin/python3.*"))
    for minor in range(8, 20):
        on_path = shutil.which(f"python3.{minor}")
        if on_path and "/shims/" not in on_path:
            candidates.append(Path(on_path))
    for path in candidates:
        match = re.fullmatch(r"python3\.(\d+)", path.name)
        if match and os.access(path, os.X_OK) and int(match.group(1)) >= 8:
            found.setdefault((3, int(match.group(1))), path)
    return dict(sorted(found.items()))


@pytest.fixture(scope="session")
def cpythons() -> dict[tuple[int, int], Path]:
    found = find_cpythons()
    if not found:
        pytest.fail("no CPython 3.8+ found for the integration tests")
    return found


def copy_example(name: str, dest: Path) -> Path:
    target = dest / name
    # plain copies get fresh mtimes: cargo gives every copy of a crate the same fingerprint in
    # the shared target folder, and old mtimes would make it reuse another copy's build
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("target"),
                    copy_function=shutil.copy)
    return target


def run_tool(
    *args: str | os.PathLike[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`python -m setuptools_pyo3pack ARGS` as a user would run it."""
    result = subprocess.run(
        [sys.executable, "-m", "setuptools_pyo3pack", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"pyo3-pack {' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"{result.stderr[-4000:]}"
        )
    return result


def make_venv(python: Path, where: Path, *, with_pip: bool = True) -> Path:
    """A fresh virtualenv made by `python`, with that interpreter's own bundled pip."""
    argv = [str(python), "-m", "venv", str(where)]
    if not with_pip:
        argv.insert(3, "--without-pip")
    subprocess.run(argv, check=True)
    return where


def pip_install(venv: Path, *requirements: str | os.PathLike[str]) -> None:
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "--no-index", "--no-deps", *map(str, requirements)],
        check=True,
    )


def venv_python(venv: Path, code: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code],
        capture_output=True, text=True, check=False, env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="session")
def tool_wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout built as a wheel into a folder, for build-isolated installs.

    Use with `pip install --find-links <wheelhouse>`: pip takes setuptools-pyo3pack from here
    and everything else from the package index.
    """
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
         "--disable-pip-version-check", "-w", str(wheelhouse), str(REPO)],
        check=True,
    )
    return wheelhouse


@dataclass(frozen=True)
class Builder:
    """A venv with setuptools, build and setuptools-pyo3pack, and how to build with it."""

    venv: Path
    setuptools: str
    env: dict[str, str]

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    @property
    def isolated(self) -> bool:
        return self.setuptools != OLDEST

    def run(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([self.python, *map(str, args)], cwd=cwd, env=self.env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n" \
                                       f"{result.stderr[-5000:]}"
        return result

    def pip(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        isolation = [] if self.isolated else ["--no-build-isolation"]
        return self.run("-m", "pip", *args, *isolation, cwd=cwd)


@pytest.fixture(scope="module", params=[OLDEST, "latest"], ids=["setuptools-oldest",
                                                                 "setuptools-latest"])
def builder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            tool_wheelhouse: Path) -> Builder:
    version: str = request.param
    venv = make_venv(Path(sys.executable), tmp_path_factory.mktemp("builder") / "venv")
    env = dict(os.environ, PIP_FIND_LINKS=str(tool_wheelhouse), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    requirement = "setuptools" if version == "latest" else f"setuptools=={version}"
    subprocess.run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--upgrade",
                    requirement, "build", "setuptools-pyo3pack"], env=env, check=True)
    installed = subprocess.run([venv / "bin" / "python", "-c",
                                "import setuptools; print(setuptools.__version__)"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert version == "latest" or installed == version
    return Builder(venv, version, env)
