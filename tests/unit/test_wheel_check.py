"""The independent wheel check finds what it claims to find (on hand-made wheels)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from tests import wheel_check

DIST_INFO = "demo-1.0.dist-info"
METADATA = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"
WHEEL = "Wheel-Version: 1.0\nGenerator: setuptools-pyo3pack (0)\nRoot-Is-Purelib: false\n" \
        "Tag: py3-none-any\n"


def _row(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def _wheel(folder: Path, members: dict[str, bytes], *, extra: dict[str, bytes] | None = None,
           name: str = "demo-1.0-py3-none-any.whl") -> Path:
    """A wheel with a correct RECORD for `members`, then `extra` written unrecorded."""
    files = {**members, f"{DIST_INFO}/METADATA": METADATA.encode(),
             f"{DIST_INFO}/WHEEL": WHEEL.encode()}
    record = "".join(_row(n, d) for n, d in files.items()) + f"{DIST_INFO}/RECORD,,\n"
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in {**(extra or {}), **files}.items():
            archive.writestr(member, data)
        archive.writestr(f"{DIST_INFO}/RECORD", record)
    return path


def test_a_good_wheel_has_no_problem(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, {"demo/__init__.py": b"x = 1\n"})
    assert wheel_check.built_by_suite(wheel)
    assert wheel_check.archive_problems(wheel) == []
    assert wheel_check.install_problems(wheel, None) == []


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_every_defect_is_named(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, {"demo/__init__.py": b"x = 1\n"},
                   extra={"../escape.py": b"", "/abs.py": b""})
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("demo/__init__.py", b"changed")  # a duplicate with other bytes
    problems = "\n".join(wheel_check.archive_problems(wheel))
    assert "duplicate member demo/__init__.py" in problems
    assert "../escape.py leaves the install folder" in problems
    assert "/abs.py is an absolute" in problems
    assert "RECORD: ../escape.py is in the archive but not in RECORD" in problems
    assert "the last member is demo/__init__.py" in problems


def test_a_wrong_hash_size_and_tag_are_found(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, {"demo/__init__.py": b"x = 1\n"},
                   name="demo-1.0-cp311-cp311-any.whl")
    rewritten = tmp_path / "out" / "demo-1.0-cp311-cp311-any.whl"
    rewritten.parent.mkdir()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(rewritten, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, b"x = 2\n\n" if info.filename == "demo/__init__.py" else data)
    problems = "\n".join(wheel_check.archive_problems(rewritten))
    assert "RECORD: demo/__init__.py has hash" in problems
    assert "has size 6, it holds 7 bytes" in problems
    assert "WHEEL: Tag lines ['py3-none-any'] differ from the file name's" in problems


def test_bad_metadata_is_found(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, {})
    broken = tmp_path / "broken" / wheel.name
    broken.parent.mkdir()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("METADATA"):
                data = b"Metadata-Version: 2.4\nName: other\nVersion: not a version\n"
            out.writestr(info, data)
    problems = "\n".join(wheel_check.archive_problems(broken))
    assert "METADATA:" in problems and "not a version" in problems
