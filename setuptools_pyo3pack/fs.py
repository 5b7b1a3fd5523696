"""Files on their way into an archive or a folder: members, timestamps, atomic replacement."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Member:
    """One file of the wheel: from disk (`source`) or generated (`text`)."""

    archive_name: str
    source: Path | None = None
    text: str | None = None
    executable: bool = False


CHUNK = 1 << 20


#: The earliest time a zip file can hold (1980-01-01).
ZIP_EPOCH = 315532800


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


def copy_into_tree(source: Path, destination: Path) -> None:
    """Replace `destination` by unlinking it first: a running interpreter that has the old
    library mapped keeps its copy instead of crashing on a file changed under it."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists() or destination.is_symlink():
        destination.unlink()
    tmp = destination.with_name(f".{destination.name}.tmp")
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o755)
    os.replace(tmp, destination)
