"""Inflate a zip member's raw deflate stream forward, hopping over stored blocks not needed.

Incompressible data (embedded assets, compressed blobs) is kept by deflate in *stored* blocks:
a byte-aligned header (LEN, and NLEN = LEN ^ 0xFFFF) and the bytes as they are. Such blocks
need no inflating to be passed: from inside one, the next block starts LEN bytes after its
data began, and a run of them is crossed by reading five bytes per block. Inflating resumes at
the first block the reader needs (or the first compressed one), with the 32 KiB before it as
zlib's dictionary, which is all deflate refers back to.

Where the current stored block began is found, not guessed: in its data the inflated bytes
equal the compressed ones, so it starts where they stop being equal, and its header must
check (LEN ^ NLEN == 0xFFFF) and reach the current position. Any doubt: no hop, just inflate.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections import deque
from typing import IO

#: compressed bytes read at a time (the first read is small: most members are not ELF files
#: and only their first bytes are looked at), and fed to zlib at a time: fed 64 KiB at a time
#: zlib's output stays in the CPU cache, about twice as fast as larger pieces
_FIRST_READ, _READ, _FEED = 1 << 14, 1 << 18, 1 << 16
#: the most inflated bytes produced per step, so a zip bomb cannot fill the memory
_STEP = 1 << 20
_WINDOW = 1 << 15
#: inflated bytes kept to find where a stored block began (blocks hold at most 65535 bytes)
_HISTORY = (1 << 16) + 64
#: trailing bytes compared to tell the copy of a stored block from inflated Huffman codes
_PROBE = 64
_HEADER = struct.Struct("<BHH")


class HopFailed(Exception):
    """zlib refused the stream after a hop: inflate again without hopping."""


class Inflater:
    """`next(limit)` gives the next inflated piece and where it starts; it may hop over stored
    blocks, but never past `limit` (the next byte the reader needs)."""

    def __init__(self, raw: IO[bytes], start: int, compressed: int, *, hop: bool = True) -> None:
        self.raw, self.start, self.end = raw, start, start + compressed
        self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        self._block, self._block_start, self._block_pos = memoryview(b""), start, 0
        self._read_size = _FIRST_READ
        self._out = 0
        self._recent: deque[bytes] = deque()
        self._recent_size = 0
        self._stored = False
        self.hop = hop
        #: how many times stored blocks were passed without inflating them
        self.hops = 0

    def next(self, limit: int) -> tuple[int, bytes] | None:
        if self._stored and self.hop:
            self._hop(limit)
        while not self._zlib.eof:
            try:
                if self._zlib.unconsumed_tail:
                    out = self._zlib.decompress(self._zlib.unconsumed_tail, _STEP)
                else:
                    piece = self._feed()
                    if piece is None:
                        return None
                    out = self._zlib.decompress(piece, _STEP)
            except zlib.error:
                if self.hops:
                    raise HopFailed from None
                raise
            if out:
                at, self._out = self._out, self._out + len(out)
                self._remember(out)
                return at, out
        return None

    def _feed(self) -> memoryview | None:
        if self._block_pos >= len(self._block):
            start = self._block_start + len(self._block)
            if start >= self.end:
                return None
            self.raw.seek(start)
            self._block = memoryview(self.raw.read(min(self._read_size, self.end - start)))
            self._block_start, self._block_pos, self._read_size = start, 0, _READ
            if not self._block:
                return None
        piece = self._block[self._block_pos : self._block_pos + _FEED]
        self._block_pos += len(piece)
        return piece

    def _remember(self, out: bytes) -> None:
        """Keep the recent output, and note when it is a stored block's copy of the input."""
        self._recent.append(out)
        self._recent_size += len(out)
        while self._recent_size - len(self._recent[0]) >= _HISTORY:
            self._recent_size -= len(self._recent.popleft())
        fed = self._block_pos
        self._stored = (
            not self._zlib.unconsumed_tail
            and len(out) >= _PROBE
            and fed >= _PROBE
            and out[-_PROBE:] == self._block[fed - _PROBE : fed]
        )

    def _hop(self, limit: int) -> None:
        self._stored = False
        here, out = self._block_start + self._block_pos, self._out
        start = self._data_start(here)
        if start is None:
            return
        length = _HEADER.unpack(self._read(start - 5, 5))[1]
        position, produced = start + length, out + start + length - here
        if produced > limit or position + 5 > self.end:
            return
        skipped = [(here, start + length - here)]
        while position + 5 <= self.end:
            kind, length, check = _HEADER.unpack(self._read(position, 5))
            if (kind >> 1) & 3 or kind & 1 or produced + length > limit:
                break  # a compressed block, the last block, or bytes the reader needs
            if length ^ check != 0xFFFF:
                return  # not what it seemed: inflate on as before
            skipped.append((position + 5, length))
            position, produced = position + 5 + length, produced + length
        if produced - out < _WINDOW:
            return  # not worth a new zlib stream
        self._zlib = zlib.decompressobj(-zlib.MAX_WBITS, zdict=self._window(skipped))
        self._block, self._block_start, self._block_pos = memoryview(b""), position, 0
        self._recent.clear()
        self._recent_size = 0
        self._out = produced
        self.hops += 1

    def _data_start(self, here: int) -> int | None:
        """Where the data of the stored block being copied at `here` begins, or None."""
        history = b"".join(self._recent)[-_HISTORY:]
        size = min(len(history), here - self.start)
        compressed, history = self._read(here - size, size), history[len(history) - size :]
        same = 0
        while same < size:  # how many trailing bytes are equal, 1 KiB at a time, then bytewise
            step = min(1024, size - same)
            low, high = size - same - step, size - same
            if history[low:high] != compressed[low:high]:
                while same < size and history[size - same - 1] == compressed[size - same - 1]:
                    same += 1
                break
            same += step
        for start in range(here - same, here - same + 8):  # equal by chance: a few more
            at = start - here + size
            if at < 4:
                continue
            length, check = struct.unpack_from("<HH", compressed, at - 4)
            if length ^ check == 0xFFFF and start + length >= here:
                return start
        return None

    def _window(self, skipped: list[tuple[int, int]]) -> bytes:
        """The last 32 KiB of inflated data before the block inflating resumes at."""
        parts: list[bytes] = []
        size = 0
        for position, length in reversed(skipped):
            take = min(length, _WINDOW - size)
            parts.append(self._read(position + length - take, take))
            size += take
            if size >= _WINDOW:
                break
        if size < _WINDOW:
            parts.append(b"".join(self._recent)[-(_WINDOW - size) :])
        return b"".join(reversed(parts))[-_WINDOW:]

    def _read(self, position: int, size: int) -> bytes:
        """`size` bytes at `position`: one pread (no seek) per block header while hopping."""
        try:
            data = os.pread(self.raw.fileno(), size, position)
        except (AttributeError, OSError, io.UnsupportedOperation):
            self.raw.seek(position)
            data = self.raw.read(size)
        if len(data) != size:
            raise zlib.error("the member's compressed data ends early")
        return data
