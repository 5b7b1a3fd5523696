"""Profile-guided optimization: the compiler flags of the two builds, the training run and
the merged profile.

`--pgo` builds the crate twice. The instrumented build (`-Cprofile-generate`) becomes a
wheel that is installed into a temporary virtualenv, where `pgo-command` runs with that
virtualenv active; every process that loads the instrumented library writes a `.profraw`
file. `llvm-profdata` (from rustup's `llvm-tools` component, the same LLVM as rustc's)
merges them, and the optimized build reads the result (`-Cprofile-use`).

The flags reach every crate of the graph through CARGO_ENCODED_RUSTFLAGS (added to the
user's RUSTFLAGS), with an explicit `--target` so that build scripts and proc macros, which
run during the build, stay uninstrumented. Each build has its own cargo target folder, so
neither invalidates the other nor the plain build. The merged profile is named after its
hash: a new profile changes the flags, and cargo rebuilds what it guides.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import _process
from ..errors import CommandError, ConfigError
from ..platforms.interpreter import Interpreter
from ..project.project import Project
from . import tools
from .cargo import CargoInvocation, abi_folder_name

#: Names an llvm-profdata to use instead of the one of rustup's llvm-tools component.
LLVM_PROFDATA_VARIABLE = "PYO3_PACK_LLVM_PROFDATA"
#: Where the instrumented library writes its counters (`%p` pid, `%m` library signature).
PROFILE_PATTERN = "pyo3-pack-%p-%m.profraw"


@dataclass(frozen=True)
class Phase:
    """One of the two builds: its name and the flags every crate is compiled with."""

    name: str
    """`instrumented` or `optimized`: names the cargo target folder and the status line."""
    rustflags: tuple[str, ...]
    target: str
    """The target triple, passed explicitly so RUSTFLAGS skip build scripts and proc macros."""

    def target_dir(self, project: Project, interpreter: Interpreter | None, abi3: bool) -> Path:
        return work_dir(project, interpreter, abi3).with_name(
            f"{_key(project, interpreter, abi3)}-pgo-{self.name}")

    def apply(self, call: CargoInvocation) -> CargoInvocation:
        """`call` with the phase's flags and target triple."""
        argv = list(call.argv)
        if "--target" not in argv:
            at = argv.index("--") if "--" in argv else len(argv)
            argv[at:at] = ["--target", self.target]
        env = dict(call.env)
        env["CARGO_ENCODED_RUSTFLAGS"] = "\x1f".join([*user_rustflags(), *self.rustflags])
        return dataclasses.replace(call, argv=tuple(argv), env=env,
                                   description=f"{call.description} ({self.name} for PGO)")


def _key(project: Project, interpreter: Interpreter | None, abi3: bool) -> str:
    if interpreter is None:
        return "any"
    return abi_folder_name(interpreter, abi3, embed=project.binding.embeds_python)


def work_dir(project: Project, interpreter: Interpreter | None, abi3: bool) -> Path:
    """Where the profiles of one wheel's builds are kept (in the cargo target folder)."""
    key = _key(project, interpreter, abi3)
    return project.crate.target_directory / "pyo3-pack" / f"{key}-pgo"


def user_rustflags() -> list[str]:
    """The flags the user gave cargo through the environment, which ours must not drop."""
    encoded = os.environ.get("CARGO_ENCODED_RUSTFLAGS")
    if encoded:
        return encoded.split("\x1f")
    return os.environ.get("RUSTFLAGS", "").split()


def target_triple(project: Project) -> str:
    """`--target` if given, else rustc's host triple (of the toolchain used in the crate)."""
    chosen = project.settings.cargo.target
    if chosen:
        return chosen
    answer = _process.run_captured(["rustc", "-vV"], cwd=project.crate.root,
                                   what="asking rustc for its host triple")
    for line in answer.splitlines():
        if line.startswith("host:"):
            return line.split(":", 1)[1].strip()
    raise CommandError("`rustc -vV` named no host triple")


def instrumented(project: Project, raw_dir: Path) -> Phase:
    return Phase("instrumented", (f"-Cprofile-generate={raw_dir}",), target_triple(project))


def optimized(project: Project, profile: Path) -> Phase:
    return Phase("optimized", (f"-Cprofile-use={profile}",), target_triple(project))


def training_command(project: Project) -> str:
    command = project.settings.cargo.pgo_command
    if not command or not command.strip():
        where = project.where("cargo.pgo_command")
        raise ConfigError(
            "--pgo needs a command that exercises the instrumented build: `pgo-command` is "
            f"not set ({where})",
            hint='add e.g. `pgo-command = "python bench.py"` to [tool.pyo3-pack] in '
            "pyproject.toml (or [tool.maturin]), or set PYO3_PACK_PGO_COMMAND",
        )
    return command


def train(project: Project, python: str, wheel: Path, raw_dir: Path, venv: Path) -> None:
    """Install `wheel` into a new virtualenv made by `python` and run the PGO command there,
    in the project folder; its output goes to stderr."""
    command = training_command(project)
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    raw_dir.mkdir(parents=True)
    _process.log(f"PGO: installing the instrumented {wheel.name} into a temporary virtualenv")
    _process.run_captured([python, "-m", "venv", str(venv)],
                          what=f"creating a virtualenv with {python}")
    venv_python = _venv_python(venv)
    _process.run_captured(
        [venv_python, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
         str(wheel)],
        what=f"installing {wheel.name} into the PGO virtualenv",
        hint="the wheel's dependencies must be installable: pip reads them from the index",
    )
    env = _process.environ()
    env.pop("PYTHONHOME", None)
    env.update({
        "VIRTUAL_ENV": str(venv),
        "PATH": os.pathsep.join([str(Path(venv_python).parent), env.get("PATH", "")]),
        "LLVM_PROFILE_FILE": str(raw_dir / PROFILE_PATTERN),
    })
    root = project.layout.project_root
    _process.log(f"PGO: running `{command}` in {root}")
    result = subprocess.run(command, shell=True, cwd=root, env=env, stdout=2, check=False)
    if result.returncode != 0:
        raise CommandError(
            f"the PGO command `{command}` failed with exit code {result.returncode}",
            hint=f"its output is above; it runs in {root} with the instrumented wheel "
            "installed in a temporary virtualenv",
        )


def _venv_python(venv: Path) -> str:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return str(candidate)
    raise CommandError(f"the virtualenv {venv} has no python")


def merge(project: Project, raw_dir: Path, work: Path) -> Path:
    """Merge the training run's `.profraw` files into `<work>/merged-<hash>.profdata`."""
    raws = sorted(raw_dir.glob("*.profraw"))
    if not raws:
        raise CommandError(
            f"the PGO command `{training_command(project)}` ran but recorded no profile: it "
            f"never loaded the instrumented {project.layout.module_name}",
            hint="make the command import and exercise the module, e.g. "
            f"`python -c \"import {project.layout.module_name}; ...\"` or a benchmark script",
        )
    llvm_profdata = tools.rustup_component_program(
        "llvm-tools", "llvm-profdata", env_var=LLVM_PROFDATA_VARIABLE,
        purpose="--pgo merges the recorded profiles with it", cwd=project.crate.root)
    staging = work / "merged.profdata.tmp"
    work.mkdir(parents=True, exist_ok=True)
    _process.run_captured(
        [str(llvm_profdata), "merge", "-o", str(staging), *map(str, raws)],
        what=f"merging {len(raws)} PGO profile(s) with llvm-profdata",
        hint="llvm-profdata must come from the same LLVM as rustc (rustup's llvm-tools)",
    )
    digest = hashlib.sha256(staging.read_bytes()).hexdigest()[:16]
    merged = work / f"merged-{digest}.profdata"
    for old in work.glob("merged-*.profdata"):
        if old != merged:
            old.unlink()
    os.replace(staging, merged)
    _process.log(f"PGO: merged {len(raws)} profile(s) into {merged}")
    return merged
