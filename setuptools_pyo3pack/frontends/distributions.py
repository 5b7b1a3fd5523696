"""Wheels and, when asked, the sdist: what `build` and `publish` produce."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project.project import Project


def build_distributions(project: Project, *, sdist: bool) -> list[Path]:
    """The project's wheels, and its sdist when asked."""
    from ..wheel.pipeline import build_wheels

    built = build_wheels(project)
    if sdist:
        from ..sdist.sdist import build_sdist

        built.append(build_sdist(project, project.wheel_dir))
    return built
