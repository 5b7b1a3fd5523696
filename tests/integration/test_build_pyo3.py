"""`pyo3-pack build` on the pyo3 examples, installed into fresh venvs and called."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

PYO3_MINIMUM = (3, 9)  # pyo3 0.30, the version in examples/pyo3-pure/Cargo.lock


@pytest.fixture(scope="module")
def pure_wheels(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], str]:
    work = tmp_path_factory.mktemp("pure")
    crate = copy_example("pyo3-pure", work)
    out = work / "wheels"
    result = run_tool("build", "-o", out, cwd=crate)
    return sorted(out.glob("*.whl")), result.stderr


def test_one_wheel_per_supported_cpython(
    pure_wheels: tuple[list[Path], str], cpythons: dict[tuple[int, int], Path]
) -> None:
    wheels, stderr = pure_wheels
    expected = {f"cp3{minor}" for (_, minor) in cpythons if (3, minor) >= PYO3_MINIMUM}
    built = {w.name.split("-")[2] for w in wheels}
    assert expected <= built
    # the platform tag comes from auditing the binary: a manylinux policy, never plain linux_
    assert all(re.fullmatch(r"pyo3_pure-2\.1\.0b1-cp3\d+-cp3\d+-manylinux_2_\d+_x86_64\.whl",
                            w.name) for w in wheels), [w.name for w in wheels]
    for version in cpythons:
        if version < PYO3_MINIMUM:
            assert re.search(rf"skipping CPython {version[0]}\.{version[1]}\.\d+ .*older than 3\.9",
                             stderr)


def test_every_wheel_installs_and_imports(
    pure_wheels: tuple[list[Path], str],
    cpythons: dict[tuple[int, int], Path],
    tmp_path: Path,
) -> None:
    wheels, _ = pure_wheels
    for wheel in wheels:
        minor = int(wheel.name.split("-")[2][3:])
        venv = make_venv(cpythons[(3, minor)], tmp_path / f"venv{minor}")
        pip_install(venv, wheel)
        out = venv_python(
            venv,
            "import pyo3_pure, sys; c = pyo3_pure.Counter(); c.bump(); "
            "print(pyo3_pure.add(2, 40), c.bump(), c.value, sys.version_info[1])",
        )
        assert out == f"42 2 2 {minor}"
    script = subprocess.run([venv / "bin" / "pyo3-pure-add", "40", "2"],
                            capture_output=True, text=True, check=True)
    assert script.stdout == "42\n"


def test_wheel_contents_and_twine_check(pure_wheels: tuple[list[Path], str]) -> None:
    wheels, _ = pure_wheels
    with zipfile.ZipFile(wheels[0]) as archive:
        names = archive.namelist()
        tag = wheels[0].name.split("-")[2]
        assert names == [
            "pyo3_pure/__init__.py",
            f"pyo3_pure/pyo3_pure.cpython-{tag[2:]}-x86_64-linux-gnu.so",
            "pyo3_pure-2.1.0b1.dist-info/METADATA",
            "pyo3_pure-2.1.0b1.dist-info/WHEEL",
            "pyo3_pure-2.1.0b1.dist-info/entry_points.txt",
            "pyo3_pure-2.1.0b1.dist-info/sboms/pyo3-pure.cyclonedx.json",
            "pyo3_pure-2.1.0b1.dist-info/RECORD",
        ]
        entry_points = archive.read("pyo3_pure-2.1.0b1.dist-info/entry_points.txt").decode()
        metadata = archive.read("pyo3_pure-2.1.0b1.dist-info/METADATA").decode()
    assert entry_points == "[console_scripts]\npyo3-pure-add=pyo3_pure:main\n"
    assert "License: MIT OR Apache-2.0" in metadata  # Cargo's license, as maturin writes it
    assert "Project-URL: Homepage, https://example.org/pyo3-pure" in metadata
    assert "Classifier: Programming Language :: Rust" in metadata
    check = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *wheels],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_interpreters_by_name_and_path(
    cpythons: dict[tuple[int, int], Path], tmp_path: Path
) -> None:
    usable = [v for v in cpythons if v >= PYO3_MINIMUM]
    if len(usable) < 2:
        pytest.skip("needs two CPython versions supported by pyo3, e.g. `pyenv install 3.12`")
    by_name, by_path = usable[0], usable[-1]
    crate = copy_example("pyo3-pure", tmp_path)
    out = tmp_path / "out"
    run_tool("build", "-i", f"python3.{by_name[1]}", "-i", cpythons[by_path], "-o", out, cwd=crate)
    built = sorted(w.name.split("-")[2] for w in out.glob("*.whl"))
    assert built == sorted([f"cp3{by_name[1]}", f"cp3{by_path[1]}"])


def test_abi3_wheel_serves_two_versions(
    cpythons: dict[tuple[int, int], Path], tmp_path: Path
) -> None:
    usable = [v for v in cpythons if v >= (3, 9)]
    if len(usable) < 2:
        pytest.skip("needs two CPython versions >= 3.9, e.g. `pyenv install 3.12`")
    crate = copy_example("pyo3-abi3", tmp_path)
    out = tmp_path / "out"
    run_tool("build", "-o", out, cwd=crate)
    (wheel,) = out.glob("*.whl")
    assert re.fullmatch(r"pyo3_abi3-0\.3\.0-cp39-abi3-manylinux_2_\d+_x86_64\.whl", wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        assert "pyo3_abi3/pyo3_abi3.abi3.so" in archive.namelist()
        metadata = archive.read("pyo3_abi3-0.3.0.dist-info/METADATA").decode()
    assert "Requires-Python: >=3.9" in metadata
    for version in (usable[0], usable[-1]):
        venv = make_venv(cpythons[version], tmp_path / f"venv{version[1]}")
        pip_install(venv, wheel)
        greeting = venv_python(venv, "import pyo3_abi3; print(pyo3_abi3.greet('abi3'))")
        assert greeting == f"hello abi3 from 3.{version[1]}"
