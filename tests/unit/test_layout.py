"""What goes where inside a wheel."""

from __future__ import annotations

import importlib
import os
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import cffi_glue
from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.settings import Binding
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.errors import CommandError
from setuptools_pyo3pack.fs import Member
from setuptools_pyo3pack.platforms import tags
from setuptools_pyo3pack.platforms.linux import LinuxPlatform
from setuptools_pyo3pack.platforms.target import Architecture, OperatingSystem, Target
from setuptools_pyo3pack.project.crate import Crate
from setuptools_pyo3pack.project.layout import PythonLayout
from setuptools_pyo3pack.project.project import load_project
from setuptools_pyo3pack.wheel import layout, pipeline

from .helpers import make_interpreter


def test_init_py_text() -> None:
    assert layout.init_py("pyo3_pure") == (
        "from .pyo3_pure import *\n"
        "\n"
        "__doc__ = pyo3_pure.__doc__\n"
        'if hasattr(pyo3_pure, "__all__"):\n'
        "    __all__ = pyo3_pure.__all__"
    )


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.split(".")[0].startswith("layoutdemo")]:
        del sys.modules[name]


@pytest.mark.parametrize("with_all", [True, False])
def test_init_py_reexports_the_native_module(importable: Path, with_all: bool) -> None:
    name = f"layoutdemo_{'all' if with_all else 'plain'}"
    package = importable / name
    package.mkdir()
    (package / "__init__.py").write_text(layout.init_py(name), encoding="utf-8")
    # a Python stand-in for the native module: import semantics are the same
    native = '"""Native docs."""\n\ndef add(a, b):\n    return a + b\n\nclass Counter:\n    pass\n'
    if with_all:
        native += '\n__all__ = ["add"]\n'
    (package / f"{name}.py").write_text(native, encoding="utf-8")
    module = importlib.import_module(name)
    assert module.add(2, 3) == 5
    assert module.__doc__ == "Native docs."
    if with_all:
        assert module.__all__ == ["add"]
        assert not hasattr(module, "Counter")
    else:
        assert hasattr(module, "Counter")


def test_extension_filename_for_an_interpreter() -> None:
    interpreter = make_interpreter(
        "cpython", (3, 12, 4), ext_suffix=".cpython-312-x86_64-linux-gnu.so"
    )
    assert LINUX.extension_filename("pyo3_pure", interpreter.ext_suffix, abi3=False) == (
        "pyo3_pure.cpython-312-x86_64-linux-gnu.so"
    )


def test_extension_filename_for_pypy_and_free_threaded() -> None:
    pypy = make_interpreter("pypy", (3, 10, 14), ext_suffix=".pypy310-pp73-x86_64-linux-gnu.so")
    assert LINUX.extension_filename("m", pypy.ext_suffix, abi3=False) == (
        "m.pypy310-pp73-x86_64-linux-gnu.so")
    threaded = make_interpreter(
        "cpython", (3, 13, 0), free_threaded=True, ext_suffix=".cpython-313t-x86_64-linux-gnu.so"
    )
    assert LINUX.extension_filename("m", threaded.ext_suffix, abi3=False) == (
        "m.cpython-313t-x86_64-linux-gnu.so"
    )


def test_extension_filename_for_abi3() -> None:
    interpreter = make_interpreter("cpython", (3, 9, 19))
    assert LINUX.extension_filename("pyo3_abi3", interpreter.ext_suffix, abi3=True) == (
        "pyo3_abi3.abi3.so")


def _layout(root: Path, module: str, *, mixed: bool = False) -> PythonLayout:
    return PythonLayout(project_root=root, python_root=root, module_name=module, mixed=mixed)


LINUX = LinuxPlatform(Target(None, Architecture.X86_64, OperatingSystem.LINUX))


def _by_name(members: list[Member]) -> list[Member]:
    return sorted(members, key=lambda m: m.archive_name)


def test_native_members_for_pure_pyo3_module(tmp_path: Path) -> None:
    library = tmp_path / "libpyo3_pure.so"
    library.write_bytes(b"\x7fELF")
    interpreter = make_interpreter(
        "cpython", (3, 11, 9), ext_suffix=".cpython-311-x86_64-linux-gnu.so"
    )
    members = layout.native_members(
        Binding.PYO3,
        layout=_layout(tmp_path, "pyo3_pure"),
        data_dir="pyo3_pure-2.1.0b1.data",
        artifacts=[library, tmp_path / "libpyo3_pure.rlib"],
        interpreter=interpreter,
        abi3=False,
        platform=LINUX,
    )
    assert _by_name(members) == [
        Member("pyo3_pure/__init__.py", data=layout.init_py("pyo3_pure")),
        Member(
            "pyo3_pure/pyo3_pure.cpython-311-x86_64-linux-gnu.so",
            source=library,
            executable=True,
        ),
    ]


def test_native_members_for_abi3_dotted_module(tmp_path: Path) -> None:
    library = tmp_path / "libnative.so"
    members = layout.native_members(
        Binding.PYO3,
        layout=_layout(tmp_path, "pkg.sub._native"),
        data_dir="pkg-1.0.data",
        artifacts=[library],
        interpreter=make_interpreter("cpython", (3, 9, 19)),
        abi3=True,
        platform=LINUX,
    )
    # a dotted name puts the extension in the package folders, with no generated __init__
    assert members == [Member("pkg/sub/_native.abi3.so", source=library, executable=True)]


def test_native_members_for_bin_go_to_data_scripts(tmp_path: Path) -> None:
    exes = [tmp_path / "zeta", tmp_path / "hello-bin"]
    members = layout.native_members(
        Binding.BIN,
        layout=_layout(tmp_path, "hello_bin"),
        data_dir="hello_bin-0.1.0.data",
        artifacts=exes,
        interpreter=None,
        abi3=False,
        platform=LINUX,
    )
    assert members == [
        Member("hello_bin-0.1.0.data/scripts/hello-bin", source=exes[1], executable=True),
        Member("hello_bin-0.1.0.data/scripts/zeta", source=exes[0], executable=True),
    ]


@pytest.mark.parametrize("count", [0, 2])
def test_extension_needs_exactly_one_library(tmp_path: Path, count: int) -> None:
    artifacts = [tmp_path / f"lib{i}.so" for i in range(count)]
    with pytest.raises(CommandError) as info:
        layout.native_members(
            Binding.PYO3,
            layout=_layout(tmp_path, "m"),
            data_dir="m-1.data",
            artifacts=artifacts,
            interpreter=make_interpreter(),
            abi3=False,
            platform=LINUX,
        )
    message = str(info.value)
    assert message.startswith("expected one shared library from cargo for m, got ")
    assert ("nothing" in message) if count == 0 else (str(artifacts[1]) in message)


def test_bin_wheel_installs_its_script_executable(
    example_copy: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bin wheel written by the real writer, then installed by pypa/installer."""
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    crate_dir = example_copy("hello-bin")
    monkeypatch.chdir(crate_dir)
    project = load_project(load_configuration(
        values_source(None, {"cargo.manifest_path": crate_dir / "Cargo.toml"})))
    assert project.binding.binding is Binding.BIN
    exe = tmp_path / "build" / "hello-bin"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\necho hello\n", encoding="utf-8")
    exe.chmod(0o755)
    members = layout.native_members(
        Binding.BIN,
        layout=project.layout,
        data_dir=f"{project.dist_stem}.data",
        artifacts=[exe],
        interpreter=None,
        abi3=False,
        platform=LINUX,
    )
    tag = tags.universal_tag("linux_x86_64")
    wheel = pipeline.write_wheel(project, tmp_path / "dist", members, [tag])
    assert wheel.name == "hello_bin-0.1.0-py3-none-linux_x86_64.whl"
    with zipfile.ZipFile(wheel) as archive:
        assert archive.namelist() == [
            "hello_bin-0.1.0.data/scripts/hello-bin",
            "hello_bin-0.1.0.dist-info/METADATA",
            "hello_bin-0.1.0.dist-info/WHEEL",
            "hello_bin-0.1.0.dist-info/sboms/hello-bin.cyclonedx.json",
            "hello_bin-0.1.0.dist-info/RECORD",
        ]
        wheel_text = archive.read("hello_bin-0.1.0.dist-info/WHEEL").decode()
    assert "Tag: py3-none-linux_x86_64\n" in wheel_text

    target = tmp_path / "venv"
    scheme = {key: str(target / key) for key in ("purelib", "platlib", "headers", "data")}
    scheme["scripts"] = str(target / "bin")
    destination = SchemeDictionaryDestination(
        scheme, interpreter=sys.executable, script_kind="posix"
    )
    with WheelFile.open(wheel) as source:
        install(source, destination, {"INSTALLER": b"test\n"})
    script = target / "bin" / "hello-bin"
    assert script.is_file()
    assert os.access(script, os.X_OK)
    installed = target / "platlib" / "hello_bin-0.1.0.dist-info" / "METADATA"
    assert "Name: hello-bin\n" in installed.read_text(encoding="utf-8")


def test_missing_cbindgen_without_cargo_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, load_crate: Callable[[str], Crate]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no cbindgen, and no cargo to install it
    monkeypatch.setenv("PYO3_PACK_TOOLS_DIR", str(tmp_path / "tools"))
    monkeypatch.delenv("PYO3_PACK_CBINDGEN", raising=False)
    crate = load_crate("hello-bin")  # its target folder holds no header.h
    with pytest.raises(CommandError) as info:
        cffi_glue.header_for(crate, tmp_path / "work")
    message = str(info.value)
    assert message.startswith("installing cbindgen 0.29.4 with cargo: `cargo` was not found")
    assert "cargo install --locked --version 0.29.4 cbindgen" in message
    assert "PYO3_PACK_CBINDGEN" in message and "\n" not in message
    assert not (tmp_path / "tools" / "cbindgen-0.29.4").exists()
