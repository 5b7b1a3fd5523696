"""The code checks a contributor runs: mypy (strict) and ruff, as part of the test suite."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.parametrize(
    "argv",
    [
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        [sys.executable, "-m", "ruff", "check", "setuptools_pyo3pack", "tests", "bench"],
    ],
    ids=["mypy", "ruff"],
)
def test_static_checks(argv: list[str]) -> None:
    if shutil.which(argv[2]) is None and subprocess.run(
        [sys.executable, "-m", argv[2], "--version"], capture_output=True, check=False
    ).returncode != 0:
        pytest.fail(f"{argv[2]} is not installed: pip install -e '.[test]'")
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_parses_as_python_3_9() -> None:
    """python_requires says 3.9: no `match`, no parenthesized context managers, no 3.10+
    syntax anywhere in the package."""
    import ast

    for path in sorted((REPO / "setuptools_pyo3pack").rglob("*.py")):
        ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 9))


#: A skip whose reason says (or may say: an error's text) that a program or package is absent.
_TOOL_SKIP = re.compile(
    r"not installed|not found|not on PATH|is missing|no such|cannot find|not in the local|"
    r"skip\(str\("
)


def test_no_test_skips_because_a_tool_is_missing() -> None:
    """What the tests need comes from the README's test command or from the tests themselves,
    so a test that misses a tool fails and names it; skips are left for conditions of the
    machine the README documents (a second CPython version, the host glibc)."""
    skips = re.compile(r"importorskip\(|(?:pytest\.skip|skipif)\((?:[^()]|\([^()]*\))*\)", re.S)
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8")
        for found in skips.finditer(text):
            documented = "see the README" in found.group(0)  # an optional tool it describes
            if found.group(0).startswith("importorskip") or (
                _TOOL_SKIP.search(found.group(0)) and not documented
            ):
                line = text.count("\n", 0, found.start()) + 1
                offenders.append(f"{path.relative_to(REPO)}:{line}: {found.group(0)[:80]}")
    assert offenders == []
