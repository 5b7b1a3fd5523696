"""Who uploads: the username and password for a registry, from the first source that has them.

Order: command line, the repository URL's own `user:password@`, environment, `.pypirc`, the
default username for the public index (`__token__`), keyring, and a prompt. Keyring and
prompt are only asked when the session is interactive, so CI never hangs on them.

The password is never part of a message, a repr or a log line: only the *source* it came from;
every password seen is registered with `_process.register_secret`, which masks it in all output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .. import _process
from ..errors import Pyo3PackError

#: The username that tells the public index (and most registries) the password is an API token.
TOKEN_USERNAME = "__token__"

#: Environment variables, in the order they are consulted.
#: maturin's names come second, so a maturin user's CI secrets work unchanged.
ENV_USERNAME = ("PYO3_PACK_USERNAME", "MATURIN_USERNAME", "TWINE_USERNAME")
ENV_PASSWORD = ("PYO3_PACK_PASSWORD", "PYO3_PACK_TOKEN", "MATURIN_PASSWORD",
                "MATURIN_PYPI_TOKEN", "TWINE_PASSWORD")
#: Passwords that are API tokens: their username is `__token__` unless one is given.
ENV_TOKENS = ("PYO3_PACK_TOKEN", "MATURIN_PYPI_TOKEN")
ENV_NON_INTERACTIVE = ("PYO3_PACK_NON_INTERACTIVE", "MATURIN_NON_INTERACTIVE",
                       "TWINE_NON_INTERACTIVE")

#: Asks a keyring: (service, username or None) -> (username, password), either may be None.
KeyringLookup = Callable[[str, "str | None"], "tuple[str | None, str | None]"]
#: Asks the user: (prompt text, secret) -> answer.
Prompt = Callable[[str, bool], str]


class CredentialsError(Pyo3PackError):
    """No usable username or password, and no way to ask for one."""


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    username_source: str = ""
    password_source: str = ""


@dataclass(frozen=True)
class CredentialSources:
    """Everything the credentials can come from, except the interactive ones."""

    cli_username: str | None = None
    cli_password: str | None = field(default=None, repr=False)
    url_username: str | None = None
    url_password: str | None = field(default=None, repr=False)
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    pypirc: Mapping[str, str | None] = field(default_factory=dict, repr=False)
    pypirc_name: str = ".pypirc"
    default_username: str | None = None


def _truthy(value: str | None) -> bool:
    return bool(value) and (value or "").strip().lower() not in {"0", "false", "no", "off"}


def is_interactive(env: Mapping[str, str], *, non_interactive: bool, stdin_is_tty: bool) -> bool:
    """Keyring and prompts only for a person at a terminal, never in CI or a pipe."""
    if non_interactive or not stdin_is_tty or _truthy(env.get("CI")):
        return False
    return not any(_truthy(env.get(name)) for name in ENV_NON_INTERACTIVE)


def _from_env(env: Mapping[str, str]) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(username, source) and (password, source) from the environment."""
    password = next(((env[n], n) for n in ENV_PASSWORD if env.get(n)), None)
    own = next(((env[n], n) for n in ENV_USERNAME[:-1] if env.get(n)), None)
    if own is not None:
        return own, password
    if password is not None and password[1] in ENV_TOKENS:
        return (TOKEN_USERNAME, password[1]), password
    if env.get("TWINE_USERNAME"):
        return (env["TWINE_USERNAME"], "TWINE_USERNAME"), password
    return None, password


def _static(sources: CredentialSources) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Candidate (value, source) pairs for username and password, best first."""
    env_username, env_password = _from_env(sources.env)
    usernames: list[tuple[str | None, str]] = [
        (sources.cli_username, "--username"),
        (sources.url_username, "the repository URL"),
        env_username or (None, ""),
        (sources.pypirc.get("username"), sources.pypirc_name),
        (sources.default_username, "the default for this registry"),
    ]
    passwords: list[tuple[str | None, str]] = [
        (sources.cli_password, "--password"),
        (sources.url_password, "the repository URL"),
        env_password or (None, ""),
        (sources.pypirc.get("password"), sources.pypirc_name),
    ]
    return ([(v, s) for v, s in usernames if v is not None],
            [(v, s) for v, s in passwords if v is not None])


def resolve(
    sources: CredentialSources,
    *,
    service: str,
    interactive: bool,
    keyring: KeyringLookup | None = None,
    prompt: Prompt | None = None,
) -> Credentials:
    """The first username and the first password found; ask only when `interactive`."""
    usernames, passwords = _static(sources)
    for value, _ in passwords:  # every password given, used or not, is masked in all output
        _process.register_secret(value)
    username = usernames[0] if usernames else None
    password = passwords[0] if passwords else None
    if password is None and interactive and keyring is not None:
        found_user, found_password = keyring(service, username[0] if username else None)
        if username is None and found_user:
            username = (found_user, "keyring")
        if found_password and username is not None:
            password = (found_password, "keyring")
    if interactive and prompt is not None:
        if username is None:
            username = (prompt(f"username for {service}: ", False), "prompt")
        if password is None:
            password = (prompt(f"password or token for {username[0]} at {service}: ", True),
                        "prompt")
    if password is not None:
        _process.register_secret(password[0])
    if username is None or password is None:
        missing = "a username and a password" if username is None else "a password"
        who = f" for user `{username[0]}`" if username is not None else ""
        raise CredentialsError(
            f"no credentials for {service}: {missing}{who} is needed and this session is "
            "non-interactive",
            hint="pass --username/--password, or set PYO3_PACK_TOKEN or "
            "PYO3_PACK_USERNAME/PYO3_PACK_PASSWORD",
        )
    return Credentials(username[0], password[0], username[1], password[1])


def keyring_lookup(service: str, username: str | None) -> tuple[str | None, str | None]:
    """Ask the system keyring, if one is installed; any keyring failure counts as "nothing"."""
    try:
        import keyring
    except ImportError:
        return None, None
    try:
        if username is not None:
            return username, keyring.get_password(service, username)
        credential = keyring.get_credential(service, None)
    except Exception:  # a broken keyring backend must not stop an upload
        return None, None
    if credential is None:
        return None, None
    return credential.username, credential.password


def terminal_prompt(text: str, secret: bool) -> str:
    import getpass
    import sys

    if secret:
        return getpass.getpass(f"pyo3-pack: {text}", stream=sys.stderr)
    print(f"pyo3-pack: {text}", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()
