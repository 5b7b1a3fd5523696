"""The `--json` documents of the CLI, one per command; docs/json.md and docs/schemas/ describe
them. Only plain values go in: paths as strings, versions as "3.12.1"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fs import sha256_file

if TYPE_CHECKING:
    from ..install.develop import Developed
    from ..platforms.interpreter import Interpreter

#: Bumped when a field changes meaning or goes away (new fields do not bump it).
SCHEMA_VERSION = 1


def interpreter(found: Interpreter) -> dict[str, Any]:
    """An interpreter as `list-python` and the wheels name it."""
    return {
        "implementation": found.implementation,
        "version": ".".join(map(str, found.version)),
        "abi": found.abi_key,
        "soabi": found.soabi,
        "free_threaded": found.free_threaded,
        "ext_suffix": found.ext_suffix,
        "path": found.path,
    }


def _file(path: Path) -> dict[str, Any]:
    digest, size = sha256_file(path)
    return {"path": str(path.absolute()), "name": path.name, "size": size, "sha256": digest}


def wheel(path: Path, built_for: Interpreter | None) -> dict[str, Any]:
    """A wheel file, its expanded tags, and the interpreter it was built for (None for
    abi3 and interpreter-free wheels)."""
    python, abi, platform = path.stem.split("-")[-3:]
    tags = [f"{p}-{a}-{pl}" for p in python.split(".") for a in abi.split(".")
            for pl in platform.split(".")]
    return {**_file(path), "tags": tags,
            "interpreter": interpreter(built_for) if built_for is not None else None}


def sdist(path: Path) -> dict[str, Any]:
    return _file(path)


def build(wheels: Sequence[tuple[Path, Interpreter | None]], sdist_path: Path | None
          ) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION,
            "wheels": [wheel(path, built_for) for path, built_for in wheels],
            "sdist": sdist(sdist_path) if sdist_path is not None else None}


def sdist_document(path: Path) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "sdist": sdist(path)}


def list_python(found: Sequence[Interpreter], failures: Sequence[tuple[str, str]]
                ) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION,
            "interpreters": [interpreter(i) for i in found],
            "unusable": [{"path": path, "reason": reason} for path, reason in failures]}


def develop(done: Developed, into: Interpreter) -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "name": done.name, "project_version": done.version,
            "venv": str(done.venv), "editable": done.editable, "installed": done.installed,
            "wheel": wheel(done.wheel, into)}
