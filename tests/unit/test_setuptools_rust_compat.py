"""setuptools-rust's arguments mapped onto the settings model, without cargo.

Each `RustExtension`/`RustBin` argument becomes a settings value (resolved by the one chain,
so messages name the argument) or a setuptools-door detail; `[tool.setuptools-rust]` reads
as setuptools-rust reads it; the finalize hook leaves setuptools-rust's projects alone.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from setuptools import Command
from setuptools.dist import Distribution
from setuptools.errors import SetupError

import setuptools_pyo3pack
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.frontends.setuptools import hook, versions
from setuptools_pyo3pack.frontends.setuptools.crates import CrateSpec, RustCrate, specs
from setuptools_pyo3pack.frontends.setuptools.projects import (
    BuildRequest,
    configuration_for,
    placed,
    runner_source,
)
from setuptools_pyo3pack.frontends.setuptools.rust_extension import (
    Binding,
    RustBin,
    RustExtension,
    Strip,
    split_cargo_args,
)
from setuptools_pyo3pack.frontends.setuptools.rust_table import extensions_from_table
from setuptools_pyo3pack.fs import Member


def test_the_package_exports_setuptools_rusts_names() -> None:
    for name in ("RustExtension", "RustBin", "Binding", "Strip", "build_rust", "clean_rust"):
        assert getattr(setuptools_pyo3pack, name) is not None
    assert setuptools_pyo3pack.Binding.PyO3 is Binding.PyO3
    with pytest.raises(AttributeError):
        _ = setuptools_pyo3pack.RustCrate


@pytest.mark.parametrize(
    ("extension", "values", "extra"),
    [
        (RustExtension("pkg._lib"),
         {"layout.bindings": "pyo3", "layout.module_name": "pkg._lib"},
         {"features": ("pyo3/extension-module",), "limited_api": "auto"}),
        (RustExtension("pkg._lib", binding=Binding.RustCPython, features=["x"]),
         {"layout.bindings": "rust-cpython"},
         {"features": ("cpython/python3-sys", "cpython/extension-module", "x")}),
        (RustExtension("pkg._lib", binding=Binding.NoBinding, py_limited_api=True),
         {"layout.bindings": "pyo3"}, {"features": (), "limited_api": False}),
        (RustExtension("pkg._lib", binding="cffi"), {"layout.bindings": "cffi"}, {}),
        (RustExtension("m", args=["--profile", "bench", "--no-default-features", "--locked",
                                  "-F", "a,b", "--", "-Copt-level=3"]),
         {"cargo.no_default_features": True, "cargo.cargo_extra_args": ("--locked",),
          "cargo.rustc_extra_args": ("-Copt-level=3",)},
         {"profile": "bench", "features": ("pyo3/extension-module", "a", "b")}),
        (RustExtension("m", cargo_manifest_args=["--frozen"], rustc_flags=["-Cdebuginfo=0"],
                       native=True, strip=Strip.Debug),
         {"cargo.cargo_extra_args": ("--frozen",),
          "cargo.rustc_extra_args": ("-Cdebuginfo=0", "-C", "target-cpu=native", "-C",
                                     "strip=debuginfo")}, {}),
        (RustExtension("m", strip=Strip.All, debug=True, optional=True, quiet=True,
                       env={"A": "1"}, rust_version=">=1.70"),
         {"cargo.strip": True},
         {"profile": "dev", "optional": True, "env": {"A": "1", "CARGO_TERM_QUIET": "true"},
          "rust_version": ">=1.70"}),
        (RustExtension("m", debug=False, args=["--target=x86_64-unknown-linux-musl"]),
         {"cargo.target": "x86_64-unknown-linux-musl"}, {"profile": "release"}),
        (RustBin("tool", path="rust/Cargo.toml"), {"layout.bindings": "bin"},
         {"bins": ("tool",), "bin_places": {}, "commands": {}, "path": "rust/Cargo.toml"}),
        (RustBin({"tool": "my-tool"}, cargo_manifest_args=["--frozen"]),
         {"cargo.cargo_extra_args": ("--frozen",)},
         {"bins": ("tool",), "commands": {"tool": "my-tool"},
          "env": {"CARGO_NET_OFFLINE": "true"}}),
        (RustExtension({"tool": "pkg.my-tool"}, binding=Binding.Exec, script=True),
         {"layout.bindings": "bin"},
         {"bins": ("tool",), "bin_places": {"tool": "pkg/my-tool"},
          "runners": {"tool": "pkg/_gen_tool.py"}}),
    ],
    ids=["pyo3", "rust-cpython", "no-binding", "our-cffi", "args", "flags", "door-only",
         "target", "rust-bin", "rust-bin-renamed", "exec"],
)
def test_arguments_become_settings(extension: RustExtension, values: dict[str, Any],
                                   extra: dict[str, Any]) -> None:
    spec = extension.spec()
    for path, value in values.items():
        assert spec.values[path] == value, path
    for name, value in extra.items():
        assert getattr(spec, name) == value, name


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: RustExtension("m", featurs=["x"]).spec(),
         "RustExtension() got an unknown argument `featurs`; did you mean `features`?"),
        (lambda: RustBin("t", rustc_flags=["-g"]).spec(),
         "RustBin() got an unknown argument `rustc_flags`; known: target, path, args, "
         "cargo_manifest_args, features, rust_version, quiet, debug, strip, optional, env"),
        (lambda: RustExtension("m", args="--locked").spec(),
         "args of m must be a list of strings, not the string '--locked' (write "
         "args=['--locked'])"),
        (lambda: RustExtension("m", binding="pyo4").spec(),
         "binding of RustExtension('m', path='Cargo.toml') is 'pyo4' (use one of "
         "Binding.PyO3, Binding.RustCPython, Binding.NoBinding, Binding.Exec)"),
        (lambda: RustExtension("pkg.2x").spec(),
         "target 'pkg.2x' of RustExtension('pkg.2x', path='Cargo.toml') is not a dotted "
         "module name"),
        (lambda: RustExtension({"a": "p.a", "b": "p.b"}).spec(),
         "RustExtension('a=p.a; b=p.b', path='Cargo.toml'): several targets are only "
         "possible with Binding.Exec"),
        (lambda: RustExtension("m", args=["--profile"]).spec(),
         "`--profile` in args of RustExtension('m', path='Cargo.toml') has no value"),
    ],
)
def test_bad_arguments_are_one_line(make: Any, message: str) -> None:
    # raised by spec() (inside setup()), never by the constructor in the user's setup.py
    with pytest.raises(ConfigError) as caught:
        make()
    assert str(caught.value) == message


def test_generated_files_are_warned_about(capsys: pytest.CaptureFixture[str]) -> None:
    RustExtension("m", generated_files={"x.py": "pkg"}).spec()
    assert "generated_files is not supported by setuptools-pyo3pack and is ignored" in \
        capsys.readouterr().err


def test_split_cargo_args_keeps_what_is_not_a_setting() -> None:
    values, rest = split_cargo_args(("--release", "--all-features", "--features=x y", "-v"),
                                    "e")
    assert values == {"cargo.profile": "release", "cargo.all_features": True,
                      "cargo.features": ("x", "y")}
    assert rest == ["-v"]


@pytest.mark.parametrize(
    ("setting", "bdist_wheel", "expected"),
    [
        ("auto", False, ()),
        ("auto", "cp39", ("pyo3/abi3-py39",)),
        ("auto", True, ("pyo3/abi3",)),
        (True, False, ("pyo3/abi3",)),
        (True, "cp310", ("pyo3/abi3-py310",)),
        (False, "cp39", ()),
    ],
)
def test_py_limited_api_follows_bdist_wheel(setting: bool | str, bdist_wheel: bool | str,
                                            expected: tuple[str, ...], tmp_path: Path) -> None:
    spec = RustExtension("m", py_limited_api=setting).spec()
    values = BuildRequest(limited_api=bdist_wheel).values(spec, tmp_path / "Cargo.toml")
    assert values["cargo.features"] == ("pyo3/extension-module", *expected)


def test_the_chain_resolves_an_extension_and_names_its_arguments(tmp_path: Path) -> None:
    spec = RustExtension("pkg._lib", path="rust/Cargo.toml", rustc_flags=["-g"],
                         features=["fast"], debug=False).spec()
    config = configuration_for(spec, tmp_path, BuildRequest(features=("extra",),
                                                            profile="dev"))
    cargo = config.settings.cargo
    assert cargo.manifest_path == tmp_path / "rust" / "Cargo.toml"
    assert cargo.profile == "dev"  # build_rust --debug wins over debug=False
    assert cargo.features == ("pyo3/extension-module", "fast", "extra")
    assert cargo.rustc_extra_args == ("-g",)
    assert config.settings.layout.module_name == "pkg._lib"
    assert config.resolved.where("cargo.rustc_extra_args") == (
        "`rustc_flags` in RustExtension('pkg._lib', path='rust/Cargo.toml') in setup.py")


def test_two_entries_must_not_build_one_module() -> None:
    with pytest.raises(ConfigError, match=r"two Rust entries of setup\(\) build the same module"):
        specs([RustCrate("a", module="p.x"), RustExtension("p.x").spec()])


def test_exec_binaries_go_inside_the_package_with_a_runner() -> None:
    spec = RustExtension({"tool": "pkg.my-tool"}, binding=Binding.Exec, script=True).spec()
    build = SimpleNamespace(spec=spec)
    members = [Member("d-1.data/scripts/tool", source=Path("/t/tool"), executable=True),
               Member("d-1.data/scripts/other", source=Path("/t/other"), executable=True)]
    moved = placed(build, members)  # type: ignore[arg-type]
    assert [m.archive_name for m in moved] == ["pkg/my-tool", "pkg/_gen_tool.py",
                                               "d-1.data/scripts/other"]
    assert moved[1].data == runner_source("my-tool")
    renamed = placed(SimpleNamespace(spec=RustBin({"tool": "my-tool"}).spec()),  # type: ignore[arg-type]
                     members)
    assert [m.archive_name for m in renamed] == ["d-1.data/scripts/my-tool",
                                                 "d-1.data/scripts/other"]
    assert RustExtension({"tool": "pkg.my-tool"}, binding=Binding.Exec,
                         script=True).entry_points() == ["my-tool=pkg._gen_tool:run"]


# -- [tool.setuptools-rust] ------------------------------------------------------------------


def test_the_table_reads_as_setuptools_rust_reads_it() -> None:
    table = {"ext-modules": [{"target": "pkg._core", "py-limited-api": "auto",
                              "binding": "PyO3", "cargo-manifest-args": ["--locked"]}],
             "bins": [{"target": "tool", "strip": "All"}]}
    module, binary = extensions_from_table(table, "pyproject.toml")
    assert isinstance(module, RustExtension) and module.cargo_manifest_args == ("--locked",)
    assert isinstance(binary, RustBin) and binary.strip is Strip.All


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"ext-module": []}, "unknown key `ext-module` in [tool.setuptools-rust] of p (use "
                             "ext-modules or bins)"),
        ({"bins": {"target": "x"}}, "`bins` in [tool.setuptools-rust] of p must be a list of "
                                    "tables"),
        ({"bins": [{"strip": "Some", "target": "x"}]},
         "`strip` in [tool.setuptools-rust] bins[0] of p is 'Some' (use one of No, Debug, All)"),
        ({"ext-modules": [{"path": "Cargo.toml"}]},
         "[tool.setuptools-rust] ext-modules[0] of p has no `target`"),
        ({"ext-modules": [{"target": "m", "feature": ["x"]}]},
         "[tool.setuptools-rust] ext-modules[0] of p: RustExtension() got an unknown argument "
         "`feature`; did you mean `features`?"),
    ],
)
def test_bad_tables_are_one_line(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        extensions_from_table(table, "p")
    assert str(caught.value) == message


# -- living next to setuptools-rust ----------------------------------------------------------


class _TheirExtension:
    """Stands for setuptools_rust.RustExtension: same keyword, another package."""


_TheirExtension.__module__ = "setuptools_rust.extension"


def test_the_hook_leaves_setuptools_rust_projects_alone(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools", "setuptools-rust"]\n'
        '[[tool.setuptools-rust.ext-modules]]\ntarget = "m"\n')
    dist = Distribution({"name": "theirs"})
    setattr(dist, "rust_extensions", [_TheirExtension()])  # noqa: B010
    before = dict(dist.cmdclass)
    hook.rust_extensions_keyword(dist, "rust_extensions", dist.rust_extensions)  # type: ignore[attr-defined]
    hook.finalize_distribution_options(dist)
    assert dist.cmdclass == before
    assert getattr(dist, "pyo3_pack_crates", None) is None


def test_an_unreadable_pyproject_of_another_project_is_not_our_business(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.setuptools-rust\nnot toml")
    dist = Distribution({"name": "theirs"})
    hook.finalize_distribution_options(dist)
    assert getattr(dist, "pyo3_pack_crates", None) is None


def test_mixing_our_extensions_with_theirs_is_an_error() -> None:
    dist = Distribution({"name": "mixed"})
    with pytest.raises(SetupError, match="rust_extensions mixes setuptools_pyo3pack's"):
        hook.rust_extensions_keyword(dist, "rust_extensions",
                                     [RustExtension("m"), _TheirExtension()])


def test_what_setuptools_rusts_handler_wrapped_is_unwrapped() -> None:
    from setuptools.command.install import install

    class Mine(install):
        pass

    their_install = type("install_rust_extension", (Mine,), {"__module__": "setuptools_rust.x"})
    their_sdist = type("sdist_rust_extension", (Command,), {"__module__": "setuptools_rust.x"})
    dist = Distribution({"name": "ours"})
    dist.cmdclass.update({"install": their_install, "sdist": their_sdist})
    wrapped = lambda: True  # noqa: E731
    wrapped.__module__ = "setuptools_rust.setuptools_ext"
    vars(dist)["has_ext_modules"] = wrapped
    hook._undo_setuptools_rust(dist)
    assert dist.cmdclass["install"] is Mine  # the project's own class comes back
    assert "sdist" not in dist.cmdclass  # a wrapped stock command leaves room for ours
    assert "has_ext_modules" not in vars(dist)


@pytest.mark.parametrize(
    ("requires", "expected"),
    [(["setuptools>=64", "setuptools-pyo3pack>=0.1"], True),
     (["setuptools", "Setuptools_PyO3Pack"], True),
     (["setuptools", "setuptools-rust"], False),
     (["not a requirement ("], False)],
)
def test_build_requirements_decide_who_reads_the_table(requires: list[str],
                                                       expected: bool) -> None:
    assert hook._requires_us({"requires": requires}) is expected


# -- setuptools versions ---------------------------------------------------------------------


def test_too_old_setuptools_is_one_line() -> None:
    assert versions.too_old_message("70.0.0") is None
    assert versions.too_old_message("65.5.0") is None
    assert versions.too_old_message("64.0.3") == (
        "setuptools 64.0.3 is too old for setuptools-pyo3pack (it needs 65.5 or later): run "
        "`python -m pip install -U 'setuptools>=65.5'`")


def test_missing_bdist_wheel_names_versions_and_the_fix() -> None:
    assert versions.missing_bdist_wheel_message("65.5.0", "0.99") == (
        "setuptools 65.5.0 has no bdist_wheel command (it has one from 70.1 on) and wheel 0.99 "
        "does not provide one: run `python -m pip install -U 'setuptools>=70.1'` (or `python "
        "-m pip install wheel`)")
    command = versions.MissingBdistWheel(Distribution({"name": "x"}))
    with pytest.raises(SetupError, match="has no bdist_wheel command"):
        command.finalize_options()


def test_bdist_wheel_comes_from_setuptools_when_it_has_one() -> None:
    from setuptools.command.bdist_wheel import bdist_wheel

    assert versions.bdist_wheel_class() is bdist_wheel


def test_a_crate_spec_from_rust_crate() -> None:
    spec = RustCrate("r/Cargo.toml", module="p._n", binding="pyo3", features=["f"],
                     profile="dev").spec()
    assert spec == CrateSpec("r/Cargo.toml", "RustCrate('r/Cargo.toml')",
                             values={"layout.bindings": "pyo3", "layout.module_name": "p._n"},
                             profile="dev", features=("f",))


def test_an_optional_entry_that_fails_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    from setuptools_pyo3pack.errors import CommandError
    from setuptools_pyo3pack.frontends.setuptools.build import _optional

    with _optional(RustExtension("m", optional=True).spec()):
        raise CommandError("cargo failed to build `m`")
    assert "building RustExtension('m', path='Cargo.toml') failed, and it is optional" in \
        capsys.readouterr().err
    with pytest.raises(CommandError), _optional(RustExtension("m").spec()):
        raise CommandError("cargo failed to build `m`")


def test_rust_version_is_checked_against_rustc() -> None:
    from setuptools_pyo3pack.frontends.setuptools.build import check_rust_version

    check_rust_version(RustExtension("m", rust_version="1.56").spec())
    with pytest.raises(ConfigError, match=r"needs rustc >=999, and this one is \d+\.\d+"):
        check_rust_version(RustExtension("m", rust_version=">=999").spec())
    with pytest.raises(ConfigError, match="is not a version requirement"):
        check_rust_version(RustExtension("m", rust_version=">=x.y").spec())
