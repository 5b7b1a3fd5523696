"""Skip work that is already done: a wheel whose every input is unchanged is reused.

A no-op `build` is then cargo's own no-op plus a few stat calls, instead of compressing
and auditing a multi-megabyte library again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from .._version import __version__
from ..errors import OutputError
from ..fs import Member, write_atomic


def fingerprint(members: Iterable[Member], extra: Iterable[str]) -> str:
    """Changes whenever a member's content could have changed (files by path, size and
    mtime; generated text by its bytes) or any of `extra` (tags, options) does."""
    digest = hashlib.sha256(__version__.encode())
    for value in extra:
        digest.update(b"\0" + value.encode())
    for member in sorted(members, key=lambda m: m.archive_name):
        digest.update(f"\0{member.archive_name}\0{member.executable}\0".encode())
        if member.source is not None:
            stat = os.stat(member.source)
            digest.update(f"{os.path.realpath(member.source)}\0{stat.st_size}\0"
                          f"{stat.st_mtime_ns}".encode())
        else:
            digest.update(hashlib.sha256(member.read_bytes()).digest())
    return digest.hexdigest()


def file_state(path: Path) -> str:
    """What changes whenever the file is rewritten (size and mtime), or `missing`."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def stamp_for(target_directory: Path, kind: str, identity: str) -> Stamp:
    """The stamp of one output (`identity` names it: its path, the venv, ...)."""
    name = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Stamp(target_directory / "pyo3-pack" / "stamps" / f"{kind}-{name}.json")


class Stamp:
    """A small JSON file remembering which output a fingerprint produced."""

    def __init__(self, location: Path) -> None:
        self.location = location

    def reusable(self, key: str) -> Path | None:
        """The recorded output, if it was made from `key` and has not been touched since."""
        try:
            data = json.loads(self.location.read_text(encoding="utf-8"))
            output = Path(data["output"])
            if data["key"] == key and file_state(output) == data["identity"]:
                return output
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None

    def record(self, key: str, output: Path) -> None:
        data = {"key": key, "output": str(output), "identity": file_state(output)}
        # without a stamp the next build redoes the work
        with contextlib.suppress(OSError, OutputError):
            write_atomic(self.location, json.dumps(data))
