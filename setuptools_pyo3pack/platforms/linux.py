"""Linux: ELF files, `.so` modules, `linux_<arch>` before the manylinux/musllinux audit."""

from __future__ import annotations

from .base import BinaryFormat, Platform
from .target import Architecture, Target

#: how musl names its C library on each machine (`libc.musl-<this>.so.1`)
MUSL_ARCH = {Architecture.X86_64: "x86_64", Architecture.I686: "x86",
             Architecture.AARCH64: "aarch64", Architecture.ARMV7L: "armv7",
             Architecture.ARMV6L: "armhf", Architecture.PPC64LE: "ppc64le",
             Architecture.S390X: "s390x", Architecture.RISCV64: "riscv64",
             Architecture.LOONGARCH64: "loongarch64"}
#: musl targets link statically by default, and cargo then refuses to build a cdylib
MUSL_SHARED = ("-C", "target-feature=-crt-static")


def musl_libc_soname(arch: str) -> str | None:
    """musl's SONAME on a machine named as platform tags name it (`x86_64`, `armv7l`)."""
    try:
        return f"libc.musl-{MUSL_ARCH[Architecture(arch)]}.so.1"
    except (ValueError, KeyError):
        return None


class LinuxPlatform(Platform):
    binary_format = BinaryFormat.ELF
    library_suffixes = (".so",)
    audited = True

    def platform_tag(self) -> str:
        return f"linux_{self.target.arch}"

    def extension_filename(self, module: str, ext_suffix: str, abi3: bool) -> str:
        return f"{module}.abi3.so" if abi3 else f"{module}{ext_suffix}"

    def library_rustflags(self) -> tuple[str, ...]:
        return MUSL_SHARED if self.target.is_musl else ()

    def missing_linker(self, host: Target, *, library: bool) -> str | None:
        same_machine = (host.os, host.arch) == (self.target.os, self.target.arch)
        if same_machine and self.target.is_musl and library and not host.is_musl:
            # rust links musl programs with its own copy of musl, but a shared library
            # needs musl's libc.so: the host's compiler would link glibc into it
            return "a musl shared library must be linked against musl, and this machine's " \
                   "C compiler links glibc"
        if same_machine:
            return None
        if (host.arch, self.target.arch) == (Architecture.X86_64, Architecture.I686) and \
                host.os is self.target.os and not self.target.is_musl:
            return None  # `cc -m32` links it where gcc's 32-bit support is installed
        return super().missing_linker(host, library=library)
