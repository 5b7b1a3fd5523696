"""A CycloneDX 1.5 SBOM of the crate's Rust dependency graph (PEP 770), in the shape
cargo-cyclonedx gives and maturin ships as `.dist-info/sboms/<crate>.cyclonedx.json`.

Pure: built from `cargo metadata` (packages and the resolved graph) and Cargo.lock's
checksums. Dependencies reached only through build-dependencies get scope `excluded` (they
run at build time and are not in the binary); dev-dependencies are left out. No random
serial number and no timestamp unless SOURCE_DATE_EPOCH sets one, so the same build gives
the same file.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from .._version import __version__
from .cargo_metadata import CargoMetadata, CargoPackage
from .crate import Crate

_LIBRARY_KINDS = {"lib", "rlib", "dylib", "cdylib", "staticlib", "proc-macro"}
_PERSON = re.compile(r"^\s*(?P<name>[^<]*?)\s*(?:<(?P<email>[^>]*)>)?\s*$")


def sbom_filename(crate: Crate) -> str:
    return f"{crate.name}.cyclonedx.json"


def lock_checksums(workspace_root: Path) -> dict[tuple[str, str, str], str]:
    """(name, version, source) -> the sha256 Cargo.lock records for registry packages."""
    lock = workspace_root / "Cargo.lock"
    if not lock.is_file():
        return {}
    from ..config.pyproject import load_toml

    data = load_toml(lock, "Cargo.lock")
    checksums: dict[tuple[str, str, str], str] = {}
    for package in data.get("package") or []:
        if isinstance(package, dict) and package.get("checksum"):
            key = (str(package.get("name")), str(package.get("version")),
                   str(package.get("source", "")))
            checksums[key] = str(package["checksum"])
    return checksums


def cyclonedx(crate: Crate, *, target: str | None = None,
              checksums: Mapping[tuple[str, str, str], str] | None = None) -> dict[str, Any]:
    """The SBOM document for `crate` (its graph as cargo metadata resolved it)."""
    graph = crate.graph
    assert graph is not None, "the crate was not read with cargo metadata"
    if checksums is None:
        checksums = lock_checksums(graph.workspace_root)
    root = crate.package
    required, excluded = _scopes(graph, root.id)
    ordered = sorted(required | excluded)  # by package id, as cargo-cyclonedx orders them
    components = [_component(graph.by_id(pid), root, checksums,
                             "required" if pid in required else "excluded") for pid in ordered]
    dependencies = [_dependency(graph, pid, root) for pid in sorted([root.id, *ordered])]
    root_component = _component(root, root, checksums, None)
    if not any(set(t.kinds) & _LIBRARY_KINDS for t in root.targets):
        root_component["type"] = "application"  # a crate of binaries only
    root_component["components"] = _targets(root)
    metadata: dict[str, Any] = {}
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        metadata["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))
    metadata["tools"] = [{"name": "setuptools-pyo3pack", "version": __version__}]
    authors = [_person(a) for a in root.authors]
    if authors:
        metadata["authors"] = authors
    metadata["component"] = root_component
    metadata["properties"] = [{"name": "cdx:rustc:sbom:target:triple", "value": target}
                              if target else
                              {"name": "cdx:rustc:sbom:target:all_targets", "value": "true"}]
    document: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1}
    body = {"metadata": metadata, "components": components, "dependencies": dependencies}
    digest = json.dumps(body, sort_keys=True).encode()
    document["serialNumber"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, digest.hex())}"
    document.update(body)
    return document


def render(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _scopes(graph: CargoMetadata, root_id: str) -> tuple[set[str], set[str]]:
    """Packages reachable through normal dependencies only, and the others reachable at all
    (through a build-dependency somewhere on every path)."""
    required: set[str] = set()
    stack = [root_id]
    while stack:
        node = graph.resolve.get(stack.pop())
        if node is None:
            continue
        for dep in node.dependencies:
            if dep not in node.build_only and dep not in required:
                required.add(dep)
                stack.append(dep)
    everything: set[str] = set()
    stack = [root_id]
    while stack:
        node = graph.resolve.get(stack.pop())
        for dep in node.dependencies if node else ():
            if dep not in everything:
                everything.add(dep)
                stack.append(dep)
    everything.discard(root_id)
    required.discard(root_id)
    return required, everything - required


def _component(package: CargoPackage, root: CargoPackage,
               checksums: Mapping[tuple[str, str, str], str], scope: str | None
               ) -> dict[str, Any]:
    component: dict[str, Any] = {"type": "library", "bom-ref": _ref(package.id, root)}
    if package.authors:
        component["author"] = ", ".join(package.authors)
    component["name"] = package.name
    component["version"] = package.version
    if package.description:
        component["description"] = package.description.replace("\n", " ")
    component["scope"] = scope or "required"
    checksum = checksums.get((package.name, package.version, package.source or ""))
    if checksum:
        component["hashes"] = [{"alg": "SHA-256", "content": checksum}]
    if package.license:
        component["licenses"] = [_license(package.license)]
    elif package.license_file:
        text = _license_text(package)
        if text is not None:
            component["licenses"] = [{"license": {"name": "Unknown", "text": {
                "encoding": "base64", "content": text}}}]
    component["purl"] = _purl(package, root)
    references = [(kind, url) for kind, url in (
        ("documentation", package.documentation), ("website", package.homepage),
        ("other", package.links), ("vcs", package.repository)) if url]
    if references:
        component["externalReferences"] = [{"type": kind, "url": url} for kind, url in references]
    return component


def _license(text: str) -> dict[str, Any]:
    try:
        return {"expression": str(canonicalize_license_expression(text.replace("/", " OR ")))}
    except InvalidLicenseExpression:
        return {"license": {"name": text}}


def _license_text(package: CargoPackage) -> str | None:
    """The `license-file` of a package without an SPDX `license`, base64 as CycloneDX
    carries license texts."""
    try:
        data = (package.root / str(package.license_file)).read_bytes()
    except OSError:
        return None
    return base64.b64encode(data).decode("ascii")


def _purl(package: CargoPackage, root: CargoPackage) -> str:
    base = f"pkg:cargo/{package.name}@{package.version}"
    source = package.source or ""
    if not source:  # a path package: relative to the packed crate, wherever it is
        where = Path(os.path.relpath(Path(package.root).absolute(), root.root))
        return f"{base}?download_url=file://{quote(where.as_posix(), safe='/.')}"
    if source.startswith("git+"):
        return f"{base}?vcs_url={quote(source, safe='')}"
    return base


def _targets(root: CargoPackage) -> list[dict[str, Any]]:
    """The root package's library and binaries, as cargo-cyclonedx lists them."""
    wanted = [t for t in root.targets if "bin" in t.kinds or set(t.kinds) & _LIBRARY_KINDS]
    purl = _purl(root, root)
    found = []
    for index, target in enumerate(wanted):
        kind = "application" if "bin" in target.kinds else "library"
        entry = {"type": kind, "bom-ref": f"{_ref(root.id, root)} bin-target-{index}",
                 "name": target.name, "version": root.version}
        if target.src_path is not None:
            relative = Path(os.path.relpath(target.src_path, root.root)).as_posix()
            entry["purl"] = f"{purl}#{quote(relative, safe='/.')}"
        found.append(entry)
    return found


def _person(text: str) -> dict[str, str]:
    match = _PERSON.match(text)
    name, email = (match.group("name"), match.group("email")) if match else (text, None)
    person = {"name": name} if name else {}
    if email:
        person["email"] = email
    return person or {"name": text}


def _ref(package_id: str, root: CargoPackage) -> str:
    """A package id as a bom-ref; a path package's folder relative to the packed crate's,
    so the same project gives the same SBOM wherever it is built."""
    prefix = "path+file://"
    if not package_id.startswith(prefix):
        return package_id
    folder, sep, rest = package_id[len(prefix):].partition("#")
    relative = Path(os.path.relpath(unquote(folder), root.root)).as_posix()
    return f"path+file:{quote(relative, safe='/.')}{sep}{rest}"


def _dependency(graph: CargoMetadata, package_id: str, root: CargoPackage) -> dict[str, Any]:
    node = graph.resolve.get(package_id)
    entry: dict[str, Any] = {"ref": _ref(package_id, root)}
    depends: Iterable[str] = sorted(set(node.dependencies), key=lambda pid: (
        graph.by_id(pid).name, graph.by_id(pid).version, pid)) if node else ()
    if depends:
        entry["dependsOn"] = [_ref(pid, root) for pid in depends]
    return entry
