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


#: What a release builds wheels for (`pyo3-pack generate-ci`): Linux x86_64 and aarch64 with
#: glibc and with musl, both Macs, and 64-bit Windows; all cross-built on a Linux runner with
#: zig, so one kind of CI machine serves every platform.
RELEASE_TARGETS: tuple[str, ...] = (
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-gnu",
)
#: The oldest CPython a release is built for (older ones are past their end of life).
RELEASE_OLDEST_PYTHON = (3, 9)


def release_pythons(triple: str) -> list[str]:
    """The GIL CPython versions (`3.9`, ...) a release builds for on `triple`: the ones whose
    values are recorded for its platform, from `RELEASE_OLDEST_PYTHON` on."""
    from .recorded import recorded_interpreters

    return [f"{i.version[0]}.{i.version[1]}"
            for i in recorded_interpreters(Target.from_triple(triple))
            if i.implementation == "cpython" and not i.free_threaded
            and i.minor_version >= RELEASE_OLDEST_PYTHON]
