"""macOS and Windows wheels: each binary's machine checked against the target, and for macOS
the platform tag decided from the minimum OS the binaries ask for, like a manylinux policy.

With MACOSX_DEPLOYMENT_TARGET set, it is the requested policy: a binary that needs a newer
macOS is an error naming the file and its version. Without it, the tag says what the
binaries need (the build passes the target's default, so that is normally 10.12 or 11.0).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..platforms.base import BinaryFormat, Platform
from ..platforms.macos import DEPLOYMENT_VARIABLE, MacOSPlatform, tag_version
from ..platforms.target import Architecture
from .errors import AuditError
from .macho import read_macho
from .pe import read_pe

Files = Sequence[tuple[str, Path]]
"""(name in the wheel, file on disk) of each native file."""


def checked_platform_tag(platform: Platform, files: Files) -> str:
    """The wheel's platform tag once its binaries are checked; ELF wheels are not for here."""
    if isinstance(platform, MacOSPlatform):
        return macos_platform_tag(platform, files)
    if platform.binary_format is BinaryFormat.PE:
        check_pe_machines(platform, files)
    return platform.platform_tag()


def check_pe_machines(platform: Platform, files: Files) -> None:
    expected = platform.target.arch
    for name, path in files:
        info = read_pe(path)
        if info.arch is not expected:
            raise AuditError(
                f"{name} is a Windows binary for {info.machine_name}, but the wheel is for "
                f"{expected} ({platform.platform_tag()})",
                hint="check --target and the linker cargo uses")


def macos_platform_tag(platform: MacOSPlatform, files: Files) -> str:
    requested = platform.requested_deployment()
    needed: dict[Architecture, tuple[int, int]] = {}
    for name, path in files:
        slices = {s.arch: s for s in read_macho(path)}
        for arch in platform.slices:
            found = slices.get(arch)
            if found is None:
                machines = ", ".join(s.machine for s in slices.values())
                raise AuditError(f"{name} has no {arch} code (it holds {machines}), but the "
                                 f"wheel is for {platform.target.description}",
                                 hint="check --target and the linker cargo uses")
            minimum = found.minimum_os or platform.deployment_target(arch)
            if requested is not None and \
                    tag_version(minimum) > tag_version(platform.deployment_target(arch)):
                raise AuditError(
                    f"{name} ({arch}) needs macOS {_dotted(minimum)} ({found.version_command}), "
                    f"newer than {DEPLOYMENT_VARIABLE}={_dotted(requested)}",
                    hint=f"set {DEPLOYMENT_VARIABLE}={_dotted(minimum)} to tag the wheel for "
                    "it, or rebuild what raised the minimum")
            needed[arch] = max(needed.get(arch, minimum), minimum)
    if requested is not None:
        return platform.platform_tag()
    return platform.tag_for({arch: needed.get(arch) or platform.deployment_target(arch)
                             for arch in platform.slices})


def _dotted(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"
