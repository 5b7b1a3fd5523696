"""`include` and `exclude` as maturin reads them: globs relative to the project folder (and
the python source folder), a format per pattern, no error for a pattern matching nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from setuptools_pyo3pack.config.option import Pattern
from setuptools_pyo3pack.project import patterns
from setuptools_pyo3pack.project.layout import PythonLayout
from setuptools_pyo3pack.project.python_sources import IgnoreRules, include_members

WHEEL, SDIST = frozenset({"wheel"}), frozenset({"sdist"})


@pytest.fixture
def layout(tmp_path: Path) -> PythonLayout:
    for name in ("python/pkg/__init__.py", "python/pkg/data/a.json", "python/pkg/skip.py",
                 "assets/deep/b.txt", "assets/c.txt", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    return PythonLayout(tmp_path, tmp_path / "python", "pkg", mixed=True, packages=("pkg",))


def _names(layout: PythonLayout, includes: list[Pattern],
           excludes: tuple[Pattern, ...] | list[Pattern] = (), archive: str = "wheel"
           ) -> list[str]:
    rules = IgnoreRules(layout.project_root, tuple(excludes), archive=archive,
                        python_root=layout.python_root)
    return sorted(m.archive_name for m in include_members(layout, tuple(includes), rules,
                                                          archive=archive))


def test_patterns_are_relative_to_the_project_and_land_where_the_wheel_puts_them(
        layout: PythonLayout) -> None:
    assert _names(layout, [Pattern("assets/**/*"), Pattern("python/pkg/data/*.json")]) == \
        ["assets/c.txt", "assets/deep/b.txt", "pkg/data/a.json"]


def test_a_pattern_matching_nothing_in_the_project_is_tried_in_the_python_folder(
        layout: PythonLayout) -> None:
    assert _names(layout, [Pattern("pkg/data/*.json")]) == ["pkg/data/a.json"]
    assert _names(layout, [Pattern("pkg/data/*.json")], archive="sdist") == \
        ["python/pkg/data/a.json"]


def test_a_pattern_matching_nothing_adds_nothing(layout: PythonLayout) -> None:
    assert _names(layout, [Pattern("nothing/*.bin"), Pattern("assets")]) == []


def test_each_pattern_applies_to_its_formats(layout: PythonLayout) -> None:
    includes = [Pattern("notes.md", SDIST), Pattern("assets/c.txt", WHEEL)]
    assert _names(layout, includes) == ["assets/c.txt"]
    assert _names(layout, includes, archive="sdist") == ["notes.md"]


def test_excludes_win_over_includes_and_match_wheel_paths_too(layout: PythonLayout) -> None:
    includes = [Pattern("python/pkg/**/*")]
    assert _names(layout, includes, [Pattern("pkg/skip.py")]) == \
        ["pkg/__init__.py", "pkg/data/a.json"]
    assert _names(layout, includes, [Pattern("**/a.json", SDIST)]) == \
        ["pkg/__init__.py", "pkg/data/a.json", "pkg/skip.py"]
    # an sdist matches excludes against project-relative paths only
    assert _names(layout, includes, [Pattern("pkg/skip.py")], archive="sdist") == \
        ["python/pkg/__init__.py", "python/pkg/data/a.json", "python/pkg/skip.py"]


def test_gitignore_still_applies_to_folders(layout: PythonLayout) -> None:
    (layout.project_root / ".gitignore").write_text("data/\n")
    rules = IgnoreRules(layout.project_root, (), python_root=layout.python_root)
    assert rules.ignored(layout.python_root / "pkg" / "data")
    assert not rules.ignored(layout.python_root / "pkg" / "skip.py")


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("**/drop.py", "a/b/drop.py", True),
    ("**/drop.py", "drop.py", True),
    ("*.py", "a/b.py", False),
    ("a/*.py", "a/b.py", True),
    ("a/**/*", "a/b/c/d.txt", True),
    ("a/**", "a/b", True),
    ("[ab].txt", "b.txt", True),
    ("[!ab].txt", "a.txt", False),
    ("a?c", "abc", True),
    ("a?c", "a/c", False),
    ("./a.txt", "a.txt", True),
])
def test_glob_matching(pattern: str, path: str, expected: bool) -> None:
    assert patterns.matches(pattern, path) is expected
