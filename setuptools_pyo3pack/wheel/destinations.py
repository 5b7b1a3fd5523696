"""Where a build's members go: one protocol, a zip wheel or a folder.

The pipeline hands every member to a `Destination`; whether that is a wheel archive, the
project's source tree (editable installs), a bare `.dist-info` folder (PEP 517 metadata) or
setuptools' build folders is the destination's business, not the pipeline's.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Protocol

from ..errors import ConfigError
from ..fs import Member, write_member
from .writer import WheelWriter


class Destination(Protocol):
    def add(self, member: Member) -> None:
        """Write one member under its archive name."""


def add_all(destination: Destination, members: Iterable[Member]) -> None:
    """Add members sorted by name; two members wanting one name is a user error."""
    seen: set[str] = set()
    for member in sorted(members, key=lambda m: m.archive_name):
        if member.archive_name in seen:
            raise ConfigError(f"two files want the same place in the wheel: "
                              f"{member.archive_name}", hint="check include and data")
        seen.add(member.archive_name)
        destination.add(member)


class ZipWheel:
    """A wheel archive: members as they come, the .dist-info files last, then RECORD.

    Used as a context manager; the file appears at `path` only if the block succeeds.
    """

    def __init__(self, path: Path, dist_info: str, dist_info_members: list[Member], *,
                 compress: bool = True) -> None:
        self.path = path
        self._dist_info_members = dist_info_members
        self._writer = WheelWriter(path, dist_info, compress=compress)

    def add(self, member: Member) -> None:
        if member.source is not None:
            self._writer.add_file(member.archive_name, member.source,
                                  executable=member.executable)
        else:
            self._writer.add_bytes(member.archive_name, member.read_bytes(),
                                   executable=member.executable)

    def __enter__(self) -> ZipWheel:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is not None:
            self._writer.discard(exc)
            return
        try:
            for member in self._dist_info_members:
                self.add(member)
        except BaseException as error:
            self._writer.discard(error)
            raise
        self._writer.close()


class Folder:
    """Members as files below `root` (the source tree, a .dist-info folder, build_lib)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []

    def add(self, member: Member) -> None:
        destination = self.root / member.archive_name
        write_member(member, destination)
        self.written.append(destination)
