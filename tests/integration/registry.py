"""Local registries for the upload tests: a real pypiserver and a scripted HTTP server.

Both listen on 127.0.0.1 on a free port and are stopped by their own process id or thread.
Nothing here ever talks to another host.
"""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

USERNAME = "uploader"
#: Distinctive, so a test can grep all output for it.
PASSWORD = "s3cret-Pw-7Hq9zX"
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LocalRegistry:
    url: str
    """Upload URL (pypiserver takes uploads at `/`)."""

    packages: Path
    username: str = USERNAME
    password: str = field(default=PASSWORD, repr=False)

    @property
    def simple_url(self) -> str:
        return f"{self.url}simple/"


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pypiserver exited with {process.returncode}: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"pypiserver did not answer {url} within {STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def running_pypiserver(root: Path) -> Iterator[LocalRegistry]:
    from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

    packages = root / "packages"
    packages.mkdir(parents=True)
    htpasswd = HtpasswdFile(str(root / "htpasswd"), new=True, default_scheme="apr_md5_crypt")
    htpasswd.set_password(USERNAME, PASSWORD)
    htpasswd.save()
    port = free_port()
    log = root / "pypiserver.log"
    argv = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port),
            "-P", str(root / "htpasswd"), "-a", "update", "--disable-fallback",
            "--health-endpoint", "/health", str(packages)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(argv, stdout=log_file, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/health", process, log)
            yield LocalRegistry(f"http://127.0.0.1:{port}/", packages)
        finally:
            _stop(process)


@pytest.fixture
def pypiserver(tmp_path: Path) -> Iterator[LocalRegistry]:
    """A fresh pypiserver with one user, for one test."""
    with running_pypiserver(tmp_path / "registry") as registry:
        yield registry


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Answers uploads with the next (status, body) of the server's script, then 200."""

    server: ScriptedServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        with self.server.lock:
            self.server.posts += 1
            status, text = self.server.script.pop(0) if self.server.script else (200, "OK")
        body = text.encode()
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", f"{self.server.url}legacy/")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class ScriptedServer(http.server.ThreadingHTTPServer):
    def __init__(self, script: list[tuple[int, str]]) -> None:
        super().__init__(("127.0.0.1", free_port()), _Scripted)
        self.script = list(script)
        self.posts = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextmanager
def scripted_server(script: list[tuple[int, str]]) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a CLI run: no real ~/.pypirc, no inherited credentials."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TWINE_", "PYO3_PACK_")) and k != "CI"}
    # Another HOME hides ~/.pypirc; cargo and rustup still need their own homes.
    env.setdefault("CARGO_HOME", str(Path.home() / ".cargo"))
    env.setdefault("RUSTUP_HOME", str(Path.home() / ".rustup"))
    env.update(HOME=str(home), PYO3_PACK_UPLOAD_RETRY_DELAY="0.05",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    env.update(extra)
    return env
