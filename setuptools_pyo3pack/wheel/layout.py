"""What goes where inside a wheel: pure decisions over names and artifacts."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..compile.cffi_glue import loader as cffi_loader
from ..compile.stubs import hand_written_stub
from ..compile.uniffi import UniffiModules
from ..compile.uniffi import init_py as uniffi_init_py
from ..config.settings import Binding
from ..errors import CommandError
from ..fs import Member
from ..platforms.base import Platform
from ..platforms.interpreter import Interpreter

if TYPE_CHECKING:
    from ..project.layout import PythonLayout


def init_py(module: str) -> str:
    """The package `__init__` re-exporting the native module, so `import module` works (the
    same bytes maturin writes, so the two tools' wheels compare equal)."""
    return (
        f"from .{module} import *\n"
        "\n"
        f"__doc__ = {module}.__doc__\n"
        f'if hasattr({module}, "__all__"):\n'
        f"    __all__ = {module}.__all__"
    )


def single_library(artifacts: list[Path], what: str, platform: Platform) -> Path:
    libraries = [a for a in artifacts if a.suffix in platform.library_suffixes]
    if len(libraries) != 1:
        found = ", ".join(str(a) for a in artifacts) or "nothing"
        raise CommandError(f"expected one shared library from cargo for {what}, got {found}")
    return libraries[0]


def extension_members(
    layout: PythonLayout, library: Path, filename: str, stubs: Mapping[str, str] | None = None
) -> list[Member]:
    """The native module as `filename`; a pure project also gets a package re-exporting it.
    Generated `stubs` go next to the module unless the project has a `.pyi` of its own."""
    members = [Member(f"{layout.native_dir}/{filename}", source=library, executable=True)]
    members += stub_members(layout, stubs or {})
    if not layout.mixed and "." not in layout.module_name:
        package = layout.native_dir
        members.append(Member(f"{package}/__init__.py", data=init_py(layout.native_name)))
        stub = layout.stub()
        if stub is not None:
            members.append(Member(f"{package}/__init__.pyi", source=stub))
            members.append(Member(f"{package}/py.typed", data=""))
    return members


def stub_members(layout: PythonLayout, stubs: Mapping[str, str]) -> list[Member]:
    """Stub files (`__init__.pyi`, `sub.pyi`, relative to the module) where type checkers
    look for the native module's types, with a `py.typed` marker."""
    if not stubs or hand_written_stub(layout) is not None:
        return []
    if not layout.mixed and "." not in layout.module_name:
        folder = layout.native_dir  # the package that re-exports the module
        typed = f"{folder}/py.typed"
    else:
        folder = f"{layout.native_dir}/{layout.native_name}"
        typed = f"{layout.top_package}/py.typed"
        if (layout.python_root / typed).is_file():
            typed = ""  # the project's own marker is packed with its sources
        if set(stubs) == {"__init__.pyi"}:  # no submodules: one file next to the module
            stubs = {f"../{layout.native_name}.pyi": stubs["__init__.pyi"]}
    members = [Member(posixpath.normpath(f"{folder}/{name}"), data=text)
               for name, text in sorted(stubs.items())]
    return members + ([Member(typed, data="")] if typed else [])


def cffi_members(layout: PythonLayout, library: Path, ffi_source: str) -> list[Member]:
    """The cdylib, cffi's `ffi.py` and a loader, as one package importable as the module."""
    package = layout.native_package
    return [
        Member(f"{package}/__init__.py", data=cffi_loader(library.name)),
        Member(f"{package}/ffi.py", data=ffi_source),
        Member(f"{package}/{library.name}", source=library, executable=True),
    ]


def uniffi_members(layout: PythonLayout, library: Path, generated: UniffiModules
                   ) -> list[Member]:
    """The cdylib and uniffi-bindgen's modules, in one package importable as the module (a
    pure project's `<module>.pyi` becomes its stub, as for pyo3)."""
    package = layout.native_package
    members = [Member(f"{package}/__init__.py", data=uniffi_init_py(list(generated.modules)))]
    members += [Member(f"{package}/{name}", data=source)
                for name, source in sorted(generated.modules.items())]
    members.append(Member(f"{package}/{generated.library_name}", source=library,
                          executable=True))
    stub = layout.stub()
    if stub is not None:
        members += [Member(f"{package}/__init__.pyi", source=stub),
                    Member(f"{package}/py.typed", data="")]
    return members


def binary_members(data_dir: str, executables: list[Path]) -> list[Member]:
    """Binaries go to `<dist>.data/scripts/`, which installers put on the venv's PATH."""
    return [
        Member(f"{data_dir}/scripts/{exe.name}", source=exe, executable=True)
        for exe in sorted(executables)
    ]


def native_members(
    binding: Binding,
    *,
    layout: PythonLayout,
    data_dir: str,
    artifacts: list[Path],
    interpreter: Interpreter | None,
    abi3: bool,
    platform: Platform,
    ffi_source: str | None = None,
    uniffi: UniffiModules | None = None,
    stubs: Mapping[str, str] | None = None,
) -> list[Member]:
    """Where cargo's artifacts go in the wheel (and, for develop, below the python root)."""
    if binding is Binding.BIN:
        return binary_members(data_dir, artifacts)
    library = single_library(artifacts, layout.module_name, platform)
    if binding is Binding.CFFI:
        assert ffi_source is not None
        return cffi_members(layout, library, ffi_source)
    if binding is Binding.UNIFFI:
        assert uniffi is not None
        return uniffi_members(layout, library, uniffi)
    assert interpreter is not None
    filename = platform.extension_filename(layout.native_name, interpreter.ext_suffix, abi3)
    return extension_members(layout, library, filename, stubs)
