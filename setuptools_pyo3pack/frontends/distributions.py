"""Wheels and, when asked, the sdist: what `build` and `publish` produce."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..platforms.interpreter import Interpreter
    from ..project.project import Project


def build_distributions(project: Project, *, sdist: bool) -> list[Path]:
    """The project's wheels, and its sdist when asked."""
    wheels, sdist_path = build_planned_distributions(project, sdist=sdist)
    return [path for path, _ in wheels] + ([sdist_path] if sdist_path is not None else [])


def build_planned_distributions(project: Project, *, sdist: bool
                                ) -> tuple[list[tuple[Path, Interpreter | None]], Path | None]:
    """Each wheel with the interpreter it was built for, and the sdist (None unless asked)."""
    from ..wheel.pipeline import build_planned

    wheels = [(path, item.interpreter) for item, path in build_planned(project)]
    if not sdist:
        return wheels, None
    from ..sdist.sdist import build_sdist

    return wheels, build_sdist(project, project.wheel_dir)
