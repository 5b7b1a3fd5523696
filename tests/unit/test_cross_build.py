"""Cross builds before cargo runs: interpreters as versions, pyo3's variables, the Rust target,
the linker, rustflags; and interpreter discovery through the `py` launcher and conda."""

from __future__ import annotations

import stat
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import cargo, cross, interpreters, rust_target
from setuptools_pyo3pack.compile.linkers import check_linker, configured_linker
from setuptools_pyo3pack.compile.select import plan
from setuptools_pyo3pack.compile.target_build import rustflags_environment
from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.settings import Settings
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.errors import CommandError, ConfigError, InterpreterError
from setuptools_pyo3pack.platforms import conda
from setuptools_pyo3pack.platforms.linux import LinuxPlatform
from setuptools_pyo3pack.platforms.registry import platform_for
from setuptools_pyo3pack.platforms.target import Architecture, OperatingSystem, Target
from setuptools_pyo3pack.platforms.windows import WindowsPlatform, py_launcher_paths
from setuptools_pyo3pack.project.crate import Crate
from setuptools_pyo3pack.project.project import load_project

from .helpers import make_interpreter

LINUX_HOST = Target(None, Architecture.X86_64, OperatingSystem.LINUX, "gnu")

# --- the `py` launcher and conda --------------------------------------------------------------

#: `py -0p` of the launcher shipped up to Python 3.10
OLD_LAUNCHER = """\
Installed Pythons found by C:\\Windows\\py.exe Launcher for Windows
 -3.10-64       C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python310\\python.exe *
 -3.9-32        C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python39-32\\python.exe
"""
#: `py -0p` of the PEP 514 launcher (3.11 and later), with a conda registration and spaces
NEW_LAUNCHER = """\
 -V:3.13t         C:\\Program Files\\Python313\\python3.13t.exe
 -V:3.12 *        C:\\Program Files\\Python312\\python.exe
 -V:3.11          C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python311\\python.exe
 -V:ContinuumAnalytics/Anaconda39-64 C:\\ProgramData\\Anaconda3\\python.exe
"""


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (OLD_LAUNCHER, [
            "C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python310\\python.exe",
            "C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python39-32\\python.exe"]),
        (NEW_LAUNCHER, [
            "C:\\Program Files\\Python313\\python3.13t.exe",
            "C:\\Program Files\\Python312\\python.exe",
            "C:\\Users\\ada\\AppData\\Local\\Programs\\Python\\Python311\\python.exe",
            "C:\\ProgramData\\Anaconda3\\python.exe"]),
        ("No installed Pythons found!\n", []),
        ("", []),
    ],
)
def test_py_launcher_listing(output: str, expected: list[str]) -> None:
    assert py_launcher_paths(output) == expected


def test_windows_discovery_asks_the_py_launcher_and_conda(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "py"
    listing = tmp_path / "listing.txt"
    listing.write_text(NEW_LAUNCHER, encoding="utf-8")
    launcher.write_text(f'#!/bin/sh\n[ "$1" = "-0p" ] && exec /bin/cat "{listing}"\n',
                        encoding="utf-8")
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    env = tmp_path / "envs" / "work"
    env.mkdir(parents=True)
    (env / "python.exe").write_bytes(b"")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    found = WindowsPlatform(Target.from_triple("x86_64-pc-windows-msvc")).interpreter_candidates(
        {"CONDA_PREFIX": str(env)})
    assert found == [*py_launcher_paths(NEW_LAUNCHER), str(env / "python.exe")]


def test_conda_environments_active_first_then_recorded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / ".conda").mkdir(parents=True)
    base, work, gone = tmp_path / "miniconda3", tmp_path / "envs" / "work", tmp_path / "gone"
    for prefix in (base, work):
        (prefix / "bin").mkdir(parents=True)
        (prefix / "bin" / "python").write_bytes(b"")
    (home / ".conda" / "environments.txt").write_text(f"{base}\n\n{gone}\n{work}\n")
    environ = {"CONDA_PREFIX": str(work)}
    assert conda.environments(environ, home=home) == [work, base]
    monkeypatch.setenv("HOME", str(home))  # where the platform finds ~/.conda
    linux = LinuxPlatform(Target.from_triple("x86_64-unknown-linux-gnu"))
    assert linux.interpreter_candidates(environ) == [str(work / "bin" / "python"),
                                                     str(base / "bin" / "python")]


# --- interpreters of a cross build ----------------------------------------------------------

def test_specs_mean_versions_on_the_target() -> None:
    target = Target.from_triple("x86_64-pc-windows-gnu")
    chosen = cross.cross_interpreters(target, ["3.12", "cp313t", "python3.9", "3.12"])
    assert [(i.minor_version, i.free_threaded, i.ext_suffix) for i in chosen] == [
        ((3, 12), False, ".cp312-win_amd64.pyd"), ((3, 13), True, ".cp313t-win_amd64.pyd"),
        ((3, 9), False, ".cp39-win_amd64.pyd")]
    assert all(i.recorded for i in chosen)
    assert chosen[0].pretty_name == "CPython 3.12 for win-amd64"


def test_a_path_means_the_version_of_that_interpreter(
        running_python_wrapper: Path) -> None:
    import sys

    target = Target.from_triple("aarch64-apple-darwin")
    (chosen,) = cross.cross_interpreters(target, [str(running_python_wrapper)])
    assert chosen.minor_version == sys.version_info[:2]
    assert chosen.ext_suffix.endswith("-darwin.so")


def test_a_version_without_recorded_values_is_an_error() -> None:
    target = Target.from_triple("x86_64-unknown-linux-musl")
    with pytest.raises(InterpreterError, match=r"no sysconfig values of PyPy 3\.10 for "
                                               r"x86_64-unknown-linux-musl are recorded"):
        cross.cross_interpreters(target, ["pypy3.10"])


def test_without_specs_the_versions_found_here(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    found = [make_interpreter("cpython", (3, 11, 9)), make_interpreter("cpython", (3, 12, 4)),
             make_interpreter("pypy", (3, 10, 14))]
    monkeypatch.setattr(interpreters, "discover", lambda: (found, []))
    chosen = cross.cross_interpreters(Target.from_triple("aarch64-unknown-linux-gnu"), [])
    assert [i.ext_suffix for i in chosen] == [".cpython-311-aarch64-linux-gnu.so",
                                             ".cpython-312-aarch64-linux-gnu.so"]
    err = capsys.readouterr().err
    assert "for the versions found on this machine (CPython 3.11, CPython 3.12, PyPy 3.10)" \
        in err
    assert "skipping PyPy 3.10: no sysconfig values" in err


def test_pyo3_gets_its_cross_variables_not_an_interpreter(load_crate: Callable[[str], Crate]
                                                          ) -> None:
    crate = load_crate("pyo3-pure")
    (interpreter,) = cross.cross_interpreters(Target.from_triple("x86_64-pc-windows-gnu"),
                                              ["3.13t"])
    call = cargo.invocation(crate, Settings(), bin_name=None, interpreter=interpreter,
                            target_dir=crate.target_directory)
    assert "PYO3_PYTHON" not in call.env and "PYTHON_SYS_EXECUTABLE" not in call.env
    assert call.env["PYO3_CROSS_PYTHON_VERSION"] == "3.13t"
    assert call.env["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "CPython"
    assert call.env["PYO3_BUILD_EXTENSION_MODULE"] == "1"


def test_plan_of_a_cross_build(example_copy: Callable[[str], Path]) -> None:
    project = load_project(load_configuration(values_source(None, {
        "cargo.manifest_path": example_copy("pyo3-pure") / "Cargo.toml",
        "cargo.target": "aarch64-pc-windows-msvc", "output.interpreters": ("3.12", "cp313")})))
    assert project.platform.cross
    assert [str(item.tag) for item in plan(project)] == ["cp312-cp312-win_arm64",
                                                         "cp313-cp313-win_arm64"]


def test_rust_cpython_cannot_be_cross_compiled(example_copy: Callable[[str], Path]) -> None:
    project = load_project(load_configuration(values_source(None, {
        "cargo.manifest_path": example_copy("rust-cpython") / "Cargo.toml",
        "cargo.target": "x86_64-pc-windows-gnu", "output.interpreters": ("3.12",)})))
    with pytest.raises(ConfigError, match="rust-cpython cannot be cross-compiled"):
        plan(project)


# --- the Rust target's standard library -----------------------------------------------------

class FakeRust:
    """rustc answering `--print target-libdir`, and a rustup that installs when asked."""

    def __init__(self, root: Path, installed: set[str], *, rustup_installs: bool = True):
        self.root, self.installed, self.rustup_installs = root, installed, rustup_installs
        self.calls: list[list[str]] = []

    def __call__(self, argv: Sequence[str], what: str, cwd: Path) -> str:
        self.calls.append(list(argv))
        if argv[0] == "rustc":
            triple = argv[-1]
            libdir = self.root / triple / "lib"
            if triple in self.installed:
                libdir.mkdir(parents=True, exist_ok=True)
                (libdir / "libcore-0123.rlib").write_bytes(b"")
            return f"{libdir}\n"
        if self.rustup_installs:
            self.installed.add(argv[-1])
        return ""


def test_an_installed_target_is_left_alone(tmp_path: Path) -> None:
    rust = FakeRust(tmp_path, {"aarch64-apple-darwin"})
    rust_target.ensure_targets(["aarch64-apple-darwin"], tmp_path / "a", run=rust,
                               which=lambda name: f"/opt/{name}")
    assert [c[0] for c in rust.calls] == ["rustc"]


def test_a_missing_target_is_installed_with_a_progress_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rust = FakeRust(tmp_path, set())
    rust_target.ensure_targets(["x86_64-pc-windows-gnu"], tmp_path / "b", run=rust,
                               which=lambda name: f"/opt/{name}")
    assert ["/opt/rustup", "target", "add", "x86_64-pc-windows-gnu"] in rust.calls
    assert "installing Rust's standard library for x86_64-pc-windows-gnu (rustup target add " \
           "x86_64-pc-windows-gnu)" in capsys.readouterr().err


def test_without_rustup_the_error_names_the_command(tmp_path: Path) -> None:
    rust = FakeRust(tmp_path, set())
    with pytest.raises(CommandError) as error:
        rust_target.ensure_targets(["aarch64-unknown-linux-gnu"], tmp_path / "c", run=rust,
                                   which=lambda name: None)
    assert "rustup target add aarch64-unknown-linux-gnu" in str(error.value)
    assert "\n" not in str(error.value)


def test_a_target_rustup_could_not_install_is_an_error(tmp_path: Path) -> None:
    rust = FakeRust(tmp_path, set(), rustup_installs=False)
    with pytest.raises(CommandError, match="still has no standard library"):
        rust_target.ensure_targets(["s390x-unknown-linux-gnu"], tmp_path / "d", run=rust,
                                   which=lambda name: f"/opt/{name}")


# --- linking --------------------------------------------------------------------------------

def _check(triple: str, tmp_path: Path, environ: dict[str, str], *, library: bool = True,
           zig: bool = False) -> None:
    check_linker(platform_for(triple), triple, library=library, zig=zig, crate_root=tmp_path,
                 environ={"CARGO_HOME": str(tmp_path / "cargo-home"), **environ},
                 host=LINUX_HOST)


def test_macos_without_sdk_or_zig_names_sdkroot(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SDKROOT", raising=False)
    with pytest.raises(ConfigError) as error:
        _check("aarch64-apple-darwin", tmp_path, {})
    message = str(error.value)
    assert "cannot link for `aarch64-apple-darwin` here" in message
    assert "SDKROOT is not set" in message and "--zig" in message
    _check("aarch64-apple-darwin", tmp_path, {}, zig=True)


@pytest.mark.parametrize(
    ("triple", "library", "problem"),
    [("aarch64-unknown-linux-gnu", False, "links linux x86_64 programs, not linux aarch64"),
     ("x86_64-unknown-linux-musl", True, "a musl shared library must be linked against musl"),
     ("x86_64-pc-windows-msvc", True, "linking for MSVC"),
     ("i686-pc-windows-gnu", True, "`i686-w64-mingw32-gcc` is not on PATH")],
)
def test_no_linker_for_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, triple: str,
                                  library: bool, problem: str) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no MinGW here
    with pytest.raises(ConfigError, match=problem):
        _check(triple, tmp_path, {}, library=library)


def test_musl_programs_link_with_rusts_own_musl(tmp_path: Path) -> None:
    _check("x86_64-unknown-linux-musl", tmp_path, {}, library=False)
    _check("x86_64-unknown-linux-gnu", tmp_path, {})


def test_a_configured_linker_is_trusted(tmp_path: Path) -> None:
    triple = "aarch64-unknown-linux-gnu"
    _check(triple, tmp_path, {"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER": "aarch64-gcc"})
    config = tmp_path / "crate" / ".cargo" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[target.{triple}]\nlinker = "aarch64-linux-gnu-gcc"\n')
    assert configured_linker(triple, tmp_path / "crate" / "sub", {}) == str(config)
    _check(triple, tmp_path / "crate", {})


# --- rustflags ------------------------------------------------------------------------------

FLAGS = ("-C", "target-feature=-crt-static")


def test_rustflags_go_where_cargo_reads_them() -> None:
    triple = "x86_64-unknown-linux-musl"
    assert rustflags_environment(triple, FLAGS, {}) == {
        "CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS": "-C target-feature=-crt-static"}
    assert rustflags_environment(triple, FLAGS, {"RUSTFLAGS": "-C opt-level=1"}) == {
        "RUSTFLAGS": "-C opt-level=1 -C target-feature=-crt-static"}
    assert rustflags_environment(triple, FLAGS, {"CARGO_ENCODED_RUSTFLAGS": "-Dwarnings"}) == {
        "CARGO_ENCODED_RUSTFLAGS": "-Dwarnings\x1f-C\x1ftarget-feature=-crt-static"}
    assert rustflags_environment(triple, (), {}) == {}


def test_editable_builds_and_develop_stay_on_this_machine(
        example_copy: Callable[[str], Path], tmp_path: Path) -> None:
    from setuptools_pyo3pack.install.develop import develop
    from setuptools_pyo3pack.wheel.pipeline import build_wheel

    config = load_configuration(values_source(None, {
        "cargo.manifest_path": example_copy("pyo3-mixed") / "Cargo.toml",
        "cargo.target": "x86_64-pc-windows-gnu", "output.interpreters": ("3.12",)}))
    project = load_project(config)
    (item,) = plan(project)
    with pytest.raises(ConfigError, match="editable install runs here"):
        build_wheel(project, item, tmp_path / "out", editable=True)
    with pytest.raises(ConfigError, match="cannot build for `x86_64-pc-windows-gnu`"):
        develop(config, tmp_path / "venv", make_interpreter())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("version", "features", "zig", "problem"),
    [((0, 30, 1), frozenset(), True, None),
     ((0, 29, 0), frozenset(), False, None),
     ((0, 22, 6), frozenset({"generate-import-lib"}), False, None),
     ((0, 22, 6), frozenset(), False, "pass -F pyo3/generate-import-lib"),
     ((0, 28, 3), frozenset({"generate-import-lib"}), True, "which zig cannot use")],
)
def test_old_pyo3_needs_an_import_library_for_windows(
        version: tuple[int, ...], features: frozenset[str], zig: bool, problem: str | None
) -> None:
    found = platform_for("x86_64-pc-windows-gnu").pyo3_link_problem(version, features, zig=zig)
    assert found is None if problem is None else problem in (found or "")
    assert platform_for("aarch64-apple-darwin").pyo3_link_problem(version, features,
                                                                  zig=zig) is None


def test_i686_linux_is_left_to_gcc_multilib(tmp_path: Path) -> None:
    _check("i686-unknown-linux-gnu", tmp_path, {})
    with pytest.raises(ConfigError, match="i686"):
        _check("i686-unknown-linux-musl", tmp_path, {})
