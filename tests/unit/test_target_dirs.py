"""Sharing compiled units between interpreter ABI folders, on a fake cargo layout."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import target_dirs
from setuptools_pyo3pack.compile.target_dirs import fill_from_siblings, profile_folders

SERDE_LIB, SERDE_SCRIPT, SERDE_RUN = "a" * 16, "b" * 16, "c" * 16
FFI_LIB, FFI_RUN = "d" * 16, "e" * 16
OLD = 1_600_000_000_000_000_000  # a fixed mtime, in ns


def _file(path: Path, text: str = "x", *, executable: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(OLD, OLD))
    if executable:
        path.chmod(0o755)
    return path


def _abi_folder(target: Path, name: str) -> Path:
    """A profile folder as cargo leaves it after building serde and pyo3-ffi."""
    profile = target / "pyo3-pack" / name / "release"
    _file(profile / ".fingerprint" / f"serde-{SERDE_LIB}" / "lib-serde", "fp")
    _file(profile / ".fingerprint" / f"serde-{SERDE_LIB}" / "lib-serde.json", "{}")
    _file(profile / "deps" / f"libserde-{SERDE_LIB}.rlib", "rlib")
    _file(profile / "deps" / f"libserde-{SERDE_LIB}.rmeta", "rmeta")
    _file(profile / "deps" / f"serde-{SERDE_LIB}.d", "dep-info")
    _file(profile / ".fingerprint" / f"serde-{SERDE_SCRIPT}" / "build-script-build-script-build")
    _file(profile / "build" / f"serde-{SERDE_SCRIPT}" / "build-script-build", executable=True)
    _file(profile / "build" / f"serde-{SERDE_SCRIPT}" / f"build_script_build-{SERDE_SCRIPT}.d")
    _file(profile / ".fingerprint" / f"serde-{SERDE_RUN}" / "run-build-script-build-script-build")
    _file(profile / "build" / f"serde-{SERDE_RUN}" / "output", "cargo:rustc-cfg=x")
    _file(profile / "build" / f"serde-{SERDE_RUN}" / "out" / "private.rs", "mod x;")
    _file(profile / ".fingerprint" / f"pyo3-ffi-{FFI_LIB}" / "lib-pyo3_ffi", "fp")
    _file(profile / "deps" / f"libpyo3_ffi-{FFI_LIB}.rlib", f"ffi for {name}")
    _file(profile / ".fingerprint" / f"pyo3-ffi-{FFI_RUN}" / "run-build-script-build-script-build")
    _file(profile / "build" / f"pyo3-ffi-{FFI_RUN}" / "output", f"config of {name}")
    _file(profile / "deps" / "libmy_module.so", "the crate itself", executable=True)
    _file(profile / "incremental" / "my_module-1" / "s-1" / "dep-graph.bin")
    return profile


@pytest.fixture()
def target(tmp_path: Path) -> Path:
    _abi_folder(tmp_path, "cpython-3.12")
    return tmp_path


def test_profile_folders() -> None:
    assert profile_folders("dev", None) == ["debug"]
    assert profile_folders("release", None) == ["release"]
    assert profile_folders("dist", None) == ["dist"]
    assert profile_folders("release", "aarch64-unknown-linux-gnu") == [
        "release", "aarch64-unknown-linux-gnu/release"]


def test_artifacts_linked_state_copied(target: Path) -> None:
    new = target / "pyo3-pack" / "cpython-3.13"
    assert fill_from_siblings(new, ["release"]) == {"cpython-3.12": 4}
    source, dest = target / "pyo3-pack" / "cpython-3.12" / "release", new / "release"
    linked = [f"deps/libserde-{SERDE_LIB}.rlib", f"deps/libserde-{SERDE_LIB}.rmeta",
              f"build/serde-{SERDE_SCRIPT}/build-script-build", f"deps/libpyo3_ffi-{FFI_LIB}.rlib"]
    for name in linked:
        assert (dest / name).stat().st_ino == (source / name).stat().st_ino, name
    copied = [f".fingerprint/serde-{SERDE_LIB}/lib-serde", f"deps/serde-{SERDE_LIB}.d",
              f"build/serde-{SERDE_SCRIPT}/build_script_build-{SERDE_SCRIPT}.d",
              f"build/serde-{SERDE_RUN}/output", f"build/serde-{SERDE_RUN}/out/private.rs"]
    for name in copied:
        assert (dest / name).stat().st_ino != (source / name).stat().st_ino, name
        assert (dest / name).read_bytes() == (source / name).read_bytes()
        assert (dest / name).stat().st_mtime_ns == OLD  # cargo judges freshness by mtimes
    # a rewrite in place here (cargo writing a fingerprint) leaves the sibling alone
    (dest / f".fingerprint/serde-{SERDE_LIB}/lib-serde").write_text("new", encoding="utf-8")
    assert (source / f".fingerprint/serde-{SERDE_LIB}/lib-serde").read_text() == "fp"


def test_interpreter_config_runs_and_the_crate_stay_behind(target: Path) -> None:
    new = target / "pyo3-pack" / "cpython-3.13"
    fill_from_siblings(new, ["release"])
    dest = new / "release"
    # cargo must run pyo3-ffi's build script again, for this interpreter
    assert not (dest / ".fingerprint" / f"pyo3-ffi-{FFI_RUN}").exists()
    assert not (dest / "build" / f"pyo3-ffi-{FFI_RUN}").exists()
    assert not (dest / "deps" / "libmy_module.so").exists()
    assert not (dest / "incremental").exists()


def test_nothing_here_is_ever_replaced(target: Path) -> None:
    new = target / "pyo3-pack" / "cpython-3.13"
    mine = _file(new / "release" / "deps" / f"libserde-{SERDE_LIB}.rlib", "my own serde")
    assert fill_from_siblings(new, ["release"]) == {"cpython-3.12": 3}
    assert mine.read_text() == "my own serde"
    # a unit this folder knows anything of is left to cargo: no fingerprint came for it
    assert not (new / "release" / ".fingerprint" / f"serde-{SERDE_LIB}").exists()


def test_second_fill_is_a_no_op(target: Path) -> None:
    new = target / "pyo3-pack" / "cpython-3.13"
    fill_from_siblings(new, ["release"])
    assert fill_from_siblings(new, ["release"]) == {}
    # and the first folder takes back nothing of the second's
    assert fill_from_siblings(target / "pyo3-pack" / "cpython-3.12", ["release"]) == {}


def test_newest_sibling_first_and_other_profiles_untouched(target: Path) -> None:
    newer = _abi_folder(target, "cpython-3.11")
    os.utime(newer / "deps", ns=(OLD + 10**9, OLD + 10**9))
    older = target / "pyo3-pack" / "cpython-3.12" / "release" / "deps"
    os.utime(older, ns=(OLD, OLD))
    new = target / "pyo3-pack" / "cpython-3.13"
    assert fill_from_siblings(new, ["release"]) == {"cpython-3.11": 4}
    assert fill_from_siblings(new, ["debug"]) == {}
    assert not (new / "debug").exists()


def test_busy_folders_are_left_alone(target: Path) -> None:
    new = target / "pyo3-pack" / "cpython-3.13"
    source = target / "pyo3-pack" / "cpython-3.12" / "release"
    fd = os.open(source / target_dirs.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # cargo building in the sibling
        assert fill_from_siblings(new, ["release"]) == {}
    finally:
        os.close(fd)
    (new / "release").mkdir(parents=True, exist_ok=True)
    fd = os.open(new / "release" / target_dirs.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # cargo building here
        assert fill_from_siblings(new, ["release"]) == {}
    finally:
        os.close(fd)
    assert fill_from_siblings(new, ["release"]) == {"cpython-3.12": 4}


def test_stamps_and_other_folders_are_no_siblings(target: Path) -> None:
    _file(target / "pyo3-pack" / "stamps" / "release" / ".fingerprint" / f"x-{'f' * 16}" / "a")
    new = target / "pyo3-pack" / "cpython-3.13"
    assert fill_from_siblings(new, ["release"]) == {"cpython-3.12": 4}
    assert not (new / "release" / ".fingerprint" / f"x-{'f' * 16}").exists()


def test_build_script_runs_of_the_packed_crate_stay_behind(target: Path) -> None:
    """Its build script may ask the interpreter (pyo3-build-config's cfgs): it runs again."""
    profile = target / "pyo3-pack" / "cpython-3.12" / "release"
    run = f"my-crate-{'f' * 16}"
    _file(profile / ".fingerprint" / run / "run-build-script-build-script-build")
    _file(profile / "build" / run / "output", "cargo:rustc-cfg=Py_3_12")
    new = target / "pyo3-pack" / "cpython-3.13"
    assert fill_from_siblings(new, ["release"], rerun=["my-crate"]) == {"cpython-3.12": 4}
    assert not (new / "release" / "build" / run).exists()
    other = target / "pyo3-pack" / "cpython-3.11"  # the others came from 3.13, this from 3.12
    assert fill_from_siblings(other, ["release"])["cpython-3.12"] >= 1
    assert (other / "release" / "build" / run / "output").exists()
