"""Windows: PE files, `.pyd` modules, `.exe` binaries, `win_amd64` / `win32` / `win_arm64` tags;
interpreters found through the `py` launcher and conda."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from .. import _process
from ..errors import CommandError, ConfigError
from . import conda
from .base import BinaryFormat, Platform
from .target import Architecture, Target

#: the first pyo3 that links Python's DLL as raw-dylib, without an import library
RAW_DYLIB_PYO3 = (0, 29)
#: The machine part of Windows platform tags (and of `sysconfig.get_platform()`).
TAG_ARCH = {Architecture.X86_64: "win_amd64", Architecture.I686: "win32",
            Architecture.AARCH64: "win_arm64"}


class WindowsPlatform(Platform):
    binary_format = BinaryFormat.PE
    library_suffixes = (".dll",)

    def platform_tag(self) -> str:
        tag = TAG_ARCH.get(self.target.arch)
        if tag is None:
            raise ConfigError(f"no Windows wheel tag exists for {self.target.arch} "
                              f"(`{self.target.description}`)",
                              hint="build for x86_64, i686 or aarch64 Windows")
        return tag

    def extension_filename(self, module: str, ext_suffix: str, abi3: bool) -> str:
        # CPython on Windows imports `name.pyd` for any version: the abi3 name
        return f"{module}.pyd" if abi3 else f"{module}{ext_suffix}"

    def executable_name(self, name: str) -> str:
        return name if name.lower().endswith(".exe") else f"{name}.exe"

    def missing_linker(self, host: Target, *, library: bool) -> str | None:
        if host.os is self.target.os:
            return None
        if self.target.env.startswith("gnu"):
            gcc = f"{'i686' if self.target.arch is Architecture.I686 else 'x86_64'}" \
                  "-w64-mingw32-gcc"
            if self.target.env == "gnu" and shutil.which(gcc):
                return None
            return f"the MinGW-w64 linker `{gcc}` is not on PATH"
        return "linking for MSVC needs Microsoft's linker and libraries, which are not here " \
               "(target x86_64-pc-windows-gnu instead)"

    def pyo3_link_problem(self, version: tuple[int, ...], features: frozenset[str], *,
                          zig: bool) -> str | None:
        # pyo3 0.29 declares python3.dll / python3XY.dll as raw-dylib and needs no import
        # library; before, a cross build needs one, made by the generate-import-lib feature
        # (a `.dll.a` file, which MinGW's ld finds and zig does not)
        if version >= RAW_DYLIB_PYO3:
            return None
        shown = ".".join(map(str, version))
        if zig:
            return (f"pyo3 {shown} links Windows modules against an import library, which zig "
                    "cannot use: update pyo3 to 0.29 or later, or link with MinGW-w64 "
                    "(x86_64-w64-mingw32-gcc) instead of --zig")
        if "generate-import-lib" not in features:
            return (f"pyo3 {shown} needs its generate-import-lib feature to link Windows "
                    "modules from here: pass -F pyo3/generate-import-lib, or update pyo3 to "
                    "0.29 or later")
        return None

    def interpreter_candidates(self, environ: Mapping[str, str]) -> list[str]:
        """What the `py` launcher knows (`py -0p`: the PEP 514 registry), then conda's."""
        found: list[str] = []
        launcher = shutil.which("py")
        if launcher:
            try:
                listing = _process.run_captured([launcher, "-0p"],
                                                what="listing interpreters with `py -0p`")
            except CommandError:
                listing = ""  # no launcher that answers: nothing found through it
            found += py_launcher_paths(listing)
        envs = conda.environments(environ, home=Path(os.path.expanduser("~")))
        found += [str(python) for env in envs if (python := env / "python.exe").is_file()]
        return found


def py_launcher_paths(output: str) -> list[str]:
    """The interpreter paths in `py -0p` output, in its order.

    Older launchers print ` -3.12-64        C:\\...\\python.exe *`, newer ones
    ` -V:3.12 *        C:\\...\\python.exe` (also ` -V:ContinuumAnalytics/Anaconda39-64 ...`);
    `*` marks the default; paths may hold spaces.
    """
    paths: list[str] = []
    for line in output.splitlines():
        line = line.strip()
        if not line.startswith("-"):
            continue  # the heading, or "No installed Pythons found!"
        _, _, rest = line.partition(" ")
        rest = rest.strip()
        if rest.startswith("*"):
            rest = rest[1:].strip()
        if rest.endswith(" *"):
            rest = rest[:-2].strip()
        if rest.lower().endswith(".exe"):
            paths.append(rest)
    return paths
