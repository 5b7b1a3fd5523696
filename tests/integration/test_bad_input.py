"""Bad input that needs cargo: one clear line, a non-zero exit, nothing left behind."""

from __future__ import annotations

import os
from pathlib import Path

from tests.integration.conftest import copy_example, run_tool


def _last_line_is_one_error(stderr: str) -> str:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("pyo3-pack: error:")]
    assert len(errors) == 1, stderr
    assert stderr.rstrip().splitlines()[-1] == errors[0]
    return errors[0]


def test_compile_error_leaves_no_wheel(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("a + b", "a + undefined_name"))
    out = tmp_path / "out"
    result = run_tool("build", "-i", "3.11", "-o", out, cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "cargo failed to build `pyo3-pure`" in line
    assert "undefined_name" in result.stderr  # cargo's own diagnostic reached the user
    assert not out.exists() or list(out.iterdir()) == []


def test_no_interpreter_found(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    cargo_dir = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo")) / "bin"
    env = dict(os.environ, PATH=str(cargo_dir), PYENV_ROOT=str(tmp_path / "no-pyenv"))
    out = tmp_path / "out"
    result = run_tool("build", "-o", out, cwd=crate, env=env, check=False)
    assert result.returncode != 0
    assert "no Python interpreter found" in _last_line_is_one_error(result.stderr)
    assert not out.exists()


def test_missing_interpreter_name(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    result = run_tool("build", "-i", "python3.99", cwd=crate, check=False)
    assert result.returncode != 0
    assert "`python3.99` not found" in _last_line_is_one_error(result.stderr)


def test_lib_without_cdylib(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    manifest = crate / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace('crate-type = ["cdylib"]', ""))
    result = run_tool("build", cwd=crate, check=False)
    assert result.returncode != 0
    assert 'add `crate-type = ["cdylib"]` under [lib]' in _last_line_is_one_error(result.stderr)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_python_source_pointing_nowhere(tmp_path: Path) -> None:
    crate = copy_example("maturin-compat", tmp_path)
    pyproject = crate / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"python"', '"src/python"'))
    result = run_tool("build", "-i", "3.11", cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "`python-source` in [tool.maturin]" in line and "is `src/python`" in line
    assert "not a folder" in line


def test_conflicting_module_names(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    _write(crate / "pyproject.toml", '[tool.pyo3-pack]\nmodule-name = "other"\n')
    out = tmp_path / "out"
    result = run_tool("build", "-i", "3.11", "-o", out, cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "the module is named `other`" in line and "PyInit_pyo3_pure" in line
    assert not out.exists()


def test_invalid_project_field(tmp_path: Path) -> None:
    crate = copy_example("pyo3-mixed", tmp_path)
    pyproject = crate / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'requires-python = ">=3.9"', 'requires-python = "at least 3.9"'))
    result = run_tool("build", "-i", "3.11", cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "`requires-python` in the [project] table of" in line


def test_unknown_binding_name_in_pyproject(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    _write(crate / "pyproject.toml", '[tool.pyo3-pack]\nbindings = "pyo4"\n')
    result = run_tool("build", cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "unknown binding `pyo4`" in line and "pyo3" in line


def test_invalid_pyproject_toml(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    _write(crate / "pyproject.toml", "[tool.pyo3-pack\nbindings = 1\n")
    result = run_tool("build", cwd=crate, check=False)
    assert result.returncode != 0
    assert "is not valid TOML" in _last_line_is_one_error(result.stderr)


def test_unknown_tool_key_warns_with_suggestion(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    _write(crate / "pyproject.toml", '[tool.pyo3-pack]\nstirp = true\n')
    result = run_tool("build", "-o", tmp_path / "out", cwd=crate)
    assert "unknown key `stirp` in [tool.pyo3-pack]" in result.stderr
    assert "did you mean `strip`?" in result.stderr


def test_wrong_type_in_tool_table(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    _write(crate / "pyproject.toml", '[tool.pyo3-pack]\nstrip = "yes"\n')
    result = run_tool("build", cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "`strip` in [tool.pyo3-pack] of" in line and "must be a boolean" in line


def test_build_system_without_requires(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    _write(crate / "pyproject.toml",
           '[build-system]\nbuild-backend = "setuptools_pyo3pack.build_meta"\n')
    result = run_tool("build", cwd=crate, check=False)
    assert result.returncode != 0
    line = _last_line_is_one_error(result.stderr)
    assert "[build-system] in" in line and "has no `requires` list" in line
