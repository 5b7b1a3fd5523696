"""Binary crates, `develop` into a virtualenv, and the edit-develop-import loop."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.integration.conftest import copy_example, make_venv, pip_install, run_tool, venv_python


def test_bin_wheel_puts_the_command_on_path(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    out = tmp_path / "out"
    run_tool("build", "-o", out, cwd=crate)
    (wheel,) = out.glob("*.whl")
    assert re.fullmatch(r"hello_bin-0\.1\.0-py3-none-manylinux_2_\d+_x86_64\.whl", wheel.name)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.namelist() == [
            "hello_bin-0.1.0.data/scripts/hello-bin",
            "hello_bin-0.1.0.dist-info/METADATA",
            "hello_bin-0.1.0.dist-info/WHEEL",
            "hello_bin-0.1.0.dist-info/sboms/hello-bin.cyclonedx.json",
            "hello_bin-0.1.0.dist-info/RECORD",
        ]
        mode = archive.getinfo("hello_bin-0.1.0.data/scripts/hello-bin").external_attr >> 16
        assert mode & 0o777 == 0o755
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    pip_install(venv, wheel)
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["hello-bin", "pyo3"], env=env, capture_output=True, text=True,
                            check=True)
    assert result.stdout == "Hello, pyo3! (from a Rust binary)\n"


def _develop_env(venv: Path) -> dict[str, str]:
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def test_develop_picks_up_rust_edits(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    env = _develop_env(venv)
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(venv, "import pyo3_pure; print(pyo3_pure.add(1, 2))") == "3"

    lib = crate / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("a + b", "a + b + 100"))
    run_tool("develop", cwd=crate, env=env)
    assert venv_python(venv, "import pyo3_pure; print(pyo3_pure.add(1, 2))") == "103"
    # the second install replaced the first: one dist-info, no stray files
    site = Path(venv_python(venv, "import sysconfig; print(sysconfig.get_paths()['platlib'])"))
    assert sorted(p.name for p in site.iterdir() if "pyo3_pure" in p.name) == [
        "pyo3_pure", "pyo3_pure-2.1.0b1.dist-info"]


def test_develop_installs_a_binary_command(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    run_tool("develop", cwd=crate, env=_develop_env(venv))
    result = subprocess.run([venv / "bin" / "hello-bin"], capture_output=True, text=True,
                            check=True)
    assert result.stdout == "Hello, world! (from a Rust binary)\n"


def test_module_entry_point_matches_console_script(tmp_path: Path) -> None:
    module = run_tool("list-python", cwd=tmp_path)
    script = subprocess.run(
        [Path(sys.executable).parent / "pyo3-pack", "list-python"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )
    assert module.stdout == script.stdout
    first = module.stdout.splitlines()[0].split()
    assert first[0] in ("CPython", "PyPy") and first[1][0] == "3" and os.path.isabs(first[-1])


def test_default_output_folder_and_strip(tmp_path: Path) -> None:
    """Without -o wheels go to <cargo target dir>/wheels; --strip drops the symbol table."""
    crate = copy_example("hello-bin", tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CARGO_TARGET_DIR"}
    run_tool("build", cwd=crate, env=env)
    run_tool("build", "--strip", "-o", tmp_path / "stripped", cwd=crate, env=env)
    (plain,) = (crate / "target" / "wheels").glob("*.whl")
    (stripped,) = (tmp_path / "stripped").glob("*.whl")
    name = "hello_bin-0.1.0.data/scripts/hello-bin"
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(stripped) as b:
        assert b.getinfo(name).file_size < a.getinfo(name).file_size
        assert b".symtab" in a.read(name) and b".symtab" not in b.read(name)
