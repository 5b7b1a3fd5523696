"""Upload wheels and sdists to a registry: a thin adapter over twine.

twine parses each distribution's metadata and sends the upload form; this module adds what twine
lacks: checks of every file before the first byte goes out, a "skip existing" that works on any
registry (it reads the registry's simple index), retries with backoff, one progress line per
file, a summary, and one-line messages that never contain a password.

Flow: `prepare` (registry and credentials, from `registry` and `credentials`; fails fast) ->
`upload_checks.check` (all files; upload nothing if one is bad) -> `upload` (file by file).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from .. import _process
from ..fs import size_label
from . import credentials, registry
from .checks import Checked, check
from .credentials import Credentials, CredentialSources
from .registry import Registry, UploadError, describe_failure, is_already_exists, redact

if TYPE_CHECKING:
    import requests
    from twine.repository import Repository

#: Connect and read timeouts of every request, in seconds.
TIMEOUT = (15.0, 300.0)


@dataclass(frozen=True)
class UploadOptions:
    """Where and how `pyo3-pack upload` and `publish` upload."""

    repository_url: str | None = None
    """The registry's upload URL; default: the public index, or the `--repository` entry."""

    repository: str | None = None
    """A `[section]` of the `.pypirc` file naming the registry and its credentials."""

    config_file: Path | None = None
    """The `.pypirc` file; default: `~/.pypirc`."""

    index_url: str | None = None
    """The registry's simple index, for `skip_existing`; default: derived from the upload URL."""

    username: str | None = None
    """Username; default: environment, `.pypirc`, keyring, prompt (`__token__` on the index)."""

    password: str | None = field(default=None, repr=False)
    """Password or API token; default: environment, `.pypirc`, keyring, prompt."""

    non_interactive: bool = False
    """Never ask a keyring or prompt (also implied by CI=1 or a stdin that is not a terminal)."""

    skip_existing: bool = False
    """Skip files the registry already has instead of failing."""

    strict: bool = False
    """Treat check warnings (no long description) as errors."""

    retries: int = 3
    """How often a connection error or a 5xx answer is retried."""

    retry_delay: float = 1.0
    """Seconds before the first retry; each further retry waits twice as long."""

    verbose: bool = False
    """Log every request and the registry's answers."""


class Outcome(Enum):
    UPLOADED = "uploaded"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class Summary:
    outcomes: tuple[tuple[Path, Outcome], ...]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for _, o in self.outcomes if o is outcome)

    def render(self) -> str:
        return ", ".join(f"{self.count(o)} {o.value}" for o in Outcome)


@dataclass(frozen=True)
class Target:
    """A registry and the credentials to use there."""

    registry: Registry
    credentials: Credentials


def prepare(options: UploadOptions) -> Target:
    """Find the registry and its credentials; fails at once when nothing can be asked."""
    env = _process.environ()
    found = registry.find(options.repository_url, options.repository, options.config_file,
                          options.index_url)
    sources = CredentialSources(
        cli_username=options.username,
        cli_password=options.password,
        url_username=found.url_username,
        url_password=found.url_password,
        env=env,
        pypirc=found.pypirc,
        pypirc_name=found.pypirc_name,
        default_username=credentials.TOKEN_USERNAME if found.is_public_index else None,
    )
    interactive = credentials.is_interactive(
        env, non_interactive=options.non_interactive, stdin_is_tty=_stdin_is_tty())
    creds = credentials.resolve(
        sources,
        service=found.url,
        interactive=interactive,
        keyring=credentials.keyring_lookup if interactive else None,
        prompt=credentials.terminal_prompt if interactive else None,
    )
    if options.verbose:
        _process.log(f"registry {found.url} (simple index {found.simple_url}); user "
                     f"`{creds.username}` from {creds.username_source}, password from "
                     f"{creds.password_source}")
    return Target(found, creds)


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def upload(target: Target, checked: Sequence[Checked], options: UploadOptions) -> Summary:
    """Upload file by file; a progress line each, a summary at the end."""
    from twine.repository import Repository

    _quiet_twine()
    url = target.registry.url
    _process.log(f"uploading {len(checked)} file(s) to {url} as `{target.credentials.username}`")
    repository = Repository(url, target.credentials.username, target.credentials.password,
                            disable_progress_bar=True)
    _set_timeout(repository.session)
    outcomes: list[tuple[Path, Outcome]] = []
    fatal: UploadError | None = None
    try:
        for item in checked:
            if fatal is not None:
                _process.log(f"not attempted {item.path.name}")
                outcomes.append((item.path, Outcome.FAILED))
                continue
            try:
                outcome = _upload_one(repository, target, item, options)
            except UploadError as exc:
                _process.log(f"failed {item.path.name} ({size_label(item.path)}): {exc.message}")
                outcome, fatal = Outcome.FAILED, exc
            outcomes.append((item.path, outcome))
    finally:
        repository.close()
    summary = Summary(tuple(outcomes))
    _process.log(summary.render())
    if fatal is not None:
        raise fatal
    return summary


def _quiet_twine() -> None:
    """twine's own warnings and progress would repeat our lines; keep them out of stderr."""
    twine_logger = logging.getLogger("twine")
    if not any(isinstance(h, logging.NullHandler) for h in twine_logger.handlers):
        twine_logger.addHandler(logging.NullHandler())


def _set_timeout(session: requests.Session) -> None:
    """twine sets no timeout; a stalled registry must not hang the upload forever."""
    import functools

    setattr(session, "request", functools.partial(session.request, timeout=TIMEOUT))  # noqa: B010


def _upload_one(
    repository: Repository, target: Target, item: Checked, options: UploadOptions
) -> Outcome:
    name, size = item.path.name, size_label(item.path)
    if options.skip_existing and registry.has_file(target.registry, target.credentials,
                                                   item.package.safe_name, name,
                                                   verbose=options.verbose):
        _process.log(f"skipped {name} ({size}): already on {target.registry.simple_url}")
        return Outcome.SKIPPED
    response, retried = _post_with_retries(repository, target, item, options)
    if response is None:
        _process.log(f"failed {name} ({size}): {retried}")
        return Outcome.FAILED
    status, reason, text = response.status_code, response.reason or "", _text(response)
    secrets = (target.credentials.password,)
    if options.verbose:
        said = redact(registry.server_reason(reason, text), secrets)
        _process.log(f"POST {target.registry.url} -> {status} {reason}: {said}")
    if 200 <= status < 300:
        _process.log(f"uploaded {name} ({size}){retried}")
        return Outcome.UPLOADED
    if is_already_exists(status, reason, text):
        if options.skip_existing:
            _process.log(f"skipped {name} ({size}): the registry already has it")
            return Outcome.SKIPPED
        _process.log(f"failed {name} ({size}): {target.registry.url} already has this file "
                     "(pass --skip-existing to skip it)")
        return Outcome.FAILED
    message = describe_failure(status, reason, text, url=target.registry.url,
                               username=target.credentials.username, filename=name,
                               location=response.headers.get("Location"), secrets=secrets)
    if status in (401, 403) or 300 <= status < 400:
        raise UploadError(message)
    _process.log(f"failed {name} ({size}): {message}")
    return Outcome.FAILED


def _post_with_retries(
    repository: Repository, target: Target, item: Checked, options: UploadOptions
) -> tuple[requests.Response | None, str]:
    """The registry's final answer and a note on retries, or None and why there is none."""
    import requests

    problem = ""
    for attempt in range(max(0, options.retries) + 1):
        if attempt:
            delay = options.retry_delay * 2 ** (attempt - 1)
            _process.log(f"{item.path.name}: {problem}; retry {attempt} of {options.retries} "
                         f"in {delay:.1f} s")
            time.sleep(delay)
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # twine prints its own progress
                response = repository.upload(item.package, max_redirects=1)
        except (requests.ConnectionError, requests.Timeout) as exc:
            problem = f"cannot reach {target.registry.url}: {registry.reason_of(exc)}"
            continue
        if response.status_code < 500:
            return response, f" after {attempt} retries" if attempt else ""
        problem = f"HTTP {response.status_code} {response.reason or ''}".strip()
    return None, f"{problem} (gave up after {options.retries} retries)"


def _text(response: requests.Response) -> str:
    try:
        return response.text or ""
    except (UnicodeDecodeError, LookupError):
        return ""


def default_retry_delay() -> float:
    """`PYO3_PACK_UPLOAD_RETRY_DELAY` overrides the first retry's delay (tests set it to 0)."""
    value = os.environ.get("PYO3_PACK_UPLOAD_RETRY_DELAY", "")
    try:
        return max(0.0, float(value)) if value else 1.0
    except ValueError:
        return 1.0


def upload_files(paths: Sequence[Path], options: UploadOptions) -> Summary:
    """`pyo3-pack upload`: credentials first, then check everything, then upload."""
    target = prepare(options)
    return upload(target, check(paths, strict=options.strict), options)
