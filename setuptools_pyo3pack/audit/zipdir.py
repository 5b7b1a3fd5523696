"""The central directory of a zip file: each member's name, method, sizes and where it starts.

The audit reads wheels through this instead of `zipfile`, which imports bz2, lzma, shutil and
threading (a few milliseconds `pyo3-pack audit` does not need to spend). zip64 records are
understood; members compressed otherwise than stored or deflated are read through `zipfile`.
"""

from __future__ import annotations

import struct
from typing import IO, NamedTuple

STORED, DEFLATED = 0, 8
_END = struct.Struct("<4s4H2IH")
_END64_LOCATOR = struct.Struct("<4sIQI")
_END64 = struct.Struct("<4sQ2H2I4Q")
_ENTRY = struct.Struct("<4s6H3I5H2I")
_LOCAL = struct.Struct("<4s22xHH")
_MAX_COMMENT = 0xFFFF


class BadZip(ValueError):
    """Not a zip file, or a damaged one; the message says what is wrong."""


class Entry(NamedTuple):
    name: str
    method: int
    flags: int
    compressed_size: int
    size: int
    header_offset: int

    @property
    def is_dir(self) -> bool:
        return self.name.endswith("/")

    @property
    def encrypted(self) -> bool:
        return bool(self.flags & 1)


def read_directory(raw: IO[bytes]) -> list[Entry]:
    """Every member of the zip file open in `raw`, in central-directory order."""
    raw.seek(0, 2)
    file_size = raw.tell()
    tail_size = min(file_size, _END.size + _MAX_COMMENT)
    raw.seek(file_size - tail_size)
    tail = raw.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END.size > len(tail):
        raise BadZip("no end of central directory record (not a zip file)")
    _, _, _, _, count, size, offset, _ = _END.unpack_from(tail, at)
    if 0xFFFF in (count,) or 0xFFFFFFFF in (size, offset):
        count, size, offset = _zip64_end(raw, file_size - tail_size + at)
    raw.seek(offset)
    data = raw.read(size)
    if len(data) != size:
        raise BadZip("the central directory is cut short")
    entries, position = [], 0
    for _ in range(count):
        if data[position : position + 4] != b"PK\x01\x02":
            raise BadZip(f"bad central directory entry at byte {offset + position}")
        fields = _ENTRY.unpack_from(data, position)
        flags, method = fields[3], fields[4]
        compressed, plain, name_length, extra_length, comment_length = fields[8:13]
        header_offset = fields[16]
        start = position + _ENTRY.size
        raw_name = data[start : start + name_length]
        extra = data[start + name_length : start + name_length + extra_length]
        plain, compressed, header_offset = _zip64_sizes(extra, plain, compressed, header_offset)
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        entries.append(Entry(name, method, flags, compressed, plain, header_offset))
        position = start + name_length + extra_length + comment_length
    return entries


def _zip64_end(raw: IO[bytes], end_at: int) -> tuple[int, int, int]:
    raw.seek(end_at - _END64_LOCATOR.size)
    locator = raw.read(_END64_LOCATOR.size)
    if len(locator) != _END64_LOCATOR.size or locator[:4] != b"PK\x06\x07":
        raise BadZip("a zip64 archive without its zip64 end locator")
    raw.seek(_END64_LOCATOR.unpack(locator)[2])
    record = raw.read(_END64.size)
    if len(record) != _END64.size or record[:4] != b"PK\x06\x06":
        raise BadZip("a damaged zip64 end of central directory record")
    fields = _END64.unpack(record)
    return fields[7], fields[8], fields[9]


def _zip64_sizes(extra: bytes, plain: int, compressed: int, offset: int) -> tuple[int, int, int]:
    """The zip64 extra field holds the 64-bit values of the fields set to 0xFFFFFFFF."""
    position = 0
    while position + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, position)
        if kind == 1:
            values = list(struct.unpack_from(f"<{length // 8}Q", extra, position + 4))
            if plain == 0xFFFFFFFF and values:
                plain = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        position += 4 + length
    return plain, compressed, offset


def data_offset(raw: IO[bytes], entry: Entry) -> int:
    """Where the member's (compressed) bytes start: after its local header."""
    raw.seek(entry.header_offset)
    header = raw.read(_LOCAL.size)
    if len(header) != _LOCAL.size or header[:4] != b"PK\x03\x04":
        raise BadZip(f"bad local header of {entry.name}")
    _, name_length, extra_length = _LOCAL.unpack(header)
    return entry.header_offset + _LOCAL.size + int(name_length) + int(extra_length)
