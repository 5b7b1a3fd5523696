"""An independent check of a built wheel, with other tools than the one that wrote it.

`archive_problems` reads the zip itself: member names (no duplicates, no absolute paths, no
`..`), WHEEL and METADATA as `packaging` parses them, and every RECORD row against the bytes
and sizes in the archive. `twine_problems` runs `twine check --strict`. `install_problems`
installs the wheel three ways (pip and uv into fresh virtualenvs of an interpreter its tags
accept, and PyPA's `installer` library into a folder) and looks for every installed file.
Each returns a list of one-line problems, empty when the wheel is good.
"""

from __future__ import annotations

import base64
import csv
import email.parser
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata
from packaging.tags import Tag, parse_tag
from packaging.utils import canonicalize_name, parse_wheel_filename

#: WHEEL `Generator` prefixes of the wheels the suite builds (our writer, or setuptools'
#: bdist_wheel for the setuptools door); hand-made fixtures and maturin's wheels are left out.
BUILT_BY = ("setuptools-pyo3pack", "setuptools", "bdist_wheel")


def generator(path: Path) -> str | None:
    """The WHEEL file's Generator, None when the file is not a readable wheel."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")]
            if len(names) != 1:
                return None
            wheel = email.parser.Parser().parsestr(archive.read(names[0]).decode("utf-8"))
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    return wheel.get("Generator")


def built_by_suite(path: Path) -> bool:
    made_by = generator(path)
    return made_by is not None and made_by.split()[0] in BUILT_BY


def archive_problems(path: Path) -> list[str]:
    """Everything wrong with the wheel's archive, WHEEL, METADATA and RECORD."""
    try:
        name, version, _, tags = parse_wheel_filename(path.name)
    except ValueError as exc:
        return [f"file name: {exc}"]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            contents = {i.filename: archive.read(i) for i in infos if not i.is_dir()}
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"not a readable zip: {exc}"]
    names = [i.filename for i in infos]
    problems = _name_problems(names)
    found = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
    stems = [f[: -len(".dist-info")].rsplit("-", 1)[0] for f in found]
    if len(found) != 1 or canonicalize_name(stems[0]) != name:
        return [*problems, f"expected one .dist-info folder for {name}, found {sorted(found)}"]
    dist_info = next(iter(found))
    problems += _wheel_problems(contents.get(f"{dist_info}/WHEEL"), tags)
    problems += _metadata_problems(contents.get(f"{dist_info}/METADATA"), name, str(version))
    problems += _record_problems(contents, f"{dist_info}/RECORD")
    if names and not names[-1].startswith(f"{dist_info}/"):
        problems.append(f"the last member is {names[-1]}, not the .dist-info folder's")
    return problems


def _name_problems(names: Sequence[str]) -> list[str]:
    problems = [f"duplicate member {n}" for n in sorted({n for n in names if names.count(n) > 1})]
    for name in names:
        path = PurePosixPath(name)
        if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
            problems.append(f"member {name} is an absolute or non-POSIX path")
        if ".." in path.parts:
            problems.append(f"member {name} leaves the install folder (`..`)")
    return problems


def _wheel_problems(data: bytes | None, filename_tags: frozenset[Tag]) -> list[str]:
    if data is None:
        return ["no WHEEL file"]
    wheel = email.parser.Parser().parsestr(data.decode("utf-8"))
    problems = []
    if wheel.get("Wheel-Version") != "1.0":
        problems.append(f"WHEEL: Wheel-Version {wheel.get('Wheel-Version')!r}, not 1.0")
    if wheel.get("Root-Is-Purelib") not in ("true", "false"):
        problems.append(f"WHEEL: Root-Is-Purelib {wheel.get('Root-Is-Purelib')!r}")
    declared = {t for value in wheel.get_all("Tag") or [] for t in parse_tag(value)}
    if declared != set(filename_tags):
        problems.append(f"WHEEL: Tag lines {sorted(map(str, declared))} differ from the file "
                        f"name's {sorted(map(str, filename_tags))}")
    return problems


def _metadata_problems(data: bytes | None, name: str, version: str) -> list[str]:
    if data is None:
        return ["no METADATA file"]
    try:
        metadata = Metadata.from_email(data, validate=True)
    except (InvalidMetadata, ExceptionGroup) as exc:  # one problem, or a group of them
        causes = getattr(exc, "exceptions", [exc])
        return [f"METADATA: {cause}" for cause in causes]
    problems = []
    if canonicalize_name(metadata.name) != name:
        problems.append(f"METADATA: Name {metadata.name!r} does not match the file name")
    if str(metadata.version) != version:
        problems.append(f"METADATA: Version {metadata.version} does not match {version}")
    return problems


def _record_problems(contents: dict[str, bytes], record_name: str) -> list[str]:
    record = contents.get(record_name)
    if record is None:
        return ["no RECORD file"]
    rows = list(csv.reader(io.StringIO(record.decode("utf-8"))))
    problems: list[str] = []
    listed: dict[str, tuple[str, str]] = {}
    for row in rows:
        if len(row) != 3:
            problems.append(f"RECORD: row {row} has {len(row)} fields, not 3")
            continue
        if row[0] in listed:
            problems.append(f"RECORD: {row[0]} listed twice")
        listed[row[0]] = (row[1], row[2])
    signatures = {f"{record_name}.jws", f"{record_name}.p7s"}
    for member, data in contents.items():
        if member not in listed:
            if member not in signatures:
                problems.append(f"RECORD: {member} is in the archive but not in RECORD")
            continue
        digest, size = listed[member]
        if member == record_name:
            if digest or size:
                problems.append("RECORD: its own row has a hash or a size")
            continue
        algorithm, _, value = digest.partition("=")
        if algorithm != "sha256":
            problems.append(f"RECORD: {member} hashed with {algorithm or 'nothing'}, not sha256")
            continue
        actual = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if value != actual:
            problems.append(f"RECORD: {member} has hash {value}, its bytes hash to {actual}")
        if size != str(len(data)):
            problems.append(f"RECORD: {member} has size {size}, it holds {len(data)} bytes")
    problems += [f"RECORD: {n} is listed but not in the archive"
                 for n in listed if n not in contents]
    return problems


#: What `twine check --strict` says of a wheel whose project has no readme: no error in
#: the metadata (a description is optional), so only these are forgiven, and only then.
_NO_README = ("`long_description_content_type` missing", "`long_description` missing")


def twine_problems(paths: Iterable[Path]) -> list[str]:
    """`twine check --strict` over `paths` (one run), its complaints as problems."""
    paths = list(paths)
    if not paths:
        return []
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100000"}  # one line each
    result = subprocess.run([sys.executable, "-m", "twine", "--no-color", "check", "--strict",
                             *map(str, paths)], capture_output=True, text=True, check=False,
                            env=environment)
    if result.returncode == 0:
        return []
    problems: list[str] = []
    current = ""
    for line in (result.stdout + result.stderr).splitlines():
        line = line.strip()
        status = re.fullmatch(r"Checking (.+\.whl):\s*(PASSED|FAILED.*)", line)
        if status:
            current = status.group(1)
            continue
        forgiven = any(w in line for w in _NO_README) and not _has_description(Path(current))
        if line and not forgiven:
            problems.append(f"{current}: twine check --strict: {line}")
    return problems


def _has_description(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            message = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    except (OSError, zipfile.BadZipFile, StopIteration):
        return True
    return bool(str(message.get_payload()).strip() or message.get("Description"))


def install_problems(path: Path, python: Path | None) -> list[str]:
    """Install with `installer` into a folder and, when `python` (an interpreter the wheel's
    tags accept) is given, with pip and with uv into fresh virtualenvs of it."""
    problems = _installer_problems(path)
    if python is None:
        return problems
    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        for tool in ("pip", "uv"):
            venv = Path(tmp) / tool
            subprocess.run([str(python), "-m", "venv", "--without-pip", str(venv)], check=True)
            target = str(venv / "bin" / "python")
            argv = ([sys.executable, "-m", "pip", "--python", target, "install", "--quiet",
                     "--disable-pip-version-check"] if tool == "pip" else
                    [_uv(), "pip", "install", "--quiet", "--python", target, "--offline"])
            result = subprocess.run([*argv, "--no-deps", "--no-index", str(path)],
                                    capture_output=True, text=True, check=False)
            if result.returncode != 0:
                problems.append(f"{tool} install failed: {result.stderr.strip()[-500:]}")
                continue
            problems += [f"{tool}: {p}" for p in _installed_files_missing(venv, path)]
    return problems


def _uv() -> str:
    return str(Path(sys.executable).with_name("uv"))


def _installed_files_missing(venv: Path, wheel: Path) -> list[str]:
    """Files the installed RECORD names that are not there."""
    name = parse_wheel_filename(wheel.name)[0]
    code = ("import importlib.metadata as m, sys; d = m.distribution(sys.argv[1]); "
            "print('\\n'.join(str(f) for f in d.files or [] if not f.locate().exists()))")
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code, name],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return [f"the installed distribution is not found: {result.stderr.strip()[-300:]}"]
    return [f"installed file {f} missing" for f in result.stdout.split()]


def _installer_problems(path: Path) -> list[str]:
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    with tempfile.TemporaryDirectory(prefix="wheel-check-") as tmp:
        scheme = {key: str(Path(tmp) / key)
                  for key in ("purelib", "platlib", "headers", "scripts", "data")}
        destination = SchemeDictionaryDestination(scheme, interpreter=sys.executable,
                                                  script_kind="posix")
        try:
            with WheelFile.open(path) as source:
                install(source, destination, {})
        except Exception as exc:  # installer reports a bad wheel with several exception types
            return [f"installer: {type(exc).__name__}: {exc}"]
        root = Path(tmp)
        record = next(root.glob("*lib/*.dist-info/RECORD"), None)
        if record is None:
            return ["installer: no RECORD installed"]
        missing = []
        for row in csv.reader(io.StringIO(record.read_text("utf-8"))):
            installed = (record.parent.parent / row[0]).resolve()
            if row and not installed.exists():
                missing.append(f"installer: installed file {row[0]} missing")
        return missing
