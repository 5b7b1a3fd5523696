"""The platform seam: everything that differs by target operating system, behind one interface.

The pipeline asks the target's `Platform` for names and tags and never branches on the
operating system itself; supporting a new system means one more implementation.
"""

from __future__ import annotations

import abc

from ..config.settings import Choice
from .target import Target

#: Every suffix a shared library (an extension module, a cdylib) has on any platform.
SHARED_LIBRARY_SUFFIXES = (".so", ".pyd", ".dll", ".dylib")


class BinaryFormat(Choice):
    ELF = "elf"
    PE = "pe"
    MACHO = "mach-o"


class Platform(abc.ABC):
    """The rules of one target operating system."""

    binary_format: BinaryFormat
    #: The suffixes of the shared libraries cargo produces for this system.
    library_suffixes: tuple[str, ...]
    #: Whether wheels for it get a policy from their binaries (manylinux / musllinux).
    audited: bool = False

    def __init__(self, target: Target) -> None:
        self.target = target

    @abc.abstractmethod
    def platform_tag(self) -> str:
        """The wheel platform tag of plain builds for this target (before any audit)."""

    @abc.abstractmethod
    def extension_filename(self, module: str, ext_suffix: str, abi3: bool) -> str:
        """The file name an interpreter imports `module` from; `ext_suffix` is the target
        interpreter's EXT_SUFFIX, used when the module is built for that interpreter alone."""

    def executable_name(self, name: str) -> str:
        """A binary's file name for this system (`name.exe` on Windows)."""
        return name
