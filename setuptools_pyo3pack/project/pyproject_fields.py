"""Each `[project]` field checked and converted to its Core Metadata form.

Every check raises a one-line ConfigError naming the file, the table and the key.
"""

from __future__ import annotations

import difflib
import email.errors
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.markers import Marker
from packaging.metadata import ExceptionGroup, Metadata
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version

from ..errors import ConfigError

TYPE_WORDS = {str: "a string", dict: "a table", list: "an array", bool: "a boolean",
               int: "an integer", float: "a float"}
_README_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".rst": "text/x-rst",
                 ".txt": "text/plain"}
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_DOTTED = r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*"
_REFERENCE = re.compile(rf"^\s*{_DOTTED}\s*(?::\s*{_DOTTED}\s*)?(?:\[[\w\s,.-]*\]\s*)?$")
_GROUP = re.compile(r"^\w+(?:[.-]\w+)*$")
_LICENSE_GLOB = re.compile(r"^[A-Za-z0-9._\-/*?\[\]]+$")
_AUTO_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


@dataclass(frozen=True)
class Context:
    root: Path
    pyproject: Path

    def error(self, key: str, what: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"`{key}` in the [project] table of {self.pyproject} {what}",
                           hint=hint)

    def read(self, key: str, relative: str) -> tuple[Path, str]:
        path = self.root / relative
        if not path.is_file():
            raise self.error(key, f"names {relative!r}, which is not a file in {self.root}",
                             hint="give a path relative to pyproject.toml")
        try:
            return path, path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise self.error(key, f"names {relative!r}, which is not UTF-8 text",
                             hint="save it as UTF-8") from None
        except OSError as exc:
            raise self.error(key, f"names {relative!r}, which cannot be read: "
                             f"{exc.strerror or exc}") from None




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
    _check_subkeys(value, ("file", "text", "content-type"), "readme", ctx)
    if ("file" in value) == ("text" in value):
        raise ctx.error("readme", "must have exactly one of `file` and `text`")
    content_type = value.get("content-type")
    if content_type is not None:
        _content_type(content_type, ctx)
    if "file" in value:
        relative = _string(value["file"], "readme.file", ctx)
        text = ctx.read("readme.file", relative)[1]
        return text, content_type or _guess_content_type(relative, ctx)
    text = _string(value["text"], "readme.text", ctx)
    if content_type is None:
        raise ctx.error("readme", "has `text` but no `content-type`",
                        hint='add content-type = "text/markdown" (or text/x-rst, text/plain)')
    return text, content_type


def _guess_content_type(relative: str, ctx: Context) -> str:
    content_type = _README_TYPES.get(Path(relative).suffix.lower())
    if content_type is None:
        raise ctx.error("readme", f"names {relative!r}, whose content type is unknown",
                        hint=f'write readme = {{file = "{relative}", content-type = '
                        '"text/markdown"}} (or text/x-rst, text/plain)')
    return content_type


def _content_type(value: Any, ctx: Context) -> str:
    content_type = _string(value, "readme.content-type", ctx)
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
    _check_subkeys(value, ("file", "text"), "license", ctx)
    if ("file" in value) == ("text" in value):
        raise ctx.error("license", "must have exactly one of `file` and `text`",
                        hint='or better, write license = "<SPDX expression>"')
    if "text" in value:
        return None, _string(value["text"], "license.text", ctx), None
    relative = _string(value["file"], "license.file", ctx)
    path, text = ctx.read("license.file", relative)
    return None, text, (_archive_name(path, ctx.root), path)


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
        _check_subkeys(person, ("name", "email"), where, ctx)
        name = _string(person.get("name", ""), f"{where}.name", ctx).strip()
        address = _string(person.get("email", ""), f"{where}.email", ctx).strip()
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
        url = _string(url, f"urls.{label}", ctx).strip()
        if not label.strip() or len(label) > 32 or "," in label:
            raise ctx.error(f"urls.{label}", "has a label that is empty, longer than 32 "
                            "characters or contains a comma", hint="use a short label")
        if not url:
            raise ctx.error(f"urls.{label}", "is empty")
        urls.append((label, url))
    return tuple(urls)


def _requirements(value: list[Any], key: str, ctx: Context) -> tuple[str, ...]:
    requirements = []
    for text in strings(value, key, ctx):
        try:
            requirements.append(str(Requirement(text)))
        except InvalidRequirement as exc:
            raise ctx.error(key, f"has {text!r}, which is not a PEP 508 requirement: "
                            f"{(str(exc).splitlines() or [''])[0]}") from None
    return tuple(requirements)


def dependencies(value: list[Any], ctx: Context) -> tuple[str, ...]:
    return _requirements(value, "dependencies", ctx)


def optional_dependencies(value: dict[str, Any], ctx: Context
                           ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    extras: dict[str, str] = {}
    requirements: list[str] = []
    for extra, items in value.items():
        key = f"optional-dependencies.{extra}"
        try:
            name = canonicalize_name(extra, validate=True)
        except InvalidName:
            raise ctx.error(key, f"uses {extra!r}, which is not a valid extra name",
                            hint="use letters, digits, `-`, `_` and `.`") from None
        if name in extras:
            raise ctx.error(key, f"is the same extra as `{extras[name]}` once normalised to "
                            f"{name!r}", hint="merge the two lists")
        extras[name] = extra
        for text in _requirements(_list(items, key, ctx), key, ctx):
            requirement = Requirement(text)
            condition = f'extra == "{name}"'
            if requirement.marker is not None:
                condition = f"({requirement.marker}) and {condition}"
            requirement.marker = Marker(condition)
            requirements.append(str(requirement))
    return tuple(extras), tuple(requirements)


def has_extra(requirement: str) -> bool:
    try:
        marker = Requirement(requirement).marker
    except InvalidRequirement:
        return False
    return marker is not None and "extra" in str(marker)


def _scripts(value: dict[str, Any], key: str, ctx: Context) -> dict[str, str]:
    scripts = _entries(value, key, ctx)
    for name, target in scripts.items():
        if ":" not in target:
            raise ctx.error(f"{key}.{name}", f"is {target!r}, which names no function",
                            hint='write it as "package.module:function"')
    return scripts


def console_scripts(value: dict[str, Any], ctx: Context) -> dict[str, str]:
    return _scripts(value, "scripts", ctx)


def gui_scripts(value: dict[str, Any], ctx: Context) -> dict[str, str]:
    return _scripts(value, "gui-scripts", ctx)


def entry_points(value: dict[str, Any], ctx: Context) -> dict[str, dict[str, str]]:
    groups = {}
    for group, entries in value.items():
        key = f"entry-points.{group}"
        if group in ("console_scripts", "gui_scripts"):
            table = "scripts" if group == "console_scripts" else "gui-scripts"
            raise ctx.error(key, "is not allowed (PEP 621)", hint=f"use [project.{table}]")
        if not _GROUP.match(group):
            raise ctx.error(key, f"uses {group!r}, which is not a valid entry-point group",
                            hint="use dotted words like myapp.plugins")
        if not isinstance(entries, dict):
            raise ctx.error(key, f"must be a table, not {type_word(entries)}")
        groups[group] = _entries(entries, key, ctx)
    return groups


def _entries(value: dict[str, Any], key: str, ctx: Context) -> dict[str, str]:
    entries = {}
    for name, target in value.items():
        where = f"{key}.{name}"
        target = _string(target, where, ctx)
        if not name.strip() or "=" in name or name.startswith("[") or "\n" in name:
            raise ctx.error(where, "has an invalid name", hint="use no `=`, `[` or newline")
        if not _REFERENCE.match(target):
            raise ctx.error(where, f"is {target!r}, which is not an object reference",
                            hint='write it as "package.module:object"')
        entries[name] = target.strip()
    return entries


def _check_subkeys(table: Mapping[str, Any], known: tuple[str, ...], key: str,
                   ctx: Context) -> None:
    for subkey in table:
        if subkey not in known:
            allowed = ", ".join(f"`{k}`" for k in known)
            raise ctx.error(f"{key}.{subkey}", "is not allowed", hint=f"use {allowed}")


def _string(value: Any, key: str, ctx: Context) -> str:
    if not isinstance(value, str):
        raise ctx.error(key, f"must be a string, not {type_word(value)}")
    return value


def _list(value: Any, key: str, ctx: Context) -> list[Any]:
    if not isinstance(value, list):
        raise ctx.error(key, f"must be an array of strings, not {type_word(value)}")
    return value


def strings(value: Any, key: str, ctx: Context) -> tuple[str, ...]:
    for item in _list(value, key, ctx):
        if not isinstance(item, str):
            raise ctx.error(key, f"must be an array of strings, but has {type_word(item)}")
    return tuple(value)


def type_word(value: Any) -> str:
    return TYPE_WORDS.get(type(value), type(value).__name__)


def one_line(text: str) -> str:
    return " ".join(text.split())

