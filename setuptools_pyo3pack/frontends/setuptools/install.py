"""`install` and `install_rust`: native modules into platlib, Rust binaries into scripts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from setuptools import Command
from setuptools.command.install import install

from .build import BuildRust, uses_rust


class InstallRust(Command):
    """Install the binaries `build_rust` built into the scripts folder."""

    description = "install the Rust binaries into the scripts folder"
    user_options: ClassVar[list[tuple[str, str | None, str]]] = [
        ("install-dir=", "d", "directory to install the binaries to"),
        ("skip-build", None, "do not run build_rust"),
    ]
    boolean_options: ClassVar[list[str]] = ["skip-build"]

    def initialize_options(self) -> None:
        self.install_dir: str | None = None
        self.skip_build: bool | None = None
        self.outfiles: list[str] = []

    def finalize_options(self) -> None:
        self.set_undefined_options(
            "install", ("install_scripts", "install_dir"), ("skip_build", "skip_build")
        )

    def run(self) -> None:
        if not self.skip_build:
            self.run_command("build_rust")
        build_rust = self.get_finalized_command("build_rust")
        assert isinstance(build_rust, BuildRust) and self.install_dir is not None
        for script in build_rust.script_files():
            target = Path(self.install_dir) / script.name
            self.mkpath(str(target.parent))
            self.copy_file(str(script), str(target))
            os.chmod(target, 0o755)
            self.outfiles.append(str(target))

    def get_outputs(self) -> list[str]:
        return self.outfiles

    def get_inputs(self) -> list[str]:
        build_rust = self.get_finalized_command("build_rust")
        assert isinstance(build_rust, BuildRust)
        return [str(path) for path in build_rust.script_files()]


def _has_lib(command: install) -> bool:
    """install_lib runs for Python modules, C extensions, and now native Rust modules too."""
    return bool(command.has_lib() or uses_rust(command))


class Install(install):
    """setuptools' `install`: native modules go to platlib, Rust binaries to scripts."""

    sub_commands: ClassVar[list[tuple[str, Any]]] = [
        *[(n, _has_lib if n == "install_lib" else p) for n, p in install.sub_commands],
        ("install_rust", uses_rust),
    ]

    def finalize_options(self) -> None:
        pure_default = self.install_lib is None
        super().finalize_options()
        if pure_default and uses_rust(self) and not self.distribution.has_ext_modules():
            self.install_lib = self.install_libbase = self.install_platlib
