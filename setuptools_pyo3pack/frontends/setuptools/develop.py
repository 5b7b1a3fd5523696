"""In-place builds: `develop` (setuptools' legacy develop), `build_ext --inplace`, and
`clean`, which removes what they wrote."""

from __future__ import annotations

import os
import shutil
from distutils.command.clean import clean
from pathlib import Path

from setuptools.command.build_ext import build_ext
from setuptools.command.develop import develop
from setuptools.errors import SetupError

from ... import _process
from .build import IN_PLACE_RECORD, BuildRust, read_in_place_record, rust_crates


class Develop(develop):
    """`setup.py develop`: the Rust modules are built in place first.

    setuptools >= 80 turns develop into `pip install -e .`, which runs `build_rust` through
    the editable wheel; older versions call `install_for_development`, extended here.
    """

    def install_for_development(self) -> None:
        legacy = getattr(super(), "install_for_development", None)
        if legacy is None:
            raise SetupError("install_for_development is only used by setuptools < 80")
        if rust_crates(self.distribution):
            build_rust = self.reinitialize_command("build_rust", inplace=True)
            self.run_command("build_rust")
            assert isinstance(build_rust, BuildRust)
            self._install_binaries(build_rust.script_files())
        legacy()

    def _install_binaries(self, scripts: list[Path]) -> None:
        folder = getattr(self, "script_dir", None)
        if not scripts or not folder:
            return
        for script in scripts:
            target = Path(folder) / script.name
            if target.exists() or target.is_symlink():
                target.unlink()
            shutil.copyfile(script, target)
            os.chmod(target, 0o755)
            _process.log(f"installed {target}")


class BuildExt(build_ext):
    """`build_ext --inplace` also builds the Rust modules in place, as setuptools-rust's does.

    Inside `build` (wheels, editable installs) build_rust is a sub-command of its own.
    """

    def run(self) -> None:
        super().run()
        if self.inplace and rust_crates(self.distribution):
            build_rust = self.reinitialize_command("build_rust")
            assert isinstance(build_rust, BuildRust)
            build_rust.inplace = True
            self.run_command("build_rust")


class Clean(clean):
    """`clean` also removes the native files `build_rust` wrote into the source tree."""

    def run(self) -> None:
        assert self.build_base is not None
        record = Path(self.build_base) / IN_PLACE_RECORD
        for name in read_in_place_record(record):
            path = Path(name)
            if path.is_file() or path.is_symlink():
                if not self.dry_run:
                    path.unlink()
                _process.log(f"removed {name}")
        if record.exists() and not self.dry_run:
            record.unlink()
        super().run()
