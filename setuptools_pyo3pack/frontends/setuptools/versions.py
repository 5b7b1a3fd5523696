"""The setuptools versions the front door works with, and where `bdist_wheel` comes from.

setuptools has its own `bdist_wheel` from 70.1 on; older versions (Python 3.9-3.11 venvs
bring 58-65, Debian 12 ships 66) take it from the `wheel` package, which this package
requires on those Pythons. Without either, `bdist_wheel` is a stand-in that fails with one
line naming the versions found and the command that fixes it.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from setuptools import Command
from setuptools.errors import SetupError

#: The oldest setuptools the commands are tested with. PEP 660 editable wheels and the
#: `build` sub-command protocol arrived in 64, but before 65.5 a lenient editable install of
#: a project without Python packages (a Rust module at the top level) cannot import it.
#: Python 3.11's `python -m venv` brings 65.5.
OLDEST_SETUPTOOLS = (65, 5)
#: setuptools ships bdist_wheel itself from this version on.
OWN_BDIST_WHEEL = (70, 1)


def setuptools_version() -> str:
    import setuptools

    return str(getattr(setuptools, "__version__", "unknown"))


def _release(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for part in version.split(".")[:2]:
        digits = "".join(c for c in part if c.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def too_old_message(version: str) -> str | None:
    """One line if this setuptools is older than the commands support, else None."""
    if _release(version) and _release(version) < OLDEST_SETUPTOOLS:
        oldest = ".".join(map(str, OLDEST_SETUPTOOLS))
        return (f"setuptools {version} is too old for setuptools-pyo3pack (it needs {oldest} "
                f"or later): run `python -m pip install -U 'setuptools>={oldest}'`")
    return None


def wheel_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("wheel")
    except metadata.PackageNotFoundError:
        return None


def missing_bdist_wheel_message(setuptools: str, wheel: str | None) -> str:
    own = ".".join(map(str, OWN_BDIST_WHEEL))
    found = f"wheel {wheel} does not provide one" if wheel else "the wheel package is not " \
        "installed"
    return (f"setuptools {setuptools} has no bdist_wheel command (it has one from {own} on) and "
            f"{found}: run `python -m pip install -U 'setuptools>={own}'` "
            "(or `python -m pip install wheel`)")


class MissingBdistWheel(Command):
    """Stands in for bdist_wheel when neither setuptools nor wheel has one: says so."""

    description = "create a wheel distribution (unavailable: see the error)"
    user_options: ClassVar[list[tuple[str, str | None, str]]] = []
    boolean_options: ClassVar[list[str]] = []
    root_is_pure: bool | None = None

    def initialize_options(self) -> None:
        pass

    def finalize_options(self) -> None:
        raise SetupError(missing_bdist_wheel_message(setuptools_version(), wheel_version()))

    def run(self) -> None:  # pragma: no cover - finalize_options already failed
        raise SetupError(missing_bdist_wheel_message(setuptools_version(), wheel_version()))

    def get_tag(self) -> tuple[str, str, str]:  # pragma: no cover - never reached
        raise SetupError(missing_bdist_wheel_message(setuptools_version(), wheel_version()))


def bdist_wheel_class() -> type[Any]:
    """setuptools' bdist_wheel (>= 70.1), else the wheel package's, else the stand-in."""
    try:
        from setuptools.command.bdist_wheel import bdist_wheel
    except ImportError:
        pass
    else:
        return bdist_wheel
    try:
        with warnings.catch_warnings():
            # wheel announces that setuptools >= 70.1 is the command's new home
            warnings.simplefilter("ignore")
            from wheel.bdist_wheel import bdist_wheel as from_wheel
    except ImportError:
        return MissingBdistWheel
    return from_wheel  # type: ignore[no-any-return]
