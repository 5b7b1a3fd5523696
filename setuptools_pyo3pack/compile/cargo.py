"""Run cargo for one target and interpreter; artifacts come from cargo's JSON messages."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import _process
from ..config.settings import Settings
from ..errors import CommandError
from ..platforms.base import SHARED_LIBRARY_SUFFIXES
from ..platforms.interpreter import Interpreter
from ..project.crate import Crate


@dataclass(frozen=True)
class CargoInvocation:
    argv: tuple[str, ...]
    env: Mapping[str, str]
    """Only the variables we add; the caller's environment is inherited."""
    description: str


def abi_folder_name(interpreter: Interpreter, abi3: bool, *, embed: bool = False) -> str:
    """The name of one interpreter ABI's folders under `<target>/pyo3-pack/`.

    Binaries embedding Python (`embed`) build pyo3 without PYO3_BUILD_EXTENSION_MODULE,
    which reruns its build script: they get folders of their own (`<abi>-embed`).
    """
    key = "abi3" if abi3 else interpreter.abi_key
    return f"{key}-embed" if embed else key


def target_dir_for(crate: Crate, interpreter: Interpreter | None, abi3: bool, *,
                   embed: bool = False) -> Path:
    """A cargo target folder per interpreter ABI.

    pyo3's build script reruns (and pyo3 recompiles) whenever PYO3_PYTHON changes; keeping
    one folder per ABI means switching interpreters finds its own build still valid.
    """
    if interpreter is None:
        return crate.target_directory
    return crate.target_directory / "pyo3-pack" / abi_folder_name(interpreter, abi3,
                                                                  embed=embed)


def invocation(
    crate: Crate,
    settings: Settings,
    *,
    bin_name: str | None,
    interpreter: Interpreter | None,
    target_dir: Path,
    embed: bool = False,
) -> CargoInvocation:
    """`cargo rustc` for the lib (or one bin) with pyo3's interpreter variables set.

    `embed`: a binary that links the interpreter, so pyo3 is not told it builds an extension
    module (which would leave libpython unlinked)."""
    argv = ["cargo", "rustc", "--message-format=json-render-diagnostics",
            "--manifest-path", str(crate.manifest_path), "--target-dir", str(target_dir)]
    argv += ["--bin", bin_name] if bin_name else ["--lib"]
    cargo = settings.cargo
    argv += ["--profile", settings.profile]
    if cargo.target:
        argv += ["--target", cargo.target]
    argv += settings.feature_args
    argv += settings.manifest_args
    if cargo.jobs:
        argv += ["--jobs", cargo.jobs]
    argv += cargo.cargo_extra_args
    rustc_args = list(cargo.rustc_extra_args)
    if cargo.strip:
        rustc_args += ["-C", "strip=symbols"]
    rustc_args += remap_path_args(crate, target_dir, rustc_args)
    if rustc_args:
        argv += ["--", *rustc_args]
    env: dict[str, str] = {}
    if interpreter is not None and interpreter.recorded:
        env = cross_environment(interpreter)
    elif interpreter is not None:
        python = interpreter.build_executable
        env = {
            "PYO3_PYTHON": python,
            "PYTHON_SYS_EXECUTABLE": python,
            "PYO3_ENVIRONMENT_SIGNATURE": f"{interpreter.abi_key}-{interpreter.abiflags}",
        }
        if not embed:
            env["PYO3_BUILD_EXTENSION_MODULE"] = "1"
    if cargo.macos_deployment_target and "apple" in (cargo.target or ""):
        env["MACOSX_DEPLOYMENT_TARGET"] = cargo.macos_deployment_target
    what = f"bin `{bin_name}`" if bin_name else f"`{crate.name}`"
    for_whom = f" for {interpreter.pretty_name}" if interpreter else ""
    return CargoInvocation(tuple(argv), env, f"{what}{for_whom}")


def remap_path_args(crate: Crate, target_dir: Path, given: Sequence[str]) -> list[str]:
    """rustc flags that write the machine's folders as fixed names in the binary.

    The compiler records the folder it ran in (debug info) and the paths of the sources it
    compiled (panic locations): without this, the same project built in two folders gives
    two different libraries. The last matching prefix wins, so the most specific comes last.
    Only the packed crate is compiled with these flags: its dependencies keep their
    fingerprints in a shared target folder. A user's own `--remap-path-prefix` wins.
    """
    if any(arg.startswith("--remap-path-prefix") for arg in given):
        return []
    cargo_home = os.environ.get("CARGO_HOME") or str(Path.home() / ".cargo")
    workspace = crate.graph.workspace_root if crate.graph is not None else crate.root
    pairs = [(cargo_home, "/cargo"), (str(workspace), "."), (str(target_dir), "/target")]
    return [f"--remap-path-prefix={Path(folder).absolute()}={name}" for folder, name in pairs]


def cross_environment(interpreter: Interpreter) -> dict[str, str]:
    """pyo3's variables for an interpreter that cannot run here (a cross build): its version
    and implementation, from which pyo3 derives the rest (on Windows, the DLL to link)."""
    major, minor = interpreter.minor_version
    implementation = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}
    return {
        "PYO3_CROSS_PYTHON_VERSION": f"{major}.{minor}{'t' if interpreter.free_threaded else ''}",
        "PYO3_CROSS_PYTHON_IMPLEMENTATION": implementation.get(interpreter.implementation,
                                                               interpreter.implementation),
        "PYO3_BUILD_EXTENSION_MODULE": "1",
        "PYO3_ENVIRONMENT_SIGNATURE": f"{interpreter.abi_key}-{interpreter.abiflags}",
    }


def run(call: CargoInvocation, crate: Crate) -> list[Path]:
    """Run cargo, let its diagnostics reach the user, return the root package's files."""
    env = _process.environ()
    env.update(call.env)
    artifacts: list[Path] = []
    success = None
    _process.log(f"building {call.description}")
    added = " ".join(f"{key}={value}" for key, value in sorted(call.env.items()))
    _process.detail(f"running {_process.describe(call.argv)}"
                    + (f" with {added}" if added else "") + f" in {crate.root}")
    with _process.streamed_stdout(call.argv, env=env, cwd=crate.root) as (process, lines):
        for line in lines:
            message = _parse(line)
            if message is None:
                continue
            reason = message.get("reason")
            if reason == "compiler-artifact" and _is_root(message, crate):
                artifacts.extend(_wanted_files(message))
            elif reason == "build-finished":
                success = bool(message.get("success"))
        returncode = process.wait()
    if returncode != 0 or success is False:
        raise CommandError(
            f"cargo failed to build {call.description} (exit code {returncode})",
            hint="see cargo's messages above",
        )
    if not artifacts:
        raise CommandError(f"cargo reported no artifact for {call.description}")
    return artifacts


def _parse(line: str) -> dict[str, object] | None:
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _is_root(message: Mapping[str, object], crate: Crate) -> bool:
    package_id = str(message.get("package_id", ""))
    return package_id == crate.package.id


def _wanted_files(message: Mapping[str, object]) -> list[Path]:
    """The cdylib or executable of one target (not rlibs, not debug-info side files)."""
    target = message.get("target")
    kinds = target.get("kind", []) if isinstance(target, dict) else []
    executable = message.get("executable")
    if "bin" in kinds and isinstance(executable, str):
        return [Path(executable)]
    filenames = message.get("filenames")
    if not isinstance(filenames, list):
        return []
    return [Path(f) for f in filenames if str(f).endswith(SHARED_LIBRARY_SUFFIXES)]
