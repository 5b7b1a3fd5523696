"""A `--target` needs Rust's standard library for it: installed here through rustup when it is
missing, or an error that names the command when there is no rustup."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import _process
from ..errors import CommandError

#: runs a command in a folder and returns its stdout (`_process.run_captured` in real use)
Runner = Callable[[Sequence[str], str, Path], str]

_checked: set[tuple[str, str]] = set()


def _run(argv: Sequence[str], what: str, cwd: Path) -> str:
    return _process.run_captured(argv, what=what, cwd=cwd)


def has_standard_library(triple: str, cwd: Path, run: Runner = _run) -> bool:
    """Whether rustc (the toolchain `cwd` selects) has the standard library for `triple`."""
    libdir = run(["rustc", "--print", "target-libdir", "--target", triple],
                 f"asking rustc about target `{triple}`", cwd).strip()
    folder = Path(libdir)
    return folder.is_dir() and any(folder.glob("libcore-*.rlib"))


def ensure_targets(triples: Sequence[str], cwd: Path, *, run: Runner = _run,
                   which: Callable[[str], str | None] = shutil.which) -> None:
    """Install what is missing with `rustup target add`, saying so; without rustup, fail with
    the command to run. Each triple is checked once per process and toolchain folder."""
    rustup = which("rustup")
    for triple in triples:
        key = (triple, str(cwd))
        if key in _checked or has_standard_library(triple, cwd, run):
            _checked.add(key)
            continue
        command = ["rustup", "target", "add", triple]
        if rustup is None:
            raise CommandError(
                f"Rust's standard library for `{triple}` is not installed, and rustup is not "
                "on PATH to install it",
                hint=f"run `{_process.describe(command)}` (with rustup), or install the "
                f"{triple} standard library of your Rust distribution")
        _process.log(f"installing Rust's standard library for {triple} "
                     f"({_process.describe(command)})")
        run([rustup, *command[1:]], f"installing the Rust target `{triple}`", cwd)
        if not has_standard_library(triple, cwd, run):
            raise CommandError(
                f"`{_process.describe(command)}` ran, but rustc still has no standard "
                f"library for `{triple}`",
                hint="check that rustc on PATH is the rustup toolchain of this folder")
        _checked.add(key)
