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
