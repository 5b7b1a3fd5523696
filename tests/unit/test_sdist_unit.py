"""The sdist's pure parts: manifest rewriting, which crates go where, the deterministic tar."""

from __future__ import annotations

import gzip
import io
import os
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.fs import Member
from setuptools_pyo3pack.project.cargo_metadata import CargoMetadata, parse_metadata
from setuptools_pyo3pack.sdist.archive import source_date_epoch, tar_info, write_tar_gz
from setuptools_pyo3pack.sdist.crates import LocalCrate, local_crates
from setuptools_pyo3pack.sdist.manifest import ManifestPlan, Workspace, rewrite_manifest
from setuptools_pyo3pack.sdist.toml_edit import scan, toml_tables, toml_value

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

WS = Path("/src/ws")
WORKSPACE = Workspace(WS, {
    "package": {"version": "0.2.0", "edition": "2021", "authors": ["Ada <ada@example.org>"],
                "readme": "README.md", "license-file": "docs/LICENSE"},
    "dependencies": {"pyo3": "0.30", "serde": {"version": "1", "features": ["derive"]},
                     "shared": {"path": "shared"}},
    "lints": {"rust": {"unsafe_code": "forbid"}},
})


def _plan(relocate: dict[str, str] | None = None, *, root: bool = True,
          workspace: Workspace | None = WORKSPACE) -> ManifestPlan:
    moves = relocate or {}

    def move(folder: Path) -> str:
        return moves.get(folder.as_posix(), os.path.relpath(folder, WS / "ext"))

    return ManifestPlan("/src/ws/ext/Cargo.toml", WS / "ext", workspace, move, root=root)


def _rewrite(text: str, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    new = rewrite_manifest(text, _plan(**kwargs))
    return new, tomllib.loads(new)


# --- the scanner ----------------------------------------------------------------------------


def test_scan_finds_positions_of_dotted_quoted_and_inline_keys() -> None:
    text = ('name = "x" # comment [not.a.table]\n'
            '[dependencies]\n'
            'a = { path = "../a", features = ["x]", "y"] }\n'
            '"quoted.key".version = "1"\n'
            'b.workspace = true\n'
            'multi = """\n[fake]\n"""\n'
            '[[bin]]\nname = "tool"\n')
    entries, headers = scan(text)
    found = {e.full: text[e.value_start:e.end] for e in entries}
    assert found[("name",)] == '"x"'
    assert found[("dependencies", "a", "path")] == '"../a"'
    assert found[("dependencies", "a", "features")] == '["x]", "y"]'
    assert found[("dependencies", "quoted.key", "version")] == '"1"'
    assert found[("dependencies", "b", "workspace")] == "true"
    assert found[("dependencies", "multi")] == '"""\n[fake]\n"""'
    assert found[("bin", "name")] == '"tool"'
    assert [h.key for h in headers] == [("dependencies",), ("bin",)]
    inline = next(e for e in entries if e.full == ("dependencies", "a", "path"))
    assert inline.inline and inline.table == ("dependencies", "a")


def test_toml_values_round_trip() -> None:
    value = {"version": "1", "features": ["a", 'q"uote'], "optional": True, "n": 3,
             "odd key": {"x": 1.5}}
    assert tomllib.loads(f"v = {toml_value(value)}")["v"] == value
    tables = toml_tables(("profile",), {"release": {"lto": True, "package": {"*": {"debug": 0}}}})
    assert tomllib.loads(tables) == {"profile": {"release": {"lto": True,
                                                             "package": {"*": {"debug": 0}}}}}


# --- path dependencies ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '[dependencies]\ncore = { path = "../core" } # keep me\n',
    '[dependencies]\ncore.path = "../core"\n',
    '[dependencies.core]\npath = "../core"\nversion = "0.1"\n',
    "[target.'cfg(unix)'.dependencies]\ncore = { path = '../core' }\n",
    '[build-dependencies]\ncore = { version = "0.1", path = "../core" }\n',
])
def test_path_dependency_is_rewritten_in_every_spelling(text: str) -> None:
    new, data = _rewrite(text, relocate={"/src/ws/core": "local/core"})
    assert '"local/core"' in new
    tables = [data.get("dependencies"), data.get("build-dependencies"),
              (data.get("target") or {}).get("cfg(unix)", {}).get("dependencies")]
    assert [t["core"]["path"] for t in tables if t] == ["local/core"]
    assert new.replace('"local/core"', "X").replace("'../core'", "X") \
        .replace('"../core"', "X") == text.replace('"../core"', "X").replace("'../core'", "X") \
        + "\n[workspace]\n"


def test_unchanged_path_keeps_the_text_and_comments() -> None:
    text = '[package]\nname = "ext"\n\n[dependencies]\n# shared code\ncore = { path = "core" }\n'
    new, _ = _rewrite(text, relocate={"/src/ws/ext/core": "core"})
    assert new == text + "\n[workspace]\n"


# --- workspace inheritance ------------------------------------------------------------------


def test_package_fields_are_resolved_from_the_workspace() -> None:
    text = ('[package]\nname = "ext"\nversion.workspace = true\n'
            'edition = { workspace = true }\nauthors.workspace = true\n'
            'readme.workspace = true\nlicense-file = { workspace = true }\n'
            'workspace = ".."\n')
    new, data = _rewrite(text)
    assert data["package"] == {"name": "ext", "version": "0.2.0", "edition": "2021",
                               "authors": ["Ada <ada@example.org>"], "readme": "README.md",
                               "license-file": "LICENSE"}
    assert 'version = "0.2.0"\nedition = "2021"\n' in new


def test_dependencies_are_resolved_with_features_merged() -> None:
    text = ('[dependencies]\npyo3 = { workspace = true, features = ["abi3-py39"] }\n'
            'serde = { workspace = true, features = ["rc"], optional = true }\n'
            'shared.workspace = true\n'
            '[dev-dependencies.serde]\nworkspace = true\nfeatures = ["std"]\n'
            '[lints]\nworkspace = true\n')
    _, data = _rewrite(text, relocate={"/src/ws/shared": "local/shared"})
    assert data["dependencies"] == {
        "pyo3": {"version": "0.30", "features": ["abi3-py39"]},
        "serde": {"version": "1", "features": ["derive", "rc"], "optional": True},
        "shared": {"path": "local/shared"},
    }
    assert data["dev-dependencies"]["serde"] == {"version": "1",
                                                 "features": ["derive", "std"]}
    assert data["lints"] == {"rust": {"unsafe_code": "forbid"}}


def test_unknown_workspace_dependency_names_it() -> None:
    with pytest.raises(ConfigError, match=r"dependency `nope` of /src/ws/ext/Cargo.toml .*"
                       r"\[workspace.dependencies\] of /src/ws has no `nope`"):
        _rewrite("[dependencies]\nnope = { workspace = true }\n")


def test_inheriting_without_a_workspace_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"`package\.version` of .* no workspace Cargo\.toml"):
        _rewrite('[package]\nname = "x"\nversion.workspace = true\n', workspace=None)


def test_readme_outside_the_package_is_packed_at_its_root() -> None:
    _, data = _rewrite('[package]\nname = "x"\nreadme = "../README.md"\n')
    assert data["package"]["readme"] == "README.md"


# --- the [workspace] table ------------------------------------------------------------------


def test_built_crate_keeps_its_workspace_but_no_other_members() -> None:
    text = ('[package]\nname = "x"\n[workspace]\nmembers = [\n  "a",\n  "b",\n]\n'
            'default-members = ["a"]\n[workspace.package]\nversion = "1.0.0"\n')
    _, data = _rewrite(text)
    assert data["workspace"] == {"members": [], "package": {"version": "1.0.0"}}


def test_dependencies_lose_their_workspace_tables() -> None:
    text = ('[package]\nname = "dep"\n[workspace]\nmembers = ["a"]\n'
            '[workspace.dependencies]\nx = "1"\n[dependencies]\ny = "2"\n')
    new, data = _rewrite(text, root=False)
    assert data == {"package": {"name": "dep"}, "dependencies": {"y": "2"}}
    assert "[workspace" not in new


def test_unparseable_manifest_is_one_clear_error() -> None:
    with pytest.raises(ConfigError, match=r"cannot rewrite /src/ws/ext/Cargo.toml for the sdist"):
        _rewrite('[package\nname = "x"\n')


# --- which crates go where ------------------------------------------------------------------


def _metadata(*packages: tuple[str, Path, list[dict[str, Any]]]) -> CargoMetadata:
    return parse_metadata({
        "packages": [{"id": name, "name": name, "version": "1.0.0", "source": None,
                      "dependencies": deps, "manifest_path": str(folder / "Cargo.toml")}
                     for name, folder, deps in packages],
        "workspace_root": "/", "target_directory": "/target"})


def _dep(name: str, folder: Path, kind: str | None = None) -> dict[str, Any]:
    return {"name": name, "path": str(folder), "kind": kind}


def test_path_dependencies_inside_stay_and_outside_go_to_local(tmp_path: Path) -> None:
    root = tmp_path / "ws" / "ext"
    inner, outer = root / "inner", tmp_path / "ws" / "core"
    for folder in (root, inner, outer):
        folder.mkdir(parents=True, exist_ok=True)
    metadata = _metadata(
        ("ext", root, [_dep("inner", inner), _dep("core", outer), _dep("gone", tmp_path, "dev")]),
        ("inner", inner, [_dep("core", outer)]),
        ("core", outer, []),
    )
    crates = local_crates(metadata, root, root, [root, tmp_path / "ws"])
    assert [(c.name, c.dest) for c in crates] == [("ext", ""), ("inner", "inner"),
                                                  ("core", "local/core")]


def test_a_path_dependency_outside_the_project_goes_to_local(tmp_path: Path) -> None:
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "linked").symlink_to(elsewhere)
    metadata = _metadata(("ext", root, [_dep("foo", root / "linked")]),
                         ("foo", elsewhere, []))
    crates = local_crates(metadata, root, root, [root])
    assert [(c.name, c.dest, c.folder) for c in crates] == [
        ("ext", "", root), ("foo", "local/elsewhere", elsewhere)]


# --- the archive ----------------------------------------------------------------------------


def test_tar_headers_say_nothing_about_the_machine() -> None:
    info = tar_info("x-1/bin/tool", 5, executable=True, mtime=1_700_000_000)
    assert (info.mode, info.uid, info.gid, info.uname, info.gname, info.mtime) == (
        0o755, 0, 0, "", "", 1_700_000_000)
    assert tar_info("x-1/a.py", 1, executable=False, mtime=0).mode == 0o644


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert source_date_epoch() == 315532800  # 1980-01-01, as in wheels
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch() == 1_700_000_000


def _files(folder: Path) -> list[Member]:
    folder.mkdir(exist_ok=True)
    script = folder / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o775)
    return [Member("b/run.sh", script, executable=True),
            Member("PKG-INFO", data=b"Metadata-Version: 2.4\n")]


def test_archive_is_byte_identical_and_sorted(tmp_path: Path) -> None:
    files = _files(tmp_path / "src")
    write_tar_gz(tmp_path / "one" / "x-1.tar.gz", "x-1", files, 1_700_000_000)
    os.utime(tmp_path / "src" / "run.sh", (0, 0))
    write_tar_gz(tmp_path / "two" / "x-1.tar.gz", "x-1", reversed(files), 1_700_000_000)
    first = (tmp_path / "one" / "x-1.tar.gz").read_bytes()
    assert first == (tmp_path / "two" / "x-1.tar.gz").read_bytes()
    assert int.from_bytes(first[4:8], "little") == 1_700_000_000  # gzip header mtime
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(first))) as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["x-1/PKG-INFO", "x-1/b/run.sh"]
        assert [oct(m.mode) for m in members] == ["0o644", "0o755"]


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    broken = [Member("a", tmp_path / "missing")]
    with pytest.raises(FileNotFoundError):
        write_tar_gz(out / "x-1.tar.gz", "x-1", broken, 0)
    assert list(out.iterdir()) == []


def test_local_crate_is_plain_data() -> None:
    crate = LocalCrate("x", Path("/a"), "", parse_metadata({
        "packages": [{"id": "x", "name": "x", "version": "1.0.0",
                      "manifest_path": "/a/Cargo.toml"}],
        "workspace_root": "/a", "target_directory": "/a/target"}).packages[0])
    assert crate.dest == ""
