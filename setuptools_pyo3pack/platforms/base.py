"""The platform seam: everything that differs by target operating system, behind one interface.

The pipeline asks the target's `Platform` for names, tags, build flags and linking facts and
never branches on the operating system itself; supporting a new system means one more
implementation.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from ..config.settings import Choice
from . import conda
from .target import Target

#: Every suffix a shared library (an extension module, a cdylib) has on any platform.
SHARED_LIBRARY_SUFFIXES = (".so", ".pyd", ".dll", ".dylib")


class BinaryFormat(Choice):
    ELF = "elf"
    PE = "pe"
    MACHO = "mach-o"


@cache
def host_target() -> Target:
    return Target.host()


class Platform(abc.ABC):
    """The rules of one target operating system."""

    binary_format: BinaryFormat
    #: The suffixes of the shared libraries cargo produces for this system.
    library_suffixes: tuple[str, ...]
    #: Whether wheels for it get a policy from their binaries (manylinux / musllinux).
    audited: bool = False

    def __init__(self, target: Target) -> None:
        self.target = target

    @property
    def cross(self) -> bool:
        """Building on this machine for another system, machine or C library: the target's
        interpreters cannot run here, so their facts come from recorded sysconfig data."""
        return self.target.triple is not None and not self.target.runs_on(host_target())

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

    def extension_link_args(self) -> tuple[str, ...]:
        """rustc arguments for linking an extension module (not a cffi library or a binary)."""
        return ()

    def library_rustflags(self) -> tuple[str, ...]:
        """rustc flags every crate of a shared-library build needs (cargo must see them before
        it decides the target can build a cdylib at all)."""
        return ()

    def build_environment(self, environ: Mapping[str, str]) -> dict[str, str]:
        """Variables cargo, rustc and the linker need for this target, given `environ`."""
        return {}

    def missing_linker(self, host: Target, *, library: bool) -> str | None:
        """Why this machine's default toolchain cannot link for the target (what is missing),
        or None when it can. Asked only when neither zig nor a configured linker links."""
        if self.target.runs_on(host):
            return None
        return (f"this machine's C compiler links {host.os} {host.arch} programs, not "
                f"{self.target.os} {self.target.arch}")

    def pyo3_link_problem(self, version: tuple[int, ...], features: frozenset[str], *,
                          zig: bool) -> str | None:
        """Why pyo3 `version` (with `features`) cannot link an extension for this target
        from here, or None."""
        return None

    def link_hint(self) -> str | None:
        """What to try when linking for this target failed, beyond cargo's own message."""
        return None

    def interpreter_candidates(self, environ: Mapping[str, str]) -> list[str]:
        """Interpreters this system keeps outside PATH and pyenv (conda environments), when it
        is the machine running the build."""
        found = conda.environments(environ, home=Path(os.path.expanduser("~")))
        return [str(python) for env in found if (python := env / "bin" / "python").is_file()]
