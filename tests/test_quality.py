"""The code checks a contributor runs: mypy (strict) and ruff, as part of the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys

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
