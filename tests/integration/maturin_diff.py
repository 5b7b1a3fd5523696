"""Differential checks against maturin: build one project with both tools, compare wheels.

maturin is a test dependency (`pip install -e '.[test]'`); it runs from this interpreter's
bin folder, sharing the session's cargo target folder.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from packaging.requirements import Requirement

MATURIN = Path(sys.executable).parent / "maturin"
#: Fields whose value names the tool, not the project.
_TOOL_FIELDS = {"generator"}


def maturin_build(project: Path, out: Path, *args: str) -> Path:
    """`maturin build` as a maturin user runs it in `project`; the one wheel it wrote."""
    assert MATURIN.exists(), "maturin is not installed: pip install -e '.[test]'"
    result = subprocess.run([MATURIN, "build", "-i", sys.executable, "-o", out, *args],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-4000:]
    (wheel,) = out.glob("*.whl")
    return wheel


@dataclass(frozen=True)
class WheelFacts:
    """What a user (or pip, or PyPI) sees of a wheel."""

    filename: str
    members: tuple[str, ...]
    tags: tuple[str, ...]
    metadata: dict[str, list[str]]
    body: str
    files: dict[str, bytes]
    """Members that are neither binaries (modules, executables) nor RECORD, by name."""
    sbom: dict[str, Any] | None


def wheel_facts(wheel: Path) -> WheelFacts:
    with zipfile.ZipFile(wheel) as archive:
        names = tuple(sorted(archive.namelist()))
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        message = email.parser.Parser().parsestr(
            archive.read(f"{dist_info}/METADATA").decode())
        wheel_file = archive.read(f"{dist_info}/WHEEL").decode()
        sboms = [n for n in names if "/sboms/" in n and n.endswith(".json")]
        sbom = json.loads(archive.read(sboms[0])) if sboms else None
        files = {n: data for n in names
                 if not n.endswith((".so", "RECORD", "WHEEL", "METADATA")) and "/sboms/" not in n
                 and not (data := archive.read(n)).startswith(b"\x7fELF")}
    metadata: dict[str, list[str]] = {}
    for key, value in message.items():
        if key.lower() not in _TOOL_FIELDS:
            metadata.setdefault(key.lower(), []).append(value)
    tags = tuple(sorted(line for line in wheel_file.splitlines() if line.startswith("Tag:")))
    return WheelFacts(wheel.name, names, tags, metadata, str(message.get_payload()), files, sbom)


def _requirement(text: str) -> tuple[str, str, frozenset[str], tuple[bool, ...]]:
    """A Requires-Dist entry by meaning: the two tools spell equal markers differently."""
    requirement = Requirement(text)
    environments = [{"extra": extra, "python_full_version": version,
                     "python_version": version.rsplit(".", 1)[0]}
                    for extra in ("", "extra", "test") for version in ("3.7.0", "3.12.0")]
    verdicts = tuple(requirement.marker.evaluate(env) if requirement.marker else True
                     for env in environments)
    return requirement.name, str(requirement.specifier), frozenset(requirement.extras), verdicts


def _sbom_shape(document: dict[str, Any] | None, root: Path) -> Any:
    """The SBOM without what differs between any two runs (serial number, time, tool) and
    with the project folder written as `@ROOT@`."""
    if document is None:
        return None
    document = json.loads(_relative_refs(json.dumps(document)).replace(str(root), "@ROOT@"))
    document.pop("serialNumber", None)
    document["metadata"].pop("timestamp", None)
    document["metadata"].pop("tools", None)
    return document


def _relative_refs(text: str) -> str:
    """maturin names path packages by their absolute folder; we write it relative to the
    packed crate's folder (so the SBOM does not depend on where the project is)."""
    root_ref = re.search(r'"component": \{[^}]*?"bom-ref": "path\+file://([^#"]*)', text)
    if root_ref is None:
        return text
    crate = unquote(root_ref.group(1))
    def relative(match: re.Match[str]) -> str:
        folder = Path(os.path.relpath(unquote(match.group(2)), crate)).as_posix()
        return f"{match.group(1)}{quote(folder, safe='/.')}"

    text = re.sub(r"(path\+file:)//(/[^#\"\s]*)", relative, text)
    return re.sub(r"(download_url=file://)(/[^#\"\s]*)", relative, text)


def assert_same_wheel(ours: Path, ours_root: Path, theirs: Path, theirs_root: Path) -> None:
    """Same file name, members, tags, METADATA fields (Requires-Dist by meaning), same
    generated files and the same SBOM."""
    a, b = wheel_facts(ours), wheel_facts(theirs)
    assert a.filename == b.filename
    assert a.members == b.members
    assert a.tags == b.tags
    requires = "requires-dist"
    assert {k: v for k, v in a.metadata.items() if k != requires} == \
        {k: v for k, v in b.metadata.items() if k != requires}
    assert sorted(map(_requirement, a.metadata.get(requires, []))) == \
        sorted(map(_requirement, b.metadata.get(requires, [])))
    assert a.body.strip() == b.body.strip()
    assert a.files == b.files
    assert _sbom_shape(a.sbom, ours_root) == _sbom_shape(b.sbom, theirs_root)


def normalise_paths(text: str, root: Path) -> str:
    return re.sub(re.escape(str(root)), "@ROOT@", text)
