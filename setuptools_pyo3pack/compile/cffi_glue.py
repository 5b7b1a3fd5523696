"""cffi bindings: a C header for the crate, an out-of-line ABI-mode `ffi.py`, and a loader.

The wheel holds a package with the cdylib, `ffi.py` (cffi's recompiler output, which needs
only cffi's small runtime backend at import time) and an `__init__.py` that `dlopen`s the
library sitting next to it.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
from pathlib import Path

from .. import _process
from ..errors import ConfigError
from ..project.crate import Crate
from . import tools

#: cbindgen settings when the crate has no cbindgen.toml: plain C, nothing cffi can't parse
DEFAULT_CBINDGEN_CONFIG = 'language = "C"\nno_includes = true\n'


def header_for(crate: Crate, work_dir: Path) -> Path:
    """`target/header.h` when a build script wrote one, else a header made by cbindgen."""
    written = crate.target_directory / "header.h"
    if written.is_file():
        return written
    return run_cbindgen(crate, work_dir / f"{crate.name}.h")


def run_cbindgen(crate: Crate, output: Path) -> Path:
    """Write the crate's C header with cbindgen (see `tools.find` for which cbindgen)."""
    cbindgen = str(tools.find(tools.CBINDGEN))
    output.parent.mkdir(parents=True, exist_ok=True)
    config = crate.root / "cbindgen.toml"
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-cbindgen-") as tmp:
        if not config.is_file():
            config = Path(tmp) / "cbindgen.toml"
            config.write_text(DEFAULT_CBINDGEN_CONFIG, encoding="utf-8")
        _process.run_captured(
            [cbindgen, "--config", str(config), "--lang", "c", "--quiet",
             "--output", str(output), str(crate.root)],
            what=f"generating a C header for `{crate.name}` with cbindgen",
            hint="check that the crate's `extern \"C\"` functions are `pub` and #[no_mangle]",
        )
    return output


def cdef_text(header: str) -> str:
    """The header without preprocessor lines, which cffi's cdef cannot read."""
    return "\n".join(line for line in header.splitlines() if not line.lstrip().startswith("#"))


def ffi_module(header: Path, module_name: str) -> str:
    """Python source of an out-of-line ABI-mode cffi module for `header`."""
    try:
        import cffi
    except ImportError:
        raise ConfigError(
            f"cffi bindings are generated with cffi, which {sys.executable} cannot import",
            hint=f"install it: {sys.executable} -m pip install cffi",
        ) from None
    ffi = cffi.FFI()
    try:
        ffi.cdef(cdef_text(header.read_text(encoding="utf-8")))
    except cffi.CDefError as exc:
        first = str(exc).strip().splitlines()[0]
        raise ConfigError(f"cffi cannot read the header {header}: {first}",
                          hint="keep the C API to plain C types and functions") from None
    ffi.set_source(module_name, None)
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-cffi-") as tmp:
        target = Path(tmp) / "ffi.py"
        with contextlib.redirect_stdout(io.StringIO()):  # cffi announces "generating ..."
            ffi.emit_python_code(str(target))
        return target.read_text(encoding="utf-8")


def loader(library_filename: str) -> str:
    """The package `__init__` that opens the cdylib shipped next to it."""
    return (
        "import os as _os\n"
        "\n"
        "from .ffi import ffi\n"
        "\n"
        f'lib = ffi.dlopen(_os.path.join(_os.path.dirname(__file__), "{library_filename}"))\n'
        "del _os\n"
        "\n"
        '__all__ = ["ffi", "lib"]\n'
    )
