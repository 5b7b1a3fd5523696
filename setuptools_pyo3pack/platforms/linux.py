"""Linux: ELF files, `.so` modules, `linux_<arch>` before the manylinux/musllinux audit."""

from __future__ import annotations

from .base import BinaryFormat, Platform


class LinuxPlatform(Platform):
    binary_format = BinaryFormat.ELF
    library_suffixes = (".so",)
    audited = True

    def platform_tag(self) -> str:
        return f"linux_{self.target.arch}"

    def extension_filename(self, module: str, ext_suffix: str, abi3: bool) -> str:
        return f"{module}.abi3.so" if abi3 else f"{module}{ext_suffix}"
