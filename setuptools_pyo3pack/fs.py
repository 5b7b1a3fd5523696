"""Files on their way into an archive or a folder: members, timestamps, atomic replacement.

Every output (wheel, sdist, stamp, cache, a module copied into the source tree) reaches its
final name through `atomic_path`: written under a temporary name in the same folder, then
renamed. A reader sees the old file or the new one, never half of one, and a failure (or an
interrupt) leaves no partial file behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, OutputError

#: Bytes read or written at a time when streaming files.
CHUNK = 1 << 20
#: The earliest time a zip file can hold (1980-01-01).
ZIP_EPOCH = 315532800


@dataclass(frozen=True)
class Member:
    """One file of a wheel, an sdist or an install: from disk (`source`) or in memory (`data`).

    `archive_name` is the `/`-separated path inside the archive (or below the destination
    folder).
    """

    archive_name: str
    source: Path | None = None
    data: str | bytes | None = None
    executable: bool = False

    def read_bytes(self) -> bytes:
        """The member's content (a file member is read whole: use `source` to stream)."""
        if self.source is not None:
            return self.source.read_bytes()
        if isinstance(self.data, str):
            return self.data.encode("utf-8")
        return self.data or b""


def fixed_date_time() -> tuple[int, int, int, int, int, int]:
    """Every member's timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return time.gmtime(ZIP_EPOCH)[:6]
    try:
        epoch = int(value)
    except ValueError:
        raise ConfigError(
            f"SOURCE_DATE_EPOCH={value!r} is not a whole number of seconds",
            hint="set it to e.g. $(git log -1 --format=%ct), or unset it",
        ) from None
    return time.gmtime(max(epoch, ZIP_EPOCH))[:6]


#: what to do about the errors a write commonly meets
_WRITE_HINTS = {
    errno.ENOSPC: "free some space on that disk, or choose another output folder",
    errno.EDQUOT: "free some of your disk quota, or choose another output folder",
    errno.EFBIG: "the file is larger than this process may write (see `ulimit -f`)",
    errno.EROFS: "that file system is read-only: choose another output folder",
    errno.ENOTDIR: "a file is in the way: remove it or choose another output folder",
    errno.EEXIST: "a file is in the way: remove it or choose another output folder",
}


def _writing(error: OSError, *paths: Path) -> bool:
    """Whether `error` came from writing the output (a write has no file name, or its own)."""
    if error.errno in _WRITE_HINTS or error.filename is None:
        return True
    return any(str(error.filename) == str(p) for p in paths)


def output_error(path: Path, error: OSError) -> OutputError:
    """`error`, met while writing `path`, as one line naming the file and what to do."""
    other = f" ({error.filename})" if error.filename and str(error.filename) != str(path) \
        and not str(error.filename).startswith(str(path.parent / f".{path.name}.")) else ""
    reason = error.strerror or str(error)
    hint = _WRITE_HINTS.get(error.errno or 0, "check that the output folder is writable")
    return OutputError(f"cannot write {path}: {reason}{other}", hint=hint)


def _host_tag() -> str:
    """This machine, shortly: a folder shared over the network may hold another host's files,
    whose pids mean nothing here."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def _temp_prefix(path: Path) -> str:
    """`.{name}.{pid}-{host}.`: tells a dead writer's leftover from a live writer's file."""
    return f".{path.name}.{os.getpid()}-{_host_tag()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead_writer(name: str) -> bool:
    """Whether `name`'s `{pid}-{host}` part is a process of this host that has ended."""
    pid, _, tag = name.partition("-")
    return tag == _host_tag() and pid.isdigit() and not _alive(int(pid))


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of `path` left by writers that were killed (SIGKILL, power
    loss) before they could clean up; files of live writers are left alone."""
    try:
        candidates = list(path.parent.glob(f".{path.name}.*.tmp"))
    except OSError:
        return
    for candidate in candidates:
        if _dead_writer(candidate.name[len(path.name) + 2:].split(".", 1)[0]):
            # another writer may have removed it first, or the folder is read-only
            with suppress(OSError):
                candidate.unlink()


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A private folder in the system's temporary folder, removed afterwards; the folders a
    killed run of ours left there (`{prefix}{pid}-{host}-...`) are removed first."""
    root = Path(tempfile.gettempdir())
    with suppress(OSError):
        for leftover in root.glob(f"{prefix}*"):
            if _dead_writer(leftover.name[len(prefix):].rsplit("-", 1)[0]):
                shutil.rmtree(leftover, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-{_host_tag()}-") as folder:
        yield Path(folder)


@contextmanager
def atomic_path(path: Path, *, mode: int = 0o644, unlink_first: bool = False) -> Iterator[Path]:
    """A temporary path next to `path`; on success it is renamed to `path`, else deleted.

    `unlink_first` removes the old file before the rename, so a process that has it mapped
    (a running interpreter with the old native module) keeps its copy intact. A full disk or
    an unwritable folder becomes an `OutputError` (one line); an interrupt (SIGINT) removes
    the temporary file, and one left by a killed process is removed by the next writer.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        fd, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise output_error(path, error) from error
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        if unlink_first and (path.exists() or path.is_symlink()):
            path.unlink()
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if not _writing(error, tmp, path):
            raise  # reading an input went wrong: its own message names it
        raise output_error(path, error) from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes, *, mode: int = 0o644) -> None:
    """Replace `path` with `data` (text as UTF-8), atomically."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path, mode=mode) as tmp:
        tmp.write_bytes(payload)


def copy_into_tree(source: Path, destination: Path) -> None:
    """Replace `destination` with a copy of `source`, unlinking the old file first: a running
    interpreter that has the old library mapped keeps its copy instead of crashing."""
    with atomic_path(destination, mode=0o755, unlink_first=True) as tmp:
        shutil.copyfile(source, tmp)


def sha256_file(path: Path) -> tuple[str, int]:
    """The hex SHA-256 digest of a file and its size, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def size_label(path: Path) -> str:
    """A file's size for people: `12.3 KB`, `4.5 MB`."""
    size = path.stat().st_size / 1024
    return f"{size:.1f} KB" if size < 1024 else f"{size / 1024:.1f} MB"


def write_member(member: Member, destination: Path) -> None:
    """Put one member's content at `destination`, atomically; executables are replaced by
    unlinking the old file first (see `copy_into_tree`)."""
    if member.source is not None and member.executable:
        copy_into_tree(member.source, destination)
    elif member.source is not None:
        with atomic_path(destination) as tmp:
            shutil.copyfile(member.source, tmp)
    else:
        write_atomic(destination, member.read_bytes(), mode=0o755 if member.executable else 0o644)


def unsafe_member_name(name: str) -> bool:
    """True when an archive member or RECORD path could land outside the folder it is
    unpacked into: absolute, a drive, or with a `..` part."""
    if not name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    parts = name.replace("\\", "/").split("/")
    return ".." in parts or posixpath.isabs(name)
