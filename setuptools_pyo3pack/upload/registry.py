"""What we know about registries: their URLs, `.pypirc`, simple indexes and their answers.

The public index's upload URL is twine's own default (imported lazily, never spelled here);
everything else is derived from the URL the user gives.
"""

from __future__ import annotations

import configparser
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

from .. import _process
from ..errors import Pyo3PackError

if TYPE_CHECKING:
    from .credentials import Credentials

#: Connect and read timeouts of the simple-index lookup, in seconds.
INDEX_TIMEOUT = (10.0, 30.0)
#: How much of a registry's reason text ends up in a message.
REASON_CHARS = 200
REDACTED = _process.REDACTED


class UploadError(Pyo3PackError):
    """A file is invalid, the registry refused it, or the registry cannot be reached."""


def twine_missing() -> UploadError:
    return UploadError("uploading needs twine, which is not installed",
                       hint="pip install 'setuptools-pyo3pack[publish]'")


@dataclass(frozen=True)
class Registry:
    url: str
    """Upload URL, without any `user:password@`."""

    simple_url: str
    """The registry's simple index (PEP 503), ending in `/`."""

    is_public_index: bool = False
    """The public index or its test instance: the username defaults to `__token__`."""

    pypirc: Mapping[str, str | None] = field(default_factory=dict, repr=False)
    """The `.pypirc` section that belongs to this registry (may hold credentials)."""

    pypirc_name: str = ".pypirc"
    """Where that section is, for messages: `~/.pypirc [name]`."""

    url_username: str | None = None
    url_password: str | None = field(default=None, repr=False)


def _twine_urls() -> tuple[str, str]:
    try:
        from twine.utils import DEFAULT_REPOSITORY, TEST_REPOSITORY
    except ImportError:
        raise twine_missing() from None
    return DEFAULT_REPOSITORY, TEST_REPOSITORY


def default_upload_url() -> str:
    """The public index's upload URL, as twine knows it."""
    return _twine_urls()[0]


def split_userinfo(url: str) -> tuple[str, str | None, str | None]:
    """`https://user:secret@host/x/` -> (`https://host/x/`, user, secret).

    Everything before the last `@` of the part after `scheme://` is the user information, so a
    password with `/`, `#` or `?` that is not percent-encoded is still taken as a password
    (and masked in all output) instead of becoming part of the host or the path.
    """
    scheme, separator, rest = url.partition("://")
    if not separator or "@" not in rest:
        return url, None, None
    userinfo, _, location = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    secret = unquote(password) if colon and password else None
    _process.register_secret(secret)
    _process.register_secret(password if colon else None)
    return f"{scheme}://{location}", unquote(user) or None, secret


def simple_index_url(upload_url: str) -> str:
    """Where a registry lists its files, derived from where it takes uploads.

    `.../legacy/` (the public index, its test instance, and registries that copy it) becomes
    `.../simple/`, dropping an `upload.` host prefix; any other URL (pypiserver at `/`, GitLab's
    `.../packages/pypi`) has its index at `<url>/simple/`.
    """
    parts = urlsplit(upload_url)
    path = parts.path.rstrip("/")
    host = parts.netloc
    if path.split("/")[-1] == "legacy":
        path = path[: -len("legacy")] + "simple"
        if host.startswith("upload."):
            host = host[len("upload."):]
    else:
        path += "/simple"
    return urlunsplit((parts.scheme, host, path + "/", "", ""))


def project_page(simple_url: str, name: str) -> str:
    from packaging.utils import canonicalize_name

    return f"{simple_url.rstrip('/')}/{canonicalize_name(name)}/"


def _read_pypirc(config_file: Path | None) -> dict[str, dict[str, str | None]]:
    from twine.exceptions import TwineException
    from twine.utils import DEFAULT_CONFIG_FILE, get_config

    path = str(config_file) if config_file is not None else DEFAULT_CONFIG_FILE
    try:
        return {name: dict(section) for name, section in get_config(path).items()}
    except OSError as exc:
        raise UploadError(f"cannot read {path}: {exc.strerror or exc}",
                          hint="pass an existing file to --config-file") from None
    except (configparser.Error, TwineException):
        # The parser's own message may quote a line of the file, and so a password.
        raise UploadError(f"{path} is not a valid .pypirc file",
                          hint="see the .pypirc specification of the packaging guide") from None


def _same_url(a: str | None, b: str) -> bool:
    return a is not None and a.rstrip("/") == b.rstrip("/")


def find(
    repository_url: str | None,
    repository: str | None,
    config_file: Path | None,
    index_url: str | None,
) -> Registry:
    """The registry from `--repository-url`, a `.pypirc` section, or the public index."""
    public = _twine_urls()
    sections = _read_pypirc(config_file)
    where = str(config_file) if config_file is not None else "~/.pypirc"
    name = repository
    if repository is not None and repository not in sections:
        raise UploadError(
            f"no [{repository}] section in {where}",
            hint=f"sections there: {', '.join(sorted(sections)) or 'none'}; "
            "or pass --repository-url",
        )
    if repository_url:
        url, user, password = split_userinfo(repository_url)
        if name is None:
            name = next((n for n, s in sections.items() if _same_url(s.get("repository"), url)),
                        None)
    else:
        name = name or "pypi"
        configured = sections.get(name, {}).get("repository")
        if not configured and repository is not None:
            raise UploadError(f"[{name}] in {where} has no `repository` URL",
                              hint="add `repository = <upload URL>` or pass --repository-url")
        url, user, password = split_userinfo(configured or public[0])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UploadError(f"`{url}` is not a registry URL",
                          hint="give an http:// or https:// URL with a host")
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise UploadError(f"`{url}` has a port that is not a number",
                          hint="give a URL like http://host:8080/") from None
    return Registry(
        url=url,
        simple_url=index_url or simple_index_url(url),
        is_public_index=any(_same_url(url, p) for p in public),
        pypirc=sections.get(name, {}) if name else {},
        pypirc_name=f"{where} [{name}]",
        url_username=user,
        url_password=password,
    )


class _Links(HTMLParser):
    """Collects file names from a simple index page: link targets and link texts."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._in_link = True
            href = dict(attrs).get("href") or ""
            self.names.add(unquote(href.split("#")[0].split("?")[0].rstrip("/").split("/")[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_data(self, data: str) -> None:
        if self._in_link and data.strip():
            self.names.add(data.strip())


def file_names(page: str) -> set[str]:
    parser = _Links()
    parser.feed(page)
    parser.close()
    return parser.names - {""}


def has_file(registry: Registry, credentials: Credentials, name: str, filename: str, *,
             verbose: bool = False) -> bool:
    """Whether the registry's simple index already lists `filename`; False when unsure."""
    import requests

    page = project_page(registry.simple_url, name)
    same_host = urlsplit(page).netloc == urlsplit(registry.url).netloc
    auth = (credentials.username, credentials.password) if same_host else None
    try:
        response = requests.get(page, auth=auth, timeout=INDEX_TIMEOUT,
                                headers={"Accept": "text/html"})
    except requests.RequestException as exc:
        _process.log(f"warning: cannot read {page} ({reason_of(exc)}); "
                     "relying on the registry's answer to the upload")
        return False
    if verbose:
        _process.log(f"GET {page} -> {response.status_code} {response.reason or ''}")
    if response.status_code == 404:
        return False
    if response.status_code != 200:
        _process.log(f"warning: {page} answered HTTP {response.status_code}; "
                     "relying on the registry's answer to the upload")
        return False
    return filename in file_names(response.text)


def is_already_exists(status: int, reason: str, text: str) -> bool:
    """The answers registries give for a file they already have."""
    if status == 409:
        return True
    return status in (400, 403) and "already exist" in f"{reason} {text}".lower()


def redact(text: str, secrets: Iterable[str | None]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


_STANDARD_PHRASES = {s.phrase.lower() for s in HTTPStatus}
_BOILERPLATE = re.compile(r"^(error:?\s*)?\d{3}\b|^sorry, the requested url|^none$", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"(?i)</?(?:p|div|pre|h[1-6]|br|li|tr|td|body|html|title|ul|ol)\b[^>]*>")


def server_reason(reason: str, text: str) -> str:
    """The registry's own words: a non-standard reason phrase, else the first block of the body.

    Error pages (bottle's, nginx's) put the status and "Sorry, the requested URL ..." first;
    those are skipped, so pypiserver's `Package '...' already exists!` comes through.
    """
    if reason and reason.strip().lower() not in _STANDARD_PHRASES:
        found = reason.strip()
    else:
        body = re.sub(r"(?is)<(style|script|head)\b.*?</\1>", " ", text)
        body = re.sub(r"<[^>]*>", "", _BLOCK_TAG.sub("\x00", body))
        blocks = (" ".join(html.unescape(block).split()) for block in body.split("\x00"))
        found = next((b for b in blocks if b and not _BOILERPLATE.search(b)), reason.strip())
    found = " ".join(found.split())
    return found[:REASON_CHARS] + ("..." if len(found) > REASON_CHARS else "")


def describe_failure(
    status: int,
    reason: str,
    text: str,
    *,
    url: str,
    username: str,
    filename: str,
    location: str | None = None,
    secrets: Iterable[str | None] = (),
) -> str:
    """One line for an upload the registry refused; never contains a secret."""
    # Only the registry's words and its Location can echo a secret; our own parts never do.
    secrets = tuple(secrets)
    said = redact(server_reason(reason, text), secrets)
    if 300 <= status < 400:
        target = redact(split_userinfo(location)[0], secrets) if location else None
        message = (f"{url} redirected the upload (HTTP {status}) to {target}; this is not the "
                   f"registry's upload URL (use --repository-url {target})" if target else
                   f"{url} redirected the upload (HTTP {status}); this is not the registry's "
                   "upload URL")
    elif status in (401, 403):
        detail = f": {said}" if said and said.lower() not in _STANDARD_PHRASES else f" {said}"
        message = (f"{url} rejected the credentials of user `{username}` (HTTP {status}"
                   f"{detail.rstrip()}); check the username and the password or API token")
    elif status == 400:
        message = f"{url} rejected {filename}: {said or 'HTTP 400'}"
    elif status in (404, 405):
        message = (f"{url} answered HTTP {status} {said}; is this the registry's upload URL "
                   "and not its simple index?")
    else:
        message = f"{url} answered HTTP {status} to the upload of {filename}: {said}"
    return message


def reason_of(exc: BaseException) -> str:
    """A short cause for a connection failure, instead of urllib3's nested repr."""
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if errno:
        return errno.group(1).strip()
    if "timed out" in text.lower():
        return "timed out"
    return type(exc).__name__
