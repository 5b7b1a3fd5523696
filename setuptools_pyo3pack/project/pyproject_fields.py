"""Each `[project]` field checked and converted to its Core Metadata form.

Every check raises a one-line ConfigError naming the file, the table and the key.
"""

from __future__ import annotations

import difflib
import email.errors
import importlib
import re
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.metadata import ExceptionGroup, Metadata
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version

from .field_checks import Context, check_subkeys, string, strings, type_word
from .metadata import PLAIN_TEXT, README_TYPES

_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_LICENSE_GLOB = re.compile(r"^[A-Za-z0-9._\-/*?\[\]]+$")
_AUTO_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


def name(value: str, ctx: Context) -> str:
    try:
        canonicalize_name(value, validate=True)
    except InvalidName:
        raise ctx.error("name", f"is {value!r}, which is not a valid project name",
                        hint="use letters, digits, `-`, `_` and `.`, starting and ending with a "
                        "letter or digit") from None
    if not _NAME.match(value):
        raise ctx.error("name", f"is {value!r}, which is not a valid project name")
    return value


def version(value: str, ctx: Context) -> str:
    try:
        return str(Version(value))
    except InvalidVersion:
        raise ctx.error("version", f"is {value!r}, which is not a PEP 440 version",
                        hint='use a version like "1.2.0" or "1.2.0rc1"') from None


def summary(value: str, ctx: Context) -> str:
    value = value.strip()
    if len(value.splitlines()) > 1:
        raise ctx.error("description", "must be a single line",
                        hint="put longer text in the readme")
    return value


def readme(value: str | dict[str, Any], ctx: Context) -> tuple[str, str]:
    if isinstance(value, str):
        return ctx.read("readme", value)[1], _guess_content_type(value, ctx)
    check_subkeys(value, ("file", "text", "content-type"), "readme", ctx)
    if ("file" in value) == ("text" in value):
        raise ctx.error("readme", "must have exactly one of `file` and `text`")
    content_type = value.get("content-type")
    if content_type is not None:
        _content_type(content_type, ctx)
    if "file" in value:
        relative = string(value["file"], "readme.file", ctx)
        text = ctx.read("readme.file", relative)[1]
        return text, content_type or _guess_content_type(relative, ctx)
    text = string(value["text"], "readme.text", ctx)
    if content_type is None:
        raise ctx.error("readme", "has `text` but no `content-type`",
                        hint='add content-type = "text/markdown" (or text/x-rst, text/plain)')
    return text, content_type


def _guess_content_type(relative: str, ctx: Context) -> str:
    """From the suffix, as maturin names the types; an unknown suffix is plain text (PEP 621
    asks for an error there; maturin builds it, so this warns)."""
    content_type = README_TYPES.get(Path(relative).suffix.lower())
    if content_type is None:
        ctx.warnings.append(
            f"`readme` in the [project] table of {ctx.pyproject} names {relative!r}, whose "
            f"content type PEP 621 does not define; written as {PLAIN_TEXT} as maturin does "
            f'(say it with readme = {{file = "{relative}", content-type = "text/plain"}})')
        return PLAIN_TEXT
    return content_type


def _content_type(value: Any, ctx: Context) -> str:
    content_type = string(value, "readme.content-type", ctx)
    raw = {"metadata_version": "2.4", "name": "x", "version": "0",
           "description_content_type": content_type}
    try:
        Metadata.from_raw(raw, validate=True)  # type: ignore[arg-type]
    except ExceptionGroup:
        raise ctx.error("readme.content-type", f"is {content_type!r}, which is not a readme "
                        "content type", hint="use text/markdown, text/x-rst or text/plain, "
                        "optionally with charset=UTF-8 or variant=GFM/CommonMark") from None
    return content_type


def requires_python(value: str, ctx: Context) -> str:
    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        raise ctx.error("requires-python", f"is {value!r}, which is not a version specifier",
                        hint='write it like ">=3.9"') from None
    return value.strip()


def license(value: str | dict[str, Any], ctx: Context
             ) -> tuple[str | None, str | None, tuple[str, Path] | None]:
    if isinstance(value, str):
        try:
            return str(canonicalize_license_expression(value)), None, None
        except InvalidLicenseExpression:
            raise ctx.error("license", f"is {value!r}, which is not a valid SPDX license "
                            "expression", hint='write it like "MIT OR Apache-2.0"; identifiers are '
                            "listed at https://spdx.org/licenses/") from None
    check_subkeys(value, ("file", "text"), "license", ctx)
    if ("file" in value) == ("text" in value):
        raise ctx.error("license", "must have exactly one of `file` and `text`",
                        hint='or better, write license = "<SPDX expression>"')
    if "text" in value:
        return None, string(value["text"], "license.text", ctx), None
    relative = string(value["file"], "license.file", ctx)
    path, _ = ctx.read("license.file", relative)
    ctx.warnings.append(
        f"`license.file` in the [project] table of {ctx.pyproject} names {relative!r}: "
        "written as a License-File (the file in .dist-info/licenses/) as maturin does, not as "
        'the License text PEP 639 asks for; write license = "<SPDX expression>" and '
        "license-files instead")
    return None, None, (_archive_name(path, ctx.root), path)


def _archive_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def license_files(value: list[Any], ctx: Context) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pattern in strings(value, "license-files", ctx):
        if (not _LICENSE_GLOB.match(pattern) or pattern.startswith("/")
                or ".." in pattern.split("/")):
            raise ctx.error("license-files", f"has {pattern!r}, which is not a valid pattern",
                            hint="use / separated paths relative to pyproject.toml with "
                            "letters, digits, `._-` and the wildcards * ** ? []")
        matches = sorted(p for p in ctx.root.glob(pattern) if p.is_file())
        if not matches:
            raise ctx.error("license-files", f"has {pattern!r}, which matches no file in "
                            f"{ctx.root}", hint="fix the pattern or remove it")
        for path in matches:
            name = path.relative_to(ctx.root).as_posix()
            ctx.read("license-files", name)
            found.setdefault(name, path)
    return found


def auto_license_files(root: Path) -> dict[str, Path]:
    paths = {p for pattern in _AUTO_LICENSE_GLOBS for p in root.glob(pattern) if p.is_file()}
    return {path.name: path for path in sorted(paths)}


def classifiers(value: list[Any], ctx: Context) -> tuple[str, ...]:
    classifiers = strings(value, "classifiers", ctx)
    known = _known_classifiers()
    if known is None:
        return classifiers
    for classifier in classifiers:
        if classifier not in known and not classifier.startswith("Private ::"):
            close = difflib.get_close_matches(classifier, sorted(known), n=1)
            raise ctx.error("classifiers", f"has {classifier!r}, which is not a known trove "
                            "classifier", hint=f"did you mean {close[0]!r}?" if close
                            else "see https://pypi.org/classifiers/")
    return classifiers


def _known_classifiers() -> frozenset[str] | None:
    """The trove-classifiers list when that package is installed (checked lazily)."""
    try:
        module = importlib.import_module("trove_classifiers")
    except ImportError:
        return None
    return frozenset(module.classifiers)


def no_license_classifiers(classifiers: tuple[str, ...], ctx: Context) -> None:
    for classifier in classifiers:
        if classifier.startswith("License ::"):
            raise ctx.error("classifiers", f"has {classifier!r} while `license` is an SPDX "
                            "expression (PEP 639)", hint="remove the License :: classifiers")


def _people(value: list[Any], key: str, ctx: Context) -> tuple[str | None, str | None]:
    names, emails = [], []
    for index, person in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(person, dict):
            raise ctx.error(where, f"must be a table like {{name = ..., email = ...}}, "
                            f"not {type_word(person)}")
        check_subkeys(person, ("name", "email"), where, ctx)
        name = string(person.get("name", ""), f"{where}.name", ctx).strip()
        address = string(person.get("email", ""), f"{where}.email", ctx).strip()
        if "," in name:
            raise ctx.error(f"{where}.name", "must not contain a comma",
                            hint="list each person as their own table")
        if not name and not address:
            raise ctx.error(where, "needs a `name` or an `email`")
        if not address:
            names.append(name)
            continue
        try:
            emails.append(str(Address(display_name=name, addr_spec=address)))
        except (ValueError, IndexError, email.errors.MessageError):
            raise ctx.error(f"{where}.email", f"is {address!r}, which is not an email address",
                            hint="write it like user@example.org") from None
    return ", ".join(names) or None, ", ".join(emails) or None


def authors(value: list[Any], ctx: Context) -> tuple[str | None, str | None]:
    return _people(value, "authors", ctx)


def maintainers(value: list[Any], ctx: Context) -> tuple[str | None, str | None]:
    return _people(value, "maintainers", ctx)


def keywords(value: list[Any], ctx: Context) -> tuple[str, ...]:
    keywords = strings(value, "keywords", ctx)
    for keyword in keywords:
        if "," in keyword:
            raise ctx.error("keywords", f"has {keyword!r}, which contains a comma",
                            hint="split it into separate keywords")
    return keywords


def urls(value: dict[str, Any], ctx: Context) -> tuple[tuple[str, str], ...]:
    urls = []
    for label, url in value.items():
        url = string(url, f"urls.{label}", ctx).strip()
        if not label.strip() or len(label) > 32 or "," in label:
            raise ctx.error(f"urls.{label}", "has a label that is empty, longer than 32 "
                            "characters or contains a comma", hint="use a short label")
        if not url:
            raise ctx.error(f"urls.{label}", "is empty")
        urls.append((label, url))
    return tuple(urls)


