"""The `Platform` for a target triple, or for this machine."""

from __future__ import annotations

from ..errors import ConfigError
from .base import Platform
from .linux import LinuxPlatform
from .target import OperatingSystem, Target

_IMPLEMENTATIONS: dict[OperatingSystem, type[Platform]] = {
    OperatingSystem.LINUX: LinuxPlatform,
}


def platform_for(triple: str | None) -> Platform:
    """The rules of the target `triple` (None: the machine running this interpreter)."""
    target = Target.from_triple(triple) if triple else Target.host()
    implementation = _IMPLEMENTATIONS.get(target.os)
    if implementation is None:
        what = f"target `{triple}`" if triple else f"this machine ({target.os})"
        raise ConfigError(f"no wheel platform tag is known for {what}",
                          hint="build for a Linux target, or without --target")
    return implementation(target)
