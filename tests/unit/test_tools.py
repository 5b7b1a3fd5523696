"""Tools installed with `cargo install` into the tool cache: order, once only, never half."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import tools
from setuptools_pyo3pack.errors import CommandError, ConfigError

TOOL = tools.CargoTool(crate="demo-tool", version="1.2.3", env_var="DEMO_TOOL",
                       purpose="the demo needs it")

#: A stand-in for `cargo install ... --root ROOT`: counts its runs, then writes ROOT/bin/demo-tool
FAKE_CARGO = """#!{python}
import os, sys, time
argv = sys.argv[1:]
with open(os.environ["FAKE_CARGO_LOG"], "a") as log:
    log.write(" ".join(argv) + "\\n")
time.sleep(float(os.environ.get("FAKE_CARGO_SLEEP", "0")))
if os.environ.get("FAKE_CARGO_FAIL"):
    sys.stderr.write("    Updating crates.io index\\nerror: failed to query replaced source "
                     "registry `crates-io`\\n\\nCaused by:\\n  Couldn't resolve host name\\n")
    sys.exit(101)
root = argv[argv.index("--root") + 1]
os.makedirs(os.path.join(root, "bin"))
with open(os.path.join(root, "bin", "demo-tool"), "w") as program:
    program.write("#!/bin/sh\\necho demo-tool 1.2.3\\n")
os.chmod(os.path.join(root, "bin", "demo-tool"), 0o755)
"""


@pytest.fixture
def cargo_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH holds only a fake cargo; the tool cache is a fresh folder."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    cargo = bin_dir / "cargo"
    cargo.write_text(FAKE_CARGO.format(python=sys.executable))
    cargo.chmod(0o755)
    log = tmp_path / "cargo.log"
    log.touch()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("FAKE_CARGO_LOG", str(log))
    monkeypatch.setenv(tools.TOOLS_DIR_VARIABLE, str(tmp_path / "tools"))
    monkeypatch.delenv(TOOL.env_var, raising=False)
    return log


def _runs(log: Path) -> list[str]:
    return log.read_text().splitlines()


def test_tools_dir_defaults_to_the_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(tools.TOOLS_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert tools.tools_dir() == Path("/somewhere/cache/setuptools-pyo3pack/tools")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/ada")
    assert tools.tools_dir() == Path("/home/ada/.cache/setuptools-pyo3pack/tools")
    monkeypatch.setenv(tools.TOOLS_DIR_VARIABLE, "/ci/tools")
    assert tools.tools_dir() == Path("/ci/tools")


def test_cbindgen_is_pinned_and_installed_locked() -> None:
    assert tools.CBINDGEN.program == "cbindgen"
    assert tools.CBINDGEN.install_argv(Path("/r")) == [
        "cargo", "install", "--locked", "--version", tools.CBINDGEN.version, "cbindgen",
        "--root", "/r",
    ]
    assert tools.cached_program(tools.CBINDGEN, Path("/c")) == Path(
        f"/c/cbindgen-{tools.CBINDGEN.version}/bin/cbindgen")
    assert tools.CBINDGEN.manual_install == (
        f"cargo install --locked --version {tools.CBINDGEN.version} cbindgen")


def test_a_program_from_a_crate_of_another_name() -> None:
    """uniffi's bindgen: one binary of the `uniffi` crate, pinned to the project's uniffi."""
    tool = tools.CargoTool(crate="uniffi", version="0.28.3", env_var="PYO3_PACK_UNIFFI_BINDGEN",
                           purpose="uniffi bindings need it", binary="uniffi-bindgen",
                           install_options=("--features", "cli", "--bin", "uniffi-bindgen"))
    assert tools.cached_program(tool, Path("/c")) == Path(
        "/c/uniffi-bindgen-0.28.3/bin/uniffi-bindgen")
    assert tool.manual_install == (
        "cargo install --locked --version 0.28.3 uniffi --features cli --bin uniffi-bindgen")
    assert tool.install_argv(Path("/r"))[-2:] == ["--root", "/r"]


def test_first_use_installs_once_and_later_uses_wait_for_nothing(
    cargo_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    program = tools.find(TOOL)
    assert program == tmp_path / "tools" / "demo-tool-1.2.3" / "bin" / "demo-tool"
    assert os.access(program, os.X_OK)
    [run] = _runs(cargo_log)
    assert run.startswith("install --locked --version 1.2.3 demo-tool --root ")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("pyo3-pack: demo-tool is not on PATH: installing demo-tool 1.2.3 "
                             f"into {tmp_path / 'tools' / 'demo-tool-1.2.3'}")
    assert err[1].startswith("pyo3-pack: demo-tool 1.2.3 installed in ")
    # nothing but the finished folder and the lock file is left in the cache
    assert sorted(p.name for p in (tmp_path / "tools").iterdir()) == [
        ".demo-tool-1.2.3.lock", "demo-tool-1.2.3"]

    started = time.perf_counter()
    assert tools.find(TOOL) == program
    assert time.perf_counter() - started < 0.05
    assert len(_runs(cargo_log)) == 1
    assert capsys.readouterr().err == ""


def test_concurrent_builds_install_once(
    cargo_log: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FAKE_CARGO_SLEEP", "0.5")
    found: list[Path] = []
    threads = [threading.Thread(target=lambda: found.append(tools.find(TOOL))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 3 and len(set(found)) == 1
    assert len(_runs(cargo_log)) == 1
    assert "waiting for another build that is installing demo-tool 1.2.3" in capsys.readouterr().err


def test_a_failed_install_is_one_line_and_leaves_nothing(
    cargo_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CARGO_FAIL", "1")
    with pytest.raises(CommandError) as error:
        tools.find(TOOL)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("installing demo-tool 1.2.3 with cargo failed: error: failed to "
                              "query replaced source registry `crates-io`")
    assert "Couldn't resolve host name" in message
    assert "run `cargo install --locked --version 1.2.3 demo-tool`" in message
    assert "or set DEMO_TOOL to a demo-tool you have" in message
    assert [p.name for p in (tmp_path / "tools").iterdir()] == [".demo-tool-1.2.3.lock"]
    # the next build tries again, and succeeds once cargo does
    monkeypatch.delenv("FAKE_CARGO_FAIL")
    assert tools.find(TOOL).is_file()
    assert len(_runs(cargo_log)) == 2


def test_leftovers_of_an_interrupted_install_are_replaced(cargo_log: Path, tmp_path: Path) -> None:
    cache = tmp_path / "tools"
    (cache / ".demo-tool-1.2.3.abcd.tmp" / "bin").mkdir(parents=True)
    (cache / "demo-tool-1.2.3" / "bin").mkdir(parents=True)  # a folder without its program
    program = tools.find(TOOL)
    assert program.is_file()
    assert sorted(p.name for p in cache.iterdir()) == [".demo-tool-1.2.3.lock", "demo-tool-1.2.3"]


def test_the_environment_variable_wins_over_path_and_cache(
    cargo_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine" / "demo-tool"
    mine.parent.mkdir()
    mine.write_text("#!/bin/sh\n")
    mine.chmod(0o755)
    on_path = tmp_path / "bin" / "demo-tool"
    on_path.write_text("#!/bin/sh\n")
    on_path.chmod(0o755)
    assert tools.find(TOOL) == on_path  # PATH before the cache, no install
    monkeypatch.setenv("DEMO_TOOL", str(mine))
    assert tools.find(TOOL) == mine
    assert _runs(cargo_log) == []


@pytest.mark.parametrize("value", ["/nonexistent/demo-tool", "no-such-tool-anywhere"])
def test_a_wrong_environment_variable_is_one_line(
    cargo_log: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DEMO_TOOL", value)
    with pytest.raises(ConfigError) as error:
        tools.find(TOOL)
    assert str(error.value) == (
        f"DEMO_TOOL={value} is not an executable program (point it at a demo-tool binary, or "
        "unset it and pyo3-pack installs demo-tool 1.2.3 itself)"
    )
    assert _runs(cargo_log) == []


def test_a_read_only_cache_says_what_to_set(
    cargo_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(tools.TOOLS_DIR_VARIABLE, str(blocker / "tools"))
    with pytest.raises(ConfigError, match=r"^cannot write to the tool folder .*/file/tools: .* \("
                       r"set PYO3_PACK_TOOLS_DIR to a writable folder, or DEMO_TOOL to a "
                       r"demo-tool binary\)$"):
        tools.find(TOOL)
