"""musl's C library named as the musllinux policy names it, in a musl target's files.

A shared library linked by zig (or a musl cross toolchain) needs `libc.so`. musl's loader
answers to that name too, but the policy (as auditwheel and other checkers read it) allows
only musl's SONAME, `libc.musl-<arch>.so.1`: copies of the files are patched to name it, so
the wheel passes any checker. (Which musllinux policy it meets is the audit's to say, from
the symbols the files use.)
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Sequence
from pathlib import Path

from .. import _process
from ..audit.elf import read_elf
from ..errors import CommandError
from ..fs import Member
from ..platforms.linux import musl_libc_soname

LINKED_NAME = "libc.so"


def named_musl_libc(members: Sequence[Member], artifacts: Sequence[Path], arch: str,
                    workdir: Path) -> tuple[list[Member], list[Path]]:
    """The members (and artifacts), with each native file that needs `libc.so` replaced by a
    copy that needs musl's SONAME instead."""
    soname = musl_libc_soname(arch)
    wanted = set(artifacts)
    new_members, new_artifacts = [], list(artifacts)
    patchelf = None
    for member in members:
        source = member.source
        if soname and source in wanted and LINKED_NAME in read_elf(source).needed:
            patchelf = patchelf or _find_patchelf()
            copy = workdir / "musl-libc" / member.archive_name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
            _process.run_captured(
                [patchelf, "--replace-needed", LINKED_NAME, soname, str(copy)],
                what=f"naming {soname} in {member.archive_name} with patchelf")
            new_artifacts[new_artifacts.index(source)] = copy
            member = dataclasses.replace(member, source=copy)
        new_members.append(member)
    return new_members, new_artifacts


def _find_patchelf() -> str:
    from ..audit.patch import PATCHELF_HINT, find_patchelf

    try:
        return find_patchelf()
    except CommandError as exc:
        raise CommandError(f"a musl library linked against `libc.so` is renamed to musl's "
                           f"SONAME with patchelf, which is missing: {exc.message}",
                           hint=PATCHELF_HINT) from None
