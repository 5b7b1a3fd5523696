"""Crafted wheels (members or RECORD rows with `..` or absolute paths) are refused by the audit
and by the installer `develop` uses; leftovers of killed writers are cleaned up."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit.errors import AuditError
from setuptools_pyo3pack.audit.wheel import audit_wheel
from setuptools_pyo3pack.compile.interpreters import probe_one
from setuptools_pyo3pack.errors import Pyo3PackError
from setuptools_pyo3pack.fs import (
    _host_tag,
    atomic_path,
    scratch_folder,
    unsafe_member_name,
    write_atomic,
)
from setuptools_pyo3pack.install.develop import install_wheel

NAME = "demo-1.0-py3-none-any.whl"
DIST_INFO = "demo-1.0.dist-info"


@pytest.mark.parametrize(("name", "unsafe"), [
    ("demo/__init__.py", False),
    ("demo-1.0.data/scripts/tool", False),
    ("demo/..hidden/x.py", False),
    ("../evil.py", True),
    ("demo/../../evil.py", True),
    ("/etc/evil", True),
    ("\\evil", True),
    ("C:/evil", True),
    ("demo\\..\\..\\evil", True),
    ("", True),
])
def test_unsafe_member_names(name: str, unsafe: bool) -> None:
    assert unsafe_member_name(name) is unsafe


def crafted(where: Path, *, member: str = "demo/__init__.py", row: str | None = None) -> Path:
    """A small wheel with one member `member`; `row` is put in RECORD in its place."""
    path = where / NAME
    record = f"{row or member},,\n{DIST_INFO}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, "print('installed')\n")
        archive.writestr(f"{DIST_INFO}/METADATA", "Metadata-Version: 2.1\nName: demo\n"
                                                  "Version: 1.0\n")
        archive.writestr(f"{DIST_INFO}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\n"
                                               "Root-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(f"{DIST_INFO}/RECORD", record)
    return path


CRAFTED = [
    pytest.param({"member": "../../../../evil.py"}, id="member-dotdot"),
    pytest.param({"member": "/tmp/evil.py"}, id="member-absolute"),
    pytest.param({"row": "../../../../evil.py"}, id="record-dotdot"),
    pytest.param({"row": "/tmp/evil.py"}, id="record-absolute"),
]


@pytest.mark.parametrize("craft", CRAFTED)
def test_audit_refuses_crafted_wheels(tmp_path: Path, craft: dict[str, str]) -> None:
    wheel = crafted(tmp_path, **craft)
    with pytest.raises(AuditError, match="names a file outside the install folders"):
        audit_wheel(wheel)
    result = subprocess.run([sys.executable, "-m", "setuptools_pyo3pack", "audit", wheel],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_audit_accepts_the_same_wheel_uncrafted(tmp_path: Path) -> None:
    assert audit_wheel(crafted(tmp_path)).verdict is None  # pure: nothing native to judge


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", where], check=True)
    return where


@pytest.mark.parametrize("craft", CRAFTED)
def test_install_refuses_crafted_wheels(tmp_path: Path, venv: Path,
                                        craft: dict[str, str]) -> None:
    before = sorted(p for p in venv.rglob("*"))
    wheel = crafted(tmp_path, **craft)
    with pytest.raises(Pyo3PackError, match="refusing to install it"):
        install_wheel(wheel, probe_one(str(venv / "bin" / "python")), venv)
    assert sorted(p for p in venv.rglob("*")) == before
    assert not (tmp_path / "evil.py").exists()


def test_install_of_the_uncrafted_wheel_works(tmp_path: Path, venv: Path) -> None:
    record = install_wheel(crafted(tmp_path), probe_one(str(venv / "bin" / "python")), venv)
    assert record.is_file()
    assert (record.parent.parent / "demo" / "__init__.py").is_file()


def test_a_killed_writers_temporary_is_removed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "out.whl"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = _host_tag()
    stale = tmp_path / f".out.whl.{dead.pid}-{host}.abc123.tmp"
    live = tmp_path / f".out.whl.{os.getpid()}-{host}.def456.tmp"
    elsewhere = tmp_path / f".out.whl.{dead.pid}-0000beef.abc123.tmp"  # another machine's
    other = tmp_path / f".other.whl.{dead.pid}-{host}.x.tmp"
    for path in (stale, live, elsewhere, other):
        path.write_bytes(b"partial")
    write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole"
    assert not stale.exists()
    assert live.exists() and elsewhere.exists() and other.exists()


def test_a_killed_runs_scratch_folder_is_removed_by_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repair's folder in the system's temporary folder: a SIGKILLed run cannot remove
    it, so the next run does; a live run's, another machine's and other names stay."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = _host_tag()
    stale = tmp_path / f"pyo3-pack-repair-{dead.pid}-{host}-k2j4_x9a"
    live = tmp_path / f"pyo3-pack-repair-{os.getpid()}-{host}-abcdefgh"
    elsewhere = tmp_path / f"pyo3-pack-repair-{dead.pid}-0000beef-abcdefgh"
    unrelated = tmp_path / "pyo3-pack-repair-notours"
    for folder in (stale, live, elsewhere, unrelated):
        (folder / "natives").mkdir(parents=True)
        (folder / "natives" / "lib.so").write_bytes(b"half")
    with scratch_folder("pyo3-pack-repair-") as folder:
        assert folder.parent == tmp_path and folder.is_dir()
        assert folder.name.startswith(f"pyo3-pack-repair-{os.getpid()}-{host}-")
    assert not folder.exists() and not stale.exists()
    assert live.exists() and elsewhere.exists() and unrelated.exists()


def test_an_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.whl"
    target.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.whl"]
    assert target.read_bytes() == b"old"
