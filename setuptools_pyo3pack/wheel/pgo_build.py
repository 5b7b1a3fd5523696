"""`--pgo`: an instrumented wheel, a training run, then the optimized build the wheel is
made of (the steps are in `compile/pgo.py`)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import _process
from ..compile import pgo
from ..compile.native import compile_native
from ..compile.select import WheelPlan
from ..project.project import Project

#: Writes a wheel of these artifacts into a folder: (project, plan, artifacts, folder) -> wheel
WheelWriter = Callable[[Project, WheelPlan, list[Path], Path], Path]


def profile_guided_artifacts(project: Project, item: WheelPlan, write: WheelWriter
                             ) -> list[Path]:
    """The artifacts of a build optimized with the profile `pgo-command` records; `write`
    makes the instrumented wheel the command runs with."""
    pgo.training_command(project)  # no command: fail before building anything
    work = pgo.work_dir(project, item.interpreter, item.abi3)
    raw = work / "raw"
    instrumented = compile_native(project, item, pgo.instrumented(project, raw))
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-pgo-") as tmp:
        wheel = write(project, item, instrumented, Path(tmp))
        python = item.interpreter.path if item.interpreter else sys.executable
        pgo.train(project, python, wheel, raw, Path(tmp) / "venv")
    profile = pgo.merge(project, raw, work)
    optimized = pgo.optimized(project, profile)
    _process.log(f"PGO: building with {' '.join(optimized.rustflags)}")
    return compile_native(project, item, optimized)
