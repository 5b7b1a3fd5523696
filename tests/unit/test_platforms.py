"""Every platform's rules from recorded sysconfig data: triples, tags, module names, suffixes."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.tags import Tag
from packaging.utils import parse_wheel_filename

from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.platforms import recorded, tags
from setuptools_pyo3pack.platforms.macos import MacOSPlatform
from setuptools_pyo3pack.platforms.registry import platform_for
from setuptools_pyo3pack.platforms.target import Architecture, OperatingSystem, Target

TRIPLES = [
    "x86_64-unknown-linux-gnu", "x86_64-unknown-linux-musl", "aarch64-unknown-linux-gnu",
    "aarch64-unknown-linux-musl", "armv7-unknown-linux-gnueabihf", "i686-unknown-linux-gnu",
    "powerpc64le-unknown-linux-gnu", "s390x-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu",
    "x86_64-pc-windows-msvc", "x86_64-pc-windows-gnu", "i686-pc-windows-msvc",
    "aarch64-pc-windows-msvc", "x86_64-apple-darwin", "aarch64-apple-darwin",
    "universal2-apple-darwin",
]


@pytest.mark.parametrize(
    ("triple", "arch", "system", "libc", "bits"),
    [
        ("x86_64-unknown-linux-gnu", Architecture.X86_64, OperatingSystem.LINUX, "glibc", 64),
        ("x86_64-unknown-linux-musl", Architecture.X86_64, OperatingSystem.LINUX, "musl", 64),
        ("armv7-unknown-linux-musleabihf", Architecture.ARMV7L, OperatingSystem.LINUX, "musl",
         32),
        ("i686-unknown-linux-gnu", Architecture.I686, OperatingSystem.LINUX, "glibc", 32),
        ("x86_64-pc-windows-gnu", Architecture.X86_64, OperatingSystem.WINDOWS, None, 64),
        ("i686-pc-windows-msvc", Architecture.I686, OperatingSystem.WINDOWS, None, 32),
        ("aarch64-pc-windows-msvc", Architecture.AARCH64, OperatingSystem.WINDOWS, None, 64),
        ("aarch64-apple-darwin", Architecture.AARCH64, OperatingSystem.MACOS, None, 64),
        ("universal2-apple-darwin", Architecture.UNIVERSAL2, OperatingSystem.MACOS, None, 64),
    ],
)
def test_triples(triple: str, arch: Architecture, system: OperatingSystem, libc: str | None,
                 bits: int) -> None:
    target = Target.from_triple(triple)
    assert (target.arch, target.os, target.libc, target.pointer_bits) == (arch, system, libc,
                                                                          bits)


def test_universal2_is_built_as_two_triples() -> None:
    assert Target.from_triple("universal2-apple-darwin").cargo_triples == (
        "x86_64-apple-darwin", "aarch64-apple-darwin")
    assert Target.from_triple("aarch64-apple-darwin").cargo_triples == ("aarch64-apple-darwin",)
    with pytest.raises(ConfigError, match="universal2-apple-darwin"):
        Target.from_triple("universal2-unknown-linux-gnu")


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("win-amd64", (Architecture.X86_64, OperatingSystem.WINDOWS)),
     ("win32", (Architecture.I686, OperatingSystem.WINDOWS)),
     ("win-arm64", (Architecture.AARCH64, OperatingSystem.WINDOWS)),
     ("macosx-11.0-arm64", (Architecture.AARCH64, OperatingSystem.MACOS)),
     ("linux-armv7l", (Architecture.ARMV7L, OperatingSystem.LINUX))],
)
def test_targets_from_sysconfig_platforms(platform: str,
                                          expected: tuple[Architecture, OperatingSystem]) -> None:
    target = Target.from_sysconfig(platform)
    assert (target.arch, target.os) == expected


def test_cross_means_another_system_machine_or_libc() -> None:
    host = Target(None, Architecture.X86_64, OperatingSystem.LINUX, "gnu")
    assert Target.from_triple("x86_64-unknown-linux-gnu").runs_on(host)
    for other in ("x86_64-unknown-linux-musl", "aarch64-unknown-linux-gnu",
                  "x86_64-pc-windows-gnu", "x86_64-apple-darwin"):
        assert not Target.from_triple(other).runs_on(host), other


@pytest.mark.parametrize(
    ("triple", "expected"),
    [
        ("x86_64-pc-windows-msvc", "win_amd64"),
        ("x86_64-pc-windows-gnu", "win_amd64"),
        ("i686-pc-windows-msvc", "win32"),
        ("aarch64-pc-windows-msvc", "win_arm64"),
        ("x86_64-apple-darwin", "macosx_10_12_x86_64"),
        ("aarch64-apple-darwin", "macosx_11_0_arm64"),
        ("universal2-apple-darwin",
         "macosx_10_12_x86_64.macosx_11_0_arm64.macosx_10_12_universal2"),
    ],
)
def test_platform_tags_without_a_deployment_target(
        triple: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MACOSX_DEPLOYMENT_TARGET", raising=False)
    assert platform_for(triple).platform_tag() == expected


@pytest.mark.parametrize(
    ("deployment", "triple", "expected"),
    [
        ("10.15", "x86_64-apple-darwin", "macosx_10_15_x86_64"),
        ("10.15", "aarch64-apple-darwin", "macosx_11_0_arm64"),  # no arm64 Mac runs 10.15
        ("10.15", "universal2-apple-darwin",
         "macosx_10_15_x86_64.macosx_11_0_arm64.macosx_10_15_universal2"),
        ("12.3", "aarch64-apple-darwin", "macosx_12_0_arm64"),  # installers know X_0 only
        ("13", "universal2-apple-darwin",
         "macosx_13_0_x86_64.macosx_13_0_arm64.macosx_13_0_universal2"),
    ],
)
def test_macos_tags_follow_the_deployment_target(deployment: str, triple: str, expected: str
                                                 ) -> None:
    target = Target.from_triple(triple)
    platform = MacOSPlatform(target, {"MACOSX_DEPLOYMENT_TARGET": deployment})
    assert platform.platform_tag() == expected


def test_universal2_tags_install_on_both_machines() -> None:
    """pip on an arm64 Mac (11.0) and on an old Intel Mac (10.12) both accept the wheel."""
    from packaging.tags import mac_platforms

    tag = platform_for("universal2-apple-darwin").platform_tag().split(".")
    assert set(tag) & set(mac_platforms((11, 0), "arm64"))
    assert set(tag) & set(mac_platforms((10, 12), "x86_64"))
    assert not set(tag) & set(mac_platforms((10, 11), "x86_64"))


def test_a_bad_deployment_target_names_the_variable() -> None:
    platform = MacOSPlatform(Target.from_triple("x86_64-apple-darwin"),
                             {"MACOSX_DEPLOYMENT_TARGET": "ventura"})
    with pytest.raises(ConfigError, match="MACOSX_DEPLOYMENT_TARGET is `ventura`"):
        platform.platform_tag()


def test_macos_builds_get_the_deployment_target_they_are_tagged_with() -> None:
    platform = MacOSPlatform(Target.from_triple("aarch64-apple-darwin"), {})
    assert platform.build_environment({}) == {"MACOSX_DEPLOYMENT_TARGET": "11.0"}
    assert platform.build_environment({"MACOSX_DEPLOYMENT_TARGET": "12.0"}) == {}
    assert platform.extension_link_args() == (
        "-C", "link-arg=-undefined", "-C", "link-arg=dynamic_lookup")


def test_musl_libraries_are_built_without_static_crt() -> None:
    assert platform_for("x86_64-unknown-linux-musl").library_rustflags() == (
        "-C", "target-feature=-crt-static")
    assert platform_for("x86_64-unknown-linux-gnu").library_rustflags() == ()


# --- names and suffixes for every platform, from the recorded sysconfig values ---------------

@pytest.mark.parametrize(
    ("triple", "version", "free_threaded", "filename", "tag"),
    [
        ("x86_64-pc-windows-gnu", (3, 12), False, "m.cp312-win_amd64.pyd",
         "cp312-cp312-win_amd64"),
        ("i686-pc-windows-msvc", (3, 13), True, "m.cp313t-win32.pyd", "cp313-cp313t-win32"),
        ("aarch64-pc-windows-msvc", (3, 11), False, "m.cp311-win_arm64.pyd",
         "cp311-cp311-win_arm64"),
        ("aarch64-apple-darwin", (3, 12), False, "m.cpython-312-darwin.so",
         "cp312-cp312-macosx_11_0_arm64"),
        ("universal2-apple-darwin", (3, 14), True, "m.cpython-314t-darwin.so",
         "cp314-cp314t-macosx_10_12_x86_64.macosx_11_0_arm64.macosx_10_12_universal2"),
        ("x86_64-unknown-linux-musl", (3, 12), False, "m.cpython-312-x86_64-linux-musl.so",
         "cp312-cp312-linux_x86_64"),
        ("aarch64-unknown-linux-gnu", (3, 9), False, "m.cpython-39-aarch64-linux-gnu.so",
         "cp39-cp39-linux_aarch64"),
        ("armv7-unknown-linux-gnueabihf", (3, 10), False,
         "m.cpython-310-arm-linux-gnueabihf.so", "cp310-cp310-linux_armv7l"),
        ("powerpc64le-unknown-linux-gnu", (3, 11), False,
         "m.cpython-311-powerpc64le-linux-gnu.so", "cp311-cp311-linux_ppc64le"),
        ("s390x-unknown-linux-gnu", (3, 13), False, "m.cpython-313-s390x-linux-gnu.so",
         "cp313-cp313-linux_s390x"),
        ("i686-unknown-linux-gnu", (3, 8), False, "m.cpython-38-i386-linux-gnu.so",
         "cp38-cp38-linux_i686"),
    ],
)
def test_recorded_extension_names_and_tags(
        triple: str, version: tuple[int, int], free_threaded: bool, filename: str, tag: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MACOSX_DEPLOYMENT_TARGET", raising=False)
    platform = platform_for(triple)
    interpreter = recorded.recorded_interpreter(platform.target, "cpython", version,
                                                free_threaded)
    assert interpreter is not None and interpreter.recorded
    assert platform.extension_filename("m", interpreter.ext_suffix, abi3=False) == filename
    assert str(tags.interpreter_tag(interpreter, platform.platform_tag())) == tag


@pytest.mark.parametrize(
    ("triple", "abi3_name", "executable"),
    [("x86_64-pc-windows-gnu", "m.pyd", "hello.exe"),
     ("aarch64-pc-windows-msvc", "m.pyd", "hello.exe"),
     ("aarch64-apple-darwin", "m.abi3.so", "hello"),
     ("universal2-apple-darwin", "m.abi3.so", "hello"),
     ("x86_64-unknown-linux-musl", "m.abi3.so", "hello")],
)
def test_abi3_module_and_binary_names(triple: str, abi3_name: str, executable: str) -> None:
    platform = platform_for(triple)
    assert platform.extension_filename("m", ".ignored", abi3=True) == abi3_name
    assert platform.executable_name("hello") == executable


@pytest.mark.parametrize("triple", TRIPLES)
def test_every_platform_has_recorded_cpythons_whose_tags_installers_accept(
        triple: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MACOSX_DEPLOYMENT_TARGET", raising=False)
    platform = platform_for(triple)
    found = recorded.recorded_interpreters(platform.target)
    versions = {(i.minor_version, i.free_threaded) for i in found}
    assert {((3, minor), False) for minor in range(8, 15)} <= versions
    assert {((3, 13), True), ((3, 14), True)} <= versions
    for interpreter in found:
        assert interpreter.pointer_bits == platform.target.pointer_bits
        name = platform.extension_filename("m", interpreter.ext_suffix, abi3=False)
        assert name.endswith(".pyd" if platform.target.os is OperatingSystem.WINDOWS
                             else ".so"), name
        major, minor = interpreter.minor_version
        thread = "t" if interpreter.free_threaded else ""
        assert f"{major}{minor}{thread}-" in name  # the suffix names version and ABI
        tag = tags.interpreter_tag(interpreter, platform.platform_tag())
        wheel = tags.wheel_filename("demo", "1.0", tag)
        _, _, _, parsed = parse_wheel_filename(wheel)
        assert Tag(f"cp{major}{minor}", f"cp{major}{minor}{thread}",
                   platform.platform_tag().split(".")[0]) in parsed


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("3.12", ("cpython", (3, 12), False)), ("3.13t", ("cpython", (3, 13), True)),
     ("cp312", ("cpython", (3, 12), False)), ("cp313t", ("cpython", (3, 13), True)),
     ("python3.12", ("cpython", (3, 12), False)), ("pypy3.10", ("pypy", (3, 10), False)),
     ("pp310", ("pypy", (3, 10), False)), ("python", None), ("/usr/bin/python3", None),
     ("cp3.12", None)],
)
def test_version_specs(spec: str, expected: tuple[str, tuple[int, int], bool] | None) -> None:
    assert recorded.parse_version_spec(spec) == expected


def test_recorded_data_ships_with_the_package() -> None:
    files = sorted(p.name for p in recorded.DATA.glob("*.json"))
    for triple in TRIPLES:
        assert recorded.data_file(Target.from_triple(triple)).name in files
    assert "sysconfig/*.json" in (Path(__file__).parents[2] / "setup.cfg").read_text()


@pytest.mark.parametrize(
    ("triple", "artifacts", "library"),
    [("x86_64-pc-windows-gnu", ["cffi_pure.dll", "libcffi_pure.dll.a"], "cffi_pure.dll"),
     ("x86_64-pc-windows-msvc", ["cffi_pure.dll", "cffi_pure.dll.lib", "cffi_pure.pdb"],
      "cffi_pure.dll"),
     ("aarch64-apple-darwin", ["libcffi_pure.dylib", "libcffi_pure.rlib"], "libcffi_pure.dylib")],
)
def test_cffi_library_of_each_platform(tmp_path: Path, triple: str, artifacts: list[str],
                                       library: str) -> None:
    from setuptools_pyo3pack.config.settings import Binding
    from setuptools_pyo3pack.project.layout import PythonLayout
    from setuptools_pyo3pack.wheel import layout

    members = layout.native_members(
        Binding.CFFI,
        layout=PythonLayout(project_root=tmp_path, python_root=tmp_path,
                            module_name="cffi_pure", mixed=False),
        data_dir="cffi_pure-0.1.0.data", artifacts=[tmp_path / a for a in artifacts],
        interpreter=None, abi3=False, platform=platform_for(triple), ffi_source="# ffi\n")
    names = sorted(m.archive_name for m in members)
    assert names == sorted(["cffi_pure/__init__.py", "cffi_pure/ffi.py",
                            f"cffi_pure/{library}"])
    loader = next(m for m in members if m.archive_name.endswith("__init__.py"))
    assert f'"{library}"' in str(loader.data)


def test_windows_binaries_go_to_scripts_as_exe(tmp_path: Path) -> None:
    from setuptools_pyo3pack.config.settings import Binding
    from setuptools_pyo3pack.project.layout import PythonLayout
    from setuptools_pyo3pack.wheel import layout

    members = layout.native_members(
        Binding.BIN,
        layout=PythonLayout(project_root=tmp_path, python_root=tmp_path, module_name="tool",
                            mixed=False),
        data_dir="tool-1.0.data", artifacts=[tmp_path / "tool.exe"], interpreter=None,
        abi3=False, platform=platform_for("x86_64-pc-windows-gnu"))
    assert [m.archive_name for m in members] == ["tool-1.0.data/scripts/tool.exe"]


@pytest.mark.parametrize(
    ("arch", "soname"),
    [("x86_64", "libc.musl-x86_64.so.1"), ("i686", "libc.musl-x86.so.1"),
     ("armv7l", "libc.musl-armv7.so.1"), ("aarch64", "libc.musl-aarch64.so.1"),
     ("universal2", None), ("sparc", None)],
)
def test_musl_sonames(arch: str, soname: str | None) -> None:
    from setuptools_pyo3pack.platforms.linux import musl_libc_soname

    assert musl_libc_soname(arch) == soname
