"""The I/O edge of the audit: read native files from disk or out of a wheel.

A wheel's members are read in place: the ELF reader asks for the few structures it needs and
a deflated member is inflated only up to the last of them (`sources.py`), never extracted.
Nothing heavy is imported on this path: `pyo3-pack audit` starts fast.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from ..fs import unsafe_member_name
from . import libc as libcs
from .elf import ELF_MAGIC, ElfInfo, is_elf, read_elf, read_elf_source
from .errors import AuditError
from .libc import Libc
from .sources import FileSource, InflatedMember, member_source
from .verdict import Verdict, evaluate
from .zipdir import BadZip, Entry, read_directory

if TYPE_CHECKING:
    import zipfile
    from typing import Any

#: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`
_WHEEL_NAME = re.compile(
    r"^(?P<name>[^-\s]+)-(?P<version>[^-\s]+)(-(?P<build>\d[^-\s]*))?"
    r"-(?P<python>[^-\s]+)-(?P<abi>[^-\s]+)-(?P<platform>[^-\s]+)\.whl$"
)


class WheelAudit(NamedTuple):
    path: Path
    #: None when the wheel holds no native file
    verdict: Verdict | None

    def to_json(self) -> dict[str, Any]:
        if self.verdict is None:
            return {"wheel": str(self.path), "pure": True}
        return {"wheel": str(self.path), "pure": False, **self.verdict.to_json()}

    def render(self) -> str:
        if self.verdict is None:
            return f"{self.path.name}: no native files, no manylinux policy applies"
        lines = self.verdict.render()
        return "\n".join([f"{self.path.name}:", *(f"  {line}" for line in lines)])


def audit_files(
    paths: Sequence[Path],
    *,
    arch: str | None = None,
    libc: Libc | None = None,
    root: Path | None = None,
) -> Verdict:
    """Audit native files on disk (the build's artifacts) together, as one wheel's content.

    `root` makes the names in reasons relative; `arch` defaults to the files' architecture.
    """
    infos = [
        read_elf(path, name=str(path.relative_to(root)) if root else path.name) for path in paths
    ]
    return evaluate(infos, arch=arch, libc=libc)


def audit_wheel(path: Path, *, arch: str | None = None, libc: Libc | None = None) -> WheelAudit:
    """Audit every native file of a wheel (found by their ELF magic, `.so` or not).

    Files that show no libc of their own (static ones) are held to the libc of the wheel's
    platform tag, when it is a manylinux or musllinux one."""
    platform = parse_wheel_name(path)["platform"]
    if not path.is_file():
        raise AuditError(f"{path} does not exist", hint="pass the path of a built .whl file")
    with open(path, "rb") as raw:
        infos = _native_files(raw, path)
    if not infos:
        return WheelAudit(path, None)
    tagged = libcs.from_platform_tag(platform)
    hint = (tagged, f"the wheel's platform tag {platform}") if tagged else None
    return WheelAudit(path, evaluate(infos, arch=arch, libc=libc, hint=hint))


def _native_files(raw: IO[bytes], path: Path) -> list[ElfInfo]:
    try:
        entries = read_directory(raw)
    except BadZip as exc:
        raise AuditError(f"{path} is not a wheel: {exc}", hint="rebuild it") from None
    _refuse_unsafe_paths(raw, entries, path)
    infos = []
    for entry in entries:
        if entry.is_dir or entry.name.endswith(".py") or entry.size < 64:
            continue
        try:
            source = member_source(raw, entry, path)
            if is_elf(source.read(0, len(ELF_MAGIC))):
                infos.append(_read(source, entry.name))
        except (BadZip, RuntimeError, OSError, zlib.error) as exc:
            raise AuditError(f"cannot read {entry.name} in {path}: {exc}",
                             hint="rebuild the wheel") from None
    return infos


def _refuse_unsafe_paths(raw: IO[bytes], entries: list[Entry], path: Path) -> None:
    """A member or RECORD row that would unpack outside the install folders (`..`, an
    absolute path) makes the wheel unsafe to install: refused before anything else."""
    bad = [entry.name for entry in entries if unsafe_member_name(entry.name)]
    for entry in entries:
        if entry.name.endswith(".dist-info/RECORD") and entry.name.count("/") == 1:
            try:
                text = member_source(raw, entry, path).read(0, entry.size)
            except (BadZip, RuntimeError, OSError, zlib.error) as exc:
                raise AuditError(f"cannot read {entry.name} in {path}: {exc}",
                                 hint="rebuild the wheel") from None
            rows = csv.reader(text.decode("utf-8", errors="replace").splitlines())
            bad += [row[0] for row in rows if row and unsafe_member_name(row[0])]
    if bad:
        raise AuditError(f"{path} names a file outside the install folders ({bad[0]!r}): "
                         "installing it could overwrite any file", hint="do not install it")


def _read(source: FileSource | InflatedMember, name: str) -> ElfInfo:
    try:
        return read_elf_source(source, name)
    except AuditError:
        if not isinstance(source, InflatedMember) or not source.hops:
            raise
    # a hop over stored blocks that went wrong would look like this: read it all, to be sure
    source.without_hops()
    return read_elf_source(source, name)


def parse_wheel_name(path: Path) -> dict[str, str]:
    """The parts of a wheel's file name; AuditError when it is not one."""
    match = _WHEEL_NAME.match(path.name)
    if match is None:
        raise AuditError(
            f"{path} is not a wheel: its name is not `name-version-python-abi-platform.whl`",
            hint="pass a .whl file",
        )
    return {key: value or "" for key, value in match.groupdict().items()}


def open_wheel(path: Path) -> zipfile.ZipFile:
    """The wheel as a ZipFile (for re-tagging); AuditError when it is missing or not a wheel."""
    import zipfile

    if not path.is_file():
        raise AuditError(f"{path} does not exist", hint="pass the path of a built .whl file")
    parse_wheel_name(path)
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise AuditError(f"{path} is not a wheel: {exc}", hint="rebuild it") from exc
