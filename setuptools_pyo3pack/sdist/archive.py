"""The sdist archive: a deterministic `.tar.gz` (sorted, one mtime, owner 0), written atomically."""

from __future__ import annotations

import calendar
import gzip
import io
import os
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from ..fs import Member, atomic_path, fixed_date_time


def source_date_epoch() -> int:
    """The one timestamp of every member and of the gzip header."""
    return calendar.timegm(fixed_date_time())


def tar_info(name: str, size: int, *, executable: bool, mtime: int) -> tarfile.TarInfo:
    """A member header that says nothing about the machine that wrote it."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o755 if executable else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.type = tarfile.REGTYPE
    return info


def write_tar_gz(path: Path, prefix: str, members: Iterable[Member], mtime: int) -> None:
    """Write the archive to a temporary file next to `path`, then rename it into place."""
    with atomic_path(path) as tmp, open(tmp, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as compressed, \
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in sorted(members, key=lambda m: m.archive_name):
            stream: IO[bytes]
            if member.source is not None:
                stream = open(member.source, "rb")  # noqa: SIM115 - closed below
                size = os.fstat(stream.fileno()).st_size
            else:
                data = member.read_bytes()
                stream, size = io.BytesIO(data), len(data)
            with stream:
                info = tar_info(f"{prefix}/{member.archive_name}", size,
                                executable=member.executable, mtime=mtime)
                tar.addfile(info, stream)
