"""The I/O edge of the audit: read native files from disk or out of a wheel, and re-tag wheels."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from ..fs import CHUNK
from .elf import ELF_MAGIC, ElfInfo, Libc, is_elf, read_elf
from .errors import AuditError
from .verdict import Verdict, evaluate


@dataclass(frozen=True)
class WheelAudit:
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
    """Audit every native file of a wheel (found by their ELF magic, `.so` or not)."""
    infos: list[ElfInfo] = []
    with open_wheel(path) as wheel, tempfile.TemporaryDirectory(prefix="pyo3-pack-audit-") as tmp:
        scratch = Path(tmp) / "native"
        for member in wheel.infolist():
            if member.is_dir() or member.filename.endswith(".py"):
                continue
            with wheel.open(member) as stream:
                if not is_elf(stream.read(len(ELF_MAGIC))):
                    continue
            # pyelftools seeks a lot: a plain file is faster than a compressed zip member
            with wheel.open(member) as stream, open(scratch, "wb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
            infos.append(read_elf(scratch, name=member.filename))
    if not infos:
        return WheelAudit(path, None)
    return WheelAudit(path, evaluate(infos, arch=arch, libc=libc))


def open_wheel(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise AuditError(f"{path} does not exist", hint="pass the path of a built .whl file")
    try:
        parse_wheel_filename(path.name)
        return zipfile.ZipFile(path)
    except InvalidWheelFilename as exc:
        raise AuditError(f"{path} is not a wheel: {exc}", hint="pass a .whl file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise AuditError(f"{path} is not a wheel: {exc}", hint="rebuild it") from exc












