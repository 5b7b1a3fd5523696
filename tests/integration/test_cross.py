"""Cross builds here, with real cargo and zig: Windows, macOS (and universal2), musl and aarch64
Linux wheels of a pyo3 abi3 crate, a pyo3 per-version crate and a bin crate. Each wheel's name,
tags and members are checked, each binary's format from its headers, and the Linux programs
are run (the aarch64 one under qemu-user).

The tool installs the Rust targets it needs (`rustup target add`); zig comes from the test
extra. Builds share the session's cargo target folder: pyo3 compiles once per target and kind.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit.macho import read_macho
from setuptools_pyo3pack.audit.pe import read_pe
from setuptools_pyo3pack.platforms.target import Architecture
from tests.integration.conftest import copy_example, run_tool

WINDOWS, MAC_ARM, MAC_X86, UNIVERSAL2 = ("x86_64-pc-windows-gnu", "aarch64-apple-darwin",
                                         "x86_64-apple-darwin", "universal2-apple-darwin")
MUSL, AARCH64 = "x86_64-unknown-linux-musl", "aarch64-unknown-linux-gnu"
TARGETS = [WINDOWS, MAC_ARM, MAC_X86, UNIVERSAL2, MUSL, AARCH64]
PLATFORM = {
    WINDOWS: "win_amd64",
    MAC_ARM: "macosx_11_0_arm64",
    MAC_X86: "macosx_10_12_x86_64",
    UNIVERSAL2: "macosx_10_12_x86_64.macosx_11_0_arm64.macosx_10_12_universal2",
    MUSL: "musllinux_1_1_x86_64",  # by the symbols used: nothing musl 1.2 added
    AARCH64: "manylinux_2_17_aarch64.manylinux2014_aarch64",
}
EXTENSION_SUFFIX = {
    WINDOWS: ".cp312-win_amd64.pyd", MAC_ARM: ".cpython-312-darwin.so",
    MAC_X86: ".cpython-312-darwin.so", UNIVERSAL2: ".cpython-312-darwin.so",
    MUSL: ".cpython-312-x86_64-linux-musl.so", AARCH64: ".cpython-312-aarch64-linux-gnu.so",
}
#: the machines (and oldest macOS) each target's binaries hold
MAC_SLICES = {MAC_ARM: [(Architecture.AARCH64, (11, 0))],
              MAC_X86: [(Architecture.X86_64, (10, 12))],
              UNIVERSAL2: [(Architecture.X86_64, (10, 12)), (Architecture.AARCH64, (11, 0))]}
HELLO = "Hello, world! (from a Rust binary)\n"


@pytest.fixture(autouse=True, scope="module")
def _needs_zig() -> None:
    import importlib.util

    from setuptools_pyo3pack.compile.zig import find_cargo_zigbuild

    find_cargo_zigbuild()  # part of the test extra: a missing one is a broken setup
    assert importlib.util.find_spec("ziglang") is not None, "pip install -e '.[test]'"


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MACOSX_DEPLOYMENT_TARGET", None)  # the defaults are what is checked
    env.pop("SDKROOT", None)
    return env


def build(example: str, target: str, tmp_path: Path, *args: str) -> Path:
    crate = copy_example(example, tmp_path)
    out = tmp_path / "dist"
    zig = () if example == "hello-bin" and target == MUSL else ("--zig",)  # rust's own musl
    run_tool("build", "--target", target, *zig, *args, "-o", out, cwd=crate, env=environment())
    (wheel,) = out.glob("*.whl")
    return wheel


def wheel_tags(archive: zipfile.ZipFile) -> list[str]:
    name = next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))
    lines = archive.read(name).decode().splitlines()
    return [line[len("Tag: "):] for line in lines if line.startswith("Tag: ")]


def expected_tags(python: str, abi: str, target: str) -> list[str]:
    return [f"{python}-{abi}-{platform}" for platform in PLATFORM[target].split(".")]


def extracted(archive: zipfile.ZipFile, member: str, folder: Path) -> Path:
    path = Path(archive.extract(member, folder))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def check_pe(path: Path, *, dll: bool, python_dll: str | None, init: str | None) -> None:
    data = path.read_bytes()
    (offset,) = struct.unpack_from("<I", data, 0x3C)
    assert data[offset:offset + 4] == b"PE\0\0"
    machine, _, _, _, _, _, characteristics = struct.unpack_from("<HHIIIHH", data, offset + 4)
    assert machine == 0x8664  # IMAGE_FILE_MACHINE_AMD64
    assert bool(characteristics & 0x2000) is dll  # IMAGE_FILE_DLL
    info = read_pe(path)
    if python_dll:
        assert [i for i in info.imports if i.lower().startswith("python")] == [python_dll]
    if init:
        assert init in info.exports


def check_macho(path: Path, target: str, *, filetype: int) -> None:
    data = path.read_bytes()
    if target == UNIVERSAL2:
        magic, count = struct.unpack_from(">II", data, 0)
        assert (magic, count) == (0xCAFEBABE, 2)
    else:
        assert data[:4] == b"\xcf\xfa\xed\xfe"  # MH_MAGIC_64
    slices = read_macho(path)
    assert [(s.arch, s.minimum_os) for s in slices] == MAC_SLICES[target]
    assert {s.filetype for s in slices} == {filetype}
    assert {s.version_command for s in slices} <= {"LC_BUILD_VERSION", "LC_VERSION_MIN_MACOSX"}


def elf(path: Path) -> tuple[str, str | None, list[str]]:
    """(e_machine, PT_INTERP, DT_NEEDED) read with pyelftools."""
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile
    from elftools.elf.segments import InterpSegment

    with open(path, "rb") as handle:
        file = ELFFile(io.BytesIO(handle.read()))
    interpreter = next((s.get_interp_name() for s in file.iter_segments()
                        if isinstance(s, InterpSegment)), None)
    needed = [str(vars(t)["needed"]) for s in file.iter_sections()
              if isinstance(s, DynamicSection) for t in s.iter_tags("DT_NEEDED")]
    return file["e_machine"], interpreter, needed


def check_linux_wheel(wheel: Path, target: str) -> None:
    """auditwheel reads the same policy from the Linux wheels."""
    if target not in (MUSL, AARCH64):
        return
    result = subprocess.run([sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
                            capture_output=True, text=True, check=True)
    # without a musl host auditwheel checks only its newest musl policy (as in
    # test_audit_agreement's DIFFERENT); we read the musl version from the symbols used
    expected = "musllinux_1_2_x86_64" if target == MUSL else PLATFORM[target].split(".")[0]
    assert json.loads(result.stdout)["overall_tag"] == expected


def check_extension(path: Path, target: str, *, abi3: bool, init: str) -> None:
    if target == WINDOWS:
        check_pe(path, dll=True, python_dll="python3.dll" if abi3 else "python312.dll",
                 init=init)
    elif target in MAC_SLICES:
        check_macho(path, target, filetype=6)  # MH_DYLIB
    else:
        machine, interpreter, needed = elf(path)
        assert machine == ("EM_X86_64" if target == MUSL else "EM_AARCH64")
        assert interpreter is None
        # zig links musl's C library as `libc.so`: the wheel's copy names musl's SONAME
        assert ("libc.musl-x86_64.so.1" if target == MUSL else "libc.so.6") in needed
        assert "libc.so" not in needed
        assert not [n for n in needed if n.startswith("libpython")]


@pytest.mark.parametrize("target", TARGETS)
def test_pyo3_abi3_crate(target: str, tmp_path: Path) -> None:
    # a path to an interpreter of this machine means its version on the target
    wheel = build("pyo3-abi3", target, tmp_path, "-i", sys.executable)
    assert wheel.name == f"pyo3_abi3-0.3.0-cp39-abi3-{PLATFORM[target]}.whl"
    module = "pyo3_abi3/pyo3_abi3" + (".pyd" if target == WINDOWS else ".abi3.so")
    with zipfile.ZipFile(wheel) as archive:
        assert wheel_tags(archive) == expected_tags("cp39", "abi3", target)
        assert archive.namelist() == [
            "pyo3_abi3/__init__.py", module, "pyo3_abi3-0.3.0.dist-info/METADATA",
            "pyo3_abi3-0.3.0.dist-info/WHEEL",
            "pyo3_abi3-0.3.0.dist-info/sboms/pyo3-abi3.cyclonedx.json",
            "pyo3_abi3-0.3.0.dist-info/RECORD"]
        check_extension(extracted(archive, module, tmp_path / "x"), target, abi3=True,
                        init="PyInit_pyo3_abi3")
    check_linux_wheel(wheel, target)


@pytest.mark.parametrize("target", TARGETS)
def test_pyo3_per_version_crate(target: str, tmp_path: Path) -> None:
    wheel = build("pyo3-pure", target, tmp_path, "-i", "cp312" if target == WINDOWS else "3.12")
    assert wheel.name == f"pyo3_pure-2.1.0b1-cp312-cp312-{PLATFORM[target]}.whl"
    module = f"pyo3_pure/pyo3_pure{EXTENSION_SUFFIX[target]}"
    dist_info = "pyo3_pure-2.1.0b1.dist-info"
    with zipfile.ZipFile(wheel) as archive:
        assert wheel_tags(archive) == expected_tags("cp312", "cp312", target)
        assert archive.namelist() == [
            "pyo3_pure/__init__.py", module, f"{dist_info}/METADATA", f"{dist_info}/WHEEL",
            f"{dist_info}/entry_points.txt", f"{dist_info}/sboms/pyo3-pure.cyclonedx.json",
            f"{dist_info}/RECORD"]
        check_extension(extracted(archive, module, tmp_path / "x"), target, abi3=False,
                        init="PyInit_pyo3_pure")
    check_linux_wheel(wheel, target)


def run_linux_program(path: Path, target: str) -> str:
    if target == MUSL:  # static: runs on this glibc machine as it is
        argv = [str(path)]
    else:
        qemu, sysroot = shutil.which("qemu-aarch64"), Path("/usr/aarch64-linux-gnu")
        if qemu is None or not sysroot.is_dir():
            pytest.skip("running aarch64 programs needs qemu-user and the aarch64 C library "
                        "(Debian: apt-get install qemu-user libc6-arm64-cross; see README)")
        argv = [qemu, "-L", str(sysroot), str(path)]
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("target", TARGETS)
def test_bin_crate(target: str, tmp_path: Path) -> None:
    wheel = build("hello-bin", target, tmp_path)
    assert wheel.name == f"hello_bin-0.1.0-py3-none-{PLATFORM[target]}.whl"
    program = "hello_bin-0.1.0.data/scripts/hello-bin" + (".exe" if target == WINDOWS else "")
    with zipfile.ZipFile(wheel) as archive:
        assert wheel_tags(archive) == expected_tags("py3", "none", target)
        assert archive.namelist() == [program, "hello_bin-0.1.0.dist-info/METADATA",
                                      "hello_bin-0.1.0.dist-info/WHEEL",
                                      "hello_bin-0.1.0.dist-info/sboms/hello-bin.cyclonedx.json",
                                      "hello_bin-0.1.0.dist-info/RECORD"]
        assert archive.getinfo(program).external_attr >> 16 & 0o777 == 0o755
        path = extracted(archive, program, tmp_path / "x")
    if target == WINDOWS:
        check_pe(path, dll=False, python_dll=None, init=None)
    elif target in MAC_SLICES:
        check_macho(path, target, filetype=2)  # MH_EXECUTE
    else:
        machine, interpreter, _ = elf(path)
        if target == MUSL:
            assert (machine, interpreter) == ("EM_X86_64", None)  # static
        else:
            assert (machine, interpreter) == ("EM_AARCH64", "/lib/ld-linux-aarch64.so.1")
        assert run_linux_program(path, target) == HELLO
        check_linux_wheel(wheel, target)


def test_pep517_backend_cross_builds_with_config_settings(tmp_path: Path) -> None:
    """`-C target=... -C zig=true`: for the running interpreter's version, on Windows (the
    dev profile, so the CLI test's build of pyo3 is reused)."""
    crate = copy_example("pyo3-abi3", tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    code = ("import sys; from setuptools_pyo3pack import build_meta; "
            "print(build_meta.build_wheel(sys.argv[1], "
            "{'target': 'x86_64-pc-windows-gnu', 'zig': 'true', 'profile': 'dev'}))")
    result = subprocess.run([sys.executable, "-c", code, str(out)], cwd=crate,
                            env=environment(), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "pyo3_abi3-0.3.0-cp39-abi3-win_amd64.whl"
    assert [p.name for p in out.iterdir()] == ["pyo3_abi3-0.3.0-cp39-abi3-win_amd64.whl"]


def test_macos_without_zig_or_sdk_is_one_clear_error(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    result = run_tool("build", "--target", MAC_ARM, "-o", tmp_path / "dist", cwd=crate,
                      env=environment(), check=False)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    (line,) = [x for x in lines if x.startswith("pyo3-pack: error:")]
    assert line == lines[-1] and "Traceback" not in result.stderr
    assert line.startswith("pyo3-pack: error: cannot link for `aarch64-apple-darwin` here")
    assert "SDKROOT" in line and "--zig" in line
    assert not (tmp_path / "dist").exists()


def test_a_missing_rust_target_is_installed_with_rustup(tmp_path: Path) -> None:
    """rustup is replaced by a recorder (nothing is downloaded): the tool says what it runs
    and runs it, then reports that the target is still missing."""
    candidates = ["powerpc64le-unknown-linux-gnu", "s390x-unknown-linux-gnu",
                  "riscv64gc-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf"]
    missing = next((t for t in candidates if not _has_std(t)), None)
    if missing is None:
        pytest.skip("every candidate target is installed here")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "rustup.log"
    fake = bin_dir / "rustup"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    fake.chmod(0o755)
    crate = copy_example("hello-bin", tmp_path)
    env = dict(environment(), PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = run_tool("build", "--target", missing, "--zig", cwd=crate, env=env, check=False)
    assert result.returncode == 1
    assert f"installing Rust's standard library for {missing} (rustup target add {missing})" \
        in result.stderr
    assert log.read_text().split() == ["target", "add", missing]
    assert "still has no standard library" in result.stderr.strip().splitlines()[-1]


def _has_std(triple: str) -> bool:
    libdir = subprocess.run(["rustc", "--print", "target-libdir", "--target", triple],
                            capture_output=True, text=True, check=True).stdout.strip()
    return any(Path(libdir).glob("libcore-*.rlib"))


def test_recorded_linux_values_match_the_interpreters_here(
        cpythons: dict[tuple[int, int], Path]) -> None:
    """The recorded x86_64 glibc values are what this machine's CPythons report."""
    from setuptools_pyo3pack.compile.interpreters import probe_one
    from setuptools_pyo3pack.platforms.recorded import recorded_interpreter
    from setuptools_pyo3pack.platforms.target import Target

    target = Target.from_triple("x86_64-unknown-linux-gnu")
    compared = 0
    for version, python in cpythons.items():
        found = recorded_interpreter(target, "cpython", version)
        if found is None:
            continue
        probed = probe_one(str(python))
        assert (found.ext_suffix, found.soabi, found.abiflags, found.pointer_bits) == (
            probed.ext_suffix, probed.soabi, probed.abiflags, probed.pointer_bits), python
        compared += 1
    assert compared
