"""One cargo folder per interpreter ABI, filled from its siblings: a second interpreter's
first build reuses the first one's compiled dependencies, yet never its pyo3, and leaves the
first folder as it was; a build with nothing changed compiles nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python

PYO3_MINIMUM = (3, 9)  # pyo3 0.30, the version in examples/pyo3-pure/Cargo.lock
FileState = dict[str, tuple[int, int, int]]


def _state(folder: Path) -> FileState:
    """Every file's inode, size and mtime: a rewrite in place or a replacement shows."""
    found = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name in (".cargo-lock", ".rustc_info.json"):  # a lock; cargo's `rustc -vV`
                continue  # cache, rewritten when RUSTC_WRAPPER differs from the last build
            path = Path(root, name)
            stat = path.stat()
            found[str(path.relative_to(folder))] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return found


def _crate_names(log: Path) -> set[str]:
    """The crates a RUSTC_WRAPPER saw compiled (`--crate-name X` in each rustc call)."""
    if not log.exists():
        return set()
    names = set()
    for line in log.read_text(encoding="utf-8").splitlines():
        words = line.split()
        names |= {words[i + 1] for i, w in enumerate(words[:-1]) if w == "--crate-name"}
    return names


def _pyo3_config_version(abi_folder: Path) -> set[str]:
    """The Python versions pyo3-ffi's build script configured in one ABI folder."""
    versions = set()
    for output in abi_folder.glob("debug/build/pyo3-ffi-*/output"):
        for line in output.read_text(encoding="utf-8").splitlines():
            if line.startswith("cargo:PYO3_CONFIG="):
                config = bytes.fromhex(line.split("=", 1)[1]).decode()
                versions |= {v.split("=", 1)[1] for v in config.splitlines()
                             if v.startswith("version=")}
    return versions


@pytest.fixture(scope="module")
def two_abis(
    tmp_path_factory: pytest.TempPathFactory, cpythons: dict[tuple[int, int], Path]
) -> dict[str, object]:
    """pyo3-pure built for one CPython, then for another in a new ABI folder, then both again
    with nothing changed; in a target folder of its own, so the second ABI starts empty."""
    usable = [v for v in cpythons if v >= PYO3_MINIMUM]
    if len(usable) < 2:
        pytest.fail("these tests need two CPythons that pyo3 0.30 supports (3.9+)")
    first, second = usable[-2], usable[-1]
    work = tmp_path_factory.mktemp("abis")
    crate = copy_example("pyo3-pure", work)
    env = {**os.environ, "CARGO_TARGET_DIR": str(work / "target")}
    folders = {v: work / "target" / "pyo3-pack" / f"cpython-{v[0]}.{v[1]}"
               for v in (first, second)}
    out = work / "wheels"
    run_tool("build", "-i", cpythons[first], "-o", out, cwd=crate, env=env)
    before = _state(folders[first])
    # a compiler wrapper (as sccache is used) is handed to cargo, and logs what is compiled
    wrapper, compiled = work / "wrapper.sh", work / "compiled.log"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {compiled}\nexec "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    seeded = run_tool("build", "-i", cpythons[second], "-o", out, cwd=crate,
                      env={**env, "RUSTC_WRAPPER": str(wrapper)})
    after_seeding = _state(folders[first])
    states = {v: _state(folders[v]) for v in folders}
    noop = run_tool("build", "-i", cpythons[first], "-i", cpythons[second], "-o", out,
                    cwd=crate, env=env)
    return {"first": first, "second": second, "folders": folders, "out": out,
            "before": before, "after_seeding": after_seeding, "seeded": seeded.stderr,
            "compiled": _crate_names(compiled),
            "states": states, "after_noop": {v: _state(folders[v]) for v in folders},
            "noop": noop.stderr}


def test_second_abi_reuses_dependencies_but_not_pyo3(two_abis: dict[str, object]) -> None:
    first, second = two_abis["first"], two_abis["second"]
    assert isinstance(first, tuple) and isinstance(second, tuple)
    stderr = str(two_abis["seeded"])
    assert f"compiled units from cpython-{first[0]}.{first[1]}" in stderr, stderr
    # the dependencies that do not ask the interpreter came in; pyo3-ffi and pyo3 were
    # compiled again, for this interpreter (rustc called through the user's RUSTC_WRAPPER)
    compiled = two_abis["compiled"]
    assert isinstance(compiled, set)
    assert {"pyo3_ffi", "pyo3", "pyo3_pure"} <= compiled, compiled
    assert not compiled & {"syn", "pyo3_build_config", "pyo3_macros_backend", "libc"}, compiled
    folders = two_abis["folders"]
    assert isinstance(folders, dict)
    for version in (first, second):
        assert _pyo3_config_version(folders[version]) == {f"{version[0]}.{version[1]}"}


def test_first_abi_folder_untouched_by_the_second(two_abis: dict[str, object]) -> None:
    before, after = two_abis["before"], two_abis["after_seeding"]
    assert isinstance(before, dict) and isinstance(after, dict)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []
    # and the compiled dependencies are shared, not copied
    folders, first, second = two_abis["folders"], two_abis["first"], two_abis["second"]
    assert isinstance(folders, dict)
    rlibs = sorted(folders[second].glob("debug/deps/libsyn-*.rlib"))
    assert rlibs, "syn was not brought in"
    original = folders[first] / rlibs[0].relative_to(folders[second])
    assert rlibs[0].stat().st_ino == original.stat().st_ino


def test_each_wheel_imports_in_its_own_venv(
    two_abis: dict[str, object], cpythons: dict[tuple[int, int], Path], tmp_path: Path
) -> None:
    out = two_abis["out"]
    assert isinstance(out, Path)
    for version in (two_abis["first"], two_abis["second"]):
        assert isinstance(version, tuple)
        (wheel,) = out.glob(f"pyo3_pure-*-cp3{version[1]}-*.whl")
        venv = make_venv(cpythons[version], tmp_path / f"venv{version[1]}")
        pip_install(venv, wheel)
        result = venv_python(venv, "import pyo3_pure, sys; "
                                   "print(pyo3_pure.add(2, 40), sys.version_info[1])")
        assert result == f"42 {version[1]}"


def test_nothing_changed_compiles_nothing(two_abis: dict[str, object]) -> None:
    stderr = str(two_abis["noop"])
    assert "Compiling" not in stderr and "compiled units from" not in stderr, stderr
    assert stderr.count("unchanged ") == 2, stderr
    assert two_abis["after_noop"] == two_abis["states"]
