"""Stamps: an output is reused only while its key and its file are both unchanged."""

from __future__ import annotations

import os
from pathlib import Path

from setuptools_pyo3pack.compile import freshness
from setuptools_pyo3pack.fs import Member


def test_stamp_reuses_only_an_untouched_output(tmp_path: Path) -> None:
    output = tmp_path / "x.whl"
    output.write_bytes(b"wheel")
    stamp = freshness.stamp_for(tmp_path / "target", "wheel", str(output))
    stamp.record("key-1", output)
    assert stamp.reusable("key-1") == output
    assert stamp.reusable("key-2") is None  # an input changed
    stat = output.stat()
    os.utime(output, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert stamp.reusable("key-1") is None  # someone rewrote the wheel
    output.unlink()
    assert stamp.reusable("key-1") is None
    assert freshness.file_state(output) == "missing"


def test_fingerprint_follows_file_and_text_members(tmp_path: Path) -> None:
    source = tmp_path / "lib.so"
    source.write_bytes(b"one")
    members = [Member("pkg/lib.so", source=source), Member("pkg/__init__.py", data="a")]
    first = freshness.fingerprint(members, ["cp311-cp311-linux_x86_64"])
    assert first == freshness.fingerprint(list(reversed(members)), ["cp311-cp311-linux_x86_64"])
    assert first != freshness.fingerprint(members, ["cp312-cp312-linux_x86_64"])
    assert first != freshness.fingerprint(
        [members[0], Member("pkg/__init__.py", data="b")], ["cp311-cp311-linux_x86_64"])
    source.write_bytes(b"three")  # relinked by cargo: new size and mtime
    assert first != freshness.fingerprint(members, ["cp311-cp311-linux_x86_64"])
