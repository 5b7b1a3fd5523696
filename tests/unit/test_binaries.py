"""Mach-O and PE headers, the universal2 merge, and the check of macOS and Windows wheels."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit.binaries import checked_platform_tag
from setuptools_pyo3pack.audit.errors import AuditError
from setuptools_pyo3pack.audit.macho import read_macho
from setuptools_pyo3pack.audit.pe import read_pe
from setuptools_pyo3pack.compile import universal2
from setuptools_pyo3pack.errors import CommandError
from setuptools_pyo3pack.platforms.macos import MacOSPlatform
from setuptools_pyo3pack.platforms.registry import platform_for
from setuptools_pyo3pack.platforms.target import Architecture, Target

X86_64, ARM64 = 0x01000007, 0x0100000C
MH_EXECUTE, MH_DYLIB = 2, 6


def thin_macho(cputype: int, cpusubtype: int, filetype: int, minimum: tuple[int, int] | None,
               *, old_command: bool = False) -> bytes:
    """A thin 64-bit Mach-O file with one version load command (or none) and a payload."""
    packed = (minimum[0] << 16 | minimum[1] << 8) if minimum else 0
    if minimum is None:
        command = b""
    elif old_command:  # LC_VERSION_MIN_MACOSX: version, sdk
        command = struct.pack("<IIII", 0x24, 16, packed, 0)
    else:  # LC_BUILD_VERSION: platform macOS, minos, sdk, no tools
        command = struct.pack("<IIIIII", 0x32, 24, 1, packed, 0, 0)
    count = 1 if command else 0
    header = struct.pack("<IiIIIIII", 0xFEEDFACF, cputype, cpusubtype, filetype, count,
                         len(command), 0, 0)
    return header + command + b"payload"


@pytest.mark.parametrize("old_command", [False, True])
def test_thin_macho_machine_and_minimum_os(tmp_path: Path, old_command: bool) -> None:
    path = tmp_path / "lib.dylib"
    path.write_bytes(thin_macho(X86_64, 3, MH_DYLIB, (10, 12), old_command=old_command))
    (only,) = read_macho(path)
    assert (only.arch, only.filetype, only.minimum_os) == (Architecture.X86_64, MH_DYLIB,
                                                            (10, 12))
    assert only.version_command == ("LC_VERSION_MIN_MACOSX" if old_command
                                    else "LC_BUILD_VERSION")


def test_not_macho_is_an_audit_error(tmp_path: Path) -> None:
    path = tmp_path / "x.so"
    path.write_bytes(b"\x7fELF" + b"\0" * 60)
    with pytest.raises(AuditError, match="not a Mach-O file"):
        read_macho(path)


#: `llvm-lipo -create arm x86 -output fat` of these two files (LLVM 14): its sha256
LLVM_LIPO_SHA256 = "c42b8a34e4c347921d5a5bc6525363347056485dd49e26f8fd32f952e2ff2190"


def test_universal2_merge_is_byte_for_byte_what_lipo_writes(tmp_path: Path) -> None:
    x86 = tmp_path / "x86"
    arm = tmp_path / "arm"
    x86.write_bytes(thin_macho(X86_64, 3, MH_EXECUTE, (10, 12)))
    arm.write_bytes(thin_macho(ARM64, 0, MH_EXECUTE, (11, 0)))
    fat = universal2.merge([arm, x86], tmp_path / "out" / "fat")
    data = fat.read_bytes()
    assert data[:8] == bytes.fromhex("cafebabe00000002")
    assert data[4096:4096 + len(x86.read_bytes())] == x86.read_bytes()  # 4 KiB x86_64 page
    assert data[16384:] == arm.read_bytes()  # 16 KiB arm64 page
    assert hashlib.sha256(data).hexdigest() == LLVM_LIPO_SHA256
    assert [(s.arch, s.minimum_os) for s in read_macho(fat)] == [
        (Architecture.X86_64, (10, 12)), (Architecture.AARCH64, (11, 0))]


def test_universal2_merge_refuses_two_slices_of_one_machine(tmp_path: Path) -> None:
    one, two = tmp_path / "a", tmp_path / "b"
    one.write_bytes(thin_macho(ARM64, 0, MH_DYLIB, (11, 0)))
    two.write_bytes(thin_macho(ARM64, 0, MH_DYLIB, (11, 0)))
    with pytest.raises(CommandError, match="same machine"):
        universal2.merge([one, two], tmp_path / "fat")
    other = tmp_path / "c"
    other.write_bytes(b"MZ" + b"\0" * 40)
    with pytest.raises(CommandError, match="not a 64-bit Mach-O"):
        universal2.merge([one, other], tmp_path / "fat")
    assert not (tmp_path / "fat").exists()


def _mac(triple: str, deployment: str | None = None) -> MacOSPlatform:
    environ = {"MACOSX_DEPLOYMENT_TARGET": deployment} if deployment else {}
    return MacOSPlatform(Target.from_triple(triple), environ)


def test_macos_tag_comes_from_the_binaries_minimum(tmp_path: Path) -> None:
    lib = tmp_path / "m.so"
    lib.write_bytes(thin_macho(X86_64, 3, MH_DYLIB, (10, 14)))
    assert checked_platform_tag(_mac("x86_64-apple-darwin"), [("pkg/m.so", lib)]) == \
        "macosx_10_14_x86_64"


def test_a_binary_newer_than_the_requested_macos_is_an_error(tmp_path: Path) -> None:
    lib = tmp_path / "m.so"
    lib.write_bytes(thin_macho(ARM64, 0, MH_DYLIB, (13, 0)))
    with pytest.raises(AuditError) as error:
        checked_platform_tag(_mac("aarch64-apple-darwin", "11.0"), [("pkg/m.so", lib)])
    assert str(error.value).startswith(
        "pkg/m.so (aarch64) needs macOS 13.0 (LC_BUILD_VERSION), newer than "
        "MACOSX_DEPLOYMENT_TARGET=11.0")
    assert "MACOSX_DEPLOYMENT_TARGET=13.0" in str(error.value)
    assert checked_platform_tag(_mac("aarch64-apple-darwin", "13.0"),
                                [("pkg/m.so", lib)]) == "macosx_13_0_arm64"


def test_macos_binary_for_the_wrong_machine_is_an_error(tmp_path: Path) -> None:
    lib = tmp_path / "m.so"
    lib.write_bytes(thin_macho(X86_64, 3, MH_DYLIB, (10, 12)))
    with pytest.raises(AuditError, match="has no aarch64 code"):
        checked_platform_tag(_mac("aarch64-apple-darwin"), [("pkg/m.so", lib)])
    with pytest.raises(AuditError, match="has no aarch64 code"):
        checked_platform_tag(_mac("universal2-apple-darwin"), [("pkg/m.so", lib)])


def test_universal2_tag_from_both_slices(tmp_path: Path) -> None:
    thin = [tmp_path / "x", tmp_path / "a"]
    thin[0].write_bytes(thin_macho(X86_64, 3, MH_DYLIB, (10, 13)))
    thin[1].write_bytes(thin_macho(ARM64, 0, MH_DYLIB, (11, 0)))
    fat = universal2.merge(thin, tmp_path / "m.so")
    assert checked_platform_tag(_mac("universal2-apple-darwin"), [("m.so", fat)]) == \
        "macosx_10_13_x86_64.macosx_11_0_arm64.macosx_10_13_universal2"


def pe_file(machine: int, *, dll: bool, imports: list[str], exports: list[str]) -> bytes:
    """A small PE32+ file: one section holding the import and export tables."""
    section_rva, raw = 0x1000, 0x200
    body = bytearray(0x400)
    names_at = 0x100  # strings within the section

    def put_string(text: str) -> int:
        nonlocal names_at
        start = names_at
        body[start:start + len(text) + 1] = text.encode() + b"\0"
        names_at += len(text) + 1
        return section_rva + start

    for index, dll_name in enumerate(imports):  # descriptors at the section's start
        struct.pack_into("<IIIII", body, 20 * index, 0, 0, 0, put_string(dll_name), 0)
    export_dir, name_table = 0x300, 0x340
    struct.pack_into("<I", body, export_dir + 24, len(exports))
    struct.pack_into("<I", body, export_dir + 32, section_rva + name_table)
    for index, symbol in enumerate(exports):
        struct.pack_into("<I", body, name_table + 4 * index, put_string(symbol))
    optional = bytearray(240)
    struct.pack_into("<H", optional, 0, 0x20B)
    struct.pack_into("<IIII", optional, 112, section_rva + export_dir, 40, section_rva, 40)
    characteristics = 0x0022 | (0x2000 if dll else 0)
    coff = struct.pack("<HHIIIHH", machine, 1, 0, 0, 0, len(optional), characteristics)
    section = struct.pack("<8sIIIIIIHHI", b".rdata", len(body), section_rva, len(body), raw,
                          0, 0, 0, 0, 0)
    head = bytearray(b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x40))
    head += b"PE\0\0" + coff + optional + section
    return bytes(head.ljust(raw, b"\0") + body)


def test_pe_machine_imports_and_exports(tmp_path: Path) -> None:
    path = tmp_path / "m.pyd"
    path.write_bytes(pe_file(0x8664, dll=True, imports=["python3.dll", "KERNEL32.dll"],
                             exports=["PyInit_m"]))
    info = read_pe(path)
    assert (info.arch, info.is_dll) == (Architecture.X86_64, True)
    assert info.imports == ("python3.dll", "KERNEL32.dll")
    assert info.exports == ("PyInit_m",)


def test_windows_binary_for_another_machine_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tool.exe"
    path.write_bytes(pe_file(0xAA64, dll=False, imports=[], exports=[]))
    assert read_pe(path).is_dll is False
    assert checked_platform_tag(platform_for("aarch64-pc-windows-msvc"),
                                [("tool.exe", path)]) == "win_arm64"
    with pytest.raises(AuditError, match=r"tool\.exe is a Windows binary for aarch64, but the "
                                         r"wheel is for x86_64"):
        checked_platform_tag(platform_for("x86_64-pc-windows-gnu"), [("tool.exe", path)])
