"""Rewrite a finished wheel: a new platform tag (file name, WHEEL `Tag:` lines) and, after a
repair, patched native files and grafted libraries; RECORD follows what the new wheel holds.

Members keep their order, timestamps and modes; new members go just before the .dist-info
folder, which stays last. The new wheel replaces the old one atomically."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import IO

from packaging.tags import parse_tag

from ..audit.errors import AuditError
from ..audit.wheel import open_wheel
from ..fs import CHUNK, Member, atomic_path
from .writer import record_hash


def retag_wheel(path: Path, platform_tag: str) -> Path:
    """Give a wheel a new platform tag; returns its new path."""
    return rewrite_wheel(path, platform_tag)


def rewrite_wheel(path: Path, platform_tag: str,
                  members: Mapping[str, Member] | None = None) -> Path:
    """The wheel with `platform_tag`, and `members` replacing (or joining) those of the same
    archive name. Returns the new path; the old file is removed when the name changed."""
    if not _PLATFORM_TAG.match(platform_tag):
        raise AuditError(f"`{platform_tag}` is not a valid platform tag")
    stem = path.name[: -len(".whl")].split("-")
    new_path = path.with_name("-".join([*stem[:-1], platform_tag]) + ".whl")
    with open_wheel(path) as source:
        dist_info = _dist_info(source, path)
        wheel_name, record_name = f"{dist_info}/WHEEL", f"{dist_info}/RECORD"
        wheel_text = retag_wheel_metadata(source.read(wheel_name).decode("utf-8"), platform_tag)
        replace = {**(members or {}), wheel_name: Member(wheel_name, data=wheel_text)}
        with atomic_path(new_path) as tmp, zipfile.ZipFile(tmp, "w") as out:
            hashes = _copy_members(source, out, skip=record_name, replace=replace,
                                   before=f"{dist_info}/")
            record = _record(source.read(record_name).decode("utf-8"), hashes, record_name)
            out.writestr(_copy_info(source.getinfo(record_name)), record)
    if new_path != path:
        path.unlink()
    return new_path


def retag_wheel_metadata(text: str, platform_tag: str) -> str:
    """Replace WHEEL's `Tag:` lines with one line per (python, abi) and new platform."""
    lines = text.splitlines()
    pairs: list[tuple[str, str]] = []
    first: int | None = None
    kept: list[str] = []
    for line in lines:
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "tag":
            first = len(kept) if first is None else first
            for tag in sorted(parse_tag(value.strip()), key=str):
                if (tag.interpreter, tag.abi) not in pairs:
                    pairs.append((tag.interpreter, tag.abi))
            continue
        kept.append(line)
    if first is None:
        raise AuditError("the wheel's WHEEL file has no `Tag:` line", hint="rebuild the wheel")
    tags = [f"Tag: {py}-{abi}-{plat}" for py, abi in pairs for plat in platform_tag.split(".")]
    kept[first:first] = tags
    return "\n".join(kept) + "\n"


def _dist_info(source: zipfile.ZipFile, path: Path) -> str:
    dirs = sorted(
        name[: -len("/WHEEL")]
        for name in source.namelist()
        if name.endswith(".dist-info/WHEEL") and name.count("/") == 1
    )
    if len(dirs) != 1 or f"{dirs[0]}/RECORD" not in source.namelist():
        raise AuditError(
            f"{path} is not a wheel: no single .dist-info with WHEEL and RECORD", hint="rebuild it"
        )
    return dirs[0]


def _copy_info(info: zipfile.ZipInfo, name: str | None = None) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(name or info.filename, date_time=info.date_time)
    copy.external_attr = info.external_attr
    copy.compress_type = info.compress_type
    copy.create_system = info.create_system
    return copy


def _copy_members(
    source: zipfile.ZipFile, out: zipfile.ZipFile, *, skip: str,
    replace: Mapping[str, Member], before: str,
) -> dict[str, tuple[str, int]]:
    """Stream every member but `skip` into `out` in order, `replace`d ones from their new
    content, new ones just before the first name starting with `before`; return
    name -> (RECORD hash, size)."""
    hashes: dict[str, tuple[str, int]] = {}
    pending = {name: m for name, m in replace.items() if name not in source.namelist()}
    template: zipfile.ZipInfo | None = None
    for info in source.infolist():
        if info.filename == skip:
            continue
        if pending and info.filename.startswith(before):
            for name in sorted(pending):
                copy = _copy_info(template or info, name)
                copy.external_attr = (0o100755 if pending[name].executable else 0o100644) << 16
                hashes[name] = _write(out, copy, pending[name])
            pending = {}
        template = template or info
        if info.filename in replace:
            hashes[info.filename] = _write(out, _copy_info(info), replace[info.filename])
            continue
        with source.open(info) as stream:
            digest = _stream(stream, out, _copy_info(info), info.file_size)
        if not info.is_dir():
            hashes[info.filename] = digest
    return hashes


def _write(out: zipfile.ZipFile, info: zipfile.ZipInfo, member: Member) -> tuple[str, int]:
    if member.source is not None:
        with open(member.source, "rb") as stream:
            return _stream(stream, out, info, member.source.stat().st_size)
    data = member.read_bytes()
    out.writestr(info, data)
    return record_hash(hashlib.sha256(data).digest()), len(data)


def _stream(stream: IO[bytes], out: zipfile.ZipFile, info: zipfile.ZipInfo,
            size_hint: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with out.open(info, "w", force_zip64=size_hint > _ZIP64_LIMIT) as dst:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return record_hash(digest.digest()), size


def _record(text: str, hashes: dict[str, tuple[str, int]], record_name: str) -> str:
    """RECORD's rows in their order, with the hash and size of what the new wheel holds;
    rows of new members after them, and RECORD's own row last."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    listed = {record_name}
    for row in csv.reader(io.StringIO(text)):
        if not row or row[0] == record_name:
            continue
        listed.add(row[0])
        writer.writerow((row[0], *hashes[row[0]]) if row[0] in hashes else row)
    for name in sorted(set(hashes) - listed):
        writer.writerow((name, *hashes[name]))
    writer.writerow((record_name, "", ""))
    return out.getvalue()


_PLATFORM_TAG = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


_ZIP64_LIMIT = (1 << 31) - 1
