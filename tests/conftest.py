"""Shared by every test: the repository's paths, a quiet, isolated probe cache, and a tool
cache that outlives the session."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
#: The integration tests' cargo target folder, shared by every session on this machine.
SHARED_TARGET = Path(os.environ.get("PYO3_PACK_TEST_TARGET_DIR", REPO / "target" / "test-cargo"))
#: Tools pyo3-pack installs for itself (cbindgen), next to the shared target folder: installed
#: once in a fresh clone, then reused by every later session (PYO3_PACK_TOOLS_DIR wins).
TEST_TOOLS = Path(os.environ.get("PYO3_PACK_TOOLS_DIR")
                  or SHARED_TARGET.with_name(f"{SHARED_TARGET.name}-tools"))


@pytest.fixture(autouse=True)
def _private_probe_cache(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's interpreter cache; installed tools are kept."""
    cache = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("PYO3_PACK_TOOLS_DIR", str(TEST_TOOLS))
    # output assertions read plain text: a CI's FORCE_COLOR would colour it
    monkeypatch.delenv("FORCE_COLOR", raising=False)


#: (start, end) of every integration test, fixtures included: the wheels written meanwhile
#: are the ones the suite built (unit tests write hand-made, sometimes broken, wheels).
_INTEGRATION_WINDOWS: list[list[float]] = []


#: What `_check_built_wheels` looked at, for the summary line.
_CHECKED: dict[str, int] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _CHECKED:
        terminalreporter.write_line(
            f"wheel check: {_CHECKED['wheels']} wheels built by the tests checked, "
            f"{_CHECKED['installed']} installed with pip, uv and installer")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if "integration" in str(item.fspath):
        _INTEGRATION_WINDOWS.append([time.time(), float("inf")])


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if "integration" in str(item.fspath) and _INTEGRATION_WINDOWS:
        _INTEGRATION_WINDOWS[-1][1] = time.time()


@pytest.fixture(scope="session", autouse=True)
def _check_built_wheels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """At the end of a session with integration tests, every wheel they built passes
    tests/wheel_check.py: archive, RECORD, WHEEL, METADATA and twine check for all, and an
    install with pip, uv and installer for one wheel per distribution."""
    yield
    if not _INTEGRATION_WINDOWS:
        return
    from tests import wheel_check

    wheels = [w for w in _wheels_under(tmp_path_factory.getbasetemp())
              if any(start <= w.stat().st_mtime <= end + 1 for start, end in _INTEGRATION_WINDOWS)
              and wheel_check.built_by_suite(w)]
    problems = {str(w): wheel_check.archive_problems(w) for w in wheels}
    problems["twine"] = wheel_check.twine_problems(wheels)  # its lines name the files
    installed = _one_per_distribution(wheels)
    for wheel in installed:
        problems[str(wheel)] += wheel_check.install_problems(wheel, _interpreter_for(wheel))
    _CHECKED.update(wheels=len(wheels), installed=len(installed))
    report = [f"{w}: {p}" for w, found in problems.items() for p in found]
    assert not report, f"{len(report)} problem(s) in the wheels the tests built:\n" + \
        "\n".join(report)


def _wheels_under(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        if "pyvenv.cfg" in files:  # a virtualenv: its bundled pip/setuptools wheels are not ours
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if d not in ("site-packages", "target", "node_modules")]
        found += [Path(folder) / f for f in files if f.endswith(".whl")]
    return sorted(found)


def _one_per_distribution(wheels: list[Path]) -> list[Path]:
    """The first wheel of each distribution that an interpreter here can install, else its
    first wheel (then only `installer`, which checks no tags, installs it)."""
    chosen: dict[str, Path] = {}
    for wheel in wheels:
        name = wheel.name.split("-")[0]
        if name not in chosen or (_interpreter_for(chosen[name]) is None
                                  and _interpreter_for(wheel) is not None):
            chosen[name] = wheel
    return list(chosen.values())


@functools.lru_cache(maxsize=1)
def _cpythons() -> dict[str, Path]:
    from tests.integration.conftest import find_cpythons

    return {f"cp{major}{minor}": path for (major, minor), path in find_cpythons().items()}


def _interpreter_for(wheel: Path) -> Path | None:
    """A CPython on this machine whose tags the wheel has, None when there is none."""
    from packaging.tags import platform_tags
    from packaging.utils import parse_wheel_filename

    here = set(platform_tags())
    cpythons = _cpythons()
    for tag in parse_wheel_filename(wheel.name)[3]:
        if tag.platform not in here and tag.platform != "any":
            continue
        if tag.abi == "none" and tag.interpreter.startswith("py3"):
            return Path(sys.executable)
        if tag.abi == "abi3" and int(tag.interpreter[3:] or 0) <= sys.version_info[1]:
            return Path(sys.executable)
        if tag.interpreter == tag.abi and tag.interpreter in cpythons:
            return cpythons[tag.interpreter]
    return None
