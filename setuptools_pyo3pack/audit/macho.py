"""Mach-O headers, as far as a wheel's check needs them: each slice's machine, file type and
the minimum macOS it asks for (LC_BUILD_VERSION, or LC_VERSION_MIN_MACOSX in older files).

A file is thin (one machine) or fat (a big-endian table of thin slices: universal2).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ..platforms.target import Architecture
from .errors import AuditError

FAT_MAGIC, FAT_MAGIC_64 = 0xCAFEBABE, 0xCAFEBABF
MH_MAGIC_64, MH_MAGIC = 0xFEEDFACF, 0xFEEDFACE
LC_BUILD_VERSION, LC_VERSION_MIN_MACOSX = 0x32, 0x24
PLATFORM_MACOS = 1
CPU_TYPES = {0x01000007: Architecture.X86_64, 0x0100000C: Architecture.AARCH64,
             7: Architecture.I686}
MH_DYLIB, MH_EXECUTE, MH_BUNDLE = 6, 2, 8


@dataclass(frozen=True)
class MachOSlice:
    cputype: int
    filetype: int
    minimum_os: tuple[int, int] | None
    """The oldest macOS the slice runs on; None when it carries no version command."""
    version_command: str = ""
    """Where `minimum_os` came from: `LC_BUILD_VERSION` or `LC_VERSION_MIN_MACOSX`."""

    @property
    def arch(self) -> Architecture | None:
        return CPU_TYPES.get(self.cputype)

    @property
    def machine(self) -> str:
        return str(self.arch) if self.arch else hex(self.cputype)


def is_macho(head: bytes) -> bool:
    if len(head) < 4:
        return False
    return struct.unpack("<I", head[:4])[0] in (MH_MAGIC_64, MH_MAGIC) or \
        struct.unpack(">I", head[:4])[0] in (FAT_MAGIC, FAT_MAGIC_64)


def read_macho(path: Path) -> tuple[MachOSlice, ...]:
    """Every slice of a thin or fat Mach-O file."""
    data = path.read_bytes()
    try:
        return _slices(data)
    except (struct.error, ValueError) as exc:
        raise AuditError(f"{path} is not a Mach-O file this tool can read ({exc})") from None


def _slices(data: bytes) -> tuple[MachOSlice, ...]:
    (magic,) = struct.unpack_from(">I", data, 0)
    if magic in (FAT_MAGIC, FAT_MAGIC_64):
        (count,) = struct.unpack_from(">I", data, 4)
        size = 32 if magic == FAT_MAGIC_64 else 20
        slices = []
        for index in range(count):
            entry = 8 + index * size
            if magic == FAT_MAGIC_64:
                _, _, offset, length = struct.unpack_from(">iIQQ", data, entry)
            else:
                _, _, offset, length = struct.unpack_from(">iIII", data, entry)
            slices.append(_thin(data[offset:offset + length]))
        return tuple(slices)
    return (_thin(data),)


def _thin(data: bytes) -> MachOSlice:
    (magic,) = struct.unpack_from("<I", data, 0)
    if magic not in (MH_MAGIC_64, MH_MAGIC):
        raise ValueError(f"magic {magic:#x}")
    cputype, _, filetype, ncmds, _, _ = struct.unpack_from("<iIIIII", data, 4)
    offset = 32 if magic == MH_MAGIC_64 else 28
    minimum, command = None, ""
    for _ in range(ncmds):
        cmd, cmdsize = struct.unpack_from("<II", data, offset)
        if cmd == LC_BUILD_VERSION:
            platform, version = struct.unpack_from("<II", data, offset + 8)
            if platform == PLATFORM_MACOS:
                minimum, command = _version(version), "LC_BUILD_VERSION"
        elif cmd == LC_VERSION_MIN_MACOSX:
            (version,) = struct.unpack_from("<I", data, offset + 8)
            minimum, command = _version(version), "LC_VERSION_MIN_MACOSX"
        if cmdsize < 8:
            raise ValueError(f"load command of {cmdsize} bytes")
        offset += cmdsize
    return MachOSlice(cputype, filetype, minimum, command)


def _version(packed: int) -> tuple[int, int]:
    """X.Y.Z packed as xxxx.yy.zz nibbles -> (X, Y)."""
    return packed >> 16, (packed >> 8) & 0xFF
