"""The one precedence chain: defaults < pyproject tool table < environment < config_settings
< the front door (command line, RustCrate), each value checked where it was written."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from setuptools_pyo3pack.config.chain import fields, resolve
from setuptools_pyo3pack.config.docs import field_docs
from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.option import Pattern
from setuptools_pyo3pack.config.settings import (
    GROUPS,
    AuditMode,
    Binding,
    SdistGenerator,
    Settings,
)
from setuptools_pyo3pack.config.sources import (
    config_settings_source,
    environment_source,
    table_source,
    values_source,
)
from setuptools_pyo3pack.errors import ConfigError

WHERE = "[tool.pyo3-pack] of /p/pyproject.toml"


def _toml(table: dict[str, Any], base: Path = Path("/p")) -> Any:
    source, warnings = table_source(table, WHERE, base)
    assert warnings == []
    return source


def test_each_source_overrides_the_ones_below_it() -> None:
    defaults = values_source("the defaults", {"cargo.profile": "release"})
    toml = _toml({"profile": "from-toml"})
    env = environment_source({"PYO3_PACK_PROFILE": "from-env"})
    given, _ = config_settings_source({"profile": "from-config-settings"})
    door = values_source(None, {"cargo.profile": "from-cli"})
    chain = [defaults, toml, env, given, door]
    for top in range(1, len(chain) + 1):
        expected = ["release", "from-toml", "from-env", "from-config-settings", "from-cli"]
        assert resolve(chain[:top]).settings.profile == expected[top - 1]


def test_lists_add_up_lowest_first_features_once_and_arguments_as_given() -> None:
    resolved = resolve([
        _toml({"features": ["a", "b"], "cargo-extra-args": "-Z x"}),
        environment_source({"PYO3_PACK_FEATURES": "b c", "PYO3_PACK_CARGO_ARGS": "-Z y"}),
        values_source(None, {"cargo.features": ("c", "d"), "cargo.cargo_extra_args": ("-Z",)}),
    ])
    assert resolved.settings.cargo.features == ("a", "b", "c", "d")
    assert resolved.settings.cargo.cargo_extra_args == ("-Z", "x", "-Z", "y", "-Z")


def test_unset_fields_keep_their_defaults() -> None:
    assert resolve([]).settings == Settings()


def test_where_each_value_came_from() -> None:
    resolved = resolve([_toml({"module-name": "pkg._native"}),
                        environment_source({"PYO3_PACK_STRIP": "1"})])
    assert resolved.where("layout.module_name") == f"`module-name` in {WHERE}"
    assert resolved.where("cargo.strip") == "`PYO3_PACK_STRIP` in the environment"
    assert resolved.where("cargo.target") is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"strip": "yes"}, f"`strip` in {WHERE} must be a boolean, not string (use true or false)"),
        ({"features": "a"}, None),  # a string is one item, as maturin reads it
        ({"features": [1]}, f"`features` in {WHERE} must be a list of strings, not list"),
        ({"profile": 3}, f"`profile` in {WHERE} must be a string, not integer"),
        ({"bindings": "pyo4"}, f"unknown binding `pyo4` in {WHERE} (use one of bin, cffi, pyo3, "
                               "rust-cpython, uniffi)"),
        ({"auditwheel": "fix"}, f"unknown auditwheel mode `fix` in {WHERE} (use one of check, "
                                "repair, skip, warn)"),
    ],
)
def test_a_wrong_value_names_the_key_and_the_file(table: dict[str, Any],
                                                 message: str | None) -> None:
    if message is None:
        assert resolve([_toml(table)]).settings.cargo.features == ("a",)
        return
    with pytest.raises(ConfigError) as info:
        resolve([_toml(table)])
    assert str(info.value) == message


def test_unknown_keys_warn_with_a_suggestion_and_are_ignored() -> None:
    source, warnings = table_source({"stirp": True, "zzzz": 1, "strip": True}, WHERE, None)
    assert warnings == [f"unknown key `stirp` in {WHERE}; did you mean `strip`?",
                        f"unknown key `zzzz` in {WHERE}"]
    assert resolve([source]).settings.cargo.strip is True
    _, from_pip = config_settings_source({"featurs": "x"})
    assert from_pip == ["unknown key `featurs` in config_settings; did you mean `features`?"]


def test_command_line_only_fields_are_not_table_keys() -> None:
    _, warnings = table_source({"interpreters": ["3.12"]}, WHERE, None)
    assert len(warnings) == 1 and "unknown key `interpreters`" in warnings[0]


def test_maturin_spellings_mean_the_same_fields() -> None:
    settings = resolve([_toml({"rustc-args": ["-C", "opt-level=1"], "manylinux": "2014",
                               "bindings": "cpython"})]).settings
    assert settings.cargo.rustc_extra_args == ("-C", "opt-level=1")
    assert settings.audit.compatibility == "2014"
    assert settings.layout.bindings is Binding.RUST_CPYTHON
    maturin = resolve([_toml({"compatibility": "pypi", "bindings": "pyo3-ffi"})]).settings
    assert maturin.audit.compatibility is None  # the best policy: what PyPI takes
    assert maturin.layout.bindings is Binding.PYO3
    env = resolve([environment_source({"PYO3_PACK_COMPATIBILITY": "2_28"})]).settings
    assert env.audit.compatibility == "2_28"
    with pytest.raises(ConfigError, match=r"uniffi bindings in .* are not supported yet"):
        resolve([_toml({"bindings": "uniffi"})])


def test_text_sources_parse_booleans_lists_and_enums() -> None:
    settings = resolve([environment_source({
        "PYO3_PACK_STRIP": "true", "PYO3_PACK_ZIG": "0", "PYO3_PACK_AUDITWHEEL": "Warn",
        "PYO3_PACK_RUSTC_EXTRA_ARGS": "-C 'link-arg=-s x'", "PYO3_PACK_INTERPRETERS": "3.11,3.12",
    })]).settings
    assert settings.cargo.strip is True and settings.cargo.zig is False
    assert settings.audit.auditwheel is AuditMode.WARN
    assert settings.cargo.rustc_extra_args == ("-C", "link-arg=-s x")
    assert settings.output.interpreters == ("3.11", "3.12")
    with pytest.raises(ConfigError, match=r"^`PYO3_PACK_STRIP` in the environment must be a "
                                          r"boolean, not string \(use 1 or 0\)$"):
        resolve([environment_source({"PYO3_PACK_STRIP": "maybe"})])


def test_relative_paths_are_relative_to_where_they_were_written(tmp_path: Path) -> None:
    toml = _toml({"manifest-path": "rust/Cargo.toml"}, base=tmp_path / "project")
    assert resolve([toml]).settings.cargo.manifest_path == tmp_path / "project/rust/Cargo.toml"
    door = values_source(None, {"cargo.manifest_path": "x/Cargo.toml"}, tmp_path / "cwd")
    assert resolve([toml, door]).settings.cargo.manifest_path == tmp_path / "cwd/x/Cargo.toml"


def test_load_configuration_reads_the_tool_table_next_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.maturin]\nfeatures = ["fast"]\nprofile = "bench"\n', encoding="utf-8")
    door = values_source(None, {"cargo.manifest_path": tmp_path / "Cargo.toml"})
    config = load_configuration(door, {"cargo.profile": "release"}, cwd=tmp_path / "elsewhere",
                                environ={"PYO3_PACK_FEATURES": "simd"})
    assert config.pyproject.path == tmp_path / "pyproject.toml"
    assert config.settings.cargo.features == ("fast", "simd")
    assert config.settings.profile == "bench"  # the file beats the door's default
    assert config.where("cargo.profile", "") == \
        f"`profile` in [tool.maturin] of {tmp_path / 'pyproject.toml'}"


def test_every_field_has_a_docstring_and_every_key_reaches_its_field() -> None:
    """Adding an option is one field and its docstring: names, sources and docs follow."""
    docs = field_docs()
    for group, cls in GROUPS:
        assert docs[group], f"{cls.__name__} has no docstring"
    for path, info in fields().items():
        assert docs.get(path), f"settings field {path} has no docstring"
        group, name = path.split(".")
        default = getattr(getattr(Settings(), group), name)
        value: Any = {bool: "0" if default else "1", tuple: "a,b"}.get(info.kind, "x")
        enums: dict[Any, str] = {Binding: "pyo3", AuditMode: "warn", SdistGenerator: "git"}
        value = enums.get(info.kind, value)
        env = environment_source({info.env[0]: value}) if info.option.env else None
        if env is not None:
            assert path in env.values
            resolved = resolve([env]).settings
            assert getattr(getattr(resolved, group), name) != default
        if info.option.toml:
            given, warnings = config_settings_source({info.key: value})
            assert warnings == [] and path in given.values


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().cargo.strip = True  # type: ignore[misc]


def test_include_and_exclude_take_maturin_tables_with_formats() -> None:
    layout = resolve([_toml({
        "include": ["a/*.txt", {"path": "b/**/*", "format": "sdist"},
                    {"path": "c.cfg", "format": ["sdist", "wheel"]}],
        "exclude": {"path": "d.py", "format": "wheel"},
    })]).settings.layout
    assert layout.include == (Pattern("a/*.txt"), Pattern("b/**/*", frozenset({"sdist"})),
                              Pattern("c.cfg"))
    assert layout.exclude == (Pattern("d.py", frozenset({"wheel"})),)
    with pytest.raises(ConfigError, match="`format` of `x` in `include`"):
        resolve([_toml({"include": [{"path": "x", "format": "zip"}]})])


def test_a_group_sub_table_and_its_flat_keys() -> None:
    settings = resolve([_toml({"sbom": {"rust": False, "include": ["s.cdx.json"]}})]).settings
    assert settings.sbom.rust is False and settings.sbom.include == ("s.cdx.json",)
    assert resolve([environment_source({"PYO3_PACK_SBOM_RUST": "0"})]).settings.sbom.rust is False
    given, warnings = config_settings_source({"sbom-rust": "false"})
    assert warnings == [] and resolve([given]).settings.sbom.rust is False
    _, warnings = table_source({"sbom": {"rusty": True}}, WHERE, None)
    assert warnings == [f"unknown key `rusty` in the `sbom` table of {WHERE}; did you mean "
                        "`rust`?"]


def _project(tmp_path: Path, tool: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.maturin]\n{tool}", encoding="utf-8")
    return tmp_path


def test_the_table_of_the_build_target_is_a_layer_above_the_tool_table(tmp_path: Path) -> None:
    _project(tmp_path, 'features = ["a"]\nstrip = false\n'
                       '[tool.maturin.target."aarch64-unknown-linux-gnu"]\n'
                       'features = ["arm"]\nstrip = true\n'
                       '[tool.maturin.target."x86_64-unknown-linux-gnu"]\nfeatures = ["x86"]\n')
    door = values_source(None, {"cargo.target": "aarch64-unknown-linux-gnu"})
    config = load_configuration(door, cwd=tmp_path, environ={"PYO3_PACK_STRIP": "0"})
    assert config.settings.cargo.features == ("a", "arm")
    assert config.settings.cargo.strip is False  # the environment is above the target table
    where = config.where("cargo.features", "")
    assert where == (f'`features` in [tool.maturin.target."aarch64-unknown-linux-gnu"] of '
                     f"{tmp_path / 'pyproject.toml'}")
    other = load_configuration(values_source(None, {"cargo.target": "riscv64gc-unknown-linux-gnu"}),
                               cwd=tmp_path, environ={})
    assert other.settings.cargo.features == ("a",)


def test_without_a_target_the_host_triple_picks_the_table(tmp_path: Path) -> None:
    from setuptools_pyo3pack.config.load import host_triple

    _project(tmp_path, f'[tool.maturin.target."{host_triple()}"]\nprofile = "host"\n'
                       'macos-deployment-target = "11.0"\n')
    config = load_configuration(values_source(None, {}), cwd=tmp_path, environ={})
    assert config.settings.profile == "host"
    assert config.settings.cargo.macos_deployment_target == "11.0"


@pytest.mark.parametrize(("tool", "door", "editable", "profile"), [
    ('editable-profile = "fast"\n', {}, True, "fast"),
    ('editable-profile = "fast"\n', {}, False, "release"),
    ('profile = "dist"\neditable-profile = "fast"\n', {}, True, "fast"),
    ('profile = "dist"\n', {}, True, "dist"),
    ('editable-profile = "fast"\n', {"cargo.profile": "cli"}, True, "cli"),
])
def test_editable_builds_take_the_editable_profile(tmp_path: Path, tool: str,
                                                   door: dict[str, Any], editable: bool,
                                                   profile: str) -> None:
    _project(tmp_path, tool)
    config = load_configuration(values_source(None, door), {"cargo.profile": "release"},
                                cwd=tmp_path, environ={}, editable=editable)
    assert config.settings.profile == profile
