"""The bad input catalogue: broken projects and invocations, each through one front door,
each mapped to the one line it must produce.

Every case asserts what a user would notice: a non-zero exit, exactly one error line (what,
where, what to do) matching the case's pattern, no traceback, no wheel, sdist or temporary
file in the output folder, and the project's files exactly as they were. A few cases are
warnings instead: the build goes on, and the warning is asserted.

The table is data: a case names a sample project from examples/ (or none), the files it
writes, removes or edits there, the door and its arguments, and the expected message. The
few special set-ups a table cannot spell (a symlink, a non-UTF-8 file name, a file size
limit) are named functions in `PREPARE`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example


class Door(enum.Enum):
    CLI = "cli"  # `pyo3-pack ARGV`
    PEP517 = "pep517"  # a build_meta hook in a fresh interpreter, as pip calls it
    SETUP_PY = "setup.py"  # `python setup.py ARGV`
    EDITABLE = "editable"  # `pyo3-pack develop ARGV`, or the `build_editable` hook


@dataclass(frozen=True)
class Case:
    name: str
    door: Door
    #: CLI/SETUP_PY: the arguments (`{out}`, `{python}`, `{tmp}` filled in); PEP517: the
    #: hook's name, then config_settings as JSON; EDITABLE: `develop ...` or `build_editable`
    argv: tuple[str, ...]
    #: a regular expression the one error line (or, for a warning, stderr) must match
    expect: str
    base: str | None = "hello-bin"
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    edits: tuple[tuple[str, str, str], ...] = ()  # (file, old, new), each must apply
    remove: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    prepare: str | None = None  # a key of PREPARE
    warning: bool = False  # the build succeeds; `expect` is a warning on stderr


PYO3_PY = ("-i", "{python}")
#: hello-bin that does not compile, in a target folder of its own: in the shared one, a copy
#: another session built a moment later can look fresh to cargo (same fingerprint, newer
#: dep-info), and the broken copy would "build"; hello-bin has no dependencies, so this
#: costs a second
BROKEN_MAIN = ("src/main.rs", "println!", "undefined_macro_here!")
OWN_TARGET = {"CARGO_TARGET_DIR": "{tmp}/target"}
# messages several cases share
PROJECT = r"the \[project\] table of .*/pyproject\.toml"
NO_CARGO_TOML = (r"^pyo3-pack: error: no Cargo\.toml at .*/Cargo\.toml \(run pyo3-pack in the "
                 r"crate's folder or pass -m path/to/Cargo\.toml\)$")
# cargo's own words vary between versions; the file, the line and what to do must not
CARGO_NOT_TOML = (r"reading .*/Cargo\.toml with cargo metadata failed: error: .* --> "
                  r"Cargo\.toml:1:\d+ \(fix Cargo\.toml and try again\)")
VIRTUAL_WORKSPACE = (r"maturin-workspace/Cargo\.toml is a virtual workspace manifest with no "
                     r"\[package\] \(pass -m with the Cargo\.toml of the member crate to pack\)")
NOT_TOML = (r"pyproject\.toml at .*/pyproject\.toml is not valid TOML: .* "
            r"\(fix the syntax at that line\)")
NO_CARGO = r"cargo was not found on PATH \(install Rust with rustup"
LIB_NO_BINDING = """\
[package]
name = "hello-bin"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["staticlib"]
"""
SETUP_RUST_EXTENSION = """\
from setuptools import setup
from setuptools_pyo3pack import RustBin, RustExtension

setup(name="cmdclass-demo", version="0.1.0", rust_extensions=[{entry}])
"""


def _setup_py(entry: str) -> dict[str, str]:
    return {"setup.py": SETUP_RUST_EXTENSION.format(entry=entry), "pyproject.toml": ""}


CASES: list[Case] = [
    # --- Cargo.toml -----------------------------------------------------------------
    Case("no-cargo-toml", Door.CLI, ("build", "-o", "{out}"),
         NO_CARGO_TOML, remove=("Cargo.toml",)),
    Case("no-cargo-toml-pep517", Door.PEP517, ("build_wheel",),
         NO_CARGO_TOML, remove=("Cargo.toml",)),
    Case("no-cargo-toml-sdist", Door.CLI, ("sdist", "-o", "{out}"),
         NO_CARGO_TOML, remove=("Cargo.toml",)),
    Case("cargo-toml-not-toml", Door.CLI, ("build", "-o", "{out}"),
         CARGO_NOT_TOML, files={"Cargo.toml": "[package\nname = 'x'\n"}),
    Case("cargo-toml-not-toml-pep517", Door.PEP517, ("prepare_metadata_for_build_wheel",),
         CARGO_NOT_TOML, files={"Cargo.toml": "[package\nname = 'x'\n"}),
    Case("version-not-pep440", Door.CLI, ("build", "-o", "{out}"),
         r"`version` in " + PROJECT + r" is 'one point oh', which is not a PEP 440 version "
         r"\(use a version like",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "one point oh"\n'}),
    Case("version-not-pep440-pep517", Door.PEP517, ("build_sdist",),
         r"`version` in " + PROJECT + r" is 'v1\.x\.y', which is not a PEP 440 version",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "v1.x.y"\n'}),
    Case("virtual-workspace", Door.CLI, ("build", "-o", "{out}"),
         VIRTUAL_WORKSPACE, base="maturin-workspace", remove=("pyproject.toml",)),
    Case("virtual-workspace-pep517", Door.PEP517, ("build_wheel",),
         VIRTUAL_WORKSPACE, base="maturin-workspace", remove=("pyproject.toml",)),
    Case("no-lib-no-bin", Door.CLI, ("build", "-o", "{out}"),
         r"reading .*/Cargo\.toml with cargo metadata failed: .*no targets specified in the "
         r"manifest \(fix Cargo\.toml",
         files={"Cargo.toml": '[package]\nname = "empty"\nversion = "0.1.0"\n'
                                     'edition = "2021"\nautobins = false\n'},
         remove=("src/main.rs",)),
    Case("lib-without-cdylib", Door.CLI, ("build", *PYO3_PY, "-o", "{out}"),
         r'crate-type = \["cdylib"\]', base="pyo3-pure",
         edits=(("Cargo.toml", 'crate-type = ["cdylib"]', ""),)),
    Case("lib-without-cdylib-pep517", Door.PEP517, ("build_wheel",),
         r'crate-type = \["cdylib"\]', base="pyo3-pure",
         edits=(("Cargo.toml", 'crate-type = ["cdylib"]', 'crate-type = ["rlib"]'),)),
    Case("staticlib-only", Door.CLI, ("build", "-o", "{out}"),
         r'crate-type = \["cdylib"\]', files={"Cargo.toml": LIB_NO_BINDING, "src/lib.rs": ""},
         remove=("src/main.rs",)),
    Case("unknown-binding-flag", Door.CLI, ("build", "-b", "pyo4", "-o", "{out}"),
         r"unknown binding `pyo4` \(use one of bin, cffi, pyo3, rust-cpython, uniffi\)",
         base="pyo3-pure"),
    Case("unknown-binding-table", Door.PEP517, ("build_wheel",),
         r"unknown binding `pyo4`", base="pyo3-pure",
         files={"pyproject.toml": '[tool.pyo3-pack]\nbindings = "pyo4"\n'}),
    Case("unknown-binding-config-settings", Door.PEP517,
         ("build_wheel", '{"bindings": "pyo4"}'),
         r"unknown binding `pyo4` in config_settings \(use one of bin, cffi, pyo3",
         base="pyo3-pure"),
    # --- pyproject.toml -------------------------------------------------------------
    Case("pyproject-not-toml", Door.CLI, ("build", "-o", "{out}"),
         NOT_TOML,
         files={"pyproject.toml": "[project\nname = 1\n"}),
    Case("pyproject-not-toml-pep517", Door.PEP517, ("get_requires_for_build_wheel",),
         NOT_TOML, files={"pyproject.toml": "name = = 1\n"}),
    Case("pyproject-not-toml-sdist", Door.CLI, ("sdist", "-o", "{out}"),
         NOT_TOML, files={"pyproject.toml": "[a]\nb = 'x\n"}),
    Case("pyproject-not-utf8", Door.CLI, ("build", "-o", "{out}"),
         r"pyproject\.toml at .* is not valid TOML: 'utf-8' codec can't decode byte 0xff.*\(save "
         r"the file as UTF-8\)",
         files={"pyproject.toml": b"[project]\nname = '\xff\xfe'\n"}),
    Case("project-name-not-string", Door.CLI, ("build", "-o", "{out}"),
         r"`name` in " + PROJECT + " must be a string, not an integer",
         files={"pyproject.toml": '[project]\nname = 3\nversion = "1.0"\n'}),
    Case("project-name-invalid", Door.CLI, ("build", "-o", "{out}"),
         r"`name` in "
         + PROJECT + r" is '-bad name-', which is not a valid project name \(use letters",
         files={"pyproject.toml": '[project]\nname = "-bad name-"\nversion = "1.0"\n'}),
    Case("project-version-not-string", Door.PEP517, ("build_wheel",),
         r"`version` in " + PROJECT + " must be a string, not a float",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = 1.0\n'}),
    Case("project-authors-not-table", Door.CLI, ("build", "-o", "{out}"),
         r"`authors` in " + PROJECT + " must be an array, not a string",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'authors = "Ada"\n'}),
    Case("project-dependencies-not-list", Door.PEP517, ("prepare_metadata_for_build_wheel",),
         r"`dependencies` in " + PROJECT + " must be an array, not a string",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'dependencies = "numpy"\n'}),
    Case("project-dependency-invalid", Door.CLI, ("build", "-o", "{out}"),
         r"`dependencies` in "
         + PROJECT + r" has 'numpy >>> 2', which is not a PEP 508 requirement",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'dependencies = ["numpy >>> 2"]\n'}),
    Case("project-requires-python-invalid", Door.CLI, ("build", "-o", "{out}"),
         r"`requires-python` in " + PROJECT + r" is 'at least 3\.9', which is not a version "
         r"specifier \(write it like \">=3\.9\"\)",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'requires-python = "at least 3.9"\n'}),
    Case("project-keywords-not-list", Door.PEP517, ("build_sdist",),
         r"`keywords` in " + PROJECT + " must be an array, not a string",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'keywords = "a, b"\n'}),
    Case("project-urls-not-table", Door.CLI, ("build", "-o", "{out}"),
         r"`urls` in " + PROJECT + " must be a table, not an array",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'urls = ["https://example.org"]\n'}),
    Case("project-scripts-not-table", Door.CLI, ("build", "-o", "{out}"),
         r"`scripts` in " + PROJECT + " must be a table, not a string",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'scripts = "hello"\n'}),
    Case("project-license-wrong-type", Door.CLI, ("build", "-o", "{out}"),
         r"`license` in " + PROJECT + " must be a string or a table, not an integer",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'license = 3\n'}),
    Case("project-optional-deps-not-table", Door.PEP517, ("build_wheel",),
         r"`optional-dependencies` in " + PROJECT + " must be a table, not an array",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'optional-dependencies = ["x"]\n'}),
    Case("dynamic-not-list", Door.CLI, ("build", "-o", "{out}"),
         r"`dynamic` in " + PROJECT + " must be an array, not a string",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\ndynamic = "version"\n'}),
    Case("dynamic-name", Door.CLI, ("build", "-o", "{out}"),
         r"`dynamic` in the \[project\] table of .*pyproject\.toml must not list \"name\"",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'dynamic = ["name"]\n'}),
    # maturin builds these (the given value wins), so a warning names the conflict
    Case("dynamic-and-static", Door.PEP517, ("build_wheel",),
         r"gives `version` and also lists it in `dynamic`.*remove 'version' from `dynamic`",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'dynamic = ["version"]\n'}, warning=True),
    Case("dynamic-unknown-field", Door.CLI, ("build", "-o", "{out}"),
         r"`dynamic` in the \[project\] table .* lists 'colour', which is not a \[project\] key",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\n'
                                  'dynamic = ["version", "colour"]\n'}),
    Case("unknown-tool-key", Door.CLI, ("build", "-o", "{out}"),
         r"unknown key `stirp` in \[tool\.pyo3-pack\].*did you mean `strip`\?",
         files={"pyproject.toml": "[tool.pyo3-pack]\nstirp = true\n"}, warning=True),
    Case("unknown-tool-key-pep517", Door.PEP517, ("build_wheel",),
         r"unknown key `featrues` in \[tool\.pyo3-pack\].*did you mean `features`\?",
         files={"pyproject.toml": "[tool.pyo3-pack]\nfeatrues = []\n"}, warning=True),
    Case("tool-key-wrong-type", Door.CLI, ("build", "-o", "{out}"),
         r"`strip` in \[tool\.pyo3-pack\] of.*must be a boolean, not string \(use true or false\)",
         files={"pyproject.toml": '[tool.pyo3-pack]\nstrip = "yes"\n'}),
    Case("conflicting-module-names", Door.CLI, ("build", *PYO3_PY, "-o", "{out}"),
         r"the module is named `other` \(`module-name` in \[tool\.pyo3-pack\] of .*\), but the "
         r"library defines the module `pyo3_pure` \(PyInit_pyo3_pure\) \(set module-name",
         base="pyo3-pure",
         files={"pyproject.toml": '[tool.pyo3-pack]\nmodule-name = "other"\n'}),
    Case("bad-script-reference", Door.CLI, ("build", "-o", "{out}"),
         r"`scripts\.hello` in the \[project\] table .* not an object reference "
         r"\(write it as \"package\.module:object\"\)",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  '[project.scripts]\nhello = "not a reference!"\n'}),
    Case("bad-script-reference-pep517", Door.PEP517, ("build_wheel",),
         r"`scripts\.hello` in the \[project\] table .* is 'pkg\.mod:', which is not",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  '[project.scripts]\nhello = "pkg.mod:"\n'}),
    Case("readme-missing", Door.CLI, ("build", "-o", "{out}"),
         r"`readme` in " + PROJECT + r" names 'NOPE\.md', which is not a file in .* "
         r"\(give a path relative to pyproject\.toml\)",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\n'
                                               'version = "1.0"\nreadme = "NOPE.md"\n'}),
    Case("readme-missing-cargo", Door.PEP517, ("build_sdist",),
         r"`readme` in .*/Cargo\.toml names 'NOPE\.md', which is not a file in .* \(give a path "
         r"relative to Cargo\.toml, or add the file\)",
         edits=(("Cargo.toml", 'license = "MIT"', 'license = "MIT"\n'
                                                               'readme = "NOPE.md"'),)),
    Case("license-file-missing", Door.CLI, ("build", "-o", "{out}"),
         r"`license-files` in " + PROJECT + r" has 'NOLICENSE', which matches no file in .* "
         r"\(fix the pattern or remove it\)",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'license-files = ["NOLICENSE"]\n'}),
    Case("license-file-missing-cargo", Door.CLI, ("sdist", "-o", "{out}"),
         r"`license-file` in .*/Cargo\.toml names .*/NOLICENSE, which is not a file \(give a "
         r"path relative",
         edits=(("Cargo.toml", 'license = "MIT"', 'license-file = "NOLICENSE"'),)),
    # --- interpreters, toolchain, targets ---------------------------------------------
    Case("interpreter-not-python", Door.CLI, ("build", "-i", "Cargo.toml", "-o", "{out}"),
         r"interpreter `Cargo\.toml` cannot be used: cannot run it .*Permission denied.* \(pass "
         r"-i with a working Python 3 executable",
         base="pyo3-pure"),
    Case("interpreter-not-python-script", Door.CLI,
         ("build", "-i", "{tmp}/fake-python", "-o", "{out}"),
         r"fake-python", base="pyo3-pure", prepare="fake_python"),
    Case("interpreter-too-old-for-project", Door.CLI, ("build", *PYO3_PY, "-o", "{out}"),
         r"cannot build for CPython .*: the project's requires-python is `>=3\.99` "
         r"\(name another interpreter with -i\)", base="pyo3-pure",
         files={"pyproject.toml": '[project]\nname = "pyo3-pure"\nversion = "1.0"\n'
                                  'requires-python = ">=3.99"\n'}),
    Case("interpreter-missing", Door.CLI, ("build", "-i", "python3.99", "-o", "{out}"),
         r"interpreter `python3\.99` not found on PATH or in pyenv \(pass a name like python3\.12",
         base="pyo3-pure"),
    Case("no-cargo-on-path", Door.CLI, ("build", "-o", "{out}"),
         NO_CARGO, env={"PATH": "/nonexistent"}),
    Case("no-cargo-on-path-pep517", Door.PEP517, ("build_wheel",),
         NO_CARGO, env={"PATH": "/nonexistent"}),
    Case("compile-error", Door.CLI, ("build", "-o", "{out}"),
         r"cargo failed to build bin `hello-bin` \(exit code 101\) \(see cargo's messages above\)",
         edits=(BROKEN_MAIN,), env=OWN_TARGET),
    Case("compile-error-pep517", Door.PEP517, ("build_wheel",),
         r"cargo failed to build bin `hello-bin` .*\(see cargo's messages above\)",
         edits=(BROKEN_MAIN,), env=OWN_TARGET),
    Case("unknown-target", Door.CLI, ("build", "--target", "nonsense-unknown-nowhere",
                                      "-o", "{out}"),
         r"nonsense-unknown-nowhere"),
    Case("manifest-path-missing", Door.CLI, ("build", "-m", "nowhere/Cargo.toml", "-o", "{out}"),
         r"no Cargo\.toml at .*/hello-bin/nowhere/Cargo\.toml"),
    Case("unknown-feature", Door.CLI, ("build", "--features", "no-such-feature", "-o", "{out}"),
         r"does not contain this feature: no-such-feature \(fix the features asked for \(-F"),
    Case("unknown-policy", Door.CLI, ("build", "--compatibility", "manylinux_9_99", "-o",
                                      "{out}"),
         r"unknown manylinux compatibility `manylinux_9_99` \(use off, linux, 1, 2010"),
    Case("source-date-epoch-not-a-number", Door.CLI, ("sdist", "-o", "{out}"),
         r"SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds",
         env={"SOURCE_DATE_EPOCH": "yesterday"}),
    Case("python-source-missing", Door.CLI, ("build", *PYO3_PY, "-o", "{out}"),
         r"`python-source` in \[tool\.pyo3-pack\].*is `nope`.*not a folder", base="pyo3-pure",
         files={"pyproject.toml": '[tool.pyo3-pack]\npython-source = "nope"\n'}),
    Case("tool-include-wrong-type", Door.PEP517, ("build_wheel",),
         r"`include` in \[tool\.pyo3-pack\] of .*pyproject\.toml must be a list of glob patterns",
         files={"pyproject.toml": "[tool.pyo3-pack]\ninclude = 3\n"}),
    # --- output ---------------------------------------------------------------------
    Case("output-is-a-file", Door.CLI, ("build", "-o", "{tmp}/a-file"),
         r"cannot write .*/a-file/hello_bin-0\.1\.0-py3-none-.*\.whl: File exists \(.*/a-file\) "
         r"\(a file is in the way: remove it or choose another output folder\)",
         prepare="output_file"),
    Case("output-below-a-file", Door.CLI, ("sdist", "-o", "{tmp}/a-file/out"),
         r"cannot write .*/a-file/out/hello_bin-0\.1\.0\.tar\.gz: Not a directory .*\(a file is "
         r"in the way",
         prepare="output_file"),
    Case("output-below-a-file-pep517", Door.PEP517, ("build_sdist",),
         r"cannot write .*/a-file/out/hello_bin-0\.1\.0\.tar\.gz: Not a directory .*\(a file is "
         r"in the way",
         prepare="output_file_pep517"),
    Case("disk-full-sdist", Door.CLI, ("sdist", "-o", "{out}"),
         r"cannot write .*/out/hello_bin-0\.1\.0\.tar\.gz: File too large \(the file is larger "
         r"than this process may write \(see `ulimit -f`\)\)",
         prepare="file_size_limit"),
    Case("disk-full-wheel", Door.CLI, ("build", "-o", "{out}"),
         r"cannot write .*/out/hello_bin-0\.1\.0-py3-none-.*\.whl: File too large \(the file is "
         r"larger than this process may write",
         prepare="file_size_limit_after_compile"),
    # --- source trees ---------------------------------------------------------------
    Case("non-utf8-file-name", Door.CLI, ("sdist", "-o", "{out}"),
         r"unicode filename.*pyo3_mixed/caf", base="pyo3-mixed", prepare="non_utf8_name"),
    Case("non-utf8-file-name-wheel", Door.PEP517, ("build_wheel",),
         r"the file name .*pyo3_mixed/caf\\xe9\.py is not UTF-8, which a wheel or sdist "
         r"cannot hold \(rename it", base="pyo3-mixed", prepare="non_utf8_name"),

    Case("symlink-escapes-sdist", Door.CLI, ("sdist", "-o", "{out}"),
         r"secret\.py is a symlink to .*secret\.txt, outside the project, so the sdist cannot "
         r"carry it \(copy the file into the project, or leave it out with `exclude`",
         base="pyo3-mixed", prepare="escaping_symlink"),
    Case("symlink-escapes-sdist-pep517", Door.PEP517, ("build_sdist",),
         r"secret\.py is a symlink to .*secret\.txt, outside the project, so the sdist cannot "
         r"carry it",
         base="pyo3-mixed", prepare="escaping_symlink"),
    Case("audit-not-a-wheel-name", Door.CLI, ("audit", "Cargo.toml"),
         r"Cargo\.toml is not a wheel"),
    Case("audit-unknown-policy", Door.CLI,
         ("audit", "--compatibility", "manylinux_0_1", "bad-1.0-py3-none-linux_x86_64.whl"),
         r"manylinux_0_1", prepare="good_wheel"),
    # --- develop / editable -----------------------------------------------------------
    Case("develop-outside-venv", Door.EDITABLE, ("develop",),
         r"develop needs a virtualenv, and none is active \(create one with "
         r"`python -m venv \.venv`",
         env={"VIRTUAL_ENV": "", "CONDA_PREFIX": ""}),
    Case("develop-venv-missing", Door.EDITABLE, ("develop",),
         r"VIRTUAL_ENV points to /nonexistent/venv, which has no bin/python \(activate an "
         r"existing virtualenv",
         env={"VIRTUAL_ENV": "/nonexistent/venv", "CONDA_PREFIX": ""}),
    Case("editable-pyproject-not-toml", Door.EDITABLE, ("build_editable",),
         NOT_TOML, files={"pyproject.toml": "[x\n"}),
    Case("editable-output-below-a-file", Door.EDITABLE, ("build_editable",),
         r"cannot write .*a-file/out/pyo3_mixed-0\.4\.0-.*\.whl: Not a directory",
         base="pyo3-mixed", prepare="output_file_pep517"),
    Case("editable-no-cargo-toml", Door.EDITABLE, ("build_editable",),
         NO_CARGO_TOML, remove=("Cargo.toml",)),
    Case("editable-compile-error", Door.EDITABLE, ("build_editable",),
         r"cargo failed to build bin `hello-bin` .*\(see cargo's messages above\)",
         edits=(BROKEN_MAIN,), env=OWN_TARGET),
    Case("editable-metadata-bad-field", Door.EDITABLE, ("prepare_metadata_for_build_editable",),
         r"`urls` in " + PROJECT + " must be a table, not an array",
         files={"pyproject.toml": '[project]\nname = "hello-bin"\nversion = "1.0"\n'
                                  'urls = ["https://example.org"]\n'}),
    Case("develop-pyproject-not-toml", Door.EDITABLE, ("develop",), NOT_TOML,
         files={"pyproject.toml": "[x\n"}, prepare="venv", env={"VIRTUAL_ENV": "{tmp}/venv"}),
    Case("develop-compile-error", Door.EDITABLE, ("develop",),
         r"cargo failed to build bin `hello-bin` .*\(see cargo's messages above\)",
         edits=(BROKEN_MAIN,), prepare="venv",
         env={"VIRTUAL_ENV": "{tmp}/venv", **OWN_TARGET}),
    Case("develop-unknown-binding", Door.EDITABLE, ("develop", "-b", "pyo4"),
         r"unknown binding `pyo4`", prepare="venv", env={"VIRTUAL_ENV": "{tmp}/venv"}),
    # --- upload and audit -------------------------------------------------------------
    Case("upload-not-a-distribution", Door.CLI,
         ("upload", "--non-interactive", "-r", "http://127.0.0.1:9/legacy/", "-u", "x",
          "-p", "y", "Cargo.toml"),
         r"nothing was uploaded: Cargo\.toml: Unknown distribution format: 'Cargo\.toml' "
         r"\(fix these files or leave them out"),
    Case("upload-missing-file", Door.CLI,
         ("upload", "--non-interactive", "-r", "http://127.0.0.1:9/legacy/", "-u", "x",
          "-p", "y", "dist/nothing-1.0.tar.gz"),
         r"nothing was uploaded: nothing-1\.0\.tar\.gz: no such file"),
    Case("upload-fake-wheel", Door.CLI,
         ("upload", "--non-interactive", "-r", "http://127.0.0.1:9/legacy/", "-u", "x",
          "-p", "y", "fake-1.0-py3-none-any.whl"),
         r"nothing was uploaded: fake-1\.0-py3-none-any\.whl: not a readable archive "
         r"\(File is not a zip file\)",
         files={"fake-1.0-py3-none-any.whl": "not a zip"}),
    Case("audit-not-a-zip", Door.CLI, ("audit", "fake-1.0-py3-none-any.whl"),
         r"fake-1\.0-py3-none-any\.whl is not a wheel: File is not a zip file \(rebuild it\)",
         files={"fake-1.0-py3-none-any.whl": "not a zip"}),
    Case("audit-missing-file", Door.CLI, ("audit", "gone-1.0-py3-none-any.whl"),
         r"gone-1\.0-py3-none-any\.whl does not exist \(pass the path of a built \.whl file\)"),
    Case("audit-bad-record", Door.CLI, ("audit", "bad-1.0-py3-none-linux_x86_64.whl"),
         r"bad/__init__\.py does not match its hash in bad-1\.0\.dist-info/RECORD "
         r"\(rebuild the wheel", prepare="bad_record_wheel"),
    Case("upload-bad-record", Door.CLI,
         ("upload", "--non-interactive", "-r", "http://127.0.0.1:9/legacy/", "-u", "x",
          "-p", "y", "bad-1.0-py3-none-linux_x86_64.whl"),
         r"nothing was uploaded: bad-1\.0-py3-none-linux_x86_64\.whl: bad/__init__\.py does "
         r"not match its hash in bad-1\.0\.dist-info/RECORD", prepare="bad_record_wheel"),
    # --- setup.py ---------------------------------------------------------------------
    Case("setup-py-no-cargo-toml", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in setup command: no Cargo\.toml next to setup\.py in .* \(pass "
         r"rust_crates=\[\.\.\.\] to setup\(\) to name the crates\)",
         base="setuptools-cmdclass", remove=("Cargo.toml",)),
    Case("setup-py-cargo-not-toml", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in setup command: "
         + CARGO_NOT_TOML, base="setuptools-cmdclass", files={"Cargo.toml": "[package\n"}),
    Case("setup-py-extension-missing-crate", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in cmdclass-demo setup command: no Cargo\.toml at .*/nowhere/Cargo\.toml",
         base="setuptools-cmdclass",
         files=_setup_py('RustExtension("demo", path="nowhere/Cargo.toml")')),
    Case("setup-py-extension-unknown-binding", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in cmdclass-demo setup command: binding of RustExtension\('demo', "
         r"path='Cargo\.toml'\) is 'pyo4' \(use one of Binding\.PyO3",
         base="setuptools-cmdclass",
         files=_setup_py('RustExtension("demo", binding="pyo4")')),
    Case("setup-py-extension-unknown-argument", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in cmdclass-demo setup command: RustExtension\(\) got an unknown argument "
         r"`colour`; known: target, path",
         base="setuptools-cmdclass",
         files=_setup_py('RustExtension("demo", colour="blue")')),
    Case("setup-py-compile-error", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error: cargo failed to build `setuptools-cmdclass` for CPython .*\(see cargo's "
         r"messages above\)",
         base="setuptools-cmdclass",
         edits=(("src/lib.rs", "#[pyfunction]", "#[pyfunction] undefined_thing!();"),)),
    Case("setup-py-pyproject-not-toml", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in setup command: pyproject\.toml at .* is not valid TOML: Expected ']'",
         base="setuptools-cmdclass",
         files={"pyproject.toml": "[tool.pyo3-pack\n"}),
    Case("setup-py-readme-missing", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in setup command: `readme` in .*/Cargo\.toml names 'NOPE\.md', which is not "
         r"a file in .* \(give a path relative to Cargo\.toml, or add the file\)",
         base="setuptools-cmdclass",
         edits=(("Cargo.toml", 'readme = "README.md"', 'readme = "NOPE.md"'),)),
    Case("setup-py-bin-unknown-argument", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in cmdclass-demo setup command: RustBin\(\) got an unknown argument "
         r"`rustc_flags`; known: target", base="setuptools-cmdclass",
         files=_setup_py('RustBin("demo", rustc_flags=["-g"])')),
    Case("setup-py-extension-args-not-list", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"^error in cmdclass-demo setup command: args of demo must be a list of strings, not "
         r"the string '--locked' \(write args=\['--locked'\]\)", base="setuptools-cmdclass",
         files=_setup_py('RustExtension("demo", args="--locked")')),
    Case("setup-py-inplace-compile-error", Door.SETUP_PY, ("build_rust", "--inplace"),
         r"^error: cargo failed to build `setuptools-cmdclass` for CPython .*\(see cargo's "
         r"messages above\)", base="setuptools-cmdclass",
         edits=(("src/lib.rs", "#[pyfunction]", "#[pyfunction] undefined_thing!();"),)),
    # setuptools' own line: the dist folder is bdist_wheel's business
    Case("setup-py-dist-below-a-file", Door.SETUP_PY, ("bdist_wheel", "-d", "{tmp}/a-file/out"),
         r"^error: \[Errno 20\] Not a directory: '.*/a-file/out'", base="setuptools-cmdclass",
         prepare="output_file"),
    Case("setup-py-unknown-tool-key", Door.SETUP_PY, ("bdist_wheel", "-d", "{out}"),
         r"unknown key `stirp` in \[tool\.pyo3-pack\] of .*; did you mean `strip`\?",
         base="setuptools-cmdclass", warning=True,
         edits=(("pyproject.toml", 'build-backend = "setuptools.build_meta"',
                 'build-backend = "setuptools.build_meta"\n[tool.pyo3-pack]\nstirp = true'),)),
]


# --- special set-ups --------------------------------------------------------------------

def _fake_python(project: Path, tmp: Path) -> None:
    script = tmp / "fake-python"
    script.write_text("#!/bin/sh\necho 'I am not Python'\nexit 3\n")
    script.chmod(0o755)


def _venv(project: Path, tmp: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")],
                   check=True)


def _output_file(project: Path, tmp: Path) -> None:
    (tmp / "a-file").write_text("a file where a folder should be\n")


def _output_file_pep517(project: Path, tmp: Path) -> None:
    _output_file(project, tmp)


def _file_size_limit(project: Path, tmp: Path) -> None:
    # a large file the sdist must hold; the child may write no file larger than 64 KiB
    (project / "src" / "data.bin").write_bytes(os.urandom(256 * 1024))


def _file_size_limit_after_compile(project: Path, tmp: Path) -> None:
    # compile first (without a limit: cargo writes large files), then build under the limit
    subprocess.run([sys.executable, "-m", "setuptools_pyo3pack", "build", "-o",
                    str(tmp / "first")], cwd=project, check=True, capture_output=True)
    shutil.rmtree(tmp / "first")


def _non_utf8_name(project: Path, tmp: Path) -> None:
    with open(os.path.join(os.fsencode(project / "pyo3_mixed"), b"caf\xe9.py"), "wb") as f:
        f.write(b"x = 1\n")


def _escaping_symlink(project: Path, tmp: Path) -> None:
    secret = tmp / "secret.txt"
    secret.write_text("not part of the project\n")
    (project / "pyo3_mixed" / "secret.py").symlink_to(secret)


def _good_wheel(project: Path, tmp: Path) -> None:
    _write_wheel(project, bad_record=False)


def _bad_record_wheel(project: Path, tmp: Path) -> None:
    _write_wheel(project, bad_record=True)


def _write_wheel(project: Path, *, bad_record: bool) -> None:
    """A pure little wheel; with `bad_record`, RECORD gets one hash wrong."""
    members = {
        "bad/__init__.py": b"x = 1\n",
        "bad-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: bad\nVersion: 1.0\n",
        "bad-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\n"
                                   b"Root-Is-Purelib: false\nTag: py3-none-linux_x86_64\n",
    }
    rows = []
    for name, data in members.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        if bad_record and name.endswith(".py"):
            digest = "A" * len(digest)
        rows.append(f"{name},sha256={digest},{len(data)}\n")
    rows.append("bad-1.0.dist-info/RECORD,,\n")
    with zipfile.ZipFile(project / "bad-1.0-py3-none-linux_x86_64.whl", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("bad-1.0.dist-info/RECORD", "".join(rows))


PREPARE: dict[str, Callable[[Path, Path], None]] = {
    "fake_python": _fake_python,
    "output_file": _output_file,
    "venv": _venv,
    "output_file_pep517": _output_file_pep517,
    "file_size_limit": _file_size_limit,
    "file_size_limit_after_compile": _file_size_limit_after_compile,
    "non_utf8_name": _non_utf8_name,
    "escaping_symlink": _escaping_symlink,
    "bad_record_wheel": _bad_record_wheel,
    "good_wheel": _good_wheel,
}
#: set-ups whose child runs with RLIMIT_FSIZE: writing past it fails with EFBIG, the error a
#: full disk gives in kind (a write that cannot finish, ENOSPC gets the same handling), with
#: no root, tmpfs mount or LD_PRELOAD; Python ignores SIGXFSZ, so the write fails instead of
#: killing the process. An unwritable output folder is a file in the way (`a-file`): mode
#: bits do not stop root, who runs these tests in CI.
SIZE_LIMITED = {"file_size_limit", "file_size_limit_after_compile"}
SIZE_LIMIT = 64 * 1024

HOOK = textwrap.dedent("""\
    import json, sys
    from setuptools_pyo3pack import build_meta
    hook, out, settings = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if hook.startswith("get_requires"):
        print(getattr(build_meta, hook)(settings))
    else:
        print(getattr(build_meta, hook)(out, settings))
""")


# --- running a case ----------------------------------------------------------------------

def _tree(root: Path) -> dict[bytes, str]:
    """Every file below `root` (names as bytes: some cases hold non-UTF-8 ones), hashed."""
    found: dict[bytes, str] = {}
    base = os.fsencode(root)
    for folder, _dirs, names in os.walk(base):
        for name in names:
            path = os.path.join(folder, name)
            key = os.path.relpath(path, base)
            if os.path.islink(path):
                found[key] = "link:" + os.fsdecode(os.readlink(path))
            else:
                with open(path, "rb") as stream:
                    found[key] = hashlib.sha256(stream.read()).hexdigest()
    return found


def _make_project(case: Case, tmp: Path) -> Path:
    if case.base is None:
        project = tmp / "project"
        project.mkdir()
    else:
        project = copy_example(case.base, tmp)
    for name in case.remove:
        (project / name).unlink()
    for name, content in case.files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    for name, old, new in case.edits:
        path = project / name
        text = path.read_text()
        assert old in text, f"{case.name}: {old!r} is not in {name}"
        path.write_text(text.replace(old, new))
    if case.prepare:
        PREPARE[case.prepare](project, tmp)
    return project


def _fill(args: tuple[str, ...], out: Path, tmp: Path) -> list[str]:
    return [a.format(out=out, python=sys.executable, tmp=tmp) for a in args]


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE_LIMIT, SIZE_LIMIT))


def _run(case: Case, project: Path, out: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **{k: v.format(tmp=tmp) for k, v in case.env.items()})
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    hook = case.door is Door.PEP517 or (case.door is Door.EDITABLE and case.argv[0] != "develop")
    if hook:
        settings = case.argv[1] if len(case.argv) > 1 else "{}"
        out_arg = f"{tmp}/a-file/out" if case.prepare == "output_file_pep517" else str(out)
        argv = [sys.executable, "-c", HOOK, case.argv[0], out_arg, settings]
        if case.prepare != "output_file_pep517":
            out.mkdir()  # frontends hand hooks an existing folder
    elif case.door is Door.SETUP_PY:
        argv = [sys.executable, "setup.py", "-q", *_fill(case.argv, out, tmp)]
    else:
        argv = [sys.executable, "-m", "setuptools_pyo3pack", *_fill(case.argv, out, tmp)]
    return subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True,
                          check=False, errors="replace",
                          preexec_fn=_limit_file_size if case.prepare in SIZE_LIMITED else None)


#: setuptools' one line: `error: ...`, or `error in <name> setup command: ...`
SETUPTOOLS_ERROR = re.compile(r"^error( in [\w .-]*setup command)?: ")


def _error_lines(case: Case, stderr: str) -> list[str]:
    """The door's error lines; the last line of stderr must be the (only) one."""
    lines = stderr.rstrip().splitlines()
    if case.door is Door.SETUP_PY:
        # cargo's own diagnostics start with `error:` too: the door's line is the last one
        last = lines[-1] if lines else ""
        return [line for line in lines if line == last and SETUPTOOLS_ERROR.match(line)]
    found = [line for line in lines if line.startswith("pyo3-pack: error: ")]
    assert not found or lines[-1] == found[-1], stderr
    return found


def _leftovers(out: Path) -> list[str]:
    if not out.exists():
        return []
    return [str(p.relative_to(out)) for p in out.rglob("*") if not p.is_dir()]


#: what setuptools itself writes into a project it builds, whatever the outcome
SETUPTOOLS_OWN = re.compile(rb"^(build|[^/]*\.egg-info)(/|$)")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    project = _make_project(case, tmp_path)
    before = _tree(project)
    out = tmp_path / "out"
    result = _run(case, project, out, tmp_path)
    report = f"{case.name}: exit {result.returncode}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, report
    if case.warning:
        assert result.returncode == 0, report
        shown = [line for line in result.stderr.splitlines() if re.search(case.expect, line)]
        assert len(shown) == 1, report  # once, however often the door loads the project
        return
    assert result.returncode != 0, report
    errors = _error_lines(case, result.stderr)
    assert len(errors) == 1, report
    assert re.search(case.expect, errors[0]), report
    assert _leftovers(out) == [], report
    after = _tree(project)
    changed = [k for k in before if after.get(k) != before[k]]
    assert changed == [], f"{report}\nchanged: {changed}"
    added = [k for k in after if k not in before
             and not (case.door is Door.SETUP_PY and SETUPTOOLS_OWN.match(k))]
    assert added == [], f"{report}\nadded: {added}"


def test_catalogue_size() -> None:
    """The catalogue is the issue's contract: at least 50 cases, every door in it."""
    assert len(CASES) >= 50
    assert {case.door for case in CASES} == set(Door)
    assert len({case.name for case in CASES}) == len(CASES)
    for case in CASES:
        assert case.prepare is None or case.prepare in PREPARE, case.name
    json.dumps([c.name for c in CASES])
