"""The files of a new project, as text: one function per file, each for every binding.

Dependency versions are the ones the repository's own examples build with, so a new project
compiles the crates the tool is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..._version import __version__
from ...config.settings import Binding

PYO3 = '"0.30"'
UNIFFI = '{ version = "0.32", default-features = false }'
CFFI_REQUIREMENT = "cffi>=1.15"


@dataclass(frozen=True)
class Project:
    """What `new` / `init` were asked for."""

    name: str
    """The crate and distribution name (`my-project`)."""
    bindings: Binding
    mixed: bool

    @property
    def module(self) -> str:
        """The import name (`my_project`)."""
        return self.name.replace("-", "_")


def cargo_toml(p: Project) -> str:
    text = f'[package]\nname = "{p.name}"\nversion = "0.1.0"\nedition = "2021"\n'
    if p.bindings is Binding.BIN:
        return text
    text += f'\n[lib]\nname = "{p.module}"\ncrate-type = ["cdylib"]\n'
    dependency = {Binding.PYO3: f"pyo3 = {PYO3}", Binding.UNIFFI: f"uniffi = {UNIFFI}"}
    if p.bindings in dependency:
        text += f"\n[dependencies]\n{dependency[p.bindings]}\n"
    return text


def pyproject_toml(p: Project) -> str:
    text = (
        "[build-system]\n"
        f'requires = ["setuptools-pyo3pack>={__version__}"]\n'
        'build-backend = "setuptools_pyo3pack.build_meta"\n\n'
        "[project]\n"
        f'name = "{p.name}"\n'
        '# the version is the one in Cargo.toml\ndynamic = ["version"]\n'
        'requires-python = ">=3.9"\n'
        'classifiers = ["Programming Language :: Rust", "Programming Language :: Python :: 3"]\n'
    )
    if p.bindings is Binding.CFFI:
        text += f'dependencies = ["{CFFI_REQUIREMENT}"]\n'
    return text + '\n[project.optional-dependencies]\ntest = ["pytest"]\n'


def gitignore() -> str:
    return "/target\n/dist\n__pycache__/\n*.py[cod]\n*.so\n*.pyd\n.venv/\n"


_PYO3_LIB = """\
use pyo3::prelude::*;

/// The sum of two integers, computed in Rust.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {{
    a + b
}}

/// A greeting for `name`.
#[pyfunction]
fn greet(name: &str) -> String {{
    format!("Hello, {{name}}, from Rust!")
}}

/// The Rust half of the `{module}` package.
#[pymodule]
fn {module}(m: &Bound<'_, PyModule>) -> PyResult<()> {{
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    Ok(())
}}
"""

_CFFI_LIB = """\
//! Functions with a C ABI: pyo3-pack writes their C header with cbindgen, and cffi calls
//! them from Python as `{module}.lib.add(1, 2)`.

/// The sum of two integers, computed in Rust.
#[no_mangle]
pub extern "C" fn add(a: i64, b: i64) -> i64 {{
    a + b
}}
"""

_UNIFFI_LIB = """\
uniffi::setup_scaffolding!();

/// The sum of two integers, computed in Rust.
#[uniffi::export]
pub fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// A greeting for `name`.
#[uniffi::export]
pub fn greet(name: String) -> String {
    format!("Hello, {name}, from Rust!")
}
"""

_BIN_MAIN = """\
fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!("Hello, {name}, from Rust!");
}
"""


def rust_source(p: Project) -> tuple[str, str]:
    """(path, text) of the crate's root file."""
    if p.bindings is Binding.BIN:
        return "src/main.rs", _BIN_MAIN
    if p.bindings is Binding.UNIFFI:
        return "src/lib.rs", _UNIFFI_LIB
    template = _CFFI_LIB if p.bindings is Binding.CFFI else _PYO3_LIB
    return "src/lib.rs", template.format(module=p.module)


def package_init(p: Project) -> str:
    """`<module>/__init__.py` of a mixed project: Python code around the native module, which
    the build puts next to it as `<module>.<module>`."""
    if p.bindings is Binding.CFFI:
        imports, call = "from .{m} import ffi, lib", "lib.add(total, n)"
        names = '"ffi", "lib", "add_all"'
    else:
        imports, call = "from .{m} import add, greet", "add(total, n)"
        names = '"add", "add_all", "greet"'
    return (
        f'"""{p.name}: Python code around the Rust module `{p.module}.{p.module}`."""\n\n'
        f"{imports.format(m=p.module)}\n\n__all__ = [{names}]\n\n\n"
        "def add_all(*numbers: int) -> int:\n"
        '    """The sum of any count of integers: a Python loop over the Rust `add`."""\n'
        "    total = 0\n    for n in numbers:\n"
        f"        total = {call}\n    return total\n"
    )


def test_file(p: Project) -> str:
    """`tests/test_<module>.py`: run with `pytest` once the project is installed."""
    m = p.module
    if p.bindings is Binding.BIN:
        return (
            "import shutil\nimport subprocess\n\n\n"
            "def test_the_program_greets() -> None:\n"
            f'    program = shutil.which("{p.name}")\n'
            f'    assert program, "{p.name} is not installed on PATH"\n'
            '    result = subprocess.run([program, "Ada"], capture_output=True, text=True,\n'
            "                            check=True)\n"
            '    assert result.stdout.strip() == "Hello, Ada, from Rust!"\n'
        )
    add = f"{m}.lib.add(2, 40)" if p.bindings is Binding.CFFI else f"{m}.add(2, 40)"
    text = f"import {m}\n\n\ndef test_add() -> None:\n    assert {add} == 42\n"
    if p.bindings is not Binding.CFFI:
        text += ("\n\ndef test_greet() -> None:\n"
                 f'    assert {m}.greet("Ada") == "Hello, Ada, from Rust!"\n')
    if p.mixed:
        text += f"\n\ndef test_add_all() -> None:\n    assert {m}.add_all(1, 2, 3) == 6\n"
    return text


def files(p: Project, workflow: str) -> dict[str, str]:
    """Every file of the project, by path relative to its folder."""
    source, code = rust_source(p)
    out = {
        "Cargo.toml": cargo_toml(p),
        "pyproject.toml": pyproject_toml(p),
        ".gitignore": gitignore(),
        source: code,
        f"tests/test_{p.module}.py": test_file(p),
        ".github/workflows/CI.yml": workflow,
    }
    if p.mixed:
        out[f"{p.module}/__init__.py"] = package_init(p)
    return out
