"""Before a cross build: can anything here link for the target? If not, one clear error.

cargo itself would fail late, in the link step, with the linker's own words (`cc` rejecting
arm64 objects, `x86_64-w64-mingw32-gcc` not found, a glibc-linked "musl" library that loads
nowhere). zig links for Linux, macOS and windows-gnu; a linker the user configured for cargo
(`CARGO_TARGET_<TRIPLE>_LINKER`, `[target.<triple>] linker` in a cargo config file) is trusted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..platforms.base import Platform
from ..platforms.target import Target


def linker_variable(triple: str) -> str:
    return f"CARGO_TARGET_{triple.upper().replace('-', '_').replace('.', '_')}_LINKER"


def _config_files(start: Path, environ: Mapping[str, str]) -> list[Path]:
    """cargo's config files, nearest first: `.cargo/config.toml` in `start` and each parent,
    then in CARGO_HOME."""
    found = []
    for folder in [start, *start.parents]:
        found += [folder / ".cargo" / "config.toml", folder / ".cargo" / "config"]
    home = Path(environ.get("CARGO_HOME") or Path.home() / ".cargo")
    found += [home / "config.toml", home / "config"]
    return [path for path in found if path.is_file()]


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def configured_linker(triple: str, crate_root: Path, environ: Mapping[str, str],
                      cargo_args: Sequence[str] = ()) -> str | None:
    """Where a linker for `triple` is configured for cargo, or None."""
    variable = linker_variable(triple)
    if environ.get(variable):
        return variable
    for name in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS"):
        if "linker=" in environ.get(name, ""):
            return name
    if any("linker" in arg for arg in cargo_args):
        return "--cargo-extra-args"
    for path in _config_files(crate_root, environ):
        targets = _toml(path).get("target")
        if not isinstance(targets, dict):
            continue
        for key, table in targets.items():
            matches = key == triple or key.startswith("cfg(")
            if matches and isinstance(table, dict) and table.get("linker"):
                return str(path)
    return None


def check_linker(platform: Platform, triple: str, *, library: bool, zig: bool,
                 crate_root: Path, cargo_args: Sequence[str] = (),
                 environ: Mapping[str, str] | None = None, host: Target | None = None) -> None:
    """Fail before cargo runs when nothing here can link for `triple`."""
    environ = os.environ if environ is None else environ
    if zig or configured_linker(triple, crate_root, environ, cargo_args):
        return
    problem = platform.missing_linker(host or Target.host(), library=library)
    if problem is None:
        return
    sdk = " and SDKROOT to a MacOSX.sdk" if "SDKROOT" in problem else ""
    raise ConfigError(
        f"cannot link for `{triple}` here: {problem}",
        hint=f"pass --zig to link with zig, or set {linker_variable(triple)} to a linker "
        f"for it{sdk}; zig comes with pip install 'setuptools-pyo3pack[zig]'")
