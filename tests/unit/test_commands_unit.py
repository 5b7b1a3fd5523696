"""The setuptools front door without cargo: RustCrate, metadata, tags, placements, cmdclass."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import setuptools.command.bdist_wheel  # noqa: F401  (setuptools >= 70.1, from the test extra)
from setuptools.dist import Distribution

from setuptools_pyo3pack import cmdclass
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.frontends.setuptools import dist_metadata, hook
from setuptools_pyo3pack.frontends.setuptools.commands import COMMANDS, Build, BuildRust, Install
from setuptools_pyo3pack.frontends.setuptools.crates import RustCrate, normalize
from setuptools_pyo3pack.frontends.setuptools.wheel import wheel_tag
from setuptools_pyo3pack.fs import Member
from setuptools_pyo3pack.platforms.tags import WheelTag
from setuptools_pyo3pack.project.metadata import CoreMetadata, PackageMetadata


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"modul": "a.b"}, "RustCrate() got an unknown option `modul`; did you mean `module`?"),
        ({"zzz": 1}, "RustCrate() got an unknown option `zzz`; known: path, module, binding, "
                     "features, profile"),
        ({"binding": "pyo4"}, "RustCrate binding 'pyo4' is not one of bin, cffi, cpython, pyo3, "
                              "rust-cpython, uniffi"),
        ({"module": "pkg.2native"}, "RustCrate module 'pkg.2native' is not a dotted Python "
                                    "module name"),
        ({"features": ["ok", ""]}, "RustCrate features must be feature names, not ['ok', '']"),
        ({"profile": ""}, "RustCrate profile must be a cargo profile name, not ''"),
    ],
)
def test_rust_crate_rejects_bad_options_in_one_line(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        RustCrate("rust/Cargo.toml", **kwargs)
    assert str(caught.value) == message


def test_rust_crate_is_a_frozen_value() -> None:
    crate = RustCrate("rust/Cargo.toml", module="pkg._native", features="simd")
    assert crate == RustCrate("rust/Cargo.toml", module="pkg._native", features=["simd"])
    assert crate.features == ("simd",) and crate.binding is None and crate.profile is None
    with pytest.raises(AttributeError):
        crate.module = "other"  # type: ignore[misc]


def test_rust_crates_keyword_accepts_paths_and_crates() -> None:
    assert normalize(["Cargo.toml", RustCrate("b/Cargo.toml", binding="bin")]) == (
        RustCrate("Cargo.toml"), RustCrate("b/Cargo.toml", binding="bin"))
    assert normalize("Cargo.toml") == (RustCrate("Cargo.toml"),)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "rust_crates must be a non-empty list of Cargo.toml paths or RustCrate(...) "
             "objects, not []"),
        ([3], "rust_crates entry 3 is neither a Cargo.toml path nor a RustCrate(...)"),
        ([RustCrate("a/Cargo.toml", module="p.x"), RustCrate("b/Cargo.toml", module="p.x")],
         "two rust_crates entries build the same module: ['p.x', 'p.x']"),
    ],
)
def test_rust_crates_keyword_errors(value: object, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        normalize(value)
    assert str(caught.value) == message


def test_cmdclass_has_module_level_classes() -> None:
    commands = cmdclass()
    assert {"build_rust", "bdist_wheel", "develop", "clean"} <= set(commands)
    assert commands == COMMANDS and commands is not COMMANDS
    for command in commands.values():
        assert "<locals>" not in command.__qualname__
        assert command.__module__.startswith("setuptools_pyo3pack.frontends.setuptools.")


def test_build_rust_is_a_build_sub_command_before_build_ext() -> None:
    names = [name for name, _ in Build.sub_commands]
    assert names.index("build_rust") == names.index("build_ext") - 1
    assert "install_rust" in [name for name, _ in Install.sub_commands]


@pytest.mark.parametrize(
    ("requires", "plain", "extras"),
    [
        (("a>=1",), ["a>=1"], {}),
        (('b; extra == "x"',), [], {"x": ["b"]}),
        (("c; python_version < '3.10' and extra == 'y'",), [],
         {"y:python_version < '3.10'": ["c"]}),
        (("d; sys_platform == 'linux'",), ["d; sys_platform == 'linux'"], {}),
    ],
)
def test_requirements_split_into_install_and_extras(
    requires: tuple[str, ...], plain: list[str], extras: dict[str, list[str]]
) -> None:
    assert dist_metadata.split_requirements(requires) == (plain, extras)


def _metadata() -> PackageMetadata:
    core = CoreMetadata(
        name="my-crate", version="1.0.0b1", summary="From Cargo", keywords=("rust",),
        author_email="Ada <ada@example.org>", license_expression="MIT",
        classifiers=("Programming Language :: Rust",), requires_dist=("numpy>=2",),
        requires_python=">=3.9", project_urls=(("Homepage", "https://example.org"),),
    )
    return PackageMetadata(core, console_scripts={"my-tool": "my_crate:main"})


def test_cargo_metadata_fills_an_empty_distribution(tmp_path: Path) -> None:
    dist = Distribution()
    dist_metadata.apply(dist, _metadata(), tmp_path, {})
    assert (dist.metadata.name, dist.metadata.version) == ("my-crate", "1.0.0b1")
    assert dist.metadata.description == "From Cargo"
    assert dist.metadata.keywords == ["rust"]
    assert getattr(dist, "install_requires") == ["numpy>=2"]  # noqa: B009
    assert getattr(dist, "python_requires") == ">=3.9"  # noqa: B009
    assert getattr(dist, "entry_points") == {  # noqa: B009
        "console_scripts": ["my-tool = my_crate:main"]}
    assert dist.metadata.project_urls == {"Homepage": "https://example.org"}  # type: ignore[attr-defined]


def test_setup_arguments_win_and_project_table_limits_to_dynamic(tmp_path: Path) -> None:
    dist = Distribution({"name": "explicit", "description": "mine"})
    dist_metadata.apply(dist, _metadata(), tmp_path, {})
    assert (dist.metadata.name, dist.metadata.description) == ("explicit", "mine")
    assert dist.metadata.version == "1.0.0b1"
    dist = Distribution()
    pyproject = {"project": {"name": "x", "dynamic": ["version"]}}
    dist_metadata.apply(dist, _metadata(), tmp_path, pyproject)
    assert dist.metadata.version == "1.0.0b1"
    assert dist.metadata.name is None and dist.metadata.description is None


def test_the_hook_ignores_projects_that_do_not_use_rust() -> None:
    dist = Distribution({"name": "plain"})
    hook.finalize_distribution_options(dist)
    assert getattr(dist, "rust_crates", None) is None
    assert "build_rust" not in dist.cmdclass


@dataclass(frozen=True)
class _Item:
    interpreter: object | None
    tag: WheelTag
    abi3: bool = False


def _build(python: str, abi: str, *, interpreter: bool = True) -> Any:
    tag = WheelTag(python, abi, "linux_x86_64")
    return SimpleNamespace(item=_Item(object() if interpreter else None, tag, abi == "abi3"))


@pytest.mark.parametrize(
    ("builds", "c_extensions", "expected"),
    [
        ([_build("cp312", "cp312")], False, ("cp312", "cp312", "linux_x86_64")),
        ([_build("cp39", "abi3"), _build("cp310", "abi3")], False,
         ("cp310", "abi3", "linux_x86_64")),
        ([_build("cp39", "abi3")], True, ("cp312", "cp312", "linux_x86_64")),
        ([_build("py3", "none", interpreter=False)], False, ("py3", "none", "linux_x86_64")),
        ([_build("py3", "none", interpreter=False)], True, ("cp312", "cp312", "linux_x86_64")),
    ],
)
def test_wheel_tag(builds: list[Any], c_extensions: bool, expected: tuple[str, str, str]) -> None:
    assert wheel_tag(builds, ("cp312", "cp312", "linux_x86_64"), c_extensions) == expected


def _build_rust(tmp_path: Path, *, in_place: bool) -> BuildRust:
    dist = Distribution({"name": "p", "packages": [], "package_dir": {"": "src"}})
    command = BuildRust(dist)
    command.build_lib = str(tmp_path / "lib")
    command.build_scripts = str(tmp_path / "scripts")
    command.editable_mode = in_place
    return command


def test_placements_for_wheels_and_editable_installs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    crate = SimpleNamespace(scripts_prefix="p-1.0.data/scripts/", top_level_in_place=False)
    members = [Member("pkg/_native.abi3.so", executable=True),
               Member("p-1.0.data/scripts/tool", executable=True)]
    wheel = _build_rust(tmp_path, in_place=False)._place(crate, members)  # type: ignore[arg-type]
    assert [(p.output, p.in_place) for p in wheel] == [
        (tmp_path / "lib" / "pkg" / "_native.abi3.so", None),
        (tmp_path / "scripts" / "tool", None),
    ]
    editable = _build_rust(tmp_path, in_place=True)._place(crate, members)  # type: ignore[arg-type]
    assert editable[0].in_place == Path("src", "pkg", "_native.abi3.so")
    pure = SimpleNamespace(scripts_prefix="p-1.0.data/scripts/", top_level_in_place=True)
    pure_members = [Member("m/__init__.py", data=""), Member(f"m/m{os.extsep}so", executable=True)]
    placed = _build_rust(tmp_path, in_place=True)._place(pure, pure_members)  # type: ignore[arg-type]
    assert [(p.output, p.in_place) for p in placed] == [
        (tmp_path / "lib" / "m.so", Path("src", "m.so"))]
