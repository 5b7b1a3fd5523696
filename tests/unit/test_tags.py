"""Wheel tags and file names must match what pip (packaging.tags) accepts."""

from __future__ import annotations

import sys

import pytest
from packaging.tags import Tag, sys_tags
from packaging.utils import parse_wheel_filename
from packaging.version import Version

from setuptools_pyo3pack.compile import interpreters
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.platforms import tags
from setuptools_pyo3pack.platforms.registry import platform_for
from setuptools_pyo3pack.platforms.tags import WheelTag

from .helpers import make_interpreter


@pytest.mark.parametrize(
    ("version", "abiflags", "free_threaded", "expected"),
    [
        ((3, 8, 20), "", False, "cp38-cp38-linux_x86_64"),
        ((3, 9, 19), "", False, "cp39-cp39-linux_x86_64"),
        ((3, 10, 14), "", False, "cp310-cp310-linux_x86_64"),
        ((3, 11, 9), "", False, "cp311-cp311-linux_x86_64"),
        ((3, 12, 4), "", False, "cp312-cp312-linux_x86_64"),
        ((3, 13, 0), "", False, "cp313-cp313-linux_x86_64"),
        ((3, 13, 0), "t", True, "cp313-cp313t-linux_x86_64"),
        ((3, 13, 0), "td", True, "cp313-cp313td-linux_x86_64"),
        ((3, 12, 4), "d", False, "cp312-cp312d-linux_x86_64"),
        ((3, 7, 17), "m", False, "cp37-cp37m-linux_x86_64"),
        ((3, 7, 17), "dm", False, "cp37-cp37dm-linux_x86_64"),
        ((3, 6, 15), "m", False, "cp36-cp36m-linux_x86_64"),
    ],
)
def test_cpython_interpreter_tag(
    version: tuple[int, int, int], abiflags: str, free_threaded: bool, expected: str
) -> None:
    interpreter = make_interpreter(
        "cpython", version, abiflags=abiflags, free_threaded=free_threaded
    )
    assert str(tags.interpreter_tag(interpreter, "linux_x86_64")) == expected


def test_m_flag_is_ignored_from_3_8_on() -> None:
    # 3.8 dropped the pymalloc flag; a stray "m" must not leak into the ABI tag
    interpreter = make_interpreter("cpython", (3, 8, 0), abiflags="m")
    assert tags.interpreter_tag(interpreter, "linux_x86_64").abi == "cp38"


@pytest.mark.parametrize(
    ("version", "soabi", "expected"),
    [
        ((3, 9, 18), "pypy39-pp73-x86_64-linux-gnu", "pp39-pypy39_pp73-linux_x86_64"),
        ((3, 10, 14), "pypy310-pp73-x86_64-linux-gnu", "pp310-pypy310_pp73-linux_x86_64"),
        ((3, 11, 11), "pypy311-pp73-x86_64-linux-gnu", "pp311-pypy311_pp73-linux_x86_64"),
    ],
)
def test_pypy_interpreter_tag(version: tuple[int, int, int], soabi: str, expected: str) -> None:
    interpreter = make_interpreter("pypy", version, soabi=soabi)
    assert str(tags.interpreter_tag(interpreter, "linux_x86_64")) == expected


def test_pypy_with_unexpected_soabi_is_an_error_naming_it() -> None:
    interpreter = make_interpreter("pypy", (3, 10, 14), soabi="pypy310")
    with pytest.raises(ValueError, match="pypy310"):
        tags.interpreter_tag(interpreter, "linux_x86_64")


def test_graalpy_interpreter_tag_matches_packaging() -> None:
    interpreter = make_interpreter(
        "graalpy", (3, 11, 7), soabi="graalpy242-311-native-x86_64-linux"
    )
    tag = tags.interpreter_tag(interpreter, "linux_x86_64")
    # packaging.tags: interpreter_name() + version, _generic_abi() keeps three SOABI parts
    assert str(tag) == "graalpy311-graalpy242_311_native-linux_x86_64"


def test_abi3_tag() -> None:
    assert str(tags.abi3_tag((3, 9), "linux_x86_64")) == "cp39-abi3-linux_x86_64"
    assert str(tags.abi3_tag((3, 12), "linux_aarch64")) == "cp312-abi3-linux_aarch64"


def test_universal_tag() -> None:
    assert str(tags.universal_tag("linux_x86_64")) == "py3-none-linux_x86_64"


@pytest.mark.parametrize(
    ("sysconfig_platform", "expected"),
    [
        ("linux-x86_64", "linux_x86_64"),
        ("linux-aarch64", "linux_aarch64"),
        ("macosx-11.0-arm64", "macosx_11_0_arm64"),
        ("linux-i686", "linux_i686"),
    ],
)
def test_platform_tag(sysconfig_platform: str, expected: str) -> None:
    assert tags.platform_tag(sysconfig_platform) == expected


@pytest.mark.parametrize(
    ("triple", "expected"),
    [
        ("x86_64-unknown-linux-gnu", "linux_x86_64"),
        ("x86_64-unknown-linux-musl", "linux_x86_64"),
        ("aarch64-unknown-linux-gnu", "linux_aarch64"),
        ("armv7-unknown-linux-gnueabihf", "linux_armv7l"),
        ("i686-unknown-linux-gnu", "linux_i686"),
        ("powerpc64le-unknown-linux-gnu", "linux_ppc64le"),
        ("s390x-unknown-linux-gnu", "linux_s390x"),
        ("riscv64gc-unknown-linux-gnu", "linux_riscv64"),
    ],
)
def test_platform_tag_for_target(triple: str, expected: str) -> None:
    assert platform_for(triple).platform_tag() == expected


@pytest.mark.parametrize(
    "triple", ["wasm32-unknown-unknown", "x86_64-unknown-freebsd", "aarch64-linux-android"]
)
def test_platform_tag_for_unknown_target_raises(triple: str) -> None:
    with pytest.raises(ConfigError, match=triple):
        platform_for(triple)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pyo3-pure", "pyo3_pure"),
        ("Hello_World", "hello_world"),
        ("a.b-c_d", "a_b_c_d"),
        ("Foo--__..Bar", "foo_bar"),
        ("already_normal", "already_normal"),
    ],
)
def test_normalize_dist_name(name: str, expected: str) -> None:
    assert tags.normalize_dist_name(name) == expected


def test_wheel_tag_expanded_lists_every_combination() -> None:
    tag = WheelTag("cp39.cp310", "abi3", "manylinux_2_17_x86_64.manylinux2014_x86_64")
    assert tag.expanded() == [
        Tag("cp39", "abi3", "manylinux_2_17_x86_64"),
        Tag("cp39", "abi3", "manylinux2014_x86_64"),
        Tag("cp310", "abi3", "manylinux_2_17_x86_64"),
        Tag("cp310", "abi3", "manylinux2014_x86_64"),
    ]


@pytest.mark.parametrize(
    ("name", "version", "tag", "expected"),
    [
        (
            "pyo3-pure",
            "2.1.0b1",
            WheelTag("cp312", "cp312", "linux_x86_64"),
            "pyo3_pure-2.1.0b1-cp312-cp312-linux_x86_64.whl",
        ),
        (
            "Pyo3.ABI3",
            "0.3.0",
            WheelTag("cp39", "abi3", "linux_x86_64"),
            "pyo3_abi3-0.3.0-cp39-abi3-linux_x86_64.whl",
        ),
        (
            "hello-bin",
            "1.0.0+build.5",
            WheelTag("py3", "none", "manylinux_2_17_x86_64.manylinux2014_x86_64"),
            "hello_bin-1.0.0+build.5-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        ),
    ],
)
def test_wheel_filename_round_trips_through_packaging(
    name: str, version: str, tag: WheelTag, expected: str
) -> None:
    filename = tags.wheel_filename(name, version, tag)
    assert filename == expected
    parsed_name, parsed_version, build, parsed_tags = parse_wheel_filename(filename)
    assert parsed_name == tags.normalize_dist_name(name).replace("_", "-")
    assert parsed_version == Version(version)
    assert build == ()
    assert parsed_tags == frozenset(tag.expanded())


def test_running_interpreter_tag_is_one_pip_accepts() -> None:
    interpreter = interpreters.probe_one(sys.executable)
    tag = tags.interpreter_tag(interpreter, tags.platform_tag(interpreter.platform))
    assert set(tag.expanded()) <= set(sys_tags())


def test_abi3_tag_for_running_interpreter_is_one_pip_accepts() -> None:
    interpreter = interpreters.probe_one(sys.executable)
    if interpreter.implementation != "cpython" or interpreter.free_threaded:
        pytest.skip("abi3 wheels only install on GIL CPython")
    platform = tags.platform_tag(interpreter.platform)
    accepted = set(sys_tags())
    for minor in range(2, interpreter.minor_version[1] + 1):
        assert Tag(f"cp3{minor}", "abi3", platform) in accepted
    too_new = tags.abi3_tag((3, interpreter.minor_version[1] + 1), platform)
    assert not set(too_new.expanded()) & accepted
