"""Helper programs pyo3-pack installs for itself with `cargo install`, once per user.

A tool is looked for in this order: the environment variable naming the user's own copy,
PATH, then the tool cache. When none has it, `cargo install --locked --version <pinned>`
builds it into a temporary root inside the cache, which is then renamed to
`<cache>/<name>-<version>/`: that folder exists only once it holds a complete tool, so a
later build finds it with one `stat` and waits for nothing. A file lock makes a second,
concurrent build wait for the first instead of installing the tool again.

The cache is `$PYO3_PACK_TOOLS_DIR`, else `$XDG_CACHE_HOME/setuptools-pyo3pack/tools`
(`~/.cache/...` without XDG_CACHE_HOME), shared by every project and every build
environment (an isolated PEP 517 build finds it too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import _process
from ..errors import ConfigError

#: Names a folder for the tools pyo3-pack installs (default: under the user's cache folder).
TOOLS_DIR_VARIABLE = "PYO3_PACK_TOOLS_DIR"
#: Variables of the caller's build that must not redirect or cross-compile the tool's build.
_BUILD_ONLY_VARIABLES = ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR", "CARGO_BUILD_TARGET")


@dataclass(frozen=True)
class CargoTool:
    """A program built from a registry crate at a pinned version."""

    #: the crate that provides it
    crate: str
    #: the pinned version: a newer one could change its output
    version: str
    #: the environment variable naming the user's own copy, which wins over PATH and the cache
    env_var: str
    #: why pyo3-pack needs it, said in messages ("cffi bindings need it to ...")
    purpose: str
    #: the program's name, when it differs from the crate's
    binary: str = ""
    #: more `cargo install` options, e.g. `("--features", "cli", "--bin", "uniffi-bindgen")`
    install_options: tuple[str, ...] = ()
    #: a copy on PATH is used only if its `--version` names the pinned version (for tools
    #: whose output must match the crate's own release, like uniffi-bindgen)
    same_version_on_path: bool = False
    #: a version requirement for `cargo install` (`~0.30.1`) when `version` names a release
    #: series (`0.30`) rather than one release
    requirement: str = ""

    @property
    def name(self) -> str:
        return self.binary or self.crate

    @property
    def program(self) -> str:
        return f"{self.name}.exe" if sys.platform == "win32" else self.name

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def folder_name(self) -> str:
        return f"{self.name}-{self.version}"

    def install_argv(self, root: Path | None = None) -> list[str]:
        argv = ["cargo", "install", "--locked", "--version", self.requirement or self.version,
                self.crate,
                *self.install_options]
        return [*argv, "--root", str(root)] if root is not None else argv

    @property
    def manual_install(self) -> str:
        """The command a user can run to install the tool by hand."""
        return " ".join(self.install_argv())


#: Writes the C header of cffi crates. 0.29.4: the newest release; it needs rustc 1.74.
CBINDGEN = CargoTool(
    crate="cbindgen",
    version="0.29.4",
    env_var="PYO3_PACK_CBINDGEN",
    purpose="cffi bindings need it to write the crate's C header",
)


def tools_dir() -> Path:
    """Where installed tools are kept: `$PYO3_PACK_TOOLS_DIR` or the user's cache folder."""
    chosen = os.environ.get(TOOLS_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "setuptools-pyo3pack" / "tools"


def cached_program(tool: CargoTool, folder: Path | None = None) -> Path:
    return (folder or tools_dir()) / tool.folder_name / "bin" / tool.program


def find(tool: CargoTool) -> Path:
    """The program to run: the user's choice, PATH, the cache, else installed into the cache."""
    chosen = os.environ.get(tool.env_var)
    if chosen:
        return _user_choice(tool, chosen)
    on_path = shutil.which(tool.program)
    if on_path and (not tool.same_version_on_path or _reports_version(on_path, tool.version)):
        return Path(on_path)
    cached = cached_program(tool)
    if cached.is_file():
        return cached
    return install(tool, tools_dir())


def _user_choice(tool: CargoTool, value: str) -> Path:
    return _named_program(tool.env_var, value, tool.name,
                          f"or unset it and pyo3-pack installs {tool.label} itself")


def _named_program(env_var: str, value: str, name: str, otherwise: str) -> Path:
    found = shutil.which(value)
    if found is None:
        raise ConfigError(f"{env_var}={value} is not an executable program",
                          hint=f"point it at a {name} binary, {otherwise}")
    return Path(found)


def _reports_version(program: str, version: str) -> bool:
    try:
        result = subprocess.run([program, "--version"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    words = result.stdout.split()
    return result.returncode == 0 and any(w == version or w.startswith(f"{version}.")
                                          for w in words)


def rustup_component_program(component: str, program: str, *, env_var: str, purpose: str,
                             cwd: Path) -> Path:
    """A program of a rustup component of the toolchain cargo uses in `cwd` (llvm-profdata
    of `llvm-tools`): the one `env_var` names, else the toolchain's own, else the component
    is added with `rustup component add` first (once: later builds find it in place)."""
    chosen = os.environ.get(env_var)
    if chosen:
        return _named_program(env_var, chosen, program,
                              f"or unset it and pyo3-pack uses the toolchain's {component}")
    sysroot = _process.run_captured(["rustc", "--print", "sysroot"], cwd=cwd,
                                    what="asking rustc for its sysroot").strip()
    host = _process.run_captured(["rustc", "-vV"], cwd=cwd, what="asking rustc for its host")
    triple = next((line.split(":", 1)[1].strip() for line in host.splitlines()
                   if line.startswith("host:")), "")
    suffix = ".exe" if sys.platform == "win32" else ""
    found = Path(sysroot) / "lib" / "rustlib" / triple / "bin" / f"{program}{suffix}"
    if found.is_file():
        return found
    manual = f"rustup component add {component}"
    if shutil.which("rustup") is None:
        raise ConfigError(
            f"{program} is not in the Rust toolchain ({found.parent}) and rustup is not on PATH "
            f"to run `{manual}`",
            hint=f"{purpose}: install the toolchain with rustup, or set {env_var} to an "
            f"{program} of the same LLVM version as rustc",
        )
    _process.log(f"{program} is not in the toolchain: running `{manual}` (once; later builds "
                 "find it there)")
    started = time.monotonic()
    _process.run_captured(["rustup", "component", "add", component], cwd=cwd,
                          what=f"adding the {component} component with rustup",
                          hint=f"{purpose}: run `{manual}` where rustup can download, or set "
                          f"{env_var} to an {program} of the same LLVM version as rustc")
    if not found.is_file():
        raise ConfigError(f"`{manual}` left no {program} in {found.parent}",
                          hint=f"set {env_var} to an {program} binary")
    _process.log(f"{component} added in {time.monotonic() - started:.0f}s")
    return found


def install(tool: CargoTool, folder: Path) -> Path:
    """Install `tool` into `folder/<name>-<version>/` unless another build just did."""
    final = folder / tool.folder_name
    program = final / "bin" / tool.program
    lock = folder / f".{tool.folder_name}.lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")  # noqa: SIM115 (closed by the `with` below)
    except OSError as exc:
        raise ConfigError(
            f"cannot write to the tool folder {folder}: {exc.strerror}",
            hint=f"set {TOOLS_DIR_VARIABLE} to a writable folder, or {tool.env_var} to a "
            f"{tool.name} binary",
        ) from None
    with handle, _exclusive(handle.fileno(), lock, tool):
        if program.is_file():
            return program  # installed by the build we waited for
        _remove_leftovers(folder, tool)
        staging = Path(tempfile.mkdtemp(prefix=f".{tool.folder_name}.", suffix=".tmp",
                                        dir=folder))
        try:
            _cargo_install(tool, staging, folder)
            os.chmod(staging, 0o755)  # mkdtemp made it private
            if final.exists():
                shutil.rmtree(final)  # incomplete: its program is missing
            os.rename(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return program


def _cargo_install(tool: CargoTool, root: Path, cwd: Path) -> None:
    _process.log(f"{tool.program} is not on PATH: installing {tool.label} into "
                 f"{root.parent / tool.folder_name} for this and every later build "
                 f"(cargo compiles it once, in a minute or two)")
    started = time.monotonic()
    env = {key: value for key, value in _process.environ().items()
           if key not in _BUILD_ONLY_VARIABLES}
    _process.run_captured(
        tool.install_argv(root),
        what=f"installing {tool.label} with cargo",
        env=env,
        cwd=cwd,  # away from the project, whose .cargo/config.toml may cross-compile
        hint=f"{tool.purpose}: run `{tool.manual_install}` where the crate registry can be "
        f"reached, or set {tool.env_var} to a {tool.name} you have",
    )
    if not (root / "bin" / tool.program).is_file():
        raise ConfigError(
            f"`{tool.manual_install}` left no bin/{tool.program} in {root}",
            hint=f"set {tool.env_var} to a {tool.name} binary",
        )
    _process.log(f"{tool.label} installed in {time.monotonic() - started:.0f}s")


def _remove_leftovers(folder: Path, tool: CargoTool) -> None:
    """Temporary roots of installs that were interrupted (we hold the lock: none is running)."""
    for stale in folder.glob(f".{tool.folder_name}.*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def _exclusive(fd: int, path: Path, tool: CargoTool) -> Iterator[None]:
    """Hold an exclusive lock on the open file `fd` (`path`) until its file is closed; say so
    when another build holds it first."""
    if not _try_lock(fd):
        _process.log(f"waiting for another build that is installing {tool.label} (lock {path})")
        _lock(fd)
    yield


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(fd: int) -> None:
        while not _try_lock(fd):
            time.sleep(1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
