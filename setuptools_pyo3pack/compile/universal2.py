"""universal2: an x86_64 and an arm64 build of the same file, merged into one fat Mach-O.

The fat format is a big-endian header (magic 0xCAFEBABE, the slice count), one entry per
slice (CPU type and subtype, offset, size, alignment as a power of two), then each thin file
unchanged at its offset, aligned to its machine's page size (4 KiB x86_64, 16 KiB arm64), as
`lipo` lays them out.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

from ..errors import CommandError
from ..fs import write_atomic

FAT_MAGIC = 0xCAFEBABE
THIN_MAGIC_64 = b"\xcf\xfa\xed\xfe"  # MH_MAGIC_64, little-endian: x86_64 and arm64 files
#: page-size alignment (a power of two) per CPU type; others get arm64's
ALIGN = {0x01000007: 12, 0x0100000C: 14}
DEFAULT_ALIGN = 14


def thin_cpu(data: bytes, where: Path) -> tuple[int, int]:
    """The (cputype, cpusubtype) of a thin 64-bit Mach-O file."""
    if data[:4] != THIN_MAGIC_64:
        raise CommandError(f"{where} is not a 64-bit Mach-O file to merge into universal2")
    cputype, cpusubtype = struct.unpack_from("<iI", data, 4)
    return cputype, cpusubtype


def fat_bytes(slices: Sequence[tuple[bytes, Path]]) -> bytes:
    """One fat file holding each thin file, ordered by CPU type."""
    entries = sorted(((thin_cpu(data, where), data) for data, where in slices),
                     key=lambda entry: entry[0][0])
    if len({cpu[0] for cpu, _ in entries}) != len(entries):
        raise CommandError("two slices of one universal2 file are for the same machine: "
                           + ", ".join(str(where) for _, where in slices))
    offsets = []
    offset = 8 + 20 * len(entries)  # after the header and the slice table
    for (cputype, _), data in entries:
        offset = _aligned(offset, ALIGN.get(cputype, DEFAULT_ALIGN))
        offsets.append(offset)
        offset += len(data)
    fat = bytearray(struct.pack(">II", FAT_MAGIC, len(entries)))
    for ((cputype, cpusubtype), data), start in zip(entries, offsets):
        align = ALIGN.get(cputype, DEFAULT_ALIGN)
        fat += struct.pack(">iIIII", cputype, cpusubtype, start, len(data), align)
    for (_, data), start in zip(entries, offsets):
        fat += b"\0" * (start - len(fat))
        fat += data
    return bytes(fat)


def _aligned(offset: int, power: int) -> int:
    step = 1 << power
    return (offset + step - 1) // step * step


def merge(thin: Sequence[Path], output: Path) -> Path:
    """Write the fat file of `thin` files to `output` (atomically) and return it."""
    write_atomic(output, fat_bytes([(path.read_bytes(), path) for path in thin]), mode=0o755)
    return output
