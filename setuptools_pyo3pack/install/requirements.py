"""What `develop` installs before the project: its dependencies and the extras asked for,
with pip (or uv, when asked or when the virtualenv has no pip), as `maturin develop` does."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .. import _process
from ..config.pyproject import Pyproject
from ..errors import ConfigError, EnvironmentNotFound
from ..platforms.interpreter import Interpreter
from ..project.metadata import CoreMetadata

#: How `[project.optional-dependencies]` entries end up in Requires-Dist.
_EXTRA_MARKER = re.compile(r'^(?:(?P<rest>.+) and )?extra == "(?P<extra>[^"]+)"$')


def requirements_for(core: CoreMetadata, extras: Sequence[str]) -> list[str]:
    """Requires-Dist without the extras' conditions: every plain requirement, and those of
    the extras asked for (their `extra == "..."` part removed so pip takes them)."""
    wanted = {canonicalize_name(e) for e in extras}
    unknown = sorted(wanted - {canonicalize_name(e) for e in core.provides_extra})
    if unknown:
        known = ", ".join(core.provides_extra) or "none"
        raise ConfigError(f"the project has no extra {', '.join(map(repr, unknown))}",
                          hint=f"its extras are: {known}")
    chosen = []
    for text in core.requires_dist:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue  # validated where it was written
        marker = str(requirement.marker) if requirement.marker is not None else ""
        if "extra" not in marker:
            chosen.append(text)
            continue
        match = _EXTRA_MARKER.match(marker)
        if match is None or canonicalize_name(match.group("extra")) not in wanted:
            continue
        rest = match.group("rest")
        requirement.marker = Marker(rest) if rest else None
        chosen.append(str(requirement))
    return chosen


def dependency_groups(pyproject: Pyproject, names: Sequence[str]) -> list[str]:
    """The requirements of PEP 735 `[dependency-groups]`, with `{include-group = ...}`
    followed."""
    table = pyproject.data.get("dependency-groups")
    groups = {canonicalize_name(k): v for k, v in table.items()} \
        if isinstance(table, dict) else {}
    where = f"[dependency-groups] of {pyproject.path}"
    found: list[str] = []

    def add(name: str, seen: tuple[str, ...]) -> None:
        key = canonicalize_name(name)
        if key not in groups:
            raise ConfigError(f"{where} has no group {name!r}",
                              hint=f"its groups are: {', '.join(groups) or 'none'}")
        if key in seen:
            raise ConfigError(f"group {name!r} of {where} includes itself")
        for item in groups[key] if isinstance(groups[key], list) else []:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
                add(item["include-group"], (*seen, key))
            else:
                raise ConfigError(f"group {name!r} of {where} has {item!r}, which is neither "
                                  "a requirement nor {include-group = ...}")

    for name in names:
        add(name, ())
    return list(dict.fromkeys(found))


def installer_argv(venv: Path, interpreter: Interpreter, *, uv: bool = False,
                   pip_path: Path | None = None) -> list[str]:
    """The command that installs requirements into `venv`: the given pip, uv (asked for, or
    when the venv has no pip), else the venv's own pip."""
    if pip_path is not None:  # pip 22.3+ installs into another environment with --python
        return [str(pip_path), "--python", interpreter.path, "install",
                "--disable-pip-version-check"]
    if uv or not _has_pip(interpreter):
        found = shutil.which("uv")
        if found is None:
            why = "--uv was given" if uv else f"the virtualenv {venv} has no pip"
            raise EnvironmentNotFound(f"{why}, and uv is not on PATH",
                                      hint="install uv, or pip into the virtualenv")
        return [found, "pip", "install", "--python", interpreter.path]
    return [interpreter.path, "-m", "pip", "install", "--disable-pip-version-check"]


def _has_pip(interpreter: Interpreter) -> bool:
    return any((Path(interpreter.paths[key]) / "pip").is_dir()
               for key in ("purelib", "platlib") if key in interpreter.paths)


def install_requirements(requirements: Sequence[str], argv: Sequence[str], venv: Path) -> None:
    if not requirements:
        return
    _process.log(f"installing {len(requirements)} requirement(s) into {venv}: "
                 f"{', '.join(requirements)}")
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    _process.run_captured([*argv, *requirements], what="installing the project's dependencies",
                          env=env, hint="check the requirements and the package index")
