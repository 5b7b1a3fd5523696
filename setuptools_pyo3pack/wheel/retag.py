"""Give a built wheel a new platform tag: its file name, WHEEL `Tag:` lines and RECORD."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

from packaging.tags import parse_tag

from ..audit.errors import AuditError
from ..audit.wheel import open_wheel
from ..fs import CHUNK, atomic_path
from .writer import record_hash


def retag_wheel(path: Path, platform_tag: str) -> Path:
    """Give a wheel a new platform tag: file name, WHEEL `Tag:` lines and RECORD.

    The new wheel is written next to the old one under a temporary name and renamed into
    place; the old file is then removed. Members keep their order, timestamps and modes.
    """
    if not _PLATFORM_TAG.match(platform_tag):
        raise AuditError(f"`{platform_tag}` is not a valid platform tag")
    stem = path.name[: -len(".whl")].split("-")
    new_path = path.with_name("-".join([*stem[:-1], platform_tag]) + ".whl")
    with open_wheel(path) as source:
        dist_info = _dist_info(source, path)
        wheel_name, record_name = f"{dist_info}/WHEEL", f"{dist_info}/RECORD"
        wheel_text = retag_wheel_metadata(source.read(wheel_name).decode("utf-8"), platform_tag)
        with atomic_path(new_path) as tmp, zipfile.ZipFile(tmp, "w") as out:
            hashes = _copy_members(
                source, out, skip=record_name, replace={wheel_name: wheel_text.encode("utf-8")}
            )
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


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.external_attr = info.external_attr
    copy.compress_type = info.compress_type
    copy.create_system = info.create_system
    return copy


def _copy_members(
    source: zipfile.ZipFile, out: zipfile.ZipFile, *, skip: str, replace: dict[str, bytes]
) -> dict[str, tuple[str, int]]:
    """Stream every member but `skip` into `out`, in order; return name -> (hash, size)."""
    hashes: dict[str, tuple[str, int]] = {}
    for info in source.infolist():
        if info.filename == skip:
            continue
        if info.filename in replace:
            data = replace[info.filename]
            out.writestr(_copy_info(info), data)
            hashes[info.filename] = (record_hash(hashlib.sha256(data).digest()), len(data))
            continue
        digest, size = hashlib.sha256(), 0
        with (
            source.open(info) as src,
            out.open(_copy_info(info), "w", force_zip64=info.file_size > _ZIP64_LIMIT) as dst,
        ):
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        if not info.is_dir():
            hashes[info.filename] = (record_hash(digest.digest()), size)
    return hashes


def _record(text: str, hashes: dict[str, tuple[str, int]], record_name: str) -> str:
    """RECORD's rows in their order, with the hash and size of what the new wheel holds."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    listed = set()
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        name = row[0]
        listed.add(name)
        if name == record_name:
            writer.writerow((name, "", ""))
        elif name in hashes:
            writer.writerow((name, *hashes[name]))
        else:
            writer.writerow(row)
    if record_name not in listed:
        writer.writerow((record_name, "", ""))
    return out.getvalue()


_PLATFORM_TAG = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


_ZIP64_LIMIT = (1 << 31) - 1
