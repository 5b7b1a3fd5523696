"""The `.dist-info` folder: METADATA, WHEEL, entry_points.txt, license files and SBOMs."""

from __future__ import annotations

from .._version import __version__
from ..errors import ConfigError
from ..fs import Member
from ..platforms.tags import WheelTag
from ..project import sbom
from ..project.project import Project

GENERATOR = f"setuptools-pyo3pack ({__version__})"


def wheel_file(tags: list[WheelTag]) -> str:
    """WHEEL: the format version, who wrote it, and one `Tag:` line per expanded tag."""
    lines = ["Wheel-Version: 1.0", f"Generator: {GENERATOR}", "Root-Is-Purelib: false"]
    for tag in tags:
        lines.extend(f"Tag: {t}" for t in tag.expanded())
    return "\n".join(lines) + "\n"


def dist_info_name(project: Project) -> str:
    return f"{project.dist_stem}.dist-info"


def metadata_members(project: Project) -> list[Member]:
    """METADATA, entry_points.txt and license files (names inside the .dist-info folder):
    the same for a wheel and for PEP 517's `prepare_metadata_*`, so both agree."""
    package_metadata = project.metadata
    members = [Member("METADATA", data=package_metadata.core.render())]
    entry_points = package_metadata.entry_points_text()
    if entry_points:
        members.append(Member("entry_points.txt", data=entry_points))
    members += [
        Member(f"licenses/{name}", source=source)
        for name, source in sorted(package_metadata.license_sources.items())
    ]
    return members


def sbom_members(project: Project) -> list[Member]:
    """`sboms/`: the CycloneDX SBOM of the Rust dependencies (unless `sbom.rust` is off) and
    the files `sbom.include` names (PEP 770)."""
    settings = project.settings.sbom
    members = []
    if settings.rust and project.crate.graph is not None:
        document = sbom.cyclonedx(project.crate, target=project.settings.cargo.target)
        members.append(Member(f"sboms/{sbom.sbom_filename(project.crate)}",
                              data=sbom.render(document)))
    root = project.layout.project_root
    for relative in settings.include:
        path = (root / relative).resolve()
        where = project.where("sbom.include")
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            raise ConfigError(f"{where} names {relative}, which is not a file inside {root}",
                              hint="give a path relative to the project folder")
        name = f"sboms/{path.name}"
        if any(m.archive_name == name for m in members):
            raise ConfigError(f"{where} names two SBOMs called {path.name}",
                              hint="rename one of them")
        members.append(Member(name, source=path))
    return members


def dist_info_members(project: Project, tags: list[WheelTag]) -> list[Member]:
    """Everything a wheel's .dist-info holds but RECORD, in the order they are written."""
    prefix = dist_info_name(project)
    metadata_file, *others = metadata_members(project)
    ordered = [metadata_file, Member("WHEEL", data=wheel_file(tags)), *others,
               *sbom_members(project)]
    return [Member(f"{prefix}/{m.archive_name}", m.source, m.data, m.executable) for m in ordered]
