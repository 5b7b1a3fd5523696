"""uniffi, generated type stubs and PGO without cargo: detection, tools, layout, flags."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest

from setuptools_pyo3pack.compile import pgo, stubs, tools, uniffi
from setuptools_pyo3pack.compile.cargo import CargoInvocation
from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.settings import Binding
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.platforms.linux import LinuxPlatform
from setuptools_pyo3pack.platforms.target import Target
from setuptools_pyo3pack.project import bindings
from setuptools_pyo3pack.project.crate import Crate, ResolvedDependency
from setuptools_pyo3pack.project.layout import PythonLayout
from setuptools_pyo3pack.wheel import layout

LINUX = LinuxPlatform(Target.from_triple("x86_64-unknown-linux-gnu"))


def _with_dependency(crate: Crate, name: str, version: str,
                     features: tuple[str, ...] = ()) -> Crate:
    dep = ResolvedDependency(name, version, features, crate.root / name / "Cargo.toml")
    return dataclasses.replace(crate, dependencies={name: dep})


# -- uniffi ------------------------------------------------------------------------------


def test_a_uniffi_dependency_makes_a_uniffi_package(load_crate: Callable[[str], Crate]) -> None:
    crate = _with_dependency(load_crate("pyo3-pure"), "uniffi", "0.32.2")
    choice = bindings.detect(crate, None)
    assert choice.binding is Binding.UNIFFI and choice.crate_version == "0.32.2"
    assert not choice.binding.needs_interpreter  # one py3-none wheel, like cffi


def test_forcing_uniffi_without_the_crate_says_what_to_add(
    load_crate: Callable[[str], Crate],
) -> None:
    crate = dataclasses.replace(load_crate("pyo3-pure"), dependencies={})
    with pytest.raises(ConfigError, match="uniffi bindings need the uniffi crate") as info:
        bindings.detect(crate, "uniffi")
    assert "add uniffi to [dependencies]" in str(info.value)


def test_uniffi_bindgen_is_the_crates_own_release() -> None:
    tool = uniffi.bindgen_tool("0.32.2")
    assert tool.manual_install == (
        "cargo install --locked --version 0.32.2 uniffi --features cli --bin uniffi-bindgen")
    assert tool.same_version_on_path and tool.env_var == "PYO3_PACK_UNIFFI_BINDGEN"


def test_uniffi_library_name_follows_uniffi_toml() -> None:
    library = Path("/t/release/libuniffi_pure.so")
    assert uniffi.library_filename(library, None) == "libuniffi_pure.so"
    assert uniffi.library_filename(library, "arith") == "libarith.so"
    assert uniffi.library_filename(Path("/t/arith_ffi.dll"), "arith") == "arith.dll"


def test_uniffi_package_members(tmp_path: Path) -> None:
    pure = PythonLayout(tmp_path, tmp_path, "uniffi_pure", mixed=False)
    generated = uniffi.UniffiModules({"uniffi_pure.py": "# generated\n"}, "libuniffi_pure.so")
    library = tmp_path / "libuniffi_pure.so"
    members = layout.native_members(Binding.UNIFFI, layout=pure, data_dir="d.data",
                                    artifacts=[library], interpreter=None, abi3=False,
                                    platform=LINUX, uniffi=generated)
    assert {m.archive_name: (m.data, m.source) for m in members} == {
        "uniffi_pure/__init__.py": ("from .uniffi_pure import *  # noqa: F401,F403\n", None),
        "uniffi_pure/uniffi_pure.py": ("# generated\n", None),
        "uniffi_pure/libuniffi_pure.so": (None, library),
    }
    (tmp_path / "pkg").mkdir()
    mixed = PythonLayout(tmp_path, tmp_path, "pkg._native", mixed=True, packages=("pkg",))
    names = [m.archive_name for m in layout.uniffi_members(mixed, library, generated)]
    assert names == ["pkg/_native/__init__.py", "pkg/_native/uniffi_pure.py",
                     "pkg/_native/libuniffi_pure.so"]


# -- tools: version-checked PATH copies, rustup components ------------------------------------


def _program(folder: Path, name: str, script: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!{sys.executable}\n{script}")
    path.chmod(0o755)
    return path


def test_a_path_copy_of_another_release_is_not_used(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    tool = tools.CargoTool(crate="uniffi", version="0.32.2", env_var="NO_SUCH_VARIABLE",
                           purpose="p", binary="uniffi-bindgen", same_version_on_path=True)
    cache = tmp_path / "tools"
    cached = _program(cache / "uniffi-bindgen-0.32.2" / "bin", "uniffi-bindgen", "")
    monkeypatch.setenv(tools.TOOLS_DIR_VARIABLE, str(cache))
    on_path = _program(tmp_path / "bin", "uniffi-bindgen", "print('uniffi-bindgen 0.28.3')")
    monkeypatch.setenv("PATH", str(on_path.parent))
    assert tools.find(tool) == cached
    _program(tmp_path / "bin", "uniffi-bindgen", "print('uniffi-bindgen 0.32.2')")
    assert tools.find(tool) == on_path


def test_a_series_tool_installs_the_newest_patch_of_the_series() -> None:
    tool = stubs.introspection_tool("0.30.1")
    assert tool.label == "pyo3-introspection 0.30"
    assert tool.manual_install == "cargo install --locked --version ~0.30.1 pyo3-introspection"
    assert tools.cached_program(tool, Path("/c")) == Path(
        "/c/pyo3-introspection-0.30/bin/pyo3-introspection")


FAKE_RUSTC = """import sys
if sys.argv[1:] == ["--print", "sysroot"]:
    print({sysroot!r})
else:
    print("rustc 1.95.0\\nhost: x86_64-unknown-linux-gnu")
"""
FAKE_RUSTUP = """import os, sys
with open({log!r}, "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
os.makedirs({bin_dir!r}, exist_ok=True)
open(os.path.join({bin_dir!r}, "llvm-profdata"), "w").close()
"""


@pytest.fixture
def toolchain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A fake rustc and rustup on PATH: (the component's bin folder, rustup's log)."""
    sysroot = tmp_path / "sysroot"
    bin_dir = sysroot / "lib" / "rustlib" / "x86_64-unknown-linux-gnu" / "bin"
    log = tmp_path / "rustup.log"
    _program(tmp_path / "path", "rustc", FAKE_RUSTC.format(sysroot=str(sysroot)))
    _program(tmp_path / "path", "rustup", FAKE_RUSTUP.format(log=str(log), bin_dir=str(bin_dir)))
    monkeypatch.setenv("PATH", str(tmp_path / "path"))
    monkeypatch.delenv(pgo.LLVM_PROFDATA_VARIABLE, raising=False)
    return bin_dir, log


def _profdata(cwd: Path) -> Path:
    return tools.rustup_component_program("llvm-tools", "llvm-profdata",
                                          env_var=pgo.LLVM_PROFDATA_VARIABLE,
                                          purpose="--pgo merges profiles with it", cwd=cwd)


def test_a_missing_component_is_added_once(toolchain: tuple[Path, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bin_dir, log = toolchain
    assert _profdata(tmp_path) == bin_dir / "llvm-profdata"
    assert log.read_text() == "component add llvm-tools\n"
    assert "running `rustup component add llvm-tools`" in capsys.readouterr().err
    assert _profdata(tmp_path) == bin_dir / "llvm-profdata"
    assert log.read_text() == "component add llvm-tools\n"  # found in place the second time


def test_without_rustup_the_error_names_the_command(toolchain: tuple[Path, Path],
                                                    tmp_path: Path) -> None:
    (tmp_path / "path" / "rustup").unlink()
    with pytest.raises(ConfigError) as info:
        _profdata(tmp_path)
    message = str(info.value)
    assert "\n" not in message
    assert "rustup is not on PATH to run `rustup component add llvm-tools`" in message
    assert pgo.LLVM_PROFDATA_VARIABLE in message


def test_the_users_llvm_profdata_wins(toolchain: tuple[Path, Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    mine = _program(tmp_path / "mine", "llvm-profdata", "")
    monkeypatch.setenv(pgo.LLVM_PROFDATA_VARIABLE, str(mine))
    assert _profdata(tmp_path) == mine
    assert not toolchain[1].exists()


# -- PGO flags and settings --------------------------------------------------------------


CALL = CargoInvocation(("cargo", "rustc", "--lib", "--profile", "release", "--", "-C", "x=1"),
                       {"PYO3_PYTHON": "/py"}, "`demo` for CPython 3.12")


def test_a_phase_adds_its_flags_to_the_users_and_an_explicit_target(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARGO_ENCODED_RUSTFLAGS", raising=False)
    monkeypatch.setenv("RUSTFLAGS", "-C target-cpu=native")
    phase = pgo.Phase("optimized", ("-Cprofile-use=/p/merged.profdata",),
                      "x86_64-unknown-linux-gnu")
    call = phase.apply(CALL)
    assert call.argv == ("cargo", "rustc", "--lib", "--profile", "release",
                         "--target", "x86_64-unknown-linux-gnu", "--", "-C", "x=1")
    assert call.env == {"PYO3_PYTHON": "/py", "CARGO_ENCODED_RUSTFLAGS":
                        "-C\x1ftarget-cpu=native\x1f-Cprofile-use=/p/merged.profdata"}
    assert call.description == "`demo` for CPython 3.12 (optimized for PGO)"
    monkeypatch.setenv("CARGO_ENCODED_RUSTFLAGS", "-Copt-level=2")
    assert phase.apply(CALL).env["CARGO_ENCODED_RUSTFLAGS"] == (
        "-Copt-level=2\x1f-Cprofile-use=/p/merged.profdata")


def test_a_given_target_is_kept() -> None:
    phase = pgo.Phase("instrumented", ("-Cprofile-generate=/r",), "aarch64-unknown-linux-gnu")
    call = dataclasses.replace(CALL, argv=("cargo", "rustc", "--target",
                                           "x86_64-unknown-linux-gnu"))
    assert phase.apply(call).argv.count("--target") == 1


def test_pgo_builds_release_and_reads_maturins_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.maturin]\npgo-command = "python b.py"\n')
    config = load_configuration(values_source(None, {
        "cargo.manifest_path": tmp_path / "Cargo.toml", "cargo.pgo": True}))
    settings = config.settings
    assert settings.cargo.pgo_command == "python b.py"
    assert settings.profile == "release"
    assert dataclasses.replace(settings, cargo=dataclasses.replace(
        settings.cargo, pgo=False)).profile == "dev"


# -- generated stubs: where they go, and the hand-written stub wins ---------------------------


def _layout(root: Path, module: str, mixed: bool) -> PythonLayout:
    packages = (module.split(".")[0],) if mixed else ()
    return PythonLayout(root, root, module, mixed, packages)


def test_stubs_of_a_pure_module_go_into_its_package(tmp_path: Path) -> None:
    members = layout.stub_members(_layout(tmp_path, "m", False),
                                  {"__init__.pyi": "def f() -> int: ...\n", "sub.pyi": ""})
    assert [(m.archive_name, m.data) for m in members] == [
        ("m/__init__.pyi", "def f() -> int: ...\n"), ("m/sub.pyi", ""), ("m/py.typed", "")]


def test_stubs_of_a_mixed_module_go_next_to_it(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    mixed = _layout(tmp_path, "pkg._native", True)
    one = layout.stub_members(mixed, {"__init__.pyi": "x: int\n"})
    assert [m.archive_name for m in one] == ["pkg/_native.pyi", "pkg/py.typed"]
    several = layout.stub_members(mixed, {"__init__.pyi": "", "sub.pyi": ""})
    assert [m.archive_name for m in several] == [
        "pkg/_native/__init__.pyi", "pkg/_native/sub.pyi", "pkg/py.typed"]
    (tmp_path / "pkg" / "py.typed").touch()  # the project's own marker is packed as a source
    assert [m.archive_name for m in layout.stub_members(mixed, {"__init__.pyi": ""})] == [
        "pkg/_native.pyi"]


@pytest.mark.parametrize(("module", "mixed", "own"), [
    ("m", False, "m.pyi"),
    ("pkg._native", True, "pkg/_native.pyi"),
    ("pkg._native", True, "pkg/_native/__init__.pyi"),
])
def test_a_hand_written_stub_always_wins(tmp_path: Path, module: str, mixed: bool,
                                         own: str) -> None:
    (tmp_path / "pkg").mkdir()
    stub = tmp_path / own
    stub.parent.mkdir(parents=True, exist_ok=True)
    stub.write_text("def f() -> str: ...\n")
    found = _layout(tmp_path, module, mixed)
    assert stubs.hand_written_stub(found) == stub
    assert layout.stub_members(found, {"__init__.pyi": "def f() -> int: ...\n"}) == []


def test_stubs_need_experimental_inspect_and_a_pyo3_with_the_program(
    load_crate: Callable[[str], Crate], capsys: pytest.CaptureFixture[str],
) -> None:
    from setuptools_pyo3pack.project.project import Project

    crate = load_crate("pyo3-pure")

    def project(version: str, features: tuple[str, ...]) -> Project:
        with_pyo3 = _with_dependency(crate, "pyo3", version, features)
        return cast(Project, _FakeProject(crate=with_pyo3))

    assert stubs.pyo3_version(project("0.30.1", ("macros",))) is None
    assert stubs.pyo3_version(project("0.30.1", ("experimental-inspect",))) == "0.30.1"
    assert stubs.pyo3_version(project("0.28.1", ("experimental-inspect",))) is None
    assert "pyo3 0.28.1 has `experimental-inspect` but no pyo3-introspection program" in (
        capsys.readouterr().err)


@dataclasses.dataclass(frozen=True)
class _FakeProject:
    """What `stubs.pyo3_version` reads of a Project."""

    crate: Crate | None = None
    binding: bindings.BindingChoice = dataclasses.field(
        default_factory=lambda: bindings.BindingChoice(Binding.PYO3))
