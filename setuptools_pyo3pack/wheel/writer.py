"""A streaming wheel writer: hashes while writing, RECORD last, atomic rename into place."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import stat
import zipfile
from contextlib import ExitStack, suppress
from pathlib import Path
from types import TracebackType

from ..fs import CHUNK, atomic_path, fixed_date_time


def record_hash(digest: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class WheelWriter:
    """Write a wheel member by member; `close()` adds RECORD and renames the file into place.

    Used as a context manager: an exception inside the block deletes the temporary file, so
    a failed build never leaves a partial wheel behind.
    """

    def __init__(self, path: Path, dist_info: str, *, compress: bool = True) -> None:
        self.path = path
        self.dist_info = dist_info
        self.records: list[tuple[str, str, int]] = []
        self._date_time = fixed_date_time()
        self._compression = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        # the archive reaches `path` only when close() commits the atomic rename
        self._output = ExitStack()
        self._tmp = self._output.enter_context(atomic_path(path))
        self._zip = zipfile.ZipFile(self._tmp, "w", compression=self._compression)

    def __enter__(self) -> WheelWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard(exc)

    def _info(self, name: str, executable: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        mode = 0o755 if executable else 0o644
        info.external_attr = (stat.S_IFREG | mode) << 16
        info.compress_type = self._compression
        return info

    def add_file(self, name: str, source: Path, *, executable: bool | None = None) -> None:
        """Stream `source` into the archive as `name`, hashing on the way."""
        if executable is None:
            executable = bool(source.stat().st_mode & 0o111)
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as src, self._zip.open(self._info(name, executable), "w") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        self.records.append((name, record_hash(digest.digest()), size))

    def add_bytes(self, name: str, data: bytes | str, *, executable: bool = False) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self._zip.writestr(self._info(name, executable), payload)
        self.records.append((name, record_hash(hashlib.sha256(payload).digest()), len(payload)))

    def record_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerows((name, digest, size) for name, digest, size in self.records)
        writer.writerow((f"{self.dist_info}/RECORD", "", ""))
        return out.getvalue()

    def close(self) -> None:
        try:
            record = self.record_text().encode("utf-8")
            self._zip.writestr(self._info(f"{self.dist_info}/RECORD", False), record)
            self._zip.close()
        except BaseException as exc:  # a full disk shows up here too: no partial wheel
            self.discard(exc)
            raise
        self._output.close()

    def discard(self, exc: BaseException | None = None) -> None:
        """Delete the temporary file; `exc` (a write error) becomes the one-line error of
        `atomic_path` when it is one the user can act on."""
        with suppress(OSError):  # the temporary file goes anyway
            self._zip.close()
        error = exc if exc is not None else RuntimeError("wheel discarded")
        self._output.__exit__(type(error), error, error.__traceback__)
