"""What a Rust target triple says: the machine, the operating system, the C library."""

from __future__ import annotations

import sysconfig
from dataclasses import dataclass

from ..config.settings import Choice
from ..errors import ConfigError

#: How a user names the macOS target that holds both an x86_64 and an arm64 build.
UNIVERSAL2_TRIPLE = "universal2-apple-darwin"
_UNIVERSAL2_PARTS = ("x86_64-apple-darwin", "aarch64-apple-darwin")
_TRIPLE_HINT = "use a Linux, Windows or macOS triple (`rustc --print target-list` lists them)"


class Architecture(Choice):
    """Machines, named as Linux platform tags name them (each platform maps them to its own
    spelling: `win_amd64`, `macosx_11_0_arm64`)."""

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
    UNIVERSAL2 = "universal2"
    """macOS only: one file with an x86_64 and an arm64 slice."""

    @property
    def pointer_bits(self) -> int:
        return 32 if self in (Architecture.I686, Architecture.ARMV7L, Architecture.ARMV6L) \
            else 64


#: The arch part of a Rust triple (or of `sysconfig.get_platform()`) -> the machine.
_RUST_ARCH = {
    "x86_64": Architecture.X86_64, "amd64": Architecture.X86_64,
    "i686": Architecture.I686, "i586": Architecture.I686, "i386": Architecture.I686,
    "win32": Architecture.I686,
    "aarch64": Architecture.AARCH64, "arm64": Architecture.AARCH64,
    "armv7": Architecture.ARMV7L, "armv7l": Architecture.ARMV7L,
    "thumbv7neon": Architecture.ARMV7L,
    "arm": Architecture.ARMV6L, "armv6l": Architecture.ARMV6L,
    "powerpc64le": Architecture.PPC64LE, "ppc64le": Architecture.PPC64LE,
    "powerpc64": Architecture.PPC64, "ppc64": Architecture.PPC64,
    "s390x": Architecture.S390X,
    "riscv64gc": Architecture.RISCV64, "riscv64": Architecture.RISCV64,
    "loongarch64": Architecture.LOONGARCH64,
    "universal2": Architecture.UNIVERSAL2,
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
    """The triple's last part where it names the C library or ABI: `gnu`, `musl`, `msvc`,
    `gnueabihf`; for this machine, `gnu` or `musl` on Linux."""

    @property
    def is_musl(self) -> bool:
        return self.env.startswith("musl")

    @property
    def libc(self) -> str | None:
        """`musl` or `glibc` for Linux targets, None elsewhere."""
        if self.os is not OperatingSystem.LINUX:
            return None
        return "musl" if self.is_musl else "glibc"

    @property
    def pointer_bits(self) -> int:
        return self.arch.pointer_bits

    @property
    def cargo_triples(self) -> tuple[str, ...]:
        """The triples cargo builds for: two for universal2, none for this machine."""
        if self.triple == UNIVERSAL2_TRIPLE:
            return _UNIVERSAL2_PARTS
        return (self.triple,) if self.triple else ()

    def runs_on(self, host: Target) -> bool:
        """Whether binaries for this target (and its interpreters) run on `host`: the same
        system, machine and C library. Otherwise building for it is a cross build."""
        return (self.os, self.arch, self.is_musl) == (host.os, host.arch, host.is_musl)

    @property
    def description(self) -> str:
        return self.triple or f"{self.os}-{self.arch}"

    @classmethod
    def from_triple(cls, triple: str) -> Target:
        parts = triple.split("-")
        arch = _RUST_ARCH.get(parts[0])
        system = _operating_system(parts[1:])
        if arch is None or system is None:
            raise ConfigError(f"no wheel platform tag is known for target `{triple}`",
                              hint=_TRIPLE_HINT)
        if (arch is Architecture.UNIVERSAL2) != (triple == UNIVERSAL2_TRIPLE):
            raise ConfigError(f"no wheel platform tag is known for target `{triple}`",
                              hint=f"universal2 is spelled `{UNIVERSAL2_TRIPLE}`")
        env = parts[3] if len(parts) > 3 else ""
        return cls(triple, arch, system, env)

    @classmethod
    def host(cls) -> Target:
        """This machine, as the running interpreter's `sysconfig.get_platform()` says."""
        target = cls.from_sysconfig(sysconfig.get_platform())
        if target.os is OperatingSystem.LINUX:
            multiarch = sysconfig.get_config_var("MULTIARCH") or \
                sysconfig.get_config_var("SOABI") or ""
            return cls(None, target.arch, target.os, "musl" if "musl" in multiarch else "gnu")
        if target.arch is Architecture.UNIVERSAL2:  # a universal2 Python runs natively
            import platform

            return cls(None, _RUST_ARCH.get(platform.machine(), target.arch), target.os)
        return target

    @classmethod
    def from_sysconfig(cls, platform: str) -> Target:
        """`linux-x86_64`, `macosx-11.0-arm64`, `win-amd64`, `win32` -> a Target without a
        triple."""
        if platform == "win32":  # 32-bit Windows says only this
            return cls(None, Architecture.I686, OperatingSystem.WINDOWS)
        parts = platform.split("-")
        system = _operating_system(parts[:1])
        arch = _RUST_ARCH.get(parts[-1]) if len(parts) > 1 else None
        if system is None or arch is None:
            raise ConfigError(f"this machine's platform `{platform}` is not one wheels are "
                              "built for here", hint="build on Linux, Windows or macOS")
        return cls(None, arch, system)


def _operating_system(parts: list[str]) -> OperatingSystem | None:
    if any(p.startswith("android") for p in parts):
        return None  # Android wheels have tags of their own, not made here
    if "linux" in parts:
        return OperatingSystem.LINUX
    if any(p in ("darwin", "macosx") for p in parts):
        return OperatingSystem.MACOS
    if any(p in ("windows", "win", "win32") for p in parts):
        return OperatingSystem.WINDOWS
    return None
