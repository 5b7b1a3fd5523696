"""The pyproject.toml `[project]` table (PEP 621, PEP 639) as Core Metadata 2.4.

`apply_project_table` merges `[project]` over the metadata Cargo.toml gave (`from_crate`):

- A key given in `[project]` wins, after validation (PEP 508 names and requirements, PEP 440
  versions and specifiers, SPDX expressions, license-file globs, entry-point references).
- A key listed in `dynamic` keeps Cargo's value (description, readme, authors, license, ...).
- A key neither given nor dynamic is left empty, even when Cargo.toml has a value: PEP 621 says
  a backend must not fill in fields the table leaves out (maturin does the same).
- `version` is the lenient exception: when missing it comes from Cargo.toml, and if it is not
  listed in `dynamic` a warning asks to add it there.
- `license-files` absent: the legacy `license = {file = ...}`, else Cargo's `license-file` when
  `license` or `license-files` is dynamic, else `LICEN[CS]E*`, `COPYING*`, `NOTICE*` and
  `AUTHORS*` found next to pyproject.toml.

Errors are `ConfigError`s naming the file, `[project]` and the key. Nothing here runs a command;
only files the table names (readme, licenses) are read, relative to `root`.
"""

from __future__ import annotations

import difflib
import email.errors
import importlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.headerregistry import Address
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression
from packaging.markers import Marker
from packaging.metadata import ExceptionGroup, Metadata
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version

from .errors import ConfigError
from .metadata import PackageMetadata

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

T = TypeVar("T")

#: Every key of `[project]` and the TOML type it must have.
PROJECT_KEYS: dict[str, tuple[type, ...]] = {
    "name": (str,), "version": (str,), "description": (str,), "readme": (str, dict),
    "requires-python": (str,), "license": (str, dict), "license-files": (list,),
    "authors": (list,), "maintainers": (list,), "keywords": (list,), "classifiers": (list,),
    "urls": (dict,), "scripts": (dict,), "gui-scripts": (dict,), "entry-points": (dict,),
    "dependencies": (list,), "optional-dependencies": (dict,), "dynamic": (list,),
    "import-names": (list,), "import-namespaces": (list,),
}
_TYPE_WORDS = {str: "a string", dict: "a table", list: "an array", bool: "a boolean",
               int: "an integer", float: "a float"}
_README_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".rst": "text/x-rst",
                 ".txt": "text/plain"}
_NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_DOTTED = r"[^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*"
_REFERENCE = re.compile(rf"^\s*{_DOTTED}\s*(?::\s*{_DOTTED}\s*)?(?:\[[\w\s,.-]*\]\s*)?$")
_GROUP = re.compile(r"^\w+(?:[.-]\w+)*$")
_LICENSE_GLOB = re.compile(r"^[A-Za-z0-9._\-/*?\[\]]+$")
_AUTO_LICENSE_GLOBS = ("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*")


def load_pyproject(path: Path) -> dict[str, Any]:
    """Read a pyproject.toml; a syntax error becomes a one-line ConfigError with its line."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"pyproject.toml at {path} is not valid TOML: {_one_line(str(exc))}",
                          hint="fix the syntax at that line") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"pyproject.toml at {path} is not valid TOML: {exc}",
                          hint="save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read pyproject.toml at {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class _Context:
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


def apply_project_table(
    base: PackageMetadata, project: Mapping[str, Any], *, root: Path, pyproject: Path
) -> PackageMetadata:
    """Merge a `[project]` table over Cargo's metadata (see the module docstring for the rules).

    `root` is the folder holding pyproject.toml (readme, license paths and globs are relative to
    it); `pyproject` is only used to name the file in messages.
    """
    ctx = _Context(root, pyproject)
    if not isinstance(project, Mapping):
        raise ConfigError(f"[project] in {pyproject} must be a table, not {_type_word(project)}")
    _check_keys(project, ctx)
    merge = _Merge(project, _dynamic(project, ctx), ctx)
    core = base.core
    if "name" not in project:
        raise ctx.error("name", "is missing", hint=f'add name = "{core.name}"')
    license_expression, license_text, sources = _merge_license(merge, base)
    classifiers = merge.pick("classifiers", _classifiers, core.classifiers, ())
    if license_expression and "classifiers" in project:
        _no_license_classifiers(classifiers, ctx)
    requires_dist, provides_extra = _merge_requirements(merge, base)
    author, author_email = merge.pick("authors", _authors, (core.author, core.author_email),
                                      (None, None))
    maintainer, maintainer_email = merge.pick(
        "maintainers", _maintainers, (core.maintainer, core.maintainer_email), (None, None))
    description, content_type = merge.pick(
        "readme", _readme, (core.description, core.description_content_type), (None, None))
    new_core = replace(
        core,
        name=_name(project["name"], ctx),
        version=merge.pick("version", _version, core.version, core.version),
        summary=merge.pick("description", _summary, core.summary, None),
        description=description,
        description_content_type=content_type,
        keywords=merge.pick("keywords", _keywords, core.keywords, ()),
        author=author,
        author_email=author_email,
        maintainer=maintainer,
        maintainer_email=maintainer_email,
        license_expression=license_expression,
        license=license_text,
        license_files=tuple(sources),
        classifiers=classifiers,
        requires_dist=requires_dist,
        requires_python=merge.pick("requires-python", _requires_python, core.requires_python,
                                   None),
        project_urls=merge.pick("urls", _urls, core.project_urls, ()),
        provides_extra=provides_extra,
    )
    console, gui, entry_points = _merge_entry_points(merge, base)
    return replace(base, core=new_core, console_scripts=console, license_sources=sources,
                   warnings=base.warnings + _warnings(merge, core.version),
                   gui_scripts=gui, entry_points=entry_points)


@dataclass(frozen=True)
class _Merge:
    """The rule of the module docstring: given wins, dynamic keeps Cargo's, else empty."""

    project: Mapping[str, Any]
    dynamic: frozenset[str]
    ctx: _Context

    def pick(self, key: str, parse: Callable[[Any, _Context], T], cargo: T, empty: T) -> T:
        if key in self.project:
            return parse(self.project[key], self.ctx)
        return cargo if key in self.dynamic else empty


def _warnings(merge: _Merge, cargo_version: str) -> tuple[str, ...]:
    warnings = []
    where = f"the [project] table of {merge.ctx.pyproject}"
    if "version" not in merge.project and "version" not in merge.dynamic:
        warnings.append(f"{where} has no `version`, so Cargo's {cargo_version} is used; "
                        'add "version" to `dynamic` to say so')
    for key in ("import-names", "import-namespaces"):
        if key in merge.project:
            warnings.append(f"`{key}` in {where} needs Core Metadata 2.5 and is ignored")
    return tuple(warnings)


_LicenseFields = tuple[Optional[str], Optional[str], Optional[tuple[str, Path]]]


def _merge_license(merge: _Merge, base: PackageMetadata
                   ) -> tuple[str | None, str | None, dict[str, Path]]:
    cargo: _LicenseFields = (base.core.license_expression, base.core.license, None)
    expression, text, license_file = merge.pick("license", _license, cargo, (None, None, None))
    project, ctx = merge.project, merge.ctx
    if "license-files" in project:
        if isinstance(project.get("license"), dict):
            raise ctx.error("license-files", "cannot be used with the legacy `license` table",
                            hint='write license = "<SPDX expression>" instead')
        sources = _license_files(project["license-files"], ctx)
    elif license_file is not None:
        sources = dict([license_file])
    elif merge.dynamic & {"license", "license-files"} and base.license_sources:
        sources = dict(base.license_sources)
    else:
        sources = _auto_license_files(ctx.root)
    return expression, text, sources


def _merge_requirements(merge: _Merge, base: PackageMetadata
                        ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Requires-Dist (plain, then per extra) and Provides-Extra."""
    cargo = base.core.requires_dist
    plain = tuple(r for r in cargo if not _has_extra(r))
    with_extra = tuple(r for r in cargo if _has_extra(r))
    dependencies = merge.pick("dependencies", _dependencies, plain, ())
    extras, extra_requirements = merge.pick(
        "optional-dependencies", _optional_dependencies, (base.core.provides_extra, with_extra),
        ((), ()))
    return dependencies + extra_requirements, extras


def _merge_entry_points(merge: _Merge, base: PackageMetadata
                        ) -> tuple[dict[str, str], dict[str, str], dict[str, dict[str, str]]]:
    empty: dict[str, str] = {}
    console = merge.pick("scripts", _console_scripts, dict(base.console_scripts), empty)
    gui = merge.pick("gui-scripts", _gui_scripts, empty, empty)
    clash = sorted(set(console) & set(gui))
    if clash:
        raise merge.ctx.error(f"gui-scripts.{clash[0]}", "is also in [project.scripts]",
                              hint="give the two scripts different names")
    no_groups: dict[str, dict[str, str]] = {}
    return console, gui, merge.pick("entry-points", _entry_points, no_groups, no_groups)


def _check_keys(project: Mapping[str, Any], ctx: _Context) -> None:
    for key, value in project.items():
        expected = PROJECT_KEYS.get(key)
        if expected is None:
            close = difflib.get_close_matches(str(key), list(PROJECT_KEYS), n=1)
            raise ctx.error(key, "is not a [project] key (PEP 621)",
                            hint=f"did you mean `{close[0]}`?" if close
                            else "move tool settings to [tool.pyo3-pack]")
        if not isinstance(value, expected):
            words = " or ".join(_TYPE_WORDS[kind] for kind in expected)
            raise ctx.error(key, f"must be {words}, not {_type_word(value)}")


def _dynamic(project: Mapping[str, Any], ctx: _Context) -> frozenset[str]:
    names = _strings(project.get("dynamic", []), "dynamic", ctx)
    for name in names:
        if name == "name":
            raise ctx.error("dynamic", 'must not list "name"', hint="give name statically")
        if name not in PROJECT_KEYS or name == "dynamic":
            close = difflib.get_close_matches(name, list(PROJECT_KEYS), n=1)
            raise ctx.error("dynamic", f"lists {name!r}, which is not a [project] key",
                            hint=f"did you mean {close[0]!r}?" if close else None)
        if name in project:
            raise ctx.error("dynamic", f"lists {name!r}, which [project] also sets",
                            hint=f"remove {name!r} from `dynamic` or from [project]")
    return frozenset(names)


def _name(value: str, ctx: _Context) -> str:
    try:
        canonicalize_name(value, validate=True)
    except InvalidName:
        raise ctx.error("name", f"is {value!r}, which is not a valid project name",
                        hint="use letters, digits, `-`, `_` and `.`, starting and ending with a "
                        "letter or digit") from None
    if not _NAME.match(value):
        raise ctx.error("name", f"is {value!r}, which is not a valid project name")
    return value


def _version(value: str, ctx: _Context) -> str:
    try:
        return str(Version(value))
    except InvalidVersion:
        raise ctx.error("version", f"is {value!r}, which is not a PEP 440 version",
                        hint='use a version like "1.2.0" or "1.2.0rc1"') from None


def _summary(value: str, ctx: _Context) -> str:
    value = value.strip()
    if len(value.splitlines()) > 1:
        raise ctx.error("description", "must be a single line",
                        hint="put longer text in the readme")
    return value


def _readme(value: str | dict[str, Any], ctx: _Context) -> tuple[str, str]:
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


def _guess_content_type(relative: str, ctx: _Context) -> str:
    content_type = _README_TYPES.get(Path(relative).suffix.lower())
    if content_type is None:
        raise ctx.error("readme", f"names {relative!r}, whose content type is unknown",
                        hint=f'write readme = {{file = "{relative}", content-type = '
                        '"text/markdown"}} (or text/x-rst, text/plain)')
    return content_type


def _content_type(value: Any, ctx: _Context) -> str:
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


def _requires_python(value: str, ctx: _Context) -> str:
    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        raise ctx.error("requires-python", f"is {value!r}, which is not a version specifier",
                        hint='write it like ">=3.9"') from None
    return value.strip()


def _license(value: str | dict[str, Any], ctx: _Context
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


def _license_files(value: list[Any], ctx: _Context) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pattern in _strings(value, "license-files", ctx):
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


def _auto_license_files(root: Path) -> dict[str, Path]:
    paths = {p for pattern in _AUTO_LICENSE_GLOBS for p in root.glob(pattern) if p.is_file()}
    return {path.name: path for path in sorted(paths)}


def _classifiers(value: list[Any], ctx: _Context) -> tuple[str, ...]:
    classifiers = _strings(value, "classifiers", ctx)
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


def _no_license_classifiers(classifiers: tuple[str, ...], ctx: _Context) -> None:
    for classifier in classifiers:
        if classifier.startswith("License ::"):
            raise ctx.error("classifiers", f"has {classifier!r} while `license` is an SPDX "
                            "expression (PEP 639)", hint="remove the License :: classifiers")


def _people(value: list[Any], key: str, ctx: _Context) -> tuple[str | None, str | None]:
    names, emails = [], []
    for index, person in enumerate(value):
        where = f"{key}[{index}]"
        if not isinstance(person, dict):
            raise ctx.error(where, f"must be a table like {{name = ..., email = ...}}, "
                            f"not {_type_word(person)}")
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


def _authors(value: list[Any], ctx: _Context) -> tuple[str | None, str | None]:
    return _people(value, "authors", ctx)


def _maintainers(value: list[Any], ctx: _Context) -> tuple[str | None, str | None]:
    return _people(value, "maintainers", ctx)


def _keywords(value: list[Any], ctx: _Context) -> tuple[str, ...]:
    keywords = _strings(value, "keywords", ctx)
    for keyword in keywords:
        if "," in keyword:
            raise ctx.error("keywords", f"has {keyword!r}, which contains a comma",
                            hint="split it into separate keywords")
    return keywords


def _urls(value: dict[str, Any], ctx: _Context) -> tuple[tuple[str, str], ...]:
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


def _requirements(value: list[Any], key: str, ctx: _Context) -> tuple[str, ...]:
    requirements = []
    for text in _strings(value, key, ctx):
        try:
            requirements.append(str(Requirement(text)))
        except InvalidRequirement as exc:
            raise ctx.error(key, f"has {text!r}, which is not a PEP 508 requirement: "
                            f"{(str(exc).splitlines() or [''])[0]}") from None
    return tuple(requirements)


def _dependencies(value: list[Any], ctx: _Context) -> tuple[str, ...]:
    return _requirements(value, "dependencies", ctx)


def _optional_dependencies(value: dict[str, Any], ctx: _Context
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


def _has_extra(requirement: str) -> bool:
    try:
        marker = Requirement(requirement).marker
    except InvalidRequirement:
        return False
    return marker is not None and "extra" in str(marker)


def _scripts(value: dict[str, Any], key: str, ctx: _Context) -> dict[str, str]:
    scripts = _entries(value, key, ctx)
    for name, target in scripts.items():
        if ":" not in target:
            raise ctx.error(f"{key}.{name}", f"is {target!r}, which names no function",
                            hint='write it as "package.module:function"')
    return scripts


def _console_scripts(value: dict[str, Any], ctx: _Context) -> dict[str, str]:
    return _scripts(value, "scripts", ctx)


def _gui_scripts(value: dict[str, Any], ctx: _Context) -> dict[str, str]:
    return _scripts(value, "gui-scripts", ctx)


def _entry_points(value: dict[str, Any], ctx: _Context) -> dict[str, dict[str, str]]:
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
            raise ctx.error(key, f"must be a table, not {_type_word(entries)}")
        groups[group] = _entries(entries, key, ctx)
    return groups


def _entries(value: dict[str, Any], key: str, ctx: _Context) -> dict[str, str]:
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
                   ctx: _Context) -> None:
    for subkey in table:
        if subkey not in known:
            allowed = ", ".join(f"`{k}`" for k in known)
            raise ctx.error(f"{key}.{subkey}", "is not allowed", hint=f"use {allowed}")


def _string(value: Any, key: str, ctx: _Context) -> str:
    if not isinstance(value, str):
        raise ctx.error(key, f"must be a string, not {_type_word(value)}")
    return value


def _list(value: Any, key: str, ctx: _Context) -> list[Any]:
    if not isinstance(value, list):
        raise ctx.error(key, f"must be an array of strings, not {_type_word(value)}")
    return value


def _strings(value: Any, key: str, ctx: _Context) -> tuple[str, ...]:
    for item in _list(value, key, ctx):
        if not isinstance(item, str):
            raise ctx.error(key, f"must be an array of strings, but has {_type_word(item)}")
    return tuple(value)


def _type_word(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def _one_line(text: str) -> str:
    return " ".join(text.split())
