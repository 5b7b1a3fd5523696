"""What a Rust target triple says: the machine, the operating system, the C library."""

from __future__ import annotations

import sysconfig
from dataclasses import dataclass

from ..config.settings import Choice
from ..errors import ConfigError


class Architecture(Choice):
    """Machines, named as platform tags name them."""

    X86_64 = "x86_64"
    I686 = "i686"
    AARCH64 = "aarch64"
    ARMV7L = "armv7l"
    ARMV6L = "armv6l"
    PPC64LE = "ppc64le"
    PPC64 = "ppc64"
    S390X = "s390x"
    RISCV64 = "riscv64"
    LOONGARCH64 = "loongarch64"


#: The arch part of a Rust triple (or of `sysconfig.get_platform()`) -> the machine.
_RUST_ARCH = {
    "x86_64": Architecture.X86_64, "amd64": Architecture.X86_64,
    "i686": Architecture.I686, "i586": Architecture.I686, "i386": Architecture.I686,
    "aarch64": Architecture.AARCH64, "arm64": Architecture.AARCH64,
    "armv7": Architecture.ARMV7L, "armv7l": Architecture.ARMV7L,
    "arm": Architecture.ARMV6L, "armv6l": Architecture.ARMV6L,
    "powerpc64le": Architecture.PPC64LE, "ppc64le": Architecture.PPC64LE,
    "powerpc64": Architecture.PPC64, "ppc64": Architecture.PPC64,
    "s390x": Architecture.S390X,
    "riscv64gc": Architecture.RISCV64, "riscv64": Architecture.RISCV64,
    "loongarch64": Architecture.LOONGARCH64,
}


class OperatingSystem(Choice):
    LINUX = "linux"
    WINDOWS = "windows"
    MACOS = "macos"


@dataclass(frozen=True)
class Target:
    """A build target: `x86_64-unknown-linux-gnu`, or this machine (`triple` None)."""

    triple: str | None
    arch: Architecture
    os: OperatingSystem
    env: str = ""
    """The triple's last part where it names the C library or ABI: `gnu`, `musl`, `msvc`."""

    @property
    def is_musl(self) -> bool:
        return self.env.startswith("musl")

    @classmethod
    def from_triple(cls, triple: str) -> Target:
        parts = triple.split("-")
        arch = _RUST_ARCH.get(parts[0])
        system = _operating_system(parts[1:])
        if arch is None or system is None:
            raise ConfigError(f"no wheel platform tag is known for target `{triple}`",
                              hint="build for a Linux target, or without --target")
        env = parts[3] if len(parts) > 3 else ""
        return cls(triple, arch, system, env)

    @classmethod
    def host(cls) -> Target:
        """This machine, as the running interpreter's `sysconfig.get_platform()` says."""
        return cls.from_sysconfig(sysconfig.get_platform())

    @classmethod
    def from_sysconfig(cls, platform: str) -> Target:
        """`linux-x86_64`, `macosx-11.0-arm64`, `win-amd64` -> a Target without a triple."""
        parts = platform.split("-")
        system = _operating_system(parts[:1])
        arch = _RUST_ARCH.get(parts[-1]) if len(parts) > 1 else None
        if system is None or arch is None:
            raise ConfigError(f"this machine's platform `{platform}` is not one wheels are "
                              "built for here", hint="build on Linux")
        return cls(None, arch, system)


def _operating_system(parts: list[str]) -> OperatingSystem | None:
    if "linux" in parts:
        return OperatingSystem.LINUX
    if any(p in ("darwin", "macosx") for p in parts):
        return OperatingSystem.MACOS
    if any(p in ("windows", "win", "win32") for p in parts):
        return OperatingSystem.WINDOWS
    return None
