"""uniffi bindings: the crate's cdylib and the Python modules uniffi-bindgen writes for it.

The wheel holds one package (where a cffi package would go) with the cdylib, one module per
uniffi component found in the library (`<namespace>.py`, loading the library next to it
with ctypes) and an `__init__.py` re-exporting them all. uniffi-bindgen must be the same
release as the crate's uniffi, whose scaffolding it reads: pyo3-pack installs that release
itself (`tools.find`), never another one found on PATH.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import _process
from ..errors import ConfigError
from ..project.crate import Crate
from . import tools

#: Names a uniffi-bindgen to use instead of the one pyo3-pack installs.
BINDGEN_VARIABLE = "PYO3_PACK_UNIFFI_BINDGEN"


def bindgen_tool(uniffi_version: str) -> tools.CargoTool:
    """uniffi-bindgen of the crate's uniffi release (a binary of the `uniffi` crate)."""
    return tools.CargoTool(
        crate="uniffi",
        version=uniffi_version,
        env_var=BINDGEN_VARIABLE,
        purpose="uniffi bindings need it to write the crate's Python module",
        binary="uniffi-bindgen",
        install_options=("--features", "cli", "--bin", "uniffi-bindgen"),
        same_version_on_path=True,
    )


@dataclass(frozen=True)
class UniffiModules:
    """What uniffi-bindgen made for one cdylib."""

    modules: dict[str, str]
    """Generated Python modules by file name (`arithmetic.py` -> its source)."""
    library_name: str
    """The file name the generated code loads the cdylib by (uniffi.toml may rename it)."""


def generate(crate: Crate, uniffi_version: str, library: Path) -> UniffiModules:
    """Run uniffi-bindgen in library mode on the built cdylib."""
    bindgen = str(tools.find(bindgen_tool(uniffi_version)))
    config = crate.root / "uniffi.toml"
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-uniffi-") as tmp:
        # uniffi-bindgen reads the crate's uniffi.toml itself (it finds the crate with
        # `cargo metadata`); newer releases tell a library from a .udl file by themselves,
        # older ones need `--library`
        argv = [bindgen, "generate", "--library", str(library), "--language", "python",
                "--no-format", "--out-dir", tmp]
        env = {key: value for key, value in _process.environ().items()
               if key != "CARGO_BUILD_TARGET"}  # it runs `cargo metadata` for the host
        _process.run_captured(
            argv,
            what=f"generating the Python module of `{crate.name}` with uniffi-bindgen "
            f"{uniffi_version}",
            env=env,
            cwd=crate.root,
            hint="check that the crate calls uniffi::setup_scaffolding!() (or includes the "
            "scaffolding of its .udl file) and exports something",
        )
        modules = {path.name: path.read_text(encoding="utf-8")
                   for path in sorted(Path(tmp).glob("*.py"))}
    if not modules:
        raise ConfigError(
            f"uniffi-bindgen found no uniffi component in {library.name}",
            hint=f"export functions or types with #[uniffi::export] in `{crate.name}`",
        )
    return UniffiModules(modules, library_filename(library, _cdylib_name(config)))


def library_filename(library: Path, cdylib_name: str | None) -> str:
    """The cdylib's file name in the wheel: cargo's, or `[bindings.python] cdylib_name`
    of uniffi.toml with the platform's prefix and suffix."""
    if not cdylib_name:
        return library.name
    prefix = "lib" if library.name.startswith("lib") else ""
    return f"{prefix}{cdylib_name}{library.suffix}"


def _cdylib_name(config: Path) -> str | None:
    if not config.is_file():
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read {config}: {exc}") from None
    python = data.get("bindings", {}).get("python", {})
    name = python.get("cdylib_name") if isinstance(python, dict) else None
    if name is not None and not isinstance(name, str):
        raise ConfigError(f"`bindings.python.cdylib_name` in {config} must be a string")
    return name


def init_py(module_files: list[str]) -> str:
    """The package `__init__` re-exporting every generated module."""
    names = [os.path.splitext(name)[0] for name in sorted(module_files)]
    return "".join(f"from .{name} import *  # noqa: F401,F403\n" for name in names)
