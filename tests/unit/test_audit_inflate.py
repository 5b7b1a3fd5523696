"""Inflating forward with hops over stored blocks: every byte given out is the right byte."""

from __future__ import annotations

import io
import random
import zlib

import pytest

from setuptools_pyo3pack.audit.inflate import HopFailed, Inflater
from setuptools_pyo3pack.audit.sources import InflatedMember


def _deflate(data: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _layout(seed: int) -> bytes:
    """Code-like and random stretches of random lengths, as an extension with assets."""
    generator = random.Random(seed)
    words = [generator.randbytes(generator.randint(2, 12)) for _ in range(300)]
    parts = []
    for _ in range(generator.randint(3, 9)):
        size = generator.choice([100, 5_000, 70_000, 300_000, 1_500_000])
        if generator.random() < 0.5:
            parts.append(generator.randbytes(size))
        else:
            text = b"".join(generator.choice(words) for _ in range(size // 6))
            parts.append(text[:size])
    return b"".join(parts)


def _read_through(data: bytes, level: int, limits: list[int]) -> tuple[dict[int, bytes], int]:
    """Pieces given out, by offset, when the reader asks for bytes at each of `limits`."""
    compressed = b"PK" + _deflate(data, level) + b"tail"  # the member does not start at 0
    inflater = Inflater(io.BytesIO(compressed), 2, len(compressed) - 6)
    pieces: dict[int, bytes] = {}
    position = 0
    for limit in limits:
        while position <= limit:
            found = inflater.next(limit)
            if found is None:
                return pieces, inflater.hops
            at, piece = found
            assert at >= position and at <= limit
            pieces[at] = piece
            position = at + len(piece)
    return pieces, inflater.hops


@pytest.mark.parametrize("level", [0, 1, 6, 9])
@pytest.mark.parametrize("seed", range(6))
def test_pieces_are_the_data_at_their_offsets(level: int, seed: int) -> None:
    data = _layout(seed)
    generator = random.Random(seed + 100)
    limits = sorted(generator.randrange(len(data)) for _ in range(3))
    pieces, hops = _read_through(data, level, limits)
    for at, piece in pieces.items():
        assert piece == data[at : at + len(piece)], (level, seed, at)
    for limit in limits:  # every byte asked for was given
        assert any(at <= limit < at + len(piece) for at, piece in pieces.items())
    if level == 0 and len(data) > 1 << 20:
        assert hops  # all stored: a reader near the end never inflates the middle


class _Refused:
    """Chunks whose first pass fails after a hop, as zlib would on a hop gone wrong."""

    def __init__(self, data: bytes, hop: bool) -> None:
        self.data, self.hop, self.position = data, hop, 0
        self.hops = 1 if hop else 0

    def next(self, limit: int) -> tuple[int, bytes] | None:
        if self.hop and self.position >= 1000:
            raise HopFailed
        if self.position >= len(self.data):
            return None
        at, self.position = self.position, self.position + 500
        return at, self.data[at : at + 500]


def test_a_refused_hop_reads_the_member_again_without_hopping() -> None:
    data = bytes(range(256)) * 40
    member = InflatedMember(lambda hop: _Refused(data, hop), len(data))
    assert member.read(5000, 16) == data[5000:5016]
    assert (member.restarts, member.hops) == (1, 0)
    assert member.read(10, 6) == data[10:16]
