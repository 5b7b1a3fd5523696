"""Checks before any upload, like `twine check --strict` plus a file-name check.

Every file is parsed by twine (METADATA validated with `packaging.metadata`), its name must agree
with its metadata, and a reStructuredText readme must render. One bad file stops every upload.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import _process
from ..audit.record import record_problem
from ..errors import Pyo3PackError
from .registry import UploadError, twine_missing

if TYPE_CHECKING:
    from twine.package import PackageFile, PackageMetadata


@dataclass(frozen=True)
class Checked:
    path: Path
    package: PackageFile


def check(paths: Sequence[Path], *, strict: bool = False) -> list[Checked]:
    """Parse and validate every file (like `twine check --strict`); raise if any is bad."""
    try:
        import twine.package  # noqa: F401 (only to say early that twine is missing)
    except ImportError:
        raise twine_missing() from None
    checked: list[Checked] = []
    problems: list[str] = []
    bad = 0
    for path in paths:
        found = _problems(path, strict)
        if isinstance(found, list):
            problems += [f"{path.name}: {problem}" for problem in found]
            bad += 1
        else:
            checked.append(Checked(path, found))
    if problems:
        raise UploadError(
            f"{bad} of {len(paths)} files failed the checks, nothing was uploaded: "
            + "; ".join(problems),
            hint="fix these files or leave them out, and run again",
        )
    return checked


def _problems(path: Path, strict: bool) -> PackageFile | list[str]:
    """The parsed file, or what is wrong with it; warnings are logged (or wrong when strict)."""
    from twine.exceptions import TwineException
    from twine.package import PackageFile

    try:
        if not path.is_file():
            return ["no such file"]
        broken = record_problem(path) if path.name.endswith(".whl") else None
        if broken:
            return [broken]
        package = PackageFile.from_filename(str(path), comment=None)
        warnings = check_package(path, package.metadata_dictionary())
    except (TwineException, UploadError) as exc:
        return [_one_line(exc)]
    except (zipfile.BadZipFile, tarfile.TarError, OSError, EOFError) as exc:
        return [f"not a readable archive ({_one_line(exc)})"]
    if strict and warnings:
        return warnings
    for warning in warnings:
        _process.log(f"warning: {path.name}: {warning}")
    return package


def check_package(path: Path, meta: PackageMetadata) -> list[str]:
    """Checks beyond twine's metadata parsing; raises for errors, returns warnings."""
    _check_file_name(path.name, meta)
    description = meta.get("description")
    content_type = meta.get("description_content_type")
    if not description or description.rstrip() == "UNKNOWN":
        return ["no long description (name a readme in Cargo.toml or pyproject.toml)"]
    warnings = []
    if content_type is None:
        warnings.append("no Description-Content-Type: indexes render the readme as "
                        "reStructuredText")
    kind = (content_type or "text/x-rst").split(";")[0].strip().lower()
    if kind not in ("text/markdown", "text/plain"):
        try:
            import readme_renderer.rst
        except ImportError:
            return warnings
        stream = io.StringIO()
        if readme_renderer.rst.render(description, stream=stream) is None:
            first = (stream.getvalue().strip().splitlines() or ["syntax error"])[0]
            raise UploadError(f"the long description is not valid reStructuredText: {first}")
    return warnings


def _check_file_name(filename: str, meta: PackageMetadata) -> None:
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        canonicalize_name,
        parse_sdist_filename,
        parse_wheel_filename,
    )
    from packaging.version import InvalidVersion, Version

    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
        meta_version = Version(meta["version"])
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion) as exc:
        raise UploadError(str(exc)) from None
    if name != canonicalize_name(meta["name"]) or version != meta_version:
        raise UploadError(f"the file name says {name} {version} but METADATA says "
                          f"{meta['name']} {meta['version']}")


def _one_line(exc: Exception) -> str:
    text = exc.message if isinstance(exc, Pyo3PackError) else str(exc)
    return " ".join(text.split())
