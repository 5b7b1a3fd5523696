"""Bytes of one native file for the ELF reader: from a file, or from a member of a wheel.

A deflated zip member cannot be read at random, and inflating a 60 MB extension module to
read a few kilobytes of it is most of an audit's time. `InflatedMember` inflates straight from
the wheel file, forward only (`inflate.py`, which also hops over stored blocks), and stops at
the last byte the reader asks for; it keeps the first megabyte and every range the reader
announced (`want`), so reading a table that lies before the dynamic segment needs no second
pass. When a range was passed without being kept (an unusual layout), it starts over once,
keeping everything it knows it will need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .elffile import ElfFormatError
from .inflate import HopFailed, Inflater
from .zipdir import DEFLATED, STORED, Entry, data_offset

if TYPE_CHECKING:
    from typing import Protocol

    class Chunks(Protocol):
        """Inflated pieces in order: (where the piece starts, its bytes); pieces may skip
        ahead, but never past `limit`."""

        hops: int

        def next(self, limit: int) -> tuple[int, bytes] | None: ...

#: bytes kept from the start of every member: the headers and, usually, the dynamic tables
HEAD = 1 << 20
_READ = 1 << 18


class FileSource:
    """Random access to a seekable binary stream (a file on disk)."""

    def __init__(self, stream: IO[bytes], base: int = 0, size: int | None = None) -> None:
        self.stream, self.base, self.size = stream, base, size

    def read(self, offset: int, size: int) -> bytes:
        if self.size is not None and offset + size > self.size:
            raise ElfFormatError(f"the file ends at {self.size} bytes, before {offset + size}")
        self.stream.seek(self.base + offset)
        data = self.stream.read(size)
        if len(data) != size:
            raise ElfFormatError(f"the file ends before byte {offset + size}")
        return data

    def want(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Nothing to prepare: every byte can be read at any time."""


class _Range:
    """A range of the member being kept, and how far it is filled."""

    __slots__ = ("buffer", "filled", "start", "stop")

    def __init__(self, start: int, size: int) -> None:
        self.start, self.stop = start, start + size
        self.buffer = bytearray(size)
        self.filled = start

    @property
    def complete(self) -> bool:
        return self.filled >= self.stop


class InflatedMember:
    """Random access to a stream of inflated bytes that can only go forward (and restart)."""

    def __init__(self, chunks: Callable[[bool], Chunks], size: int) -> None:
        self._open, self.size = chunks, size
        self._hop = True
        self._chunks = chunks(self._hop)
        self._position = 0
        self._kept: list[_Range] = []
        #: how often the member was inflated again from the start (for tests)
        self.restarts = 0
        self._keep(0, min(HEAD, size))

    @property
    def hops(self) -> int:
        """How often stored blocks were passed without inflating them (in this pass)."""
        return self._chunks.hops

    def without_hops(self) -> None:
        """Inflate everything again, hopping over nothing (after a read that made no sense)."""
        self._hop = False
        self._restart(everything=True)

    @property
    def inflated(self) -> int:
        """How many bytes of the member were inflated (in this pass)."""
        return self._position

    def read(self, offset: int, size: int) -> bytes:
        if offset + size > self.size:
            raise ElfFormatError(f"the file ends at {self.size} bytes, before {offset + size}")
        found = self._lookup(offset, offset + size)
        if found is None:
            self.want([(offset, size)])
            self._advance(offset + size)
            found = self._lookup(offset, offset + size)
        assert found is not None
        return found

    def want(self, ranges: Sequence[tuple[int, int]]) -> None:
        missing = [(o, min(s, self.size - o)) for o, s in ranges if o < self.size]
        missing = [(o, s) for o, s in missing if not self._covering(o, o + s)]
        if any(offset < self._position for offset, _ in missing):
            self._restart()
        for offset, size in missing:
            self._keep(offset, size)

    def _covering(self, start: int, stop: int) -> _Range | None:
        return next((r for r in self._kept if r.start <= start and stop <= r.stop), None)

    def _lookup(self, start: int, stop: int) -> bytes | None:
        for kept in self._kept:
            if kept.start <= start and stop <= min(kept.stop, kept.filled):
                return bytes(kept.buffer[start - kept.start : stop - kept.start])
        return None

    def _keep(self, offset: int, size: int) -> None:
        if size > 0:
            self._kept.append(_Range(offset, size))

    def _restart(self, *, everything: bool = False) -> None:
        """Inflate again from the start; complete ranges stay (unless `everything`), the
        others refill."""
        self.restarts += 1
        self._chunks = self._open(self._hop)
        self._position = 0
        for kept in self._kept:
            if everything or not kept.complete:
                kept.filled = kept.start

    def _limit(self, end: int) -> int:
        """The first byte that must not be hopped over: of `end` or a range still to fill."""
        pending = [max(kept.start, kept.filled) for kept in self._kept if not kept.complete]
        return min([end, *pending])

    def _advance(self, end: int) -> None:
        while self._position < end:
            try:
                found = self._chunks.next(self._limit(end))
            except HopFailed:
                self.without_hops()
                continue
            if found is None:
                raise ElfFormatError(f"the member ends at {self._position} bytes, before {end}")
            low, chunk = found
            high = low + len(chunk)
            for kept in self._kept:
                if low <= kept.filled < min(kept.stop, high):
                    first, last = kept.filled, min(kept.stop, high)
                    at = first - kept.start
                    kept.buffer[at : at + last - first] = chunk[first - low : last - low]
                    kept.filled = last
            self._position = high


def member_source(raw: IO[bytes], entry: Entry, wheel: Path) -> FileSource | InflatedMember:
    """A source for one member of the zip file open in `raw` (the file at `wheel`): stored
    members are read in place, deflated ones inflated from `raw`, others through zipfile."""
    if entry.method == STORED and not entry.encrypted:
        return FileSource(raw, data_offset(raw, entry), entry.size)
    if entry.method == DEFLATED and not entry.encrypted:
        start = data_offset(raw, entry)
        return InflatedMember(
            lambda hop: Inflater(raw, start, entry.compressed_size, hop=hop), entry.size
        )
    return InflatedMember(lambda hop: _InOrder(_through_zipfile(wheel, entry.name)), entry.size)


class _InOrder:
    """Pieces of a stream that cannot hop, as `Chunks`."""

    hops = 0

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self.pieces, self.position = pieces, 0

    def next(self, limit: int) -> tuple[int, bytes] | None:
        piece = next(self.pieces, None)
        if not piece:
            return None
        at, self.position = self.position, self.position + len(piece)
        return at, piece


def _through_zipfile(wheel: Path, name: str) -> Iterator[bytes]:
    import zipfile  # bzip2 or lzma members: rare in wheels, and zipfile is slow to import

    with zipfile.ZipFile(wheel) as archive, archive.open(name) as stream:
        while chunk := stream.read(_READ):
            yield chunk
