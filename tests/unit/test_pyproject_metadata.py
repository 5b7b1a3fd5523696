"""pyproject.toml `[project]` merged over Cargo's metadata: each field, each bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from packaging.metadata import Metadata
from packaging.requirements import Requirement

from setuptools_pyo3pack.config.pyproject import load_toml
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.project import pyproject_fields
from setuptools_pyo3pack.project.metadata import CoreMetadata, PackageMetadata, entry_points_text
from setuptools_pyo3pack.project.pyproject_metadata import apply_project_table

#: What `from_crate` could give for a crate with every Cargo-side field filled.
CARGO = PackageMetadata(
    core=CoreMetadata(
        name="cargo-name",
        version="0.3.0",
        summary="From Cargo.toml",
        description="# cargo readme\n",
        description_content_type="text/markdown",
        keywords=("rust",),
        author="Cargo Person",
        author_email="Crab <crab@example.org>",
        maintainer="Keeper",
        maintainer_email="keeper@example.org",
        license_expression="MIT",
        license_files=("LICENSE-CARGO",),
        classifiers=("Programming Language :: Rust",),
        requires_dist=("numpy>=1", 'pytest; extra == "test"'),
        requires_python=">=3.8",
        project_urls=(("Homepage", "https://cargo.example.org"),),
        provides_extra=("test",),
    ),
    console_scripts={"cargo-tool": "pkg:main"},
    license_sources={"LICENSE-CARGO": Path("/crate/LICENSE-CARGO")},
    warnings=("from cargo",),
)

RICH: dict[str, Any] = {
    "name": "Rich_Project",
    "version": "2.0.0-rc.1",
    "description": "A rich project",
    "readme": "README.md",
    "requires-python": ">=3.9",
    "license": "mit or apache-2.0",
    "license-files": ["LICENSES/*.txt", "NOTICE"],
    "authors": [{"name": "Ada Lovelace", "email": "ada@example.org"}, {"name": "Grace"},
                {"email": "team@example.org"}],
    "maintainers": [{"name": "J. Doe", "email": "jd@example.org"}],
    "keywords": ["rust", "pyo3"],
    "classifiers": ["Programming Language :: Rust", "Programming Language :: Python :: 3"],
    "urls": {"Homepage": "https://example.org", "Source Code": "https://example.org/src"},
    "dependencies": ["numpy >= 1.20", 'tomli; python_version < "3.11"'],
    "optional-dependencies": {
        "Test_Suite": ["pytest>=8", 'pywin32; sys_platform == "win32" or os_name == "nt"'],
        "docs": ["sphinx"],
    },
    "scripts": {"rich": "rich.cli:main"},
    "gui-scripts": {"rich-gui": "rich.gui:run"},
    "entry-points": {"rich.plugins": {"b": "rich.b:B", "a": "rich.a"}},
}

RICH_TEXT = """\
Metadata-Version: 2.4
Name: Rich_Project
Version: 2.0.0rc1
Summary: A rich project
Keywords: rust,pyo3
Author: Grace
Author-email: Ada Lovelace <ada@example.org>, team@example.org
Maintainer-email: "J. Doe" <jd@example.org>
License-Expression: MIT OR Apache-2.0
License-File: LICENSES/APACHE.txt
License-File: LICENSES/MIT.txt
License-File: NOTICE
Classifier: Programming Language :: Rust
Classifier: Programming Language :: Python :: 3
Requires-Dist: numpy>=1.20
Requires-Dist: tomli; python_version < "3.11"
Requires-Dist: pytest>=8; extra == "test-suite"
Requires-Dist: pywin32; (sys_platform == "win32" or os_name == "nt") and extra == "test-suite"
Requires-Dist: sphinx; extra == "docs"
Requires-Python: >=3.9
Project-URL: Homepage, https://example.org
Project-URL: Source Code, https://example.org/src
Provides-Extra: test-suite
Provides-Extra: docs
Description-Content-Type: text/markdown; charset=UTF-8; variant=GFM

# Rich

Hello.
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a readme and license files; trove-classifiers not installed."""
    monkeypatch.setattr(pyproject_fields, "_known_classifiers", lambda: None)
    (tmp_path / "README.md").write_text("# Rich\n\nHello.\n", encoding="utf-8")
    (tmp_path / "README.rst").write_text("Rich\n====\n", encoding="utf-8")
    (tmp_path / "README.txt").write_text("plain\n", encoding="utf-8")
    (tmp_path / "README.adoc").write_text("= Rich\n", encoding="utf-8")
    (tmp_path / "LICENSES").mkdir()
    (tmp_path / "LICENSES" / "MIT.txt").write_text("MIT text\n", encoding="utf-8")
    (tmp_path / "LICENSES" / "APACHE.txt").write_text("Apache text\n", encoding="utf-8")
    (tmp_path / "NOTICE").write_text("notice\n", encoding="utf-8")
    (tmp_path / "BINARY").write_bytes(b"\xff\xfe\x00")
    return tmp_path


def apply(table: dict[str, Any], root: Path, base: PackageMetadata = CARGO) -> PackageMetadata:
    return apply_project_table(base, table, root=root, pyproject=root / "pyproject.toml")


def valid(result: PackageMetadata) -> Metadata:
    return Metadata.from_email(result.core.render(), validate=True)


# --- whole tables -------------------------------------------------------------------------


def test_rich_table_renders_exactly_and_validates(root: Path) -> None:
    result = apply(RICH, root)
    assert result.core.render() == RICH_TEXT
    parsed = valid(result)
    assert [str(r) for r in parsed.requires_dist or []][3] == (
        'pywin32; (sys_platform == "win32" or os_name == "nt") and extra == "test-suite"'
    )
    assert dict(result.license_sources) == {
        "LICENSES/APACHE.txt": root / "LICENSES" / "APACHE.txt",
        "LICENSES/MIT.txt": root / "LICENSES" / "MIT.txt",
        "NOTICE": root / "NOTICE",
    }
    assert dict(result.console_scripts) == {"rich": "rich.cli:main"}
    assert dict(result.gui_scripts) == {"rich-gui": "rich.gui:run"}
    assert result.entry_points == {"rich.plugins": {"b": "rich.b:B", "a": "rich.a"}}
    assert result.warnings == ("from cargo",)


def test_rich_table_entry_points_txt(root: Path) -> None:
    assert apply(RICH, root).entry_points_text() == (
        "[console_scripts]\nrich=rich.cli:main\n"
        "[gui_scripts]\nrich-gui=rich.gui:run\n"
        "[rich.plugins]\na=rich.a\nb=rich.b:B\n"
    )


@pytest.mark.parametrize("version", [{"version": "1.0"}, {"dynamic": ["version"]}])
def test_minimal_table_drops_cargo_fields_that_are_not_dynamic(
    root: Path, version: dict[str, Any]
) -> None:
    (root / "NOTICE").unlink()
    result = apply({"name": "demo", **version}, root)
    expected_version = "1.0" if "version" in version else "0.3.0"
    assert result.core.render() == (
        f"Metadata-Version: 2.4\nName: demo\nVersion: {expected_version}\n"
    )
    valid(result)
    assert result.console_scripts == {}
    assert result.license_sources == {}
    assert result.entry_points_text() is None


def test_every_cargo_field_is_kept_when_dynamic(root: Path) -> None:
    dynamic = ["version", "description", "readme", "requires-python", "license", "authors",
               "maintainers", "keywords", "classifiers", "urls", "dependencies",
               "optional-dependencies", "scripts", "gui-scripts", "entry-points",
               "license-files"]
    result = apply({"name": "cargo-name", "dynamic": dynamic}, root)
    assert result.core == CARGO.core
    assert result.console_scripts == CARGO.console_scripts
    assert result.license_sources == CARGO.license_sources
    assert result.warnings == CARGO.warnings
    valid(result)


def test_missing_version_not_dynamic_takes_cargo_version_with_a_warning(root: Path) -> None:
    result = apply({"name": "demo"}, root)
    assert result.core.version == "0.3.0"
    assert result.warnings[0] == "from cargo"
    warning = result.warnings[1]
    assert "no `version`" in warning and 'add "version" to `dynamic`' in warning
    assert str(root / "pyproject.toml") in warning


def test_dynamic_dependencies_split_cargo_requirements_from_extras(root: Path) -> None:
    result = apply({"name": "d", "version": "1", "dynamic": ["dependencies"],
                    "optional-dependencies": {"docs": ["sphinx"]}}, root)
    assert result.core.requires_dist == ("numpy>=1", 'sphinx; extra == "docs"')
    assert result.core.provides_extra == ("docs",)
    result = apply({"name": "d", "version": "1", "dynamic": ["optional-dependencies"],
                    "dependencies": ["attrs"]}, root)
    assert result.core.requires_dist == ("attrs", 'pytest; extra == "test"')
    assert result.core.provides_extra == ("test",)


# --- single fields ------------------------------------------------------------------------

FIELDS: list[tuple[dict[str, Any], str, Any]] = [
    ({"name": "a.b-c_d"}, "name", "a.b-c_d"),
    ({"version": "v1.0.0.post0"}, "version", "1.0.0.post0"),
    ({"description": "  short  "}, "summary", "short"),
    ({"readme": "README.rst"}, "description_content_type", "text/x-rst; charset=UTF-8"),
    ({"readme": "README.txt"}, "description_content_type", "text/plain; charset=UTF-8"),
    ({"readme": "README.adoc"}, "description_content_type", "text/plain; charset=UTF-8"),
    ({"readme": {"file": "README.adoc", "content-type": "text/plain"}}, "description",
     "= Rich\n"),
    ({"readme": {"file": "README.md"}}, "description_content_type",
     "text/markdown; charset=UTF-8; variant=GFM"),
    ({"readme": {"text": "hi *there*", "content-type": "text/markdown; variant=GFM"}},
     "description_content_type", "text/markdown; variant=GFM"),
    ({"readme": {"text": "hi", "content-type": "text/plain; charset=UTF-8"}}, "description",
     "hi"),
    ({"requires-python": " >=3.9, <4 "}, "requires_python", ">=3.9, <4"),
    ({"license": "Apache-2.0 WITH LLVM-exception"}, "license_expression",
     "Apache-2.0 WITH LLVM-exception"),
    ({"license": "LicenseRef-Proprietary"}, "license_expression", "LicenseRef-Proprietary"),
    ({"license": {"text": "All rights reserved"}}, "license", "All rights reserved"),
    ({"license": {"file": "LICENSES/MIT.txt"}}, "license", None),
    ({"license": {"file": "LICENSES/MIT.txt"}}, "license_files", ("LICENSES/MIT.txt",)),
    ({"authors": [{"name": "Only Name"}, {"name": "Second"}]}, "author", "Only Name, Second"),
    ({"authors": [{"name": "Only Name"}]}, "author_email", None),
    ({"maintainers": [{"email": "a@b.org"}, {"name": "Zoë", "email": "z@b.org"}]},
     "maintainer_email", "a@b.org, Zoë <z@b.org>"),
    ({"keywords": []}, "keywords", ()),
    ({"urls": {"Bug Tracker": "https://b.example.org"}}, "project_urls",
     (("Bug Tracker", "https://b.example.org"),)),
    ({"dependencies": ["pkg @ https://example.org/pkg.whl ; os_name == 'nt'"]},
     "requires_dist", ('pkg @ https://example.org/pkg.whl ; os_name == "nt"',)),
    ({"optional-dependencies": {"A.B": ["x[y]>=1"]}}, "requires_dist",
     ('x[y]>=1; extra == "a-b"',)),
    ({"optional-dependencies": {"empty": []}}, "provides_extra", ("empty",)),
    ({"license-files": []}, "license_files", ()),
    ({"license-files": ["**/MIT.txt", "LICENSES/MIT.txt"]}, "license_files",
     ("LICENSES/MIT.txt",)),
    ({"license-files": ["LICENSES/[AM]*.txt"]}, "license_files",
     ("LICENSES/APACHE.txt", "LICENSES/MIT.txt")),
]


@pytest.mark.parametrize(("table", "attribute", "expected"), FIELDS,
                         ids=[f"{next(iter(t))}-{a}" for t, a, _ in FIELDS])
def test_field(root: Path, table: dict[str, Any], attribute: str, expected: Any) -> None:
    result = apply({"name": "demo", "version": "1", **table}, root)
    assert getattr(result.core, attribute) == expected
    valid(result)


def test_readme_text_is_the_description_body(root: Path) -> None:
    result = apply({"name": "d", "version": "1", "readme": "README.md"}, root)
    assert valid(result).description == "# Rich\n\nHello.\n"


def test_legacy_license_file_is_a_license_file_as_maturin_writes_it(root: Path) -> None:
    (root / "NOTICE").write_text("Copyright 2024\n\nPermission is granted.\n", encoding="utf-8")
    result = apply({"name": "d", "version": "1", "license": {"file": "NOTICE"}}, root)
    assert result.license_sources == {"NOTICE": root / "NOTICE"}
    assert result.core.license is None
    assert result.core.license_files == ("NOTICE",)
    assert valid(result).license_files == ["NOTICE"]
    assert any("`license.file`" in w and "as maturin does" in w for w in result.warnings)


def test_license_files_are_auto_detected_when_not_given(root: Path) -> None:
    for name in ("LICENSE", "LICENCE.md", "COPYING", "AUTHORS.rst", "license-lower"):
        (root / name).write_text(name, encoding="utf-8")
    (root / "LICENSE-DIR").mkdir()
    result = apply({"name": "d", "version": "1", "license": "MIT"}, root)
    assert result.core.license_files == (
        "AUTHORS.rst", "COPYING", "LICENCE.md", "LICENSE", "NOTICE")
    assert result.license_sources["LICENSE"] == root / "LICENSE"
    valid(result)


def test_dynamic_license_keeps_cargo_license_file(root: Path) -> None:
    result = apply({"name": "d", "version": "1", "dynamic": ["license"]}, root)
    assert result.core.license_expression == "MIT"
    assert result.core.license_files == ("LICENSE-CARGO",)
    assert result.license_sources == CARGO.license_sources


def test_scripts_gui_scripts_and_entry_points(root: Path) -> None:
    result = apply({"name": "d", "version": "1", "scripts": {"t": " pkg.cli : main "},
                    "gui-scripts": {"g": "pkg:gui"},
                    "entry-points": {"pytest11": {"p": "pkg.plugin"}}}, root)
    assert result.console_scripts == {"t": "pkg.cli : main"}
    assert result.entry_points_text() == (
        "[console_scripts]\nt=pkg.cli : main\n[gui_scripts]\ng=pkg:gui\n"
        "[pytest11]\np=pkg.plugin\n"
    )


def test_entry_points_text_in_maturins_order() -> None:
    text = entry_points_text({"z": "m:z", "a": "m:a"}, {"g": "m:g"},
                             {"b.group": {"y": "n", "x": "m"}, "a.group": {"w": "m"}, "empty": {}})
    assert text == ("[console_scripts]\na=m:a\nz=m:z\n[gui_scripts]\ng=m:g\n"
                    "[a.group]\nw=m\n[b.group]\nx=m\ny=n\n")
    assert entry_points_text({}, {}, {}) is None


def test_known_classifiers_are_accepted_when_trove_classifiers_is_present(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyproject_fields, "_known_classifiers",
                        lambda: frozenset({"Programming Language :: Rust"}))
    result = apply({"name": "d", "version": "1", "classifiers": [
        "Programming Language :: Rust", "Private :: Do Not Upload"]}, root)
    assert result.core.classifiers == (
        "Programming Language :: Rust", "Private :: Do Not Upload")


def test_real_trove_classifiers_lookup_never_fails() -> None:
    known = pyproject_fields._known_classifiers()
    assert known is None or "Programming Language :: Rust" in known


def test_optional_dependency_markers_stay_valid_requirements(root: Path) -> None:
    result = apply({"name": "d", "version": "1", "optional-dependencies": {
        "win": ['a; os_name == "nt" or sys_platform == "cygwin"', "b; python_version<'3.10'"]}},
        root)
    for text in result.core.requires_dist:
        marker = Requirement(text).marker
        assert marker is not None
        assert not marker.evaluate({"extra": "other", "os_name": "nt",
                                    "python_version": "3.9"})
        assert marker.evaluate({"extra": "win", "os_name": "nt", "sys_platform": "cygwin",
                                "python_version": "3.9"})


# --- bad input: the exact key and file in one line ----------------------------------------

BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"nmae": "x"}, "nmae", "did you mean `name`?"),
    ({"requires_python": ">=3"}, "requires_python", "did you mean `requires-python`?"),
    ({"zzzz": 1}, "zzzz", "[tool.pyo3-pack]"),
    ({"name": 3}, "name", "must be a string, not an integer"),
    ({"version": 1.0}, "version", "must be a string, not a float"),
    ({"readme": ["a"]}, "readme", "must be a string or a table, not an array"),
    ({"keywords": "a,b"}, "keywords", "must be an array, not a string"),
    ({"urls": ["x"]}, "urls", "must be a table, not an array"),
    ({"dynamic": "version"}, "dynamic", "must be an array, not a string"),
    ({"name": None}, "name", "is missing"),
    ({"name": "-bad-"}, "name", "not a valid project name"),
    ({"name": "bad name"}, "name", "not a valid project name"),
    ({"version": "one"}, "version", "not a PEP 440 version"),
    ({"description": "two\nlines"}, "description", "must be a single line"),
    ({"readme": "MISSING.md"}, "readme", "not a file in"),
    ({"readme": "LICENSES"}, "readme", "not a file in"),
    ({"readme": {"file": "BINARY", "content-type": "text/plain"}}, "readme.file",
     "not UTF-8 text"),
    ({"readme": {"text": "x"}}, "readme", "no `content-type`"),
    ({"readme": {"text": "x", "file": "README.md"}}, "readme", "exactly one of"),
    ({"readme": {}}, "readme", "exactly one of"),
    ({"readme": {"file": "README.md", "charset": "x"}}, "readme.charset", "is not allowed"),
    ({"readme": {"file": 1}}, "readme.file", "must be a string, not an integer"),
    ({"readme": {"text": "x", "content-type": "text/html"}}, "readme.content-type",
     "not a readme content type"),
    ({"readme": {"text": "x", "content-type": "text/markdown; charset=latin-1"}},
     "readme.content-type", "not a readme content type"),
    ({"requires-python": "=>3.9"}, "requires-python", "not a version specifier"),
    ({"requires-python": "3.9"}, "requires-python", "not a version specifier"),
    ({"license": "MIT or"}, "license", "not a valid SPDX license expression"),
    ({"license": "Not-A-License"}, "license", "not a valid SPDX license expression"),
    ({"license": {"text": "a", "file": "NOTICE"}}, "license", "exactly one of"),
    ({"license": {"name": "MIT"}}, "license.name", "is not allowed"),
    ({"license": {"file": "NOPE"}}, "license.file", "not a file in"),
    ({"license": {"file": "NOTICE"}, "license-files": ["NOTICE"]}, "license-files",
     "legacy `license` table"),
    ({"license-files": "NOTICE"}, "license-files", "must be an array, not a string"),
    ({"license-files": [1]}, "license-files", "must be an array of strings"),
    ({"license-files": ["NOPE*"]}, "license-files", "matches no file"),
    ({"license-files": ["LICENSES"]}, "license-files", "matches no file"),
    ({"license-files": ["../x"]}, "license-files", "not a valid pattern"),
    ({"license-files": ["/abs"]}, "license-files", "not a valid pattern"),
    ({"license-files": ["LICENSES\\MIT.txt"]}, "license-files", "not a valid pattern"),
    ({"license-files": ["BINARY"]}, "license-files", "not UTF-8 text"),
    ({"license": "MIT", "classifiers": ["License :: OSI Approved :: MIT License"]},
     "classifiers", "PEP 639"),
    ({"classifiers": [1]}, "classifiers", "must be an array of strings, but has an integer"),
    ({"authors": ["Ada <ada@example.org>"]}, "authors[0]", "must be a table"),
    ({"authors": [{}]}, "authors[0]", "needs a `name` or an `email`"),
    ({"authors": [{"name": "A", "url": "x"}]}, "authors[0].url", "is not allowed"),
    ({"authors": [{"name": "A", "email": "not-an-email"}]}, "authors[0].email",
     "not an email address"),
    ({"maintainers": [{"name": "X"}, {"email": "a@"}]}, "maintainers[1].email",
     "not an email address"),
    ({"authors": [{"name": "Doe, Jane"}]}, "authors[0].name", "must not contain a comma"),
    ({"keywords": ["a,b"]}, "keywords", "contains a comma"),
    ({"urls": {"Home": 1}}, "urls.Home", "must be a string, not an integer"),
    ({"urls": {"x" * 33: "https://e.org"}}, "urls." + "x" * 33, "longer than 32"),
    ({"urls": {"Home": " "}}, "urls.Home", "is empty"),
    ({"dependencies": ["numpy >>= 1"]}, "dependencies", "not a PEP 508 requirement"),
    ({"dependencies": [["numpy"]]}, "dependencies", "must be an array of strings"),
    ({"optional-dependencies": {"test": "pytest"}}, "optional-dependencies.test",
     "must be an array of strings, not a string"),
    ({"optional-dependencies": {"te st": ["pytest"]}}, "optional-dependencies.te st",
     "not a valid extra name"),
    ({"optional-dependencies": {"Test": ["a"], "test": ["b"]}}, "optional-dependencies.test",
     "same extra as `Test`"),
    ({"optional-dependencies": {"t": ["pytest ;; x"]}}, "optional-dependencies.t",
     "not a PEP 508 requirement"),
    ({"scripts": {"x": "module_only"}}, "scripts.x", "names no function"),
    ({"scripts": {"x": "a b:c"}}, "scripts.x", "not an object reference"),
    ({"scripts": {"x": 1}}, "scripts.x", "must be a string, not an integer"),
    ({"scripts": {"x=y": "a:b"}}, "scripts.x=y", "invalid name"),
    ({"gui-scripts": {"x": "1mod:f"}}, "gui-scripts.x", "not an object reference"),
    ({"scripts": {"t": "a:b"}, "gui-scripts": {"t": "a:c"}}, "gui-scripts.t",
     "also in [project.scripts]"),
    ({"entry-points": {"console_scripts": {"a": "b:c"}}}, "entry-points.console_scripts",
     "use [project.scripts]"),
    ({"entry-points": {"gui_scripts": {"a": "b:c"}}}, "entry-points.gui_scripts",
     "use [project.gui-scripts]"),
    ({"entry-points": {"bad group": {"a": "b:c"}}}, "entry-points.bad group",
     "not a valid entry-point group"),
    ({"entry-points": {"g": "x"}}, "entry-points.g", "must be a table, not a string"),
    ({"entry-points": {"g": {"a": "b:"}}}, "entry-points.g.a", "not an object reference"),
    ({"dynamic": ["name"]}, "dynamic", 'must not list "name"'),
    ({"dynamic": ["verison"]}, "dynamic", "did you mean 'version'?"),
    ({"dynamic": ["dynamic"]}, "dynamic", "not a [project] key"),
    ({"dynamic": [1]}, "dynamic", "must be an array of strings"),
]


@pytest.mark.parametrize(("fragment", "key", "text"), BAD,
                         ids=[f"{k}-{t}" for _, k, t in BAD])
def test_bad_input_names_file_table_and_key(
    root: Path, fragment: dict[str, Any], key: str, text: str
) -> None:
    table = {"name": "demo", "version": "1", **fragment}
    table = {k: v for k, v in table.items() if v is not None}
    with pytest.raises(ConfigError) as info:
        apply(table, root)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"`{key}` in the [project] table of {root / 'pyproject.toml'} ")
    assert text in message


def test_unknown_classifier_is_rejected_when_trove_classifiers_is_present(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyproject_fields, "_known_classifiers",
                        lambda: frozenset({"Programming Language :: Rust"}))
    with pytest.raises(ConfigError, match=r"^`classifiers` in the \[project\] table of .*"
                       r"did you mean 'Programming Language :: Rust'\?\)$"):
        apply({"name": "d", "version": "1", "classifiers": ["Programming Language :: Rusty"]},
              root)


def test_project_that_is_not_a_table(root: Path) -> None:
    with pytest.raises(ConfigError, match=r"^\[project\] in .*pyproject.toml must be a table"):
        apply_project_table(CARGO, "x", root=root, pyproject=root / "pyproject.toml")  # type: ignore[arg-type]


# --- load_toml ---------------------------------------------------------------------------


def test_load_pyproject_reads_toml(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\ndynamic = ["version"]\n', encoding="utf-8")
    assert load_toml(path) == {"project": {"name": "x", "dynamic": ["version"]}}


@pytest.mark.parametrize(
    ("content", "text"),
    [(b'[project]\nname = "x\n', "line 2"), (b"[project]\nname\n", "line 2"),
     (b'[project]\nname = "\xff"\n', "UTF-8")],
    ids=["unterminated-string", "missing-value", "not-utf8"],
)
def test_load_pyproject_syntax_error_is_one_line_with_the_line(
    tmp_path: Path, content: bytes, text: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_toml(path)
    message = str(info.value)
    assert message.startswith(f"pyproject.toml at {path} is not valid TOML: ")
    assert text in message and "\n" not in message


def test_load_pyproject_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^cannot read pyproject\.toml at "):
        load_toml(tmp_path / "pyproject.toml")


def test_a_key_given_and_dynamic_warns_and_merges_as_maturin_does(root: Path) -> None:
    base = PackageMetadata(CoreMetadata(name="x", version="1", license="Apache-2.0",
                                        author="Crab <crab@example.org>",
                                        author_email="Crab <crab@example.org>"))
    result = apply({"name": "x", "version": "1", "license": "MIT",
                    "authors": [{"name": "Ada"}], "dynamic": ["license", "authors"]}, root, base)
    core = result.core
    assert (core.license_expression, core.license) == ("MIT", "Apache-2.0")
    assert (core.author, core.author_email) == ("Ada", "Crab <crab@example.org>")
    assert [w for w in result.warnings if "also lists it in `dynamic`" in w] == [
        f"the [project] table of {root / 'pyproject.toml'} gives `{key}` and also lists it in "
        "`dynamic`, which PEP 621 forbids; built as maturin does (the given value wins, "
        f"Cargo.toml fills what it leaves empty): remove {key!r} from `dynamic`"
        for key in ("authors", "license")]
    assert Metadata.from_email(core.render(), validate=True).license_expression == "MIT"


def test_a_readme_of_unknown_type_is_plain_text_with_a_warning(root: Path) -> None:
    result = apply({"name": "x", "version": "1", "readme": "README.adoc"}, root)
    assert result.core.description_content_type == "text/plain; charset=UTF-8"
    assert any("'README.adoc', whose content type PEP 621 does not define" in w
               for w in result.warnings)


def test_dynamic_urls_bring_cargo_homepage_as_home_page(root: Path) -> None:
    base = PackageMetadata(CoreMetadata(name="x", version="1", home_page="https://h.example",
                                        project_urls=(("Homepage", "https://h.example"),)))
    dynamic = apply({"name": "x", "version": "1", "dynamic": ["urls"]}, root, base).core
    assert dynamic.home_page == "https://h.example"
    assert "Home-page: https://h.example\n" in dynamic.render()
    static = apply({"name": "x", "version": "1", "urls": {"Homepage": "https://s.example"}},
                   root, base).core
    assert static.home_page is None
