"""The README's option tables are the settings' docstrings, and every shell block of the
README says how the tests run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from setuptools_pyo3pack.config import docs
from setuptools_pyo3pack.config.chain import fields
from setuptools_pyo3pack.project.crate import PYO3_PACK_KEYS
from tests.readme_blocks import README, readme_blocks


def test_the_readme_tables_match_the_docstrings() -> None:
    text = README.read_text(encoding="utf-8")
    assert docs.render_readme(text) == text, (
        "README.md's option tables drifted from the settings' docstrings: run "
        "`python -m setuptools_pyo3pack.config.docs README.md`")


def test_every_setting_and_cargo_key_has_a_documented_row() -> None:
    table = docs.options_table()
    for info in fields().values():
        row = next((r for r in table.splitlines() if f"`{info.env[0]}`" in r), None)
        assert row is not None, info.path
        assert row.rstrip(" |").split("|")[-1].strip(), f"{info.path} has no docstring"
    cargo = docs.cargo_table()
    for key in PYO3_PACK_KEYS:
        row = next(r for r in cargo.splitlines() if r.startswith(f"| `{key}` |"))
        assert row.split("|")[2].strip(), f"{key} has no docstring"


def test_a_stale_table_is_reported_and_rewritten(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    fresh = README.read_text(encoding="utf-8")
    stale = fresh.replace("Activate every feature of the crate.", "Old words.")
    assert stale != fresh
    readme.write_text(stale, encoding="utf-8")
    assert docs.main(["--check", str(readme)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == stale  # --check writes nothing
    assert docs.main([str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == fresh
    assert docs.main(["--check", str(readme)]) == 0


def test_missing_markers_are_an_error() -> None:
    with pytest.raises(ValueError, match="generated: options"):
        docs.render_readme("# no tables here\n")


def test_every_shell_block_says_how_it_is_tested() -> None:
    blocks = readme_blocks()
    assert len(blocks) > 10
    problems = [f"README.md line {b.line}: {b.problem()}" for b in blocks if b.problem()]
    assert problems == []


def test_the_ci_blocks_are_exactly_what_ci_runs() -> None:
    by_mode = {b.mode: [x.heading for x in readme_blocks() if x.mode == b.mode]
               for b in readme_blocks()}
    assert by_mode["ci"] == ["Try it (two commands)"] * 2
    assert by_mode["optional-tools"] == ["Optional tools for some tests"]


@pytest.mark.parametrize(("text", "problem"), [
    ("```sh\nls\n```\n", "no `<!-- readme test"),
    ("<!-- readme test: sometimes -->\n```sh\nls\n```\n", "unknown marker"),
    ("<!-- readme test: skip -->\n```sh\nls\n```\n", "needs a text"),
    ("<!-- readme test: run; needs: teleport -->\n```sh\nls\n```\n", "unknown `needs:`"),
    ("- item\n\n  <!-- readme test: run -->\n  ```sh\n  ls\n  ```\n", "no `<!-- readme test"),
])
def test_bad_markers_are_named(text: str, problem: str) -> None:
    (block,) = readme_blocks(text)
    assert problem in (block.problem() or "")


def test_markers_are_parsed() -> None:
    text = ("<!-- readme test: fails: no Cargo.toml at -->\n```sh\npyo3-pack build\n```\n\n"
            "<!-- readme test: run; needs: new, json -->\n```sh\npyo3-pack new x\n```\n")
    failing, needing = readme_blocks(text)
    assert (failing.mode, failing.argument, failing.needs) == ("fails", "no Cargo.toml at", ())
    assert (needing.mode, needing.argument, needing.needs) == ("run", "", ("new", "json"))
    assert needing.code == "pyo3-pack new x" and needing.line == 7
