"""Upload passwords and tokens never show in pyo3-pack's output, with or without -v, for every
way they can be given (flag, URL, environment, .pypirc, keyring) and every outcome: accepted,
rejected (403), echoed back by a registry's error page, a 5xx retried, connection refused,
a malformed URL, an interrupt.

Each run is a real `pyo3-pack upload` against a local pypiserver or a scripted HTTP server on
127.0.0.1; all of stdout and stderr is searched for the secret, its percent-encoded form and
the HTTP basic-auth header value that carries it.
"""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.integration.conftest import copy_example, run_tool
from tests.integration.registry import (
    PASSWORD,
    USERNAME,
    LocalRegistry,
    clean_env,
    free_port,
    pypiserver,
    scripted_server,
)

pytestmark = pytest.mark.integration
__all__ = ["pypiserver"]  # the fixture, imported for pytest

#: A wrong secret with the characters that break naive URL handling and quoting.
WRONG = "Wr0ng/p#ss?w:rd@x%20"
TOKEN = "pypi-AgEIcHlwaS5vcmcCJDEyMzQ1Njc4LTkwYWItY2RlZi0xMjM0LTU2Nzg5MGFiY2RlZg"
SECRETS = (PASSWORD, WRONG, TOKEN)
TIMEOUT = 120


def forms(secret: str) -> list[str]:
    """How a secret could show: as is, percent-encoded, inside a basic-auth header."""
    found = [secret, quote(secret, safe="")]
    for user in (USERNAME, "__token__"):
        found.append(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return found


def assert_no_secret(output: str) -> None:
    for secret in SECRETS:
        for form in forms(secret):
            assert form not in output, f"a secret ({form[:6]}...) leaked:\n{output}"


def upload(*args: str | Path, cwd: Path, env: dict[str, str],
           stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "setuptools_pyo3pack", "upload",
                             *map(str, args)], cwd=cwd, env=env, stdin=stdin,
                            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert_no_secret(result.stdout + result.stderr)
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("secret-wheel")
    out = work / "wheels"
    run_tool("build", "-i", sys.executable, "-o", out, cwd=copy_example("pyo3-pure", work))
    (built,) = out.glob("*.whl")
    return built


def pypirc(path: Path, url: str, password: str, username: str = USERNAME) -> Path:
    path.write_text("[distutils]\nindex-servers =\n    local\n\n"
                    f"[local]\nrepository = {url}\nusername = {username}\n"
                    f"password = {password}\n", encoding="utf-8")
    return path


def with_url_password(url: str, password: str, username: str = USERNAME) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{username}:{quote(password, safe='')}@{rest}"


@pytest.fixture
def fake_keyring(tmp_path: Path) -> Iterator[Path]:
    """A keyring backend module that answers every lookup with the file `secret`'s content."""
    folder = tmp_path / "fakering"
    folder.mkdir()
    (folder / "fakering.py").write_text(
        "import pathlib\nimport keyring.backend\n\n\n"
        "class Ring(keyring.backend.KeyringBackend):\n"
        "    priority = 1\n\n"
        "    def get_password(self, service, username):\n"
        f"        return pathlib.Path({str(folder / 'secret')!r}).read_text()\n\n"
        "    def set_password(self, service, username, password):\n"
        "        raise NotImplementedError\n\n"
        "    def delete_password(self, service, username):\n"
        "        raise NotImplementedError\n", encoding="utf-8")
    yield folder


def ways(registry_url: str, secret: str, tmp_path: Path) -> dict[str, tuple[list[str],
                                                                            dict[str, str]]]:
    """Every way to give `secret`: (extra arguments, extra environment)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    config = pypirc(tmp_path / "pypirc", registry_url, secret)
    return {
        "flag": (["-r", registry_url, "-u", USERNAME, "-p", secret], {}),
        "token-flag": (["-r", registry_url, "-u", "__token__", "--password", secret], {}),
        "url": (["-r", with_url_password(registry_url, secret)], {}),
        "PYO3_PACK_PASSWORD": (["-r", registry_url],
                               {"PYO3_PACK_USERNAME": USERNAME, "PYO3_PACK_PASSWORD": secret}),
        "PYO3_PACK_TOKEN": (["-r", registry_url], {"PYO3_PACK_TOKEN": secret}),
        "TWINE_PASSWORD": (["-r", registry_url],
                           {"TWINE_USERNAME": USERNAME, "TWINE_PASSWORD": secret}),
        "pypirc": (["--repository", "local", "--config-file", str(config)], {}),
    }


WAYS = ["flag", "token-flag", "url", "PYO3_PACK_PASSWORD", "PYO3_PACK_TOKEN",
        "TWINE_PASSWORD", "pypirc"]


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_accepted_and_rejected_uploads_never_show_the_secret(
        pypiserver: LocalRegistry, wheel: Path, tmp_path: Path, verbose: list[str]) -> None:
    env = clean_env(tmp_path)
    for way in WAYS:
        args, extra = ways(pypiserver.url, WRONG, tmp_path)[way]
        rejected = upload(*verbose, *args, wheel, cwd=tmp_path, env={**env, **extra})
        assert rejected.returncode == 1, (way, rejected.stderr)
        assert "rejected the credentials" in rejected.stderr, (way, rejected.stderr)
    for way in ("flag", "url", "PYO3_PACK_PASSWORD", "TWINE_PASSWORD", "pypirc"):
        args, extra = ways(pypiserver.url, PASSWORD, tmp_path)[way]
        accepted = upload(*verbose, "--skip-existing", *args, wheel, cwd=tmp_path,
                          env={**env, **extra})
        assert accepted.returncode == 0, (way, accepted.stderr)
    assert (pypiserver.packages / wheel.name).is_file()


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_a_registry_that_echoes_the_secret_is_redacted(wheel: Path, tmp_path: Path,
                                                       verbose: list[str]) -> None:
    """Error pages that quote the credentials (403, 400, 500 retried, a redirect)."""
    env = clean_env(tmp_path)
    for way in WAYS:
        script = [(500, f"internal error for {TOKEN}"), (403, f"bad password {TOKEN}!")]
        with scripted_server(script) as server:
            args, extra = ways(server.url, TOKEN, tmp_path)[way]
            result = upload(*verbose, *args, wheel, cwd=tmp_path, env={**env, **extra})
        assert result.returncode == 1, (way, result.stderr)
        assert "rejected the credentials" in result.stderr
        if verbose:
            assert "[redacted]" in result.stderr or "***" in result.stderr, result.stderr


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_connection_refused_never_shows_the_secret(wheel: Path, tmp_path: Path,
                                                   verbose: list[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}/"
    env = clean_env(tmp_path)
    for way in WAYS:
        args, extra = ways(url, WRONG, tmp_path)[way]
        result = upload(*verbose, "--retries", "1", *args, wheel, cwd=tmp_path,
                        env={**env, **extra})
        assert result.returncode == 1
        assert "Connection refused" in result.stderr, result.stderr


@pytest.mark.parametrize("url", [
    "ftp://{user}:{secret}@127.0.0.1/",            # not http(s)
    "http://{user}:{secret}@/",                     # no host
    "http://{user}:{secret}@127.0.0.1:notaport/",   # a bad port
])
@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_malformed_urls_with_a_secret_are_one_line(wheel: Path, tmp_path: Path, url: str,
                                                   verbose: list[str]) -> None:
    given = url.format(user=USERNAME, secret=quote(WRONG, safe=""), raw=WRONG)
    result = upload(*verbose, "-r", given, wheel, cwd=tmp_path, env=clean_env(tmp_path))
    assert result.returncode == 1
    # -v adds the error's traceback (masked like the rest: `upload` checked it)
    assert ("Traceback" in result.stderr) == bool(verbose), result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("pyo3-pack: error: ")]
    assert len(errors) == 1, result.stderr


def test_a_url_password_with_reserved_characters_is_still_a_password(wheel: Path,
                                                                      tmp_path: Path) -> None:
    """`/`, `#`, `?` and `@` not percent-encoded: before the fix the password became part of
    the host and path, and was printed in the "no credentials for <url>" error."""
    url = f"http://{USERNAME}:{WRONG}@127.0.0.1:{free_port()}/"
    result = upload("-v", "--retries", "0", "-r", url, wheel, cwd=tmp_path,
                    env=clean_env(tmp_path))
    assert result.returncode == 1
    assert "password from the repository URL" in result.stderr, result.stderr
    assert "Connection refused" in result.stderr


def test_a_malformed_pypirc_never_shows_its_password(wheel: Path, tmp_path: Path) -> None:
    config = tmp_path / "pypirc"
    config.write_text(f"[distutils]\nindex-servers = local\n[local]\npassword = {WRONG}\n"
                      f"  continued {WRONG}\nno section here {WRONG}\n[local]\n",
                      encoding="utf-8")
    result = upload("-v", "--repository", "local", "--config-file", config, wheel,
                    cwd=tmp_path, env=clean_env(tmp_path))
    assert result.returncode == 1
    assert "is not a valid .pypirc file" in result.stderr


def run_on_a_terminal(args: list[str | Path], cwd: Path, env: dict[str, str]
                      ) -> subprocess.CompletedProcess[str]:
    """An interactive session (stdin is a pseudo-terminal), so the keyring is asked."""
    primary, secondary = os.openpty()
    try:
        result = upload(*args, cwd=cwd, env=env, stdin=secondary)
    finally:
        os.close(primary)
        os.close(secondary)
    return result


@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["quiet", "verbose"])
def test_keyring_passwords_never_show(pypiserver: LocalRegistry, wheel: Path, tmp_path: Path,
                                      fake_keyring: Path, verbose: list[str]) -> None:
    env = clean_env(tmp_path, PYTHON_KEYRING_BACKEND="fakering.Ring",
                    PYTHONPATH=os.pathsep.join([str(fake_keyring),
                                                os.environ.get("PYTHONPATH", "")]))
    (fake_keyring / "secret").write_text(WRONG)
    rejected = run_on_a_terminal([*verbose, "-r", pypiserver.url, "-u", USERNAME, wheel],
                                 tmp_path, env)
    assert rejected.returncode == 1, rejected.stderr
    assert "rejected the credentials" in rejected.stderr
    if verbose:
        assert "password from keyring" in rejected.stderr
    (fake_keyring / "secret").write_text(PASSWORD)
    accepted = run_on_a_terminal([*verbose, "--skip-existing", "-r", pypiserver.url,
                                  "-u", USERNAME, wheel], tmp_path, env)
    assert accepted.returncode == 0, accepted.stderr
    with scripted_server([(403, f"no: {PASSWORD}")]) as server:
        echoed = run_on_a_terminal([*verbose, "-r", server.url, "-u", USERNAME, wheel],
                                   tmp_path, env)
    assert echoed.returncode == 1


def test_an_interrupted_upload_never_shows_the_secret(wheel: Path, tmp_path: Path) -> None:
    """SIGINT while the registry is slow to answer (five 503s, retried)."""
    with scripted_server([(503, TOKEN)] * 5) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "setuptools_pyo3pack", "upload", "-v", "--retry-delay", "1",
             "-r", server.url, "-u", "__token__", "-p", TOKEN, wheel],
            cwd=tmp_path, env=clean_env(tmp_path), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    assert_no_secret(stdout + stderr)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
