"""Core Metadata 2.4 (METADATA / PKG-INFO), WHEEL and entry_points.txt."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from ..config.tables import check_table, string_list
from ..errors import ConfigError
from .crate import PYO3_PACK_KEYS, Crate, python_version

#: Readme content types by suffix, with the parameters maturin writes.
README_TYPES = {".md": "text/markdown; charset=UTF-8; variant=GFM",
                ".markdown": "text/markdown; charset=UTF-8; variant=GFM",
                ".rst": "text/x-rst; charset=UTF-8", ".txt": "text/plain; charset=UTF-8"}
PLAIN_TEXT = "text/plain; charset=UTF-8"
#: Cargo's URL fields as Project-URL labels, in maturin's order.
_URL_LABELS = (("homepage", "Homepage"), ("documentation", "Documentation"),
               ("repository", "Source Code"))


@dataclass(frozen=True)
class CoreMetadata:
    """The fields of a METADATA file; multi-use fields are tuples."""

    name: str
    version: str
    summary: str | None = None
    description: str | None = None
    description_content_type: str | None = None
    keywords: tuple[str, ...] = ()
    home_page: str | None = None
    author: str | None = None
    author_email: str | None = None
    maintainer: str | None = None
    maintainer_email: str | None = None
    license_expression: str | None = None
    license: str | None = None
    license_files: tuple[str, ...] = ()
    classifiers: tuple[str, ...] = ()
    requires_dist: tuple[str, ...] = ()
    requires_python: str | None = None
    project_urls: tuple[tuple[str, str], ...] = ()
    provides_extra: tuple[str, ...] = ()

    def render(self) -> str:
        lines = ["Metadata-Version: 2.4", f"Name: {self.name}", f"Version: {self.version}"]

        def one(key: str, value: str | None) -> None:
            if value:
                # a newline would end the header block early; fold it as RFC 822 allows
                lines.append(f"{key}: " + "\n        ".join(value.splitlines()))

        def many(key: str, values: tuple[str, ...]) -> None:
            lines.extend(f"{key}: {value}" for value in values)

        one("Summary", " ".join(self.summary.split()) if self.summary else None)
        if self.keywords:
            one("Keywords", ",".join(self.keywords))
        one("Home-page", self.home_page)
        one("Author", self.author)
        one("Author-email", self.author_email)
        one("Maintainer", self.maintainer)
        one("Maintainer-email", self.maintainer_email)
        one("License-Expression", self.license_expression)
        one("License", self.license)
        many("License-File", self.license_files)
        many("Classifier", self.classifiers)
        many("Requires-Dist", self.requires_dist)
        one("Requires-Python", self.requires_python)
        many("Project-URL", tuple(f"{label}, {url}" for label, url in self.project_urls))
        many("Provides-Extra", self.provides_extra)
        one("Description-Content-Type", self.description_content_type)
        text = "\n".join(lines) + "\n"
        if self.description:
            text += "\n" + self.description
            if not self.description.endswith("\n"):
                text += "\n"
        return text


@dataclass(frozen=True)
class PackageMetadata:
    """METADATA plus what else the dist-info needs (entry points, license file sources)."""

    core: CoreMetadata
    console_scripts: Mapping[str, str] = field(default_factory=dict)
    license_sources: Mapping[str, Path] = field(default_factory=dict)
    """Archive name under `.dist-info/licenses/` -> file on disk."""
    warnings: tuple[str, ...] = ()
    gui_scripts: Mapping[str, str] = field(default_factory=dict)
    entry_points: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Other entry-point groups: group -> {name: object reference}."""

    def entry_points_text(self) -> str | None:
        return entry_points_text(self.console_scripts, self.gui_scripts, self.entry_points)


def cargo_people(people: list[str]) -> tuple[str | None, str | None, str | None]:
    """Cargo's `authors` as maturin writes them: all of them, joined, as Author, and the same
    text as Author-email when any of them has an address. The third value is a warning
    when that Author-email also holds entries without an address."""
    entries = [person.strip() for person in people if person.strip()]
    text = ", ".join(entries)
    if not text:
        return None, None, None
    if "@" not in text:
        return text, None, None
    bare = [entry for entry in entries if "@" not in entry]
    warning = (f"Author-email lists {', '.join(map(repr, bare))} without an email address, "
               "as maturin writes Cargo's authors") if bare else None
    return text, text, warning


def readme_content_type(path: Path) -> str:
    return README_TYPES.get(path.suffix.lower(), PLAIN_TEXT)


def spdx_expression(value: str | None) -> str | None:
    """A license text as a normalised SPDX expression (Cargo's old `MIT/Apache-2.0` too), or
    None when it is not one."""
    if not value:
        return None
    try:
        return str(canonicalize_license_expression(value.replace("/", " OR ")))
    except InvalidLicenseExpression:
        return None


def from_crate(crate: Crate) -> PackageMetadata:
    """Metadata from Cargo.toml alone (the foundation's zero-config case)."""
    package = crate.package
    where = f"[package.metadata.pyo3-pack] of {crate.manifest_path}"
    table = crate.pyo3_pack_table
    warnings = check_table(table, PYO3_PACK_KEYS, where)
    author, author_email, _ = cargo_people(list(package.authors))
    description, content_type = _readme(crate)
    urls = [(label, value) for key, label in _URL_LABELS if (value := getattr(package, key))]
    urls += [(str(k), str(v)) for k, v in (table.get("project-url") or {}).items()]
    license_sources = {}
    if package.license_file:
        license_path = crate.root / package.license_file
        if not license_path.is_file():
            raise ConfigError(f"`license-file` in {crate.manifest_path} names "
                              f"{license_path}, which is not a file",
                              hint="give a path relative to Cargo.toml, or add the file")
        license_sources[license_path.name] = license_path
    core = CoreMetadata(
        name=crate.name,
        version=python_version(crate),
        summary=package.description,
        description=description,
        description_content_type=content_type,
        keywords=package.keywords,
        home_page=package.homepage,
        author=author,
        author_email=author_email,
        maintainer=table.get("maintainer"),
        maintainer_email=table.get("maintainer-email"),
        license=package.license,
        license_files=tuple(f"{name}" for name in license_sources),
        classifiers=string_list(table.get("classifier", []), "classifier", where),
        requires_dist=string_list(table.get("requires-dist", []), "requires-dist", where),
        requires_python=table.get("requires-python"),
        project_urls=tuple(urls),
    )
    scripts = dict(table.get("scripts") or {})
    for name, target in scripts.items():
        if not isinstance(target, str) or ":" not in target:
            raise ConfigError(f"script `{name}` in {where} must be \"module.path:function\"")
    return PackageMetadata(core, scripts, license_sources, tuple(warnings))


def _readme(crate: Crate) -> tuple[str | None, str | None]:
    readme = crate.package.readme
    if not readme:
        return None, None
    path = crate.root / readme
    try:
        return path.read_text(encoding="utf-8"), readme_content_type(path)
    except FileNotFoundError:
        raise ConfigError(f"`readme` in {crate.manifest_path} names {readme!r}, which is not a "
                          f"file in {crate.root}",
                          hint="give a path relative to Cargo.toml, or add the file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the readme {path} named in {crate.manifest_path} is not UTF-8 text",
                          hint="save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read the readme {path} named in {crate.manifest_path}: "
                          f"{exc.strerror}", hint="check the file's permissions") from None


def entry_points_text(
    console: Mapping[str, str], gui: Mapping[str, str], other: Mapping[str, Mapping[str, str]]
) -> str | None:
    """entry_points.txt as maturin writes it: console_scripts, gui_scripts, then the other
    groups sorted, names sorted within a group, `name=object`, no blank lines."""
    groups = [("console_scripts", console), ("gui_scripts", gui), *sorted(
        (name, items) for name, items in other.items()
        if name not in ("console_scripts", "gui_scripts"))]
    sections = [
        f"[{group}]\n" + "".join(f"{name}={target}\n" for name, target in sorted(items.items()))
        for group, items in groups
        if items
    ]
    return "".join(sections) or None
