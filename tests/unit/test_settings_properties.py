"""Property: whatever Cargo.toml, pyproject.toml and `[tool.pyo3-pack]` / `[tool.maturin]`
hold, turning the folder into settings and a project (and the project into its METADATA)
gives a result or the project's own error, never another exception.

The inputs mix well-formed values of the right type, values of the wrong type, unknown keys
and text that is not TOML at all. cargo reads the Cargo.toml (`cargo metadata`, offline),
as it does for a build. The runs are derandomized (the same inputs on every run);
PYO3_PACK_HYPOTHESIS_EXAMPLES raises the count for a longer local search.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.sources import config_settings_source, values_source
from setuptools_pyo3pack.errors import Pyo3PackError
from setuptools_pyo3pack.project.project import load_project
from setuptools_pyo3pack.wheel.dist_info import metadata_members

from .helpers import EXAMPLES

EXAMPLES_PER_TEST = int(os.environ.get("PYO3_PACK_HYPOTHESIS_EXAMPLES", "30"))
PROFILE = settings(max_examples=EXAMPLES_PER_TEST, derandomize=True, deadline=None,
                   database=None, suppress_health_check=[HealthCheck.too_slow])
#: Every input tried, by test: the figures for the test report.
TRIED: dict[str, int] = {}

TOOL_KEYS = ["all-features", "auditwheel", "bindings", "cargo-extra-args", "compatibility",
             "data", "editable-profile", "exclude", "features", "include", "locked",
             "manifest-path", "module-name", "no-default-features", "profile",
             "python-packages", "python-source", "rustc-args", "sbom", "sdist-generator",
             "skip-auditwheel", "strip", "target", "unstable-flags", "zig", "config",
             "macos-deployment-target", "pgo", "use-base-python"]
PROJECT_KEYS = ["name", "version", "dynamic", "description", "readme", "requires-python",
                "license", "license-files", "authors", "maintainers", "keywords",
                "classifiers", "urls", "scripts", "gui-scripts", "entry-points",
                "dependencies", "optional-dependencies", "import-names"]

#: Text without surrogates, which no UTF-8 file can hold.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_scalar = st.one_of(
    _text, st.sampled_from(["", ".", "..", "/", "src", "python", "pyo3",
                                           "cffi", "bin", "uniffi", "abi3", "*.py",
                                           "MIT", ">=3.9", "x<1", "README.md", "a.b.c",
                                           "release", "dev", "2_17", "manylinux2014"]),
    st.integers(-2, 2**40), st.booleans(), st.floats(allow_nan=False, allow_infinity=False))
_value = st.recursive(
    _scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(_text | st.sampled_from(
                                ["path", "format", "file", "text", "name", "email",
                                 "content-type", "rust"]), inner, max_size=3)),
    max_leaves=6)


def _table(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys) | _text, _value, max_size=5)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        assert not (isinstance(value, float) and not math.isfinite(value))
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml_string(k)} = {_toml_value(v)}" for k, v in value.items()) \
        + "}"


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F
                      else "\\" + c if c in '"\\' else c for c in text)
    return f'"{escaped}"'


def _toml(tables: dict[str, dict[str, Any]]) -> str:
    lines = []
    for header, table in tables.items():
        lines.append(f"[{header}]")
        lines += [f"{_toml_string(key)} = {_toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


_names = st.sampled_from(["demo", "demo-crate", "demo_crate", "Demo", "x"])
_crate_name = st.one_of(_names, _names, _names, _text)
_package = st.fixed_dictionaries(
    {"name": _crate_name,
     "version": st.sampled_from(["0.1.0", "1.0.0-beta.1", "1.2.3+build", "0.3.0", "1", "x"]),
     "edition": st.sampled_from(["2021", "2018"])},
    optional={"license": st.sampled_from(["MIT", "MIT/Apache-2.0", "GPL-3.0+", "nonsense"]),
              "authors": st.lists(st.sampled_from(["A <a@example.org>", "B", "<c@x>", ""]),
                                  max_size=2),
              "description": _text, "readme": st.sampled_from(
                  ["README.md", "missing.rst", "README.txt"]),
              "keywords": st.lists(st.sampled_from(["a", "b c"]), max_size=2),
              "homepage": st.sampled_from(["https://example.org", "not a url"])})


@st.composite
def _cargo_toml(draw: st.DrawFn) -> tuple[str, bool]:
    """A Cargo.toml (often valid, with a pyo3 dependency) and whether it depends on pyo3."""
    if draw(st.integers(0, 9)) == 0:
        return draw(_text), False
    package = draw(_package)
    tables: dict[str, dict[str, Any]] = {"package": package}
    crate_types = draw(st.lists(st.sampled_from(["cdylib", "rlib", "staticlib"]),
                                min_size=1, max_size=2, unique=True))
    tables["lib"] = {"crate-type": crate_types}
    pyo3 = draw(st.booleans())
    if pyo3:
        tables["dependencies"] = {"pyo3": {"version": "0.30", "features": draw(st.lists(
            st.sampled_from(["abi3-py39", "extension-module", "abi3"]), max_size=2,
            unique=True))}}
    if draw(st.booleans()):
        tables["features"] = draw(st.dictionaries(st.sampled_from(["fast", "default", "x"]),
                                                  st.lists(st.sampled_from(["fast", "pyo3"]),
                                                           max_size=1), max_size=2))
    for name in draw(st.lists(st.sampled_from(["maturin", "pyo3-pack"]), max_size=1)):
        tables[f"package.metadata.{name}"] = draw(_table(TOOL_KEYS))
    return _toml(tables), pyo3


@st.composite
def _pyproject(draw: st.DrawFn) -> str | None:
    """A pyproject.toml: none, text that is not TOML, or tables of random content."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return None
    if kind == 1:
        return draw(_text)
    tables: dict[str, dict[str, Any]] = {}
    if draw(st.booleans()):
        tables["build-system"] = {"requires": ["setuptools-pyo3pack"],
                                  "build-backend": draw(st.sampled_from(
                                      ["setuptools_pyo3pack.build_meta", "maturin"]))}
    if draw(st.booleans()):
        project = {"name": draw(_crate_name), "version": "1.0"}
        project.update(draw(_table(PROJECT_KEYS)))
        tables["project"] = project
    for name in draw(st.lists(st.sampled_from(["tool.pyo3-pack", "tool.maturin"]),
                              max_size=2, unique=True)):
        tables[name] = draw(_table(TOOL_KEYS))
    return _toml(tables)


_strings = {
    "bindings": ["pyo3", "cffi", "bin", "uniffi", "rust-cpython", "pyo3-ffi", "nonsense"],
    "module-name": ["demo", "demo._native", "a.b.c", "", "1bad", "demo..x"],
    "python-source": ["python", "src", ".", "..", "/abs", "missing"],
    "profile": ["release", "dev", "custom"], "editable-profile": ["dev", "release"],
    "compatibility": ["manylinux2014", "linux", "pypi", "musllinux_1_2", "bogus"],
    "sdist-generator": ["cargo", "git", "x"], "auditwheel": ["repair", "check", "skip", "x"],
    "target": ["x86_64-unknown-linux-gnu", "aarch64-apple-darwin", "nonsense"],
    "manifest-path": ["Cargo.toml", "missing/Cargo.toml"], "data": ["data", "missing"],
    "macos-deployment-target": ["10.12", "11", "x"]}
_booleans = ["all-features", "no-default-features", "locked", "frozen", "offline", "strip",
             "skip-auditwheel", "zig", "pgo", "use-base-python"]
_lists = {"features": ["fast", "pyo3/abi3-py39", "missing"], "python-packages": ["demo", "x"],
          "include": ["*.txt", "README.md"], "exclude": ["**/*.pyc"],
          "rustc-args": ["-C", "opt-level=2"], "cargo-extra-args": ["--locked", "-v"]}
#: `[tool.pyo3-pack]` with each known key's own type (deeper than random values reach).
_typed_tool = st.fixed_dictionaries({}, optional={
    **{key: st.sampled_from(values) for key, values in _strings.items()},
    **{key: st.booleans() for key in _booleans},
    **{key: st.lists(st.sampled_from(values), max_size=2) for key, values in _lists.items()},
    "include": st.lists(st.fixed_dictionaries({"path": st.sampled_from(["*.txt", "x"]),
                                              "format": st.sampled_from(["sdist", "wheel",
                                                                         "zip"])}),
                        max_size=2)})
_requirements = st.lists(st.sampled_from(["numpy>=1", "cffi", "x[extra]; python_version>'3'",
                                          "not a requirement!"]), max_size=2)
#: A `[project]` whose values have their types (names, versions, requirements may be bad).
_typed_project = st.fixed_dictionaries(
    {"name": _names},
    optional={"version": st.sampled_from(["1.0", "2.0.0rc1", "not-a-version"]),
              "dynamic": st.lists(st.sampled_from(["version", "license", "description",
                                                   "requires-python", "readme", "nope"]),
                                  max_size=2, unique=True),
              "requires-python": st.sampled_from([">=3.9", "3.9", ">=3.9,<4"]),
              "dependencies": _requirements,
              "optional-dependencies": st.dictionaries(st.sampled_from(["dev", "Bad Name"]),
                                                       _requirements, max_size=2),
              "license": st.sampled_from(["MIT", "MIT OR Apache-2.0", "not spdx"]) | st.just(
                  {"file": "README.md"}) | st.just({"text": "MIT"}),
              "readme": st.sampled_from(["README.md", "missing.md"]) | st.just(
                  {"text": "hi", "content-type": "text/markdown"}),
              "authors": st.lists(st.fixed_dictionaries({}, optional={
                  "name": st.sampled_from(["A", "B, C"]),
                  "email": st.sampled_from(["a@example.org", "bad"])}), max_size=2),
              "scripts": st.dictionaries(st.sampled_from(["demo", "x y"]),
                                         st.sampled_from(["demo:main", "demo", ":"]),
                                         max_size=2),
              "urls": st.dictionaries(st.sampled_from(["Home", "a" * 40]),
                                      st.sampled_from(["https://example.org", "x"]),
                                      max_size=2),
              "classifiers": st.lists(st.sampled_from(["License :: OSI Approved",
                                                       "Nope :: x"]), max_size=2)})


def _check(folder: Path, environ: dict[str, str] | None = None,
           config_settings: dict[str, str | list[str]] | None = None) -> None:
    """Settings, project and METADATA from `folder` (and the environment and PEP 517
    config_settings given), or one line of the project's error."""
    previous = Path.cwd()
    os.chdir(folder)  # the crate is found from the working folder, as for a build
    try:
        given, _ = config_settings_source(config_settings)
        config = load_configuration(values_source(None, {}), {"cargo.profile": "release"},
                                    cwd=folder, environ=environ or {}, extra=(given,))
        project = load_project(config)
        metadata_members(project)
    except Pyo3PackError as exc:
        assert "\n" not in str(exc), f"a message of several lines: {exc!r}"
    finally:
        os.chdir(previous)


def _project(cargo: str, pyo3: bool, pyproject: str | None, folder: Path) -> Path:
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "lib.rs").write_text("", encoding="utf-8")
    (folder / "Cargo.toml").write_text(cargo, encoding="utf-8")
    if pyo3:  # the lock of an example, as demo's: cargo resolves offline from its cache
        lock = (EXAMPLES / "pyo3-pure" / "Cargo.lock").read_text(encoding="utf-8")
        lock = lock.replace('name = "pyo3-pure"\nversion = "2.1.0-beta.1"',
                            'name = "demo"\nversion = "0.1.0"')
        (folder / "Cargo.lock").write_text(lock, encoding="utf-8")
    if pyproject is not None:
        (folder / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (folder / "README.md").write_text("# demo\n", encoding="utf-8")
    return folder


@PROFILE
@given(cargo=_cargo_toml(), pyproject=_pyproject())
def test_any_project_folder_gives_settings_or_our_error(cargo: tuple[str, bool],
                                                        pyproject: str | None) -> None:
    TRIED["project"] = TRIED.get("project", 0) + 1
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-prop-") as tmp:
        _check(_project(cargo[0], cargo[1], pyproject, Path(tmp) / "demo"))


#: A valid pyo3 crate: the pyproject side alone varies (no cargo resolution to speak of).
VALID_CARGO = _toml({"package": {"name": "demo", "version": "0.1.0", "edition": "2021"},
                     "lib": {"crate-type": ["cdylib"]},
                     "dependencies": {"pyo3": {"version": "0.30"}}})


@PROFILE
@given(pyproject=_pyproject())
def test_any_pyproject_of_a_valid_crate_gives_settings_or_our_error(
        pyproject: str | None) -> None:
    TRIED["pyproject"] = TRIED.get("pyproject", 0) + 1
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-prop-") as tmp:
        _check(_project(VALID_CARGO, True, pyproject, Path(tmp) / "demo"))


@PROFILE
@given(tool=_typed_tool, project=st.none() | _typed_project,
       table=st.sampled_from(["tool.pyo3-pack", "tool.maturin"]))
def test_well_typed_settings_of_a_valid_crate_give_settings_or_our_error(
        tool: dict[str, Any], project: dict[str, Any] | None, table: str) -> None:
    TRIED["typed"] = TRIED.get("typed", 0) + 1
    tables = {"project": project} if project is not None else {}
    tables[table] = tool
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-prop-") as tmp:
        folder = _project(VALID_CARGO, True, _toml(tables), Path(tmp) / "demo")
        (folder / "python" / "demo").mkdir(parents=True)
        (folder / "python" / "demo" / "__init__.py").write_text("", encoding="utf-8")
        _check(folder)


_words = st.sampled_from(["", "true", "false", "1", "0", "yes", "maybe", "release", "pyo3",
                          "cffi", "a,b", "a b", "-C opt-level=2", "x86_64-unknown-linux-gnu",
                          "manylinux2014", "python", "../x", "demo._native"]) | _text


@PROFILE
@given(environ=st.dictionaries(st.sampled_from(TOOL_KEYS).map(
           lambda key: "PYO3_PACK_" + key.upper().replace("-", "_")), _words, max_size=3),
       config_settings=st.dictionaries(st.sampled_from(TOOL_KEYS) | _text,
                                       _words | st.lists(_words, max_size=2), max_size=3))
@example(environ={}, config_settings={"all-features": []})  # was an IndexError
@example(environ={"PYO3_PACK_MANIFEST_PATH": "~no-such-user/Cargo.toml"},
         config_settings={})  # was a RuntimeError from expanduser
@example(environ={"PYO3_PACK_MANIFEST_PATH": "a\nb/Cargo.toml"},
         config_settings={})  # the message was two lines
def test_any_environment_and_config_settings_give_settings_or_our_error(
        environ: dict[str, str], config_settings: dict[str, str | list[str]]) -> None:
    TRIED["environment"] = TRIED.get("environment", 0) + 1
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-prop-") as tmp:
        _check(_project(VALID_CARGO, True, None, Path(tmp) / "demo"), environ, config_settings)
