"""macOS: Mach-O files, `.so` modules (cargo's `lib<name>.dylib` renamed), `macosx_X_Y_<arch>`
tags from the deployment target, and extensions linked with `-undefined dynamic_lookup`.

The deployment target is `MACOSX_DEPLOYMENT_TARGET`, else rustc's default for the machine:
10.12 for x86_64, 11.0 for arm64 (the first macOS that ran on it). Builds get the variable
set either way, so rustc, zig and the linker all write the same minimum into the binaries,
and the audit reads it back from them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from ..errors import ConfigError
from .base import BinaryFormat, Platform
from .target import Architecture, OperatingSystem, Target

DEPLOYMENT_VARIABLE = "MACOSX_DEPLOYMENT_TARGET"
#: rustc's default deployment targets, which are also each machine's oldest macOS
DEFAULT_DEPLOYMENT = {Architecture.X86_64: (10, 12), Architecture.AARCH64: (11, 0)}
TAG_ARCH = {Architecture.X86_64: "x86_64", Architecture.AARCH64: "arm64",
            Architecture.UNIVERSAL2: "universal2"}
UNIVERSAL2_SLICES = (Architecture.X86_64, Architecture.AARCH64)
_VERSION = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.\d+)?$")


def parse_macos_version(text: str, where: str = DEPLOYMENT_VARIABLE) -> tuple[int, int]:
    """`10.12`, `11`, `13.1.2` -> (major, minor)."""
    match = _VERSION.match(text.strip())
    if not match:
        raise ConfigError(f"{where} is `{text}`, not a macOS version",
                          hint="use a version such as 10.12 or 11.0")
    return int(match.group(1)), int(match.group(2) or 0)


def tag_version(version: tuple[int, int]) -> tuple[int, int]:
    """From macOS 11 on, installers only accept `macosx_<major>_0`: the minor part goes."""
    return (version[0], 0) if version[0] >= 11 else version


def macos_tag(version: tuple[int, int], arch: str) -> str:
    major, minor = tag_version(version)
    return f"macosx_{major}_{minor}_{arch}"


class MacOSPlatform(Platform):
    binary_format = BinaryFormat.MACHO
    library_suffixes = (".dylib",)

    def __init__(self, target: Target, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(target)
        if target.arch not in TAG_ARCH:
            raise ConfigError(f"no macOS wheel tag exists for {target.arch} "
                              f"(`{target.description}`)",
                              hint="build for x86_64, aarch64 or universal2 macOS")
        self.environ = os.environ if environ is None else environ

    @property
    def slices(self) -> tuple[Architecture, ...]:
        """The machines one binary holds: two for universal2."""
        if self.target.arch is Architecture.UNIVERSAL2:
            return UNIVERSAL2_SLICES
        return (self.target.arch,)

    def requested_deployment(self) -> tuple[int, int] | None:
        """The deployment target the user asked for, if any."""
        value = self.environ.get(DEPLOYMENT_VARIABLE)
        return parse_macos_version(value) if value else None

    def deployment_target(self, arch: Architecture) -> tuple[int, int]:
        """The oldest macOS binaries for `arch` run on: what was asked, never below the
        machine's first macOS."""
        floor = DEFAULT_DEPLOYMENT[arch]
        requested = self.requested_deployment()
        if requested is None:
            return floor
        return max(requested, floor) if arch is Architecture.AARCH64 else requested

    def tag_for(self, minimums: Mapping[Architecture, tuple[int, int]]) -> str:
        """The platform tag of binaries needing `minimums` (per slice machine); universal2
        wheels also carry each slice's own tag, for installers that predate universal2."""
        if self.target.arch is not Architecture.UNIVERSAL2:
            return macos_tag(minimums[self.target.arch], TAG_ARCH[self.target.arch])
        x86, arm = minimums[Architecture.X86_64], minimums[Architecture.AARCH64]
        # every arm64 Mac runs 11.0 or later: an arm64 slice for 11.0 lets the universal2
        # tag go as low as the x86_64 slice; a newer arm64 slice raises it
        both = x86 if arm <= DEFAULT_DEPLOYMENT[Architecture.AARCH64] else max(x86, arm)
        return ".".join([macos_tag(x86, "x86_64"), macos_tag(arm, "arm64"),
                         macos_tag(both, "universal2")])

    def platform_tag(self) -> str:
        return self.tag_for({arch: self.deployment_target(arch) for arch in self.slices})

    def extension_filename(self, module: str, ext_suffix: str, abi3: bool) -> str:
        return f"{module}.abi3.so" if abi3 else f"{module}{ext_suffix}"

    def extension_link_args(self) -> tuple[str, ...]:
        # the interpreter loading the module provides Python's symbols
        return ("-C", "link-arg=-undefined", "-C", "link-arg=dynamic_lookup")

    def build_environment(self, environ: Mapping[str, str]) -> dict[str, str]:
        if DEPLOYMENT_VARIABLE in environ or self.target.arch is Architecture.UNIVERSAL2:
            return {}
        major, minor = self.deployment_target(self.target.arch)
        return {DEPLOYMENT_VARIABLE: f"{major}.{minor}"}

    def missing_linker(self, host: Target, *, library: bool) -> str | None:
        if host.os is OperatingSystem.MACOS:
            return None
        if not self.environ.get("SDKROOT"):
            return "linking for macOS needs the macOS SDK, and SDKROOT is not set"
        return "SDKROOT is set, but no linker for macOS is configured"

    def link_hint(self) -> str | None:
        if self.environ.get("SDKROOT"):
            return None
        return "if the linker could not find a framework or library, set SDKROOT to a " \
               "macOS SDK (a MacOSX.sdk folder)"
