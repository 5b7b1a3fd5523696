"""The CycloneDX SBOM of a crate's Rust dependencies, from recorded cargo metadata."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from setuptools_pyo3pack.project import sbom
from setuptools_pyo3pack.project.crate import Crate


def _by_name(document: dict[str, object]) -> dict[str, dict[str, object]]:
    components = document["components"]
    assert isinstance(components, list)
    return {c["name"]: c for c in components}


def test_every_dependency_with_its_scope_hash_license_and_purl(
        load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    document = sbom.cyclonedx(crate)
    assert (document["bomFormat"], document["specVersion"], document["version"]) == \
        ("CycloneDX", "1.5", 1)
    components = _by_name(document)
    assert set(components) >= {"pyo3", "pyo3-ffi", "pyo3-macros", "pyo3-build-config", "libc"}
    # build-dependencies run while building and are not in the library
    assert components["pyo3-build-config"]["scope"] == "excluded"
    assert components["target-lexicon"]["scope"] == "excluded"
    assert components["pyo3"]["scope"] == components["pyo3-macros"]["scope"] == "required"
    pyo3 = components["pyo3"]
    lock = (crate.root / "Cargo.lock").read_text()
    checksum = lock.split('name = "pyo3"\n')[1].split("checksum = \"")[1].split('"')[0]
    assert pyo3["hashes"] == [{"alg": "SHA-256", "content": checksum}]
    assert pyo3["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    assert pyo3["purl"] == f"pkg:cargo/pyo3@{pyo3['version']}"
    assert crate.graph is not None
    assert pyo3["bom-ref"] == next(p.id for p in crate.graph.packages if p.name == "pyo3")
    refs = [c["bom-ref"] for c in document["components"]]
    assert refs == sorted(refs)


def test_the_crate_itself_with_its_targets_and_the_graph(
        load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    document = sbom.cyclonedx(crate)
    metadata = document["metadata"]
    assert isinstance(metadata, dict)
    root = metadata["component"]
    # a path package is named relative to the crate: no folder of this machine in the file
    assert root["bom-ref"] == "path+file:.#2.1.0-beta.1" and root["type"] == "library"
    assert root["purl"] == "pkg:cargo/pyo3-pure@2.1.0-beta.1?download_url=file://."
    assert root["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    assert root["components"] == [{
        "type": "library", "bom-ref": "path+file:.#2.1.0-beta.1 bin-target-0", "name": "pyo3_pure",
        "version": "2.1.0-beta.1",
        "purl": "pkg:cargo/pyo3-pure@2.1.0-beta.1?download_url=file://.#src/lib.rs"}]
    assert metadata["authors"] == [{"name": "Ada Example", "email": "ada@example.org"}]
    assert metadata["properties"] == [{"name": "cdx:rustc:sbom:target:all_targets",
                                       "value": "true"}]
    graph = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert [_name(crate, ref) for ref in graph[root["bom-ref"]]] == ["pyo3"]
    assert set(graph) == {root["bom-ref"], *(c["bom-ref"] for c in document["components"])}
    assert str(crate.root) not in sbom.render(document)


def _name(crate: Crate, package_id: str) -> str:
    assert crate.graph is not None
    return crate.graph.by_id(package_id).name


def test_the_same_build_gives_the_same_file(load_crate: Callable[[str], Crate],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    crate = load_crate("pyo3-pure")
    first = sbom.render(sbom.cyclonedx(crate))
    assert first == sbom.render(sbom.cyclonedx(crate))
    assert "timestamp" not in json.loads(first)["metadata"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamped = json.loads(sbom.render(sbom.cyclonedx(crate, target="x86_64-unknown-linux-gnu")))
    assert stamped["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
    assert stamped["metadata"]["properties"] == [
        {"name": "cdx:rustc:sbom:target:triple", "value": "x86_64-unknown-linux-gnu"}]
    assert stamped["serialNumber"] != json.loads(first)["serialNumber"]


def test_a_crate_of_binaries_is_an_application(load_crate: Callable[[str], Crate]) -> None:
    document = sbom.cyclonedx(load_crate("hello-bin"))
    root = document["metadata"]["component"]
    assert root["type"] == "application"
    assert [t["type"] for t in root["components"]] == ["application"]
    assert document["components"] == []


def test_a_license_file_without_an_spdx_license_is_carried_as_text(
        load_crate: Callable[[str], Crate]) -> None:
    import base64
    import dataclasses

    crate = load_crate("pyo3-pure")
    package = dataclasses.replace(crate.package, license=None, license_file="README.md")
    document = sbom.cyclonedx(dataclasses.replace(crate, package=package))
    text = base64.b64encode((crate.root / "README.md").read_bytes()).decode()
    assert document["metadata"]["component"]["licenses"] == [
        {"license": {"name": "Unknown", "text": {"encoding": "base64", "content": text}}}]
