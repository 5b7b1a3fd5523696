"""cffi crates on a machine without cbindgen: pyo3-pack installs it once, offline it says how."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

from setuptools_pyo3pack.compile import tools
from tests.conftest import TEST_TOOLS
from tests.integration.conftest import copy_example, run_tool

PY = f"{sys.version_info[0]}.{sys.version_info[1]}"
INSTALLING = "cbindgen is not on PATH: installing cbindgen"


def path_without(program: str, shadows: Path) -> str:
    """PATH with `program` taken out: a folder holding it is replaced by a folder of links to
    everything else in it (cargo and cbindgen often share ~/.cargo/bin)."""
    entries = []
    for index, entry in enumerate(os.environ["PATH"].split(os.pathsep)):
        folder = Path(entry)
        if not (folder / program).exists():
            entries.append(entry)
            continue
        shadow = shadows / str(index)
        shadow.mkdir(parents=True)
        for item in folder.iterdir():
            if item.name != program:
                (shadow / item.name).symlink_to(item)
        entries.append(str(shadow))
    return os.pathsep.join(entries)


def no_cbindgen_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PATH=path_without("cbindgen", tmp_path / "path"), **extra)
    env.pop(tools.CBINDGEN.env_var, None)
    return env


def test_cffi_builds_without_cbindgen_installing_it_once(tmp_path: Path) -> None:
    crate = copy_example("cffi-pure", tmp_path)
    env = no_cbindgen_env(tmp_path)
    first = run_tool("build", "-i", PY, "-o", tmp_path / "one", cwd=crate, env=env)
    installed = tools.cached_program(tools.CBINDGEN, TEST_TOOLS)
    assert installed.is_file() and os.access(installed, os.X_OK)
    if INSTALLING in first.stderr:  # the session's first cffi build
        assert "pyo3-pack: cbindgen 0.29.4 installed in " in first.stderr
    again = run_tool("build", "-i", PY, "-o", tmp_path / "two", cwd=crate, env=env)
    assert INSTALLING not in again.stderr and "waiting for" not in again.stderr
    [wheel] = (tmp_path / "two").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:  # the header cbindgen wrote declares add()
        assert b"add" in archive.read("cffi_pure/ffi.py")


def test_pyo3_pack_cbindgen_names_the_users_own(tmp_path: Path) -> None:
    env = no_cbindgen_env(tmp_path)
    real = tools.cached_program(tools.CBINDGEN, TEST_TOOLS)
    if not real.is_file():
        run_tool("build", "-i", PY, "-o", tmp_path / "warm", cwd=copy_example("cffi-pure",
                 tmp_path / "warm"), env=env)
    log = tmp_path / "used.log"
    mine = tmp_path / "my-cbindgen"
    mine.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    mine.chmod(0o755)
    env[tools.CBINDGEN.env_var] = str(mine)
    run_tool("build", "-i", PY, "-o", tmp_path / "out", cwd=copy_example("cffi-mixed", tmp_path),
             env=env)
    assert "--lang c" in log.read_text()


def test_offline_without_cbindgen_is_one_line_naming_the_command(tmp_path: Path) -> None:
    """No network, an empty cargo home and tool cache: the build stops with one line."""
    crate = copy_example("cffi-pure", tmp_path)
    cache = tmp_path / "tools"
    env = no_cbindgen_env(tmp_path, CARGO_HOME=str(tmp_path / "cargo-home"),
                          CARGO_NET_OFFLINE="true", PYO3_PACK_TOOLS_DIR=str(cache))
    result = run_tool("build", "-i", PY, "-o", tmp_path / "out", cwd=crate, env=env, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("pyo3-pack: error:")]
    assert line.startswith("pyo3-pack: error: installing cbindgen 0.29.4 with cargo failed: ")
    assert "run `cargo install --locked --version 0.29.4 cbindgen`" in line
    assert "or set PYO3_PACK_CBINDGEN to a cbindgen you have" in line
    assert [p.name for p in cache.iterdir()] == [".cbindgen-0.29.4.lock"]  # nothing half-made
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
