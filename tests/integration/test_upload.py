"""`pyo3-pack upload` and `publish` against a real pypiserver and scripted HTTP servers.

Every server listens on 127.0.0.1 only. Every CLI run is checked for leaked passwords.
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv, run_tool
from tests.integration.registry import (
    PASSWORD,
    USERNAME,
    LocalRegistry,
    clean_env,
    pypiserver,
    scripted_server,
)

pytestmark = pytest.mark.integration
__all__ = ["pypiserver"]  # the fixture, imported for pytest

WRONG_PASSWORD = "Wr0ng-Pw-kL4mQ2"
CLI_TIMEOUT = 300


def cli(*args: str | Path, cwd: Path, env: dict[str, str],
        timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run `pyo3-pack ARGS` with no terminal on stdin; fail if any password shows up."""
    result = subprocess.run(
        [sys.executable, "-m", "setuptools_pyo3pack", *map(str, args)],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=timeout, check=False,
    )
    output = result.stdout + result.stderr
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert secret not in output, f"a password leaked into the output:\n{output}"
    return result


def login(registry: LocalRegistry, password: str = PASSWORD) -> list[str]:
    return ["--repository-url", registry.url, "-u", registry.username, "-p", password]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A wheel of hello-bin and one of pyo3-pure for the running interpreter."""
    work = tmp_path_factory.mktemp("upload-wheels")
    out = work / "wheels"
    run_tool("build", "-o", out, cwd=copy_example("hello-bin", work))
    run_tool("build", "-i", sys.executable, "-o", out, cwd=copy_example("pyo3-pure", work))
    built = sorted(out.glob("*.whl"))
    assert len(built) == 2, built
    return built


def test_publish_then_install_from_the_registry(pypiserver: LocalRegistry,
                                                tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    hello = copy_example("hello-bin", tmp_path)
    result = cli("publish", *login(pypiserver), cwd=hello, env=env)
    assert result.returncode == 0, result.stderr
    assert "uploaded hello_bin-0.1.0-py3-none-" in result.stderr
    assert "uploaded hello_bin-0.1.0.tar.gz" in result.stderr  # publish sends the sdist too
    assert "2 uploaded, 0 skipped, 0 failed" in result.stderr

    pure = copy_example("pyo3-pure", tmp_path)
    result = cli("publish", "-i", sys.executable, "-o", tmp_path / "out", *login(pypiserver),
                 cwd=pure, env=env)
    assert result.returncode == 0, result.stderr
    assert "2 uploaded, 0 skipped, 0 failed" in result.stderr
    assert len(list((tmp_path / "out").glob("pyo3_pure-*.whl"))) == 1
    assert len(list((tmp_path / "out").glob("pyo3_pure-*.tar.gz"))) == 1

    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--no-cache-dir", "--pre", "--index-url", pypiserver.simple_url, "hello-bin",
         "pyo3-pure"],
        check=True, timeout=CLI_TIMEOUT, env=env,
    )
    hello_out = subprocess.run([venv / "bin" / "hello-bin", "registry"], capture_output=True,
                               text=True, check=True, timeout=30)
    assert hello_out.stdout == "Hello, registry! (from a Rust binary)\n"
    pure_out = subprocess.run([venv / "bin" / "python", "-c",
                               "import pyo3_pure; print(pyo3_pure.add(40, 2))"],
                              capture_output=True, text=True, check=True, timeout=30)
    assert pure_out.stdout == "42\n"


def test_wrong_password_is_a_clear_error(pypiserver: LocalRegistry, wheels: list[Path],
                                         tmp_path: Path) -> None:
    result = cli("upload", "-v", *login(pypiserver, WRONG_PASSWORD), *wheels, cwd=tmp_path,
                 env=clean_env(tmp_path))
    assert result.returncode != 0
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("pyo3-pack: error: ")
    assert f"{pypiserver.url} rejected the credentials of user `{USERNAME}`" in error
    assert "0 uploaded, 0 skipped, 2 failed" in result.stderr
    assert not list(pypiserver.packages.iterdir())


def test_reupload_fails_unless_skip_existing(pypiserver: LocalRegistry, wheels: list[Path],
                                             tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    first = cli("upload", *login(pypiserver), *wheels, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "2 uploaded, 0 skipped, 0 failed" in first.stderr
    for wheel in wheels:
        assert f"uploaded {wheel.name} (" in first.stderr

    again = cli("upload", *login(pypiserver), *wheels, cwd=tmp_path, env=env)
    assert again.returncode == 1
    assert "already has this file (pass --skip-existing to skip it)" in again.stderr
    assert "0 uploaded, 0 skipped, 2 failed" in again.stderr

    skipped = cli("upload", "--skip-existing", *login(pypiserver), *wheels, cwd=tmp_path, env=env)
    assert skipped.returncode == 0, skipped.stderr
    assert f"already on {pypiserver.simple_url}" in skipped.stderr
    assert "0 uploaded, 2 skipped, 0 failed" in skipped.stderr

    # An index that cannot tell: the registry's own "already exists" answer decides.
    blind = cli("upload", "--skip-existing", "--index-url", f"{pypiserver.url}nowhere/",
                *login(pypiserver), *wheels, cwd=tmp_path, env=env)
    assert blind.returncode == 0, blind.stderr
    assert "the registry already has it" in blind.stderr
    assert "0 uploaded, 2 skipped, 0 failed" in blind.stderr


def test_pypirc_named_repository(pypiserver: LocalRegistry, wheels: list[Path],
                                 tmp_path: Path) -> None:
    pypirc = tmp_path / "pypirc"
    pypirc.write_text(
        "[distutils]\nindex-servers =\n    local\n\n"
        f"[local]\nrepository = {pypiserver.url}\nusername = {USERNAME}\npassword = {PASSWORD}\n",
        encoding="utf-8",
    )
    env = clean_env(tmp_path)
    result = cli("upload", "--repository", "local", "--config-file", pypirc, wheels[0],
                 cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "1 uploaded" in result.stderr
    assert (pypiserver.packages / wheels[0].name).is_file()

    missing = cli("upload", "--repository", "elsewhere", "--config-file", pypirc, wheels[0],
                  cwd=tmp_path, env=env)
    assert missing.returncode == 1
    assert f"no [elsewhere] section in {pypirc}" in missing.stderr
    assert "sections there: local, pypi" in missing.stderr


def test_credentials_from_the_environment(pypiserver: LocalRegistry, wheels: list[Path],
                                          tmp_path: Path) -> None:
    env = clean_env(tmp_path, PYO3_PACK_USERNAME=USERNAME, PYO3_PACK_PASSWORD=PASSWORD)
    result = cli("upload", "-v", "-r", pypiserver.url, *wheels, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "password from PYO3_PACK_PASSWORD" in result.stderr
    assert "2 uploaded, 0 skipped, 0 failed" in result.stderr


def test_5xx_is_retried(wheels: list[Path], tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    with scripted_server([(503, ""), (503, "")]) as server:
        result = cli("upload", "-r", server.url, "-u", USERNAME, "-p", PASSWORD, wheels[0],
                     cwd=tmp_path, env=env, timeout=60)
        assert server.posts == 3
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("HTTP 503 Service Unavailable; retry") == 2
    assert f"uploaded {wheels[0].name}" in result.stderr
    assert "after 2 retries" in result.stderr
    assert "1 uploaded, 0 skipped, 0 failed" in result.stderr

    with scripted_server([(502, "")] * 10) as server:
        result = cli("upload", "-r", server.url, "-u", USERNAME, "-p", PASSWORD, "--retries", "2",
                     wheels[0], cwd=tmp_path, env=env, timeout=60)
        assert server.posts == 3
    assert result.returncode == 1
    assert "gave up after 2 retries" in result.stderr
    assert "0 uploaded, 0 skipped, 1 failed" in result.stderr


def test_connection_refused_is_retried_then_reported(wheels: list[Path], tmp_path: Path) -> None:
    with scripted_server([]) as server:
        url = server.url  # the port is free again once the server is gone
    result = cli("upload", "-r", url, "-u", USERNAME, "-p", PASSWORD, wheels[0], cwd=tmp_path,
                 env=clean_env(tmp_path), timeout=60)
    assert result.returncode == 1
    assert result.stderr.count("Connection refused; retry") == 3
    assert f"cannot reach {url}: Connection refused (gave up after 3 retries)" in result.stderr


def test_rejection_and_redirect_messages(wheels: list[Path], tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    with scripted_server([(400, f"Invalid classifier 'Nope' {PASSWORD}")]) as server:
        result = cli("upload", "-r", server.url, "-u", USERNAME, "-p", PASSWORD, wheels[0],
                     cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 1
    assert f"{server.url} rejected {wheels[0].name}: Invalid classifier 'Nope' ********" in (
        result.stderr)

    with scripted_server([(301, "")]) as server:
        result = cli("upload", "-r", server.url, "-u", USERNAME, "-p", PASSWORD, *wheels,
                     cwd=tmp_path, env=env, timeout=60)
        assert server.posts == 1  # the second file is not attempted
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert f"use --repository-url {server.url}legacy/" in error
    assert "0 uploaded, 0 skipped, 2 failed" in result.stderr


@pytest.mark.parametrize("ci", ["1", ""], ids=["CI=1", "stdin-not-a-tty"])
def test_non_interactive_without_credentials_fails_at_once(
    ci: str, pypiserver: LocalRegistry, wheels: list[Path], tmp_path: Path
) -> None:
    env = clean_env(tmp_path, CI=ci)
    started = time.monotonic()
    result = cli("upload", "-r", pypiserver.url, *wheels, cwd=tmp_path, env=env, timeout=10)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stderr.startswith(f"pyo3-pack: error: no credentials for {pypiserver.url}: "
                                    "a username and a password is needed")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(pypiserver.packages.iterdir())


def test_an_invalid_file_stops_every_upload(pypiserver: LocalRegistry, wheels: list[Path],
                                            tmp_path: Path) -> None:
    broken = tmp_path / "broken-1.0-py3-none-any.whl"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("broken-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: broken\n")
        archive.writestr("broken-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\n")
    result = cli("upload", *login(pypiserver), *wheels, broken, cwd=tmp_path,
                 env=clean_env(tmp_path))
    assert result.returncode == 1
    assert "1 of 3 files failed the checks, nothing was uploaded: broken-1.0-py3-none-any.whl:" \
        in result.stderr
    assert not list(pypiserver.packages.iterdir())
