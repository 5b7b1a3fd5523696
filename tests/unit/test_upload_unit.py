"""The pure parts of uploading: credentials, registry URLs, answers and messages, checks."""

from __future__ import annotations

import hashlib
import re
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.upload import checks as upload_checks
from setuptools_pyo3pack.upload import credentials, registry, upload
from setuptools_pyo3pack.upload.credentials import CredentialsError, CredentialSources
from setuptools_pyo3pack.upload.registry import UploadError
from setuptools_pyo3pack.wheel.writer import record_hash

SECRET = "pw-Zq81-secret"
LOCAL = "http://127.0.0.1:8080/"


# --- credentials -----------------------------------------------------------------------------

def _no_keyring(service: str, user: str | None) -> tuple[str | None, str | None]:
    raise AssertionError("the keyring must not be asked")


def _no_prompt(text: str, secret: bool) -> str:
    raise AssertionError("nobody must be prompted")


PYPIRC = {"username": "rc-user", "password": "rc-pw"}

PRECEDENCE = [
    # (sources, expected (username, password, username source, password source))
    (CredentialSources(cli_username="cli", cli_password="cli-pw", url_username="url",
                       url_password="url-pw", env={"PYO3_PACK_PASSWORD": "env-pw"},
                       pypirc=PYPIRC),
     ("cli", "cli-pw", "--username", "--password")),
    (CredentialSources(url_username="url", url_password="url-pw", pypirc=PYPIRC),
     ("url", "url-pw", "the repository URL", "the repository URL")),
    (CredentialSources(env={"PYO3_PACK_USERNAME": "env", "PYO3_PACK_PASSWORD": "env-pw",
                            "TWINE_USERNAME": "tw", "TWINE_PASSWORD": "tw-pw"}, pypirc=PYPIRC),
     ("env", "env-pw", "PYO3_PACK_USERNAME", "PYO3_PACK_PASSWORD")),
    (CredentialSources(env={"PYO3_PACK_TOKEN": "tok", "TWINE_USERNAME": "tw",
                            "TWINE_PASSWORD": "tw-pw"}),
     ("__token__", "tok", "PYO3_PACK_TOKEN", "PYO3_PACK_TOKEN")),
    # PYO3_PACK_PASSWORD wins over the token, so the username is not implied by the token.
    (CredentialSources(env={"PYO3_PACK_PASSWORD": "env-pw", "PYO3_PACK_TOKEN": "tok"},
                       pypirc={"username": "rc-user"}, pypirc_name="rc"),
     ("rc-user", "env-pw", "rc", "PYO3_PACK_PASSWORD")),
    (CredentialSources(env={"TWINE_USERNAME": "tw", "TWINE_PASSWORD": "tw-pw"}, pypirc=PYPIRC),
     ("tw", "tw-pw", "TWINE_USERNAME", "TWINE_PASSWORD")),
    (CredentialSources(pypirc=PYPIRC, pypirc_name="rc", default_username="__token__"),
     ("rc-user", "rc-pw", "rc", "rc")),
    (CredentialSources(cli_username="cli", pypirc=PYPIRC, pypirc_name="rc"),
     ("cli", "rc-pw", "--username", "rc")),
    (CredentialSources(cli_password="cli-pw", default_username="__token__"),
     ("__token__", "cli-pw", "the default for this registry", "--password")),
]

@pytest.mark.parametrize(("sources", "expected"), PRECEDENCE)
def test_credential_precedence(sources: CredentialSources,
                               expected: tuple[str, str, str, str]) -> None:
    found = credentials.resolve(sources, service=LOCAL, interactive=True, keyring=_no_keyring,
                                prompt=_no_prompt)
    assert (found.username, found.password, found.username_source,
            found.password_source) == expected


def test_keyring_then_prompt_only_when_interactive() -> None:
    asked: list[str] = []

    def keyring(service: str, user: str | None) -> tuple[str | None, str | None]:
        asked.append(f"keyring {service} {user}")
        return user, None

    def prompt(text: str, secret: bool) -> str:
        asked.append(f"prompt {secret}")
        return "typed-user" if not secret else "typed-pw"

    found = credentials.resolve(CredentialSources(), service=LOCAL, interactive=True,
                                keyring=keyring, prompt=prompt)
    assert (found.username, found.password) == ("typed-user", "typed-pw")
    assert asked == [f"keyring {LOCAL} None", "prompt False", "prompt True"]

    from_keyring = credentials.resolve(
        CredentialSources(cli_username="me"), service=LOCAL, interactive=True,
        keyring=lambda service, user: (user, "kr-pw"), prompt=_no_prompt)
    assert (from_keyring.password, from_keyring.password_source) == ("kr-pw", "keyring")


@pytest.mark.parametrize(
    ("sources", "missing"),
    [
        (CredentialSources(), "a username and a password is needed"),
        (CredentialSources(default_username="__token__"),
         "a password for user `__token__` is needed"),
        (CredentialSources(cli_password=SECRET), "a username and a password is needed"),
    ],
)
def test_non_interactive_fails_at_once(sources: CredentialSources, missing: str) -> None:
    with pytest.raises(CredentialsError) as caught:
        credentials.resolve(sources, service=LOCAL, interactive=False, keyring=_no_keyring,
                            prompt=_no_prompt)
    message = str(caught.value)
    assert message.startswith(f"no credentials for {LOCAL}: {missing}")
    assert "PYO3_PACK_TOKEN" in message
    assert "\n" not in message
    assert SECRET not in message


@pytest.mark.parametrize(
    ("env", "flag", "tty", "expected"),
    [
        ({}, False, True, True),
        ({}, True, True, False),
        ({}, False, False, False),
        ({"CI": "1"}, False, True, False),
        ({"CI": "true"}, False, True, False),
        ({"CI": "0"}, False, True, True),
        ({"CI": ""}, False, True, True),
        ({"PYO3_PACK_NON_INTERACTIVE": "1"}, False, True, False),
        ({"TWINE_NON_INTERACTIVE": "yes"}, False, True, False),
        ({"TWINE_NON_INTERACTIVE": "false"}, False, True, True),
    ],
)
def test_is_interactive(env: dict[str, str], flag: bool, tty: bool, expected: bool) -> None:
    assert credentials.is_interactive(env, non_interactive=flag, stdin_is_tty=tty) is expected


def test_passwords_stay_out_of_reprs() -> None:
    assert SECRET not in repr(credentials.Credentials("u", SECRET))
    assert SECRET not in repr(CredentialSources(cli_password=SECRET, url_password=SECRET,
                                                env={"PYO3_PACK_PASSWORD": SECRET},
                                                pypirc={"password": SECRET}))
    assert SECRET not in repr(upload.UploadOptions(password=SECRET))
    assert SECRET not in repr(registry.Registry(LOCAL, LOCAL, url_password=SECRET,
                                                pypirc={"password": SECRET}))


# --- registry URLs -----------------------------------------------------------------------------

def test_simple_index_of_the_public_index_and_its_test_instance() -> None:
    from twine.repository import TEST_WAREHOUSE, WAREHOUSE_WEB
    from twine.utils import DEFAULT_REPOSITORY, TEST_REPOSITORY

    assert registry.default_upload_url() == DEFAULT_REPOSITORY
    assert registry.simple_index_url(DEFAULT_REPOSITORY) == f"{WAREHOUSE_WEB}simple/"
    assert registry.simple_index_url(TEST_REPOSITORY) == f"{TEST_WAREHOUSE}simple/"


@pytest.mark.parametrize(
    ("upload_url", "simple"),
    [
        (LOCAL, f"{LOCAL}simple/"),
        ("http://127.0.0.1:8080", f"{LOCAL}simple/"),
        ("https://upload.pkgs.invalid/legacy/", "https://pkgs.invalid/simple/"),
        ("https://pkgs.invalid/team/legacy", "https://pkgs.invalid/team/simple/"),
        ("https://pkgs.invalid/api/v4/projects/7/packages/pypi",
         "https://pkgs.invalid/api/v4/projects/7/packages/pypi/simple/"),
        ("https://pkgs.invalid/legacy-stuff/", "https://pkgs.invalid/legacy-stuff/simple/"),
    ],
)
def test_simple_index_url(upload_url: str, simple: str) -> None:
    assert registry.simple_index_url(upload_url) == simple


def test_project_page_uses_the_normalized_name() -> None:
    assert registry.project_page(f"{LOCAL}simple/", "Pyo3_Pure.x") == \
        f"{LOCAL}simple/pyo3-pure-x/"


def test_split_userinfo() -> None:
    assert registry.split_userinfo(f"http://me:{SECRET}@127.0.0.1:8080/x/") == (
        "http://127.0.0.1:8080/x/", "me", SECRET)
    assert registry.split_userinfo(LOCAL) == (LOCAL, None, None)


def test_file_names_from_a_simple_index_page() -> None:
    page = (
        '<html><body><h1>Links for hello-bin</h1>'
        '<a href="../../packages/hello_bin-0.1.0-py3-none-any.whl#sha256=ab">'
        "hello_bin-0.1.0-py3-none-any.whl</a><br>"
        '<a href="/files/hello%2Bbin-0.2.0.tar.gz" data-requires-python="&gt;=3.9">x</a>'
        "</body></html>"
    )
    names = registry.file_names(page)
    assert "hello_bin-0.1.0-py3-none-any.whl" in names
    assert "hello+bin-0.2.0.tar.gz" in names
    assert "hello_bin-0.1.0-py3-none-linux_x86_64.whl" not in names


# --- answers and messages ----------------------------------------------------------------------

BOTTLE_400 = """
<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>Error: 400 Bad Request</title>
<style type="text/css">html {background-color: #eee;}</style></head><body>
<h1>Error: 400 Bad Request</h1>
<p>Sorry, the requested URL <tt>&#039;http://127.0.0.1:8080/&#039;</tt>
   caused an error:</p>
<pre>Package &#039;x-1.0-py3-none-any.whl&#039; already exists!
  You may start server with `--overwrite` option.</pre></body></html>
"""


@pytest.mark.parametrize(
    ("status", "reason", "text", "expected"),
    [
        (409, "Conflict", "", True),
        (400, "File already exists. See the index's help page.", "", True),
        (400, "Bad Request", BOTTLE_400, True),
        (403, "Forbidden", "File already exists", True),
        (400, "Bad Request", "Invalid classifier", False),
        (403, "Forbidden", "", False),
        (200, "OK", "", False),
    ],
)
def test_already_exists_answers(status: int, reason: str, text: str, expected: bool) -> None:
    assert registry.is_already_exists(status, reason, text) is expected


@pytest.mark.parametrize(
    ("reason", "text", "said"),
    [
        ("Bad Request", BOTTLE_400, "Package 'x-1.0-py3-none-any.whl' already exists! You may "
         "start server with `--overwrite` option."),
        ("Invalid value for classifiers. Error: 'Nope' is not a valid choice.", "<html/>",
         "Invalid value for classifiers. Error: 'Nope' is not a valid choice."),
        ("Bad Request", "version: must be a valid PEP 440 version\n", "version: must be a valid "
         "PEP 440 version"),
        ("Forbidden", "", "Forbidden"),
        ("Bad Request", "x" * 500, "x" * registry.REASON_CHARS + "..."),
    ],
)
def test_server_reason(reason: str, text: str, said: str) -> None:
    assert registry.server_reason(reason, text) == said


@pytest.mark.parametrize(
    ("status", "reason", "location", "fragments"),
    [
        (401, "Unauthorized", None, ["rejected the credentials of user `me`", "HTTP 401",
                                     "check the username"]),
        (403, "Invalid or non-existent authentication information.", None,
         ["rejected the credentials of user `me`",
          "HTTP 403: Invalid or non-existent authentication information."]),
        (400, "Bad Request", None, [f"{LOCAL} rejected x-1.0-py3-none-any.whl: echo ********"]),
        (301, "Moved Permanently", f"https://me:{SECRET}@127.0.0.1:9/legacy/",
         ["redirected the upload (HTTP 301)", "use --repository-url https://127.0.0.1:9/legacy/"]),
        (308, "Permanent Redirect", None, ["redirected the upload (HTTP 308)"]),
        (405, "Method Not Allowed", None, ["not its simple index"]),
        (413, "Payload Too Large", None, ["answered HTTP 413 to the upload of x-1.0"]),
    ],
)
def test_failure_messages_never_contain_the_password(
    status: int, reason: str, location: str | None, fragments: list[str]
) -> None:
    message = registry.describe_failure(
        status, reason, f"echo {SECRET}", url=LOCAL, username="me",
        filename="x-1.0-py3-none-any.whl", location=location, secrets=(SECRET, None))
    for fragment in fragments:
        assert fragment in message
    assert SECRET not in message
    assert "\n" not in message
    assert message.startswith(LOCAL)


def test_reason_of_a_connection_error() -> None:
    import requests

    exc = requests.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: / "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: "
        "Failed to establish a new connection: [Errno 111] Connection refused'))")
    assert registry.reason_of(exc) == "Connection refused"
    assert registry.reason_of(requests.ReadTimeout("Read timed out. (read timeout=300)")) == \
        "timed out"


def test_summary() -> None:
    summary = upload.Summary(((Path("a"), upload.Outcome.UPLOADED),
                              (Path("b"), upload.Outcome.FAILED),
                              (Path("c"), upload.Outcome.UPLOADED)))
    assert summary.render() == "2 uploaded, 0 skipped, 1 failed"


def test_missing_twine_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "twine.utils", None)
    with pytest.raises(UploadError) as caught:
        registry.default_upload_url()
    assert str(caught.value) == ("uploading needs twine, which is not installed "
                                 "(pip install 'setuptools-pyo3pack[publish]')")


# --- .pypirc -----------------------------------------------------------------------------------

def test_registry_from_pypirc(tmp_path: Path) -> None:
    rc = tmp_path / "pypirc"
    rc.write_text(f"[distutils]\nindex-servers = local\n[local]\nrepository = {LOCAL}\n"
                  f"username = me\npassword = {SECRET}\n", encoding="utf-8")
    named = registry.find(None, "local", rc, None)
    assert (named.url, named.simple_url, named.is_public_index) == (LOCAL, f"{LOCAL}simple/",
                                                                    False)
    assert named.pypirc["password"] == SECRET
    assert named.pypirc_name == f"{rc} [local]"
    by_url = registry.find("http://127.0.0.1:8080", None, rc, "http://127.0.0.1:1/idx/")
    assert by_url.pypirc["username"] == "me"
    assert by_url.simple_url == "http://127.0.0.1:1/idx/"
    public = registry.find(None, None, rc, None)
    assert public.is_public_index
    assert public.url == registry.default_upload_url()


@pytest.mark.parametrize(
    ("content", "repository", "message"),
    [
        (None, None, "cannot read {rc}: No such file or directory"),
        ("[distutils]\nindex-servers = a\n[a]\nrepository = " + LOCAL, "b",
         "no [b] section in {rc} (sections there: a, pypi; or pass --repository-url)"),
        ("[distutils]\nindex-servers = a\n[a]\nusername = x\n", "a",
         "[a] in {rc} has no `repository` URL"),
        (f"[distutils]\nindex-servers = a\n[a]\npassword {SECRET}\n", "a",
         "{rc} is not a valid .pypirc file"),
    ],
)
def test_pypirc_errors(tmp_path: Path, content: str | None, repository: str | None,
                       message: str) -> None:
    rc = tmp_path / "pypirc"
    if content is not None:
        rc.write_text(content, encoding="utf-8")
    with pytest.raises(UploadError) as caught:
        registry.find(None, repository, rc, None)
    assert str(caught.value).startswith(message.format(rc=rc))
    assert SECRET not in str(caught.value)


def test_a_url_that_is_not_a_registry() -> None:
    with pytest.raises(UploadError, match=re.escape("`ftp://127.0.0.1/` is not a registry URL")):
        registry.find("ftp://127.0.0.1/", None, None, None)


# --- checks ------------------------------------------------------------------------------------

def _wheel(where: Path, filename: str, metadata: str) -> Path:
    path = where / filename
    stem = "-".join(filename.split("-")[:2])
    members = {f"{stem}.dist-info/METADATA": metadata.encode(),
               f"{stem}.dist-info/WHEEL": b"Wheel-Version: 1.0\nTag: py3-none-any\n"}
    record = "".join(f"{name},{record_hash(hashlib.sha256(data).digest())},{len(data)}\n"
                     for name, data in members.items())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(f"{stem}.dist-info/RECORD", record + f"{stem}.dist-info/RECORD,,\n")
    return path


def test_check_refuses_a_wheel_whose_record_is_wrong(tmp_path: Path) -> None:
    path = _wheel(tmp_path, "good-1.0-py3-none-any.whl", GOOD)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("good/extra.py", "x = 1\n")  # added after the build: not in RECORD
    with pytest.raises(UploadError) as caught:
        upload_checks.check([path])
    assert ("good-1.0-py3-none-any.whl: good/extra.py is in the wheel but not in "
            "good-1.0.dist-info/RECORD") in str(caught.value)


GOOD = ("Metadata-Version: 2.1\nName: good\nVersion: 1.0\n"
        "Description-Content-Type: text/markdown\n\n# Good\n")


def test_check_accepts_good_files_and_warns(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    good = _wheel(tmp_path, "good-1.0-py3-none-any.whl", GOOD)
    bare = _wheel(tmp_path, "bare-1.0-py3-none-any.whl",
                  "Metadata-Version: 2.1\nName: bare\nVersion: 1.0\n")
    checked = upload_checks.check([good, bare])
    assert [c.path for c in checked] == [good, bare]
    assert "warning: bare-1.0-py3-none-any.whl: no long description" in capsys.readouterr().err
    with pytest.raises(UploadError, match=re.escape("bare-1.0-py3-none-any.whl: no long")):
        upload_checks.check([good, bare], strict=True)


@pytest.mark.parametrize(
    ("filename", "metadata", "problem"),
    [
        ("bad-1.0-py3-none-any.whl", "Metadata-Version: 2.1\nName: bad\n",
         "bad-1.0-py3-none-any.whl: "),
        ("other-1.0-py3-none-any.whl", GOOD,
         "the file name says other 1.0 but METADATA says good 1.0"),
        ("good-1.0-py3-none-any.whl",
         "Metadata-Version: 2.1\nName: good\nVersion: 1.0\n"
         "Description-Content-Type: text/x-rst\n\n`broken\n\n.. nope::\n",
         "the long description is not valid reStructuredText"),
        ("good-1.0-py3-none-any.whl", GOOD.replace("Version: 1.0", "Version: one"),
         "good-1.0-py3-none-any.whl: "),
    ],
)
def test_check_refuses_every_upload_when_one_file_is_bad(
    tmp_path: Path, filename: str, metadata: str, problem: str
) -> None:
    (tmp_path / "ok").mkdir()
    ok = _wheel(tmp_path / "ok", "good-1.0-py3-none-any.whl", GOOD)
    bad = _wheel(tmp_path, filename, metadata)
    with pytest.raises(UploadError) as caught:
        upload_checks.check([ok, bad, tmp_path / "missing-1.0.tar.gz"])
    message = str(caught.value)
    assert message.startswith("2 of 3 files failed the checks, nothing was uploaded: ")
    assert problem in message
    assert "missing-1.0.tar.gz: no such file" in message
    assert "\n" not in message


def test_check_names_unreadable_and_unknown_files(tmp_path: Path) -> None:
    garbage = tmp_path / "g-1.0-py3-none-any.whl"
    garbage.write_text("garbage", encoding="utf-8")
    unknown = tmp_path / "g-1.0.txt"
    unknown.write_text("", encoding="utf-8")
    with pytest.raises(UploadError) as caught:
        upload_checks.check([garbage, unknown])
    assert str(caught.value) == (
        "2 of 2 files failed the checks, nothing was uploaded: "
        "g-1.0-py3-none-any.whl: not a readable archive (File is not a zip file); "
        "g-1.0.txt: Unknown distribution format: 'g-1.0.txt' "
        "(fix these files or leave them out, and run again)"
    )


@pytest.mark.parametrize(("url", "name", "env", "expected"), [
    ("https://up.example/legacy/", None, {}, ("https://up.example/legacy/", None)),
    ("testing", None, {}, (None, "testing")),  # maturin's and twine's `-r NAME`
    ("https://up.example/legacy/", "local", {}, ("https://up.example/legacy/", "local")),
    (None, None, {"MATURIN_REPOSITORY": "staging"}, (None, "staging")),
    (None, None, {"TWINE_REPOSITORY_URL": "https://t.example/"}, ("https://t.example/", None)),
    (None, None, {"PYO3_PACK_REPOSITORY_URL": "https://a.example/",
                  "MATURIN_REPOSITORY_URL": "https://b.example/"}, ("https://a.example/", None)),
    ("https://flag.example/", None, {"MATURIN_REPOSITORY_URL": "https://b.example/"},
     ("https://flag.example/", None)),
])
def test_registry_choice_accepts_maturin_and_twine_spellings(
        url: str | None, name: str | None, env: dict[str, str],
        expected: tuple[str | None, str | None]) -> None:
    from setuptools_pyo3pack.frontends.upload_cli import _registry_choice

    assert _registry_choice(url, name, env) == expected


@pytest.mark.parametrize(("env", "username", "source"), [
    ({"MATURIN_PYPI_TOKEN": "pypi-abc"}, "__token__", "MATURIN_PYPI_TOKEN"),
    ({"MATURIN_PASSWORD": "pw", "MATURIN_USERNAME": "me"}, "me", "MATURIN_PASSWORD"),
    ({"PYO3_PACK_TOKEN": "t1", "MATURIN_PYPI_TOKEN": "t2"}, "__token__", "PYO3_PACK_TOKEN"),
    ({"TWINE_PASSWORD": "pw", "TWINE_USERNAME": "tw"}, "tw", "TWINE_PASSWORD"),
])
def test_maturin_credential_variables(env: dict[str, str], username: str, source: str) -> None:
    from setuptools_pyo3pack.upload.credentials import CredentialSources, resolve

    found = resolve(CredentialSources(env=env), service="x", interactive=False)
    assert (found.username, found.password_source) == (username, source)
    assert found.password == env[source]
