"""The audit's own zip central-directory reader agrees with zipfile, zip64 records included."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit.zipdir import BadZip, data_offset, read_directory


def _zip(tmp_path: Path, *, force_zip64: bool = False, comment: bytes = b"") -> Path:
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        archive.comment = comment
        archive.writestr("demo/__init__.py", "x = 1\n", zipfile.ZIP_DEFLATED)
        archive.writestr("demo/data/", "")
        archive.writestr("démo/ünïcode.txt", "é" * 100, zipfile.ZIP_STORED)
        with archive.open("demo/big.so", "w", force_zip64=force_zip64) as stream:
            stream.write(b"\x7fELF" + bytes(100_000))
    return path


@pytest.mark.parametrize("force_zip64", [False, True])
def test_same_members_as_zipfile(tmp_path: Path, force_zip64: bool) -> None:
    path = _zip(tmp_path, force_zip64=force_zip64, comment=b"a comment")
    with open(path, "rb") as raw, zipfile.ZipFile(path) as archive:
        entries = read_directory(raw)
        infos = archive.infolist()
        assert [(e.name, e.method, e.compressed_size, e.size, e.header_offset, e.is_dir)
                for e in entries] == [
            (i.filename, i.compress_type, i.compress_size, i.file_size, i.header_offset,
             i.is_dir()) for i in infos]
        for entry, info in zip(entries, infos):
            if entry.method == zipfile.ZIP_STORED and not entry.is_dir:
                raw.seek(data_offset(raw, entry))
                assert raw.read(entry.size) == archive.read(info)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"not a zip at all", "no end of central directory"),
     (b"PK\x05\x06" + bytes(6) + (1).to_bytes(2, "little") + (100).to_bytes(4, "little")
      + (0).to_bytes(4, "little") + bytes(2), "cut short"),
     (b"PK\x05\x06" + bytes(6) + (1).to_bytes(2, "little") + (22).to_bytes(4, "little")
      + (0).to_bytes(4, "little") + bytes(2), "bad central directory entry")],
)
def test_not_a_zip(data: bytes, message: str) -> None:
    with pytest.raises(BadZip, match=message):
        read_directory(io.BytesIO(data))
