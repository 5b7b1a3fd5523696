"""Auditing and re-tagging whole wheels, the `pyo3-pack audit` command, and auditwheel's view."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import AuditError, audit_wheel
from setuptools_pyo3pack.frontends.cli import main
from setuptools_pyo3pack.wheel.rewrite import retag_wheel, retag_wheel_metadata
from setuptools_pyo3pack.wheel.writer import WheelWriter
from tests.unit.audit_fixtures import Natives, build_natives

DIST_INFO = "demo-1.0.dist-info"
NAME = "demo-1.0-cp311-cp311-linux_x86_64.whl"
METADATA = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"
WHEEL = "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: {tag}\n"


@pytest.fixture(scope="session")
def natives(tmp_path_factory: pytest.TempPathFactory) -> Natives:
    return build_natives(tmp_path_factory.getbasetemp() / "audit-natives")


def make_wheel(
    folder: Path, members: dict[str, Path], *, tag: str = "cp311-cp311-linux_x86_64"
) -> Path:
    path = folder / f"demo-1.0-{tag}.whl"
    with WheelWriter(path, DIST_INFO) as wheel:
        wheel.add_bytes("demo/__init__.py", "from .demo import *\n")
        for name, source in members.items():
            wheel.add_file(name, source)
        wheel.add_bytes(f"{DIST_INFO}/METADATA", METADATA)
        wheel.add_bytes(f"{DIST_INFO}/WHEEL", WHEEL.format(tag=tag))
    return path


def test_audit_wheel_finds_native_files_by_magic(natives: Natives, tmp_path: Path) -> None:
    wheel = make_wheel(
        tmp_path,
        {"demo/old.so": natives.old, "demo-1.0.data/scripts/hello": natives.hello},
    )
    audit = audit_wheel(wheel)
    assert audit.verdict is not None
    assert [info.path for info in audit.verdict.files] == [
        "demo/old.so", "demo-1.0.data/scripts/hello",
    ]
    # the executable's __libc_start_main@GLIBC_2.34 decides (on glibc >= 2.34 hosts)
    hello_versions = audit.verdict.files[1].version_needs["libc.so.6"]
    if "GLIBC_2.34" in hello_versions:
        assert audit.verdict.platform_tag == "manylinux_2_34_x86_64"
    text = audit.render()
    assert text.splitlines()[0] == f"{NAME}:"
    assert f"  platform tag: {audit.verdict.platform_tag} (glibc, x86_64)" in text


def test_bundled_library_found_through_origin_is_not_external(
    natives: Natives, tmp_path: Path
) -> None:
    wheel = make_wheel(
        tmp_path,
        {"demo/ext.so": natives.ext_origin, "demo.libs/libhelper.so.1": natives.helper},
    )
    audit = audit_wheel(wheel)
    assert audit.verdict is not None
    assert audit.verdict.platform_tag == "manylinux_2_5_x86_64.manylinux1_x86_64"


def test_pure_wheel(tmp_path: Path) -> None:
    audit = audit_wheel(make_wheel(tmp_path, {}, tag="py3-none-any"))
    assert audit.verdict is None
    assert audit.to_json()["pure"] is True
    assert "no native files" in audit.render()


def _check_record(wheel: zipfile.ZipFile) -> None:
    record_name = f"{DIST_INFO}/RECORD"
    rows = list(csv.reader(io.StringIO(wheel.read(record_name).decode())))
    assert {row[0] for row in rows} == set(wheel.namelist())
    for name, digest, size in rows:
        if name == record_name:
            assert (digest, size) == ("", "")
            continue
        data = wheel.read(name)
        expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert digest == f"sha256={expected}", name
        assert int(size) == len(data), name


def test_retag_wheel(natives: Natives, tmp_path: Path) -> None:
    old = make_wheel(tmp_path, {"demo/old.so": natives.old})
    with zipfile.ZipFile(old) as before:
        infos = [(i.filename, i.date_time, i.external_attr) for i in before.infolist()]
    new = retag_wheel(old, "manylinux_2_17_x86_64.manylinux2014_x86_64")
    assert new.name == "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    assert not old.exists()
    assert [p.name for p in tmp_path.iterdir()] == [new.name]
    with zipfile.ZipFile(new) as after:
        assert [(i.filename, i.date_time, i.external_attr) for i in after.infolist()] == infos
        assert after.read(f"{DIST_INFO}/WHEEL").decode() == (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\n"
            "Tag: cp311-cp311-manylinux_2_17_x86_64\n"
            "Tag: cp311-cp311-manylinux2014_x86_64\n"
        )
        assert after.read("demo/old.so") == natives.old.read_bytes()
        _check_record(after)


def test_retag_wheel_to_the_same_tag_keeps_the_file(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, {})
    assert retag_wheel(wheel, "linux_x86_64") == wheel
    assert [p.name for p in tmp_path.iterdir()] == [NAME]
    with zipfile.ZipFile(wheel) as archive:
        _check_record(archive)


def test_retag_wheel_rejects_a_bad_tag_and_leaves_no_temp_file(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, {})
    with pytest.raises(AuditError, match="not a valid platform tag"):
        retag_wheel(wheel, "manylinux 2014")
    assert [p.name for p in tmp_path.iterdir()] == [NAME]


@pytest.mark.parametrize(
    ("tags", "platform", "expected"),
    [
        (["py3-none-linux_x86_64"], "musllinux_1_2_x86_64", ["py3-none-musllinux_1_2_x86_64"]),
        (
            ["cp39-abi3-linux_x86_64"],
            "manylinux_2_5_x86_64.manylinux1_x86_64",
            ["cp39-abi3-manylinux_2_5_x86_64", "cp39-abi3-manylinux1_x86_64"],
        ),
        (
            ["cp311-cp311-linux_x86_64", "cp312-cp312-linux_x86_64"],
            "manylinux_2_28_x86_64",
            ["cp311-cp311-manylinux_2_28_x86_64", "cp312-cp312-manylinux_2_28_x86_64"],
        ),
    ],
)
def test_retag_wheel_metadata(tags: list[str], platform: str, expected: list[str]) -> None:
    text = "Wheel-Version: 1.0\n" + "".join(f"Tag: {t}\n" for t in tags) + "Build: 1\n"
    assert retag_wheel_metadata(text, platform) == (
        "Wheel-Version: 1.0\n" + "".join(f"Tag: {t}\n" for t in expected) + "Build: 1\n"
    )


def test_cli_audit(natives: Natives, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = make_wheel(tmp_path, {"demo/old.so": natives.old})
    assert main(["audit", str(wheel)]) == 0
    out = capsys.readouterr().out
    assert "platform tag: manylinux_2_5_x86_64.manylinux1_x86_64 (glibc, x86_64)" in out
    assert main(["audit", "--json", str(wheel)]) == 0
    [result] = json.loads(capsys.readouterr().out)
    assert result["wheel"] == str(wheel)
    assert result["policy"] == "manylinux_2_5_x86_64"
    assert result["versioned_symbols"] == {"libc.so.6": ["GLIBC_2.2.5"]}


@pytest.mark.parametrize("kind", ["missing", "not-a-zip", "bad-name"])
def test_cli_audit_errors(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / (NAME if kind != "bad-name" else "demo.zip")
    if kind != "missing":
        path.write_text("not a wheel")
    assert main(["audit", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"pyo3-pack: error: {path}")
    assert ("does not exist" if kind == "missing" else "is not a wheel") in line


@pytest.mark.parametrize("fixture", ["old", "new", "zweak", "zstrong", "ext", "ext_origin"])
def test_auditwheel_agrees(fixture: str, natives: Natives, tmp_path: Path) -> None:
    members = {f"demo/{fixture}.so": getattr(natives, fixture)}
    if fixture == "ext_origin":
        members["demo.libs/libhelper.so.1"] = natives.helper
    wheel = make_wheel(tmp_path, members)
    ours = audit_wheel(wheel).verdict
    assert ours is not None
    result = subprocess.run(
        [sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"auditwheel show --json failed: {result.stderr[-300:]}"
    theirs = json.loads(result.stdout)
    assert (ours.policy.tag if ours.policy else "linux_x86_64") == theirs["overall_tag"]
    assert {lib: set(v) for lib, v in ours.versioned_symbols().items()} == {
        lib: set(v) for lib, v in theirs["versioned_symbols"].items()
    }
