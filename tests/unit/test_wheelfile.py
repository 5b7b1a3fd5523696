"""The wheel writer: RECORD correctness, reproducibility, modes, and atomicity."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.wheel.writer import WheelWriter, record_hash

DIST_INFO = "demo-1.0.dist-info"


def _write_demo(path: Path, source_dir: Path, *, compress: bool = True) -> Path:
    source_dir.mkdir(exist_ok=True)
    native = source_dir / "demo.so"
    native.write_bytes(b"\x7fELF" + bytes(range(256)) * 50)
    native.chmod(0o755)
    script = source_dir / "hello"
    script.write_bytes(b"#!/bin/sh\necho hello\n")
    script.chmod(0o644)
    with WheelWriter(path, DIST_INFO, compress=compress) as wheel:
        wheel.add_bytes("demo/__init__.py", "from .demo import *\n")
        wheel.add_file("demo/demo.so", native)
        wheel.add_file("demo-1.0.data/scripts/hello", script, executable=True)
        wheel.add_bytes(f"{DIST_INFO}/METADATA", b"Metadata-Version: 2.4\nName: demo\n")
        wheel.add_bytes(f"{DIST_INFO}/WHEEL", "Wheel-Version: 1.0\n")
    return path


def _b64_sha256(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


def test_record_is_last_and_every_row_matches_the_member(tmp_path: Path) -> None:
    wheel = _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert names[-1] == f"{DIST_INFO}/RECORD"
        record = archive.read(f"{DIST_INFO}/RECORD").decode("utf-8")
        rows = list(csv.reader(io.StringIO(record)))
        assert [row[0] for row in rows] == names
        for name, digest, size in rows[:-1]:
            data = archive.read(name)
            assert digest == _b64_sha256(data), name
            assert "=" not in digest.removeprefix("sha256=")
            assert int(size) == len(data), name
        assert rows[-1] == [f"{DIST_INFO}/RECORD", "", ""]


def test_record_hash_is_urlsafe_without_padding() -> None:
    # this digest has `-`/`_` in its urlsafe form and would need one `=` of padding
    digest = b"\xfb\xff\xbf" * 10 + b"\xfb\xff"
    assert record_hash(digest) == "sha256=" + "-_-_" * 10 + "-_8"


def test_record_quotes_names_with_commas(tmp_path: Path) -> None:
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with WheelWriter(wheel, DIST_INFO) as writer:
        writer.add_bytes("demo/a,b.txt", "x")
    with zipfile.ZipFile(wheel) as archive:
        rows = list(csv.reader(io.StringIO(archive.read(f"{DIST_INFO}/RECORD").decode())))
    assert rows[0] == ["demo/a,b.txt", _b64_sha256(b"x"), "1"]


@pytest.mark.parametrize("epoch", [1_700_000_000, 1_234_567_890])
def test_timestamps_follow_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: int
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    wheel = _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    expected = time.gmtime(epoch)[:6]
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            # zip stores seconds with two-second resolution; both epochs are even
            assert info.date_time == expected, info.filename


def test_timestamps_before_1980_are_clamped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    wheel = _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    with zipfile.ZipFile(wheel) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_modes_are_0644_and_0755(tmp_path: Path) -> None:
    wheel = _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    with zipfile.ZipFile(wheel) as archive:
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert modes == {
        "demo/__init__.py": stat.S_IFREG | 0o644,
        "demo/demo.so": stat.S_IFREG | 0o755,  # executable on disk
        "demo-1.0.data/scripts/hello": stat.S_IFREG | 0o755,  # forced executable
        f"{DIST_INFO}/METADATA": stat.S_IFREG | 0o644,
        f"{DIST_INFO}/WHEEL": stat.S_IFREG | 0o644,
        f"{DIST_INFO}/RECORD": stat.S_IFREG | 0o644,
    }


def test_wheel_file_itself_is_world_readable(tmp_path: Path) -> None:
    wheel = _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    assert stat.S_IMODE(wheel.stat().st_mode) == 0o644


@pytest.mark.parametrize("compress", [True, False])
def test_compression_setting_is_applied(tmp_path: Path, compress: bool) -> None:
    wheel = _write_demo(tmp_path / "w.whl", tmp_path / "src", compress=compress)
    expected = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(wheel) as archive:
        assert {info.compress_type for info in archive.infolist()} == {expected}
        assert archive.testzip() is None


def test_same_inputs_give_byte_identical_wheels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _write_demo(tmp_path / "a" / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # a later wall clock
    second = _write_demo(tmp_path / "b" / "demo-1.0-py3-none-any.whl", tmp_path / "src2")
    assert first.read_bytes() == second.read_bytes()


def test_exception_inside_with_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    target = out / "demo-1.0-py3-none-any.whl"
    writer = WheelWriter(target, DIST_INFO)
    with pytest.raises(RuntimeError, match="cargo broke"), writer:
        writer.add_bytes("demo/__init__.py", "x = 1\n")
        raise RuntimeError("cargo broke")
    assert os.listdir(out) == []


def test_exception_keeps_an_older_wheel_intact(tmp_path: Path) -> None:
    target = tmp_path / "demo-1.0-py3-none-any.whl"
    _write_demo(target, tmp_path / "src")
    before = target.read_bytes()
    with pytest.raises(RuntimeError), WheelWriter(target, DIST_INFO) as writer:
        writer.add_bytes("demo/__init__.py", "broken")
        raise RuntimeError
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo-1.0-py3-none-any.whl", "src"]


def test_missing_source_file_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    writer = WheelWriter(out / "x-1-py3-none-any.whl", DIST_INFO)
    with pytest.raises(FileNotFoundError), writer:
        writer.add_file("x/missing.so", tmp_path / "missing.so")
    assert os.listdir(out) == []


@pytest.mark.parametrize("value", ["", "not-a-number"])
def test_bad_source_date_epoch_is_a_clear_error_or_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from setuptools_pyo3pack.errors import Pyo3PackError

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    try:
        _write_demo(tmp_path / "demo-1.0-py3-none-any.whl", tmp_path / "src")
    except Pyo3PackError as exc:
        assert "SOURCE_DATE_EPOCH" in str(exc)
