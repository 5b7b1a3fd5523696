"""A wheel's RECORD against its members: every file listed, with its true hash and size.

Installers refuse (or, worse, silently accept) a wheel whose RECORD is wrong, and repairing
one would write a fresh RECORD over the damage; so `audit` and `upload` check it first.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

from .errors import AuditError

#: Hashes RECORD may use (the wheel spec forbids md5 and sha1).
_ALGORITHMS = {"sha256", "sha384", "sha512"}
#: Members RECORD cannot list: itself and its signatures.
_UNLISTED = ("/RECORD", "/RECORD.jws", "/RECORD.p7s")


def verify_record(path: Path) -> None:
    """Raise AuditError naming the first member RECORD gets wrong (or a missing RECORD)."""
    try:
        with zipfile.ZipFile(path) as archive:
            problem = _problem(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AuditError(f"{path} is not a wheel: {exc}", hint="rebuild it") from None
    if problem:
        raise AuditError(f"{path}: {problem}",
                         hint="rebuild the wheel; was it changed after it was built?")


def record_problem(path: Path) -> str | None:
    """What is wrong with the wheel's RECORD (or the wheel), in a few words; None if nothing."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _problem(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a readable archive ({exc})"


def _problem(archive: zipfile.ZipFile) -> str | None:
    names = [n for n in archive.namelist() if not n.endswith("/")]
    records = [n for n in names if n.count("/") == 1 and n.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        return f"{len(records)} .dist-info/RECORD files, where a wheel has exactly one"
    text = archive.read(records[0]).decode("utf-8", errors="replace")
    listed: set[str] = set()
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) != 3:
            return f"{records[0]} has a row of {len(row)} fields, not 3: {','.join(row)}"
        name, digest, size = row
        listed.add(name)
        if name.endswith(_UNLISTED) and not digest:
            continue
        problem = _row_problem(archive, records[0], name, digest, size)
        if problem:
            return problem
    missing = [n for n in names if n not in listed and not n.endswith(_UNLISTED)]
    if missing:
        return f"{missing[0]} is in the wheel but not in {records[0]}"
    return None


def _row_problem(archive: zipfile.ZipFile, record: str, name: str, digest: str,
                 size: str) -> str | None:
    algorithm, _, expected = digest.partition("=")
    if algorithm not in _ALGORITHMS or not expected:
        return f"{record} gives {name} the hash {digest!r}, not sha256=<digest>"
    try:
        data = archive.read(name)
    except KeyError:
        return f"{record} lists {name}, which is not in the wheel"
    actual = base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=")
    if actual.decode("ascii") != expected.rstrip("="):
        return f"{name} does not match its hash in {record}"
    if size and size != str(len(data)):
        return f"{name} is {len(data)} bytes, and {record} says {size}"
    return None
