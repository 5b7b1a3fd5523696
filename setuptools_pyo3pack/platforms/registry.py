"""The `Platform` for a target triple, or for this machine."""

from __future__ import annotations

from .base import Platform
from .linux import LinuxPlatform
from .macos import MacOSPlatform
from .target import OperatingSystem, Target
from .windows import WindowsPlatform

_IMPLEMENTATIONS: dict[OperatingSystem, type[Platform]] = {
    OperatingSystem.LINUX: LinuxPlatform,
    OperatingSystem.WINDOWS: WindowsPlatform,
    OperatingSystem.MACOS: MacOSPlatform,
}


def platform_for(triple: str | None) -> Platform:
    """The rules of the target `triple` (None: the machine running this interpreter)."""
    target = Target.from_triple(triple) if triple else Target.host()
    return _IMPLEMENTATIONS[target.os](target)
