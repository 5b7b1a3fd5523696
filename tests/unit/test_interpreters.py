"""Finding interpreters on PATH and in pyenv, the probe cache, and `-i` resolution."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import interpreters
from setuptools_pyo3pack.compile.interpreters import ProbeCache
from setuptools_pyo3pack.errors import InterpreterError

from .helpers import make_interpreter


def _exe(path: Path, executable: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    path.chmod(0o755 if executable else 0o644)
    return path


@pytest.fixture
def fake_pyenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "pyenv"
    _exe(root / "versions" / "3.11.9" / "bin" / "python3.11")
    _exe(root / "versions" / "3.10.14" / "bin" / "python3.10")
    _exe(root / "versions" / "3.10.14" / "bin" / "python")  # not a python3.X name
    _exe(root / "shims" / "python3.12")
    _exe(root / "shims" / "python3.11")
    # pyenv-virtualenv links its environments into versions/: not separate interpreters
    (root / "versions" / "myenv").symlink_to(root / "versions" / "3.11.9")
    monkeypatch.setenv("PYENV_ROOT", str(root))
    return root


@pytest.fixture
def fake_path(tmp_path: Path, fake_pyenv: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    first, second = tmp_path / "usr-bin", tmp_path / "opt-bin"
    _exe(first / "python3.12")
    _exe(first / "python3.9")
    _exe(first / "python")  # no version in the name: skipped
    _exe(first / "python3")  # ambiguous: skipped
    _exe(first / "python3.12-config")
    _exe(first / "python3.8", executable=False)  # not executable: skipped
    _exe(second / "pypy3.10")
    _exe(second / "python3.13t")
    (second / "python3.11").symlink_to(fake_pyenv / "versions" / "3.11.9" / "bin" / "python3.11")
    folders = [first, fake_pyenv / "shims", second]
    monkeypatch.setenv("PATH", os.pathsep.join(str(f) for f in folders))
    return folders


def test_candidate_paths(fake_path: list[Path], fake_pyenv: Path) -> None:
    first, _, second = fake_path
    assert interpreters.candidate_paths() == [
        str(first / "python3.9"),
        str(first / "python3.12"),
        str(second / "pypy3.10"),
        # found on PATH through a link; the same file in pyenv is not listed again
        str(second / "python3.11"),
        str(second / "python3.13t"),
        str(fake_pyenv / "versions" / "3.10.14" / "bin" / "python3.10"),
    ]


def test_candidate_paths_with_explicit_search_path(tmp_path: Path, fake_path: list[Path]) -> None:
    first = fake_path[0]
    assert interpreters.candidate_paths(str(first)) == [
        str(first / "python3.9"),
        str(first / "python3.12"),
        str(tmp_path / "pyenv" / "versions" / "3.10.14" / "bin" / "python3.10"),
        str(tmp_path / "pyenv" / "versions" / "3.11.9" / "bin" / "python3.11"),
    ]


def test_candidate_paths_never_lists_pyenv_shims(fake_path: list[Path]) -> None:
    assert not [p for p in interpreters.candidate_paths() if "/shims/" in p]


def test_candidate_paths_without_pyenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    bin_dir = tmp_path / "bin"
    _exe(bin_dir / "python3.10")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{tmp_path / 'missing'}{os.pathsep}")
    assert interpreters.candidate_paths() == [str(bin_dir / "python3.10")]


def test_resolve_spec_finds_names_and_versions(fake_path: list[Path], fake_pyenv: Path) -> None:
    first, _, second = fake_path
    assert interpreters.resolve_spec("python3.12") == str(first / "python3.12")
    assert interpreters.resolve_spec("3.12") == str(first / "python3.12")
    assert interpreters.resolve_spec("3.13t") == str(second / "python3.13t")
    assert interpreters.resolve_spec("pypy3.10") == str(second / "pypy3.10")
    # only in pyenv's versions (its shim on PATH is skipped)
    expected = fake_pyenv / "versions" / "3.10.14" / "bin" / "python3.10"
    assert interpreters.resolve_spec("3.10") == str(expected)


def test_resolve_spec_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = _exe(tmp_path / "venv" / "bin" / "python")
    assert interpreters.resolve_spec(str(python)) == str(python)
    monkeypatch.chdir(tmp_path)
    assert interpreters.resolve_spec("./venv/bin/python") == str(python)


def test_resolve_spec_missing_path_is_one_line(tmp_path: Path) -> None:
    spec = str(tmp_path / "nonexistent" / "python")
    with pytest.raises(InterpreterError) as info:
        interpreters.resolve_spec(spec)
    assert str(info.value) == (f"interpreter `{spec}` does not exist "
                               "(pass the path of a python executable)")


def test_resolve_spec_missing_name_is_one_line(fake_path: list[Path]) -> None:
    with pytest.raises(InterpreterError) as info:
        interpreters.resolve_spec("python3.99")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("interpreter `python3.99` not found on PATH or in pyenv")
    with pytest.raises(InterpreterError, match=r"`3\.98` not found"):
        interpreters.resolve_spec("3.98")


def test_probe_of_running_interpreter() -> None:
    interpreter = interpreters.probe_one(sys.executable)
    assert interpreter.path == sys.executable
    assert interpreter.version == tuple(sys.version_info[:3])
    assert interpreter.implementation == sys.implementation.name
    assert interpreter.prefix == sys.prefix
    assert interpreter.paths["purelib"]
    import sysconfig

    assert interpreter.ext_suffix == sysconfig.get_config_var("EXT_SUFFIX")


def test_probe_of_something_that_is_not_python(tmp_path: Path) -> None:
    fake = _exe(tmp_path / "python3.7")
    with pytest.raises(InterpreterError) as info:
        interpreters.probe_one(str(fake))
    message = str(info.value)
    assert str(fake) in message and "failed to start" in message
    assert "\n" not in message


def test_probe_many_reports_failures_in_order(tmp_path: Path) -> None:
    fake = _exe(tmp_path / "python3.7")
    missing = str(tmp_path / "python3.6")
    results = interpreters.probe_many([str(fake), sys.executable, missing])
    assert isinstance(results[0], str) and "failed to start" in results[0]
    assert not isinstance(results[1], str) and results[1].path == sys.executable
    assert isinstance(results[2], str) and "cannot run it" in results[2]


def test_probe_cache_round_trip(tmp_path: Path, running_python_wrapper: Path) -> None:
    location = tmp_path / "cache" / "interpreters.json"
    cache = ProbeCache(location)
    (probed,) = interpreters.probe_many([str(running_python_wrapper)], cache)
    assert not isinstance(probed, str)
    assert location.is_file()
    reread = ProbeCache(location).get(str(running_python_wrapper))
    assert reread == probed
    assert reread.version == tuple(sys.version_info[:3])


def test_probe_cache_is_used_while_the_file_is_unchanged(
    tmp_path: Path, running_python_wrapper: Path
) -> None:
    location = tmp_path / "cache.json"
    (first,) = interpreters.probe_many([str(running_python_wrapper)], ProbeCache(location))
    assert not isinstance(first, str)
    # break the binary without changing its size, inode or mtime: only the cache can answer
    before = running_python_wrapper.stat()
    with open(running_python_wrapper, "r+b") as handle:
        handle.write(b"\0" * 64)  # no ELF header any more: it cannot run
    os.utime(running_python_wrapper, ns=(before.st_atime_ns, before.st_mtime_ns))
    (second,) = interpreters.probe_many([str(running_python_wrapper)], ProbeCache(location))
    assert second == first


def test_probe_cache_invalidated_when_mtime_changes(
    tmp_path: Path, running_python_wrapper: Path
) -> None:
    location = tmp_path / "cache.json"
    path = str(running_python_wrapper)
    interpreters.probe_many([path], ProbeCache(location))
    assert ProbeCache(location).get(path) is not None
    stat = running_python_wrapper.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert ProbeCache(location).get(path) is None


def test_probe_cache_ignores_a_corrupt_file(tmp_path: Path) -> None:
    location = tmp_path / "cache.json"
    location.write_text("{not json", encoding="utf-8")
    cache = ProbeCache(location)
    assert cache.get(sys.executable) is None
    assert cache.entries == {}


def test_probe_cache_entry_for_deleted_interpreter(
    tmp_path: Path, running_python_wrapper: Path
) -> None:
    location = tmp_path / "cache.json"
    interpreters.probe_many([str(running_python_wrapper)], ProbeCache(location))
    running_python_wrapper.unlink()
    assert ProbeCache(location).get(str(running_python_wrapper)) is None


def test_default_cache_lives_under_xdg_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert interpreters.cache_file().parent == tmp_path / "xdg" / "setuptools-pyo3pack"


def test_one_per_abi_keeps_first_of_each_abi() -> None:
    a = make_interpreter("cpython", (3, 12, 1))
    b = make_interpreter("cpython", (3, 12, 4))
    c = make_interpreter("cpython", (3, 13, 0), free_threaded=True, abiflags="t")
    d = make_interpreter("cpython", (3, 13, 0))
    e = make_interpreter("pypy", (3, 10, 14))
    assert interpreters.one_per_abi([a, b, c, d, e]) == [a, c, d, e]


def test_interpreter_names() -> None:
    assert make_interpreter("cpython", (3, 13, 1), free_threaded=True).pretty_name == (
        "CPython 3.13.1 (free-threaded)"
    )
    assert make_interpreter("pypy", (3, 10, 14)).pretty_name == "PyPy 3.10.14"
    assert make_interpreter("cpython", (3, 13, 1), free_threaded=True).abi_key == ("cpython-3.13t")


def test_launcher_scripts_are_probed_every_time(tmp_path: Path) -> None:
    """A shim answers for whichever version the environment selects: never cache it."""
    real = os.path.realpath(sys.executable)  # the interpreter binary, outside any venv
    shim = tmp_path / "python3"
    shim.write_text(f"#!/bin/sh\nexec {real} \"$@\"\n")
    shim.chmod(0o755)
    cache = interpreters.ProbeCache(tmp_path / "cache.json")
    (found,) = interpreters.probe_many([str(shim)], cache)
    assert not isinstance(found, str)
    assert cache.get(str(shim)) is None and str(shim) not in cache.entries
    # cargo is given the interpreter the script started, not the script
    assert found.build_executable == real
