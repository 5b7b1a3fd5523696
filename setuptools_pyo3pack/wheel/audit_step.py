"""The audit-and-repair step every Linux wheel goes through, whichever door built it.

Before writing (CLI, PEP 517 backend) it works on the members about to be packed; after
setuptools wrote a wheel, `repair_wheel` unpacks its native files, runs the same step and
rewrites the wheel with the new tag and members.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..config.settings import AuditMode, AuditSettings
from ..fs import Member, scratch_folder
from ..platforms.base import BinaryFormat
from ..platforms.tags import WheelTag
from ..project.project import Project
from .rewrite import rewrite_wheel

_LINUX = "linux_"


def audit_mode(settings: AuditSettings) -> AuditMode:
    """`skip-auditwheel` (deprecated) means skip; otherwise the chosen mode, repair by default."""
    if settings.skip_auditwheel:
        return AuditMode.SKIP
    return settings.auditwheel or AuditMode.REPAIR


def audit_members(settings: AuditSettings, platform: str, members: Sequence[Member],
                  artifacts: Sequence[Path], dist_name: str, workdir: Path, *,
                  target: str | None = None, libc: str | None = None
                  ) -> tuple[str, list[Member]]:
    """The platform tag for these members and the members to write (patched, grafted).
    `target` is the build's triple and `libc` its C library (`musl`, `glibc`), when known:
    they say what static binaries cannot."""
    if not platform.startswith(_LINUX):
        return platform, list(members)
    from ..audit.compat import parse_compatibility  # the audit loads only for Linux wheels
    from ..audit.repair import audit_native

    wanted = settings.compatibility
    requested = parse_compatibility(wanted) if wanted else None
    arch = platform[len(_LINUX):]
    if libc == "musl" and audit_mode(settings) is not AuditMode.SKIP:
        from .musl import named_musl_libc

        members, artifacts = named_musl_libc(members, artifacts, arch, workdir)
    outcome = audit_native(
        members, list(artifacts), mode=audit_mode(settings), requested=requested,
        dist_name=dist_name, arch=arch, workdir=workdir,
        target=target,  # glibc or musl, when the binaries do not say (static ones)
    )
    return outcome.platform_tag, list(outcome.members)


def audited(project: Project, tag: WheelTag, members: list[Member], artifacts: list[Path],
            workdir: Path) -> tuple[WheelTag, list[Member]]:
    """The manylinux/musllinux tag of a `linux_<arch>` wheel, grafting libraries if needed;
    macOS and Windows wheels get their binaries checked (and macOS its tag from them)."""
    if project.platform.binary_format is not BinaryFormat.ELF:
        if audit_mode(project.settings.audit) is AuditMode.SKIP:
            return tag, members
        from ..audit.binaries import checked_platform_tag

        wanted = set(artifacts)
        files = [(m.archive_name, m.source) for m in members if m.source in wanted]
        platform = checked_platform_tag(project.platform, [(n, s) for n, s in files if s])
        return dataclasses.replace(tag, platform=platform), members
    platform, members = audit_members(project.settings.audit, tag.platform, members,
                                      artifacts, project.name, workdir,
                                      target=project.settings.cargo.target,
                                      libc=project.platform.target.libc)
    return dataclasses.replace(tag, platform=platform), members


def repair_wheel(path: Path, settings: AuditSettings, dist_name: str) -> Path:
    """Audit (and repair) a wheel another tool wrote; returns the wheel's new path."""
    platform = path.name[: -len(".whl")].split("-")[-1]
    if not platform.startswith(_LINUX):
        return path
    from ..audit.elf import ELF_MAGIC

    with scratch_folder("pyo3-pack-repair-") as tmp, \
            zipfile.ZipFile(path) as wheel:
        natives: list[Member] = []
        for info in wheel.infolist():
            if info.is_dir() or ".dist-info/" in info.filename:
                continue
            with wheel.open(info) as stream:
                if stream.read(len(ELF_MAGIC)) != ELF_MAGIC:
                    continue
            extracted = Path(wheel.extract(info, tmp / "natives"))
            natives.append(Member(info.filename, source=extracted, executable=True))
        if not natives:
            return path
        new_platform, members = audit_members(
            settings, platform, natives, [m.source for m in natives if m.source],
            dist_name, tmp / "work")
        replaced = {m.archive_name: m for m in members if m not in natives}
        if new_platform == platform and not replaced:
            return path
        return rewrite_wheel(path, new_platform, replaced)


def check_artifacts(project: Project, artifacts: list[Path]) -> None:
    """An extension module must define the `PyInit_` its module name calls for."""
    from ..audit.module_init import check_module_init

    if not project.binding.binding.needs_interpreter:
        return
    where = project.config.where(
        "layout.module_name", f"[lib] name in {project.crate.manifest_path}")
    for library in artifacts:
        check_module_init(library, project.layout.module_name, where)
