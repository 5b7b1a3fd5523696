"""The pure audit: policy data, the verdict over ElfInfo facts, tags and `--manylinux` parsing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import (
    AuditError,
    Compatibility,
    ElfInfo,
    Libc,
    UnknownPolicyError,
    choose_platform_tag,
    evaluate,
    load_policies,
    parse_compatibility,
    platform_tag,
)
from setuptools_pyo3pack.audit.elf import SymbolVersion
from setuptools_pyo3pack.errors import ConfigError, Pyo3PackError


def elf(
    path: str = "demo/demo.so",
    *,
    needed: tuple[str, ...] = ("libc.so.6",),
    needs: Mapping[str, set[str]] | None = None,
    symbols: tuple[tuple[str, str, str], ...] = (),
    undefined: frozenset[str] = frozenset(),
    rpath: tuple[str, ...] = (),
    arch: str | None = "x86_64",
    libc: Libc | None = Libc.GLIBC,
) -> ElfInfo:
    return ElfInfo(
        path=path,
        machine="EM_X86_64",
        elf_class=64,
        little_endian=True,
        arch=arch,
        soname=None,
        interpreter=None,
        needed=needed,
        rpath=rpath,
        runpath=(),
        version_needs={
            lib: frozenset(v) for lib, v in (needs or {"libc.so.6": {"GLIBC_2.2.5"}}).items()
        },
        symbol_versions=tuple(SymbolVersion(*s) for s in symbols),
        undefined_symbols=undefined,
        libc=libc,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", Compatibility("manylinux_2_5")),
        ("2010", Compatibility("manylinux_2_12")),
        ("2014", Compatibility("manylinux_2_17")),
        ("2_17", Compatibility("manylinux_2_17")),
        ("2_28", Compatibility("manylinux_2_28")),
        ("manylinux_2_28", Compatibility("manylinux_2_28")),
        ("manylinux2014", Compatibility("manylinux_2_17")),
        ("manylinux1", Compatibility("manylinux_2_5")),
        ("musllinux_1_2", Compatibility("musllinux_1_2")),
        ("musllinux_1_1", Compatibility("musllinux_1_1")),
        ("off", Compatibility(None, checked=False)),
        ("linux", Compatibility(None, checked=False)),
        ("2014-unchecked", Compatibility("manylinux_2_17", checked=False)),
        ("manylinux_2_34-unchecked", Compatibility("manylinux_2_34", checked=False)),
        ("musllinux_1_2-unchecked", Compatibility("musllinux_1_2", checked=False)),
        (" Manylinux2014 ", Compatibility("manylinux_2_17")),
    ],
)
def test_parse_compatibility(value: str, expected: Compatibility) -> None:
    assert parse_compatibility(value) == expected


@pytest.mark.parametrize(
    "value", ["2_99", "manylinux3", "", "musllinux_1_3", "2014-checked", "manylinux_2_17_x86_64"]
)
def test_unknown_compatibility_says_what_is_valid(value: str) -> None:
    with pytest.raises(UnknownPolicyError) as caught:
        parse_compatibility(value)
    message = str(caught.value)
    assert isinstance(caught.value, ConfigError)
    assert "\n" not in message
    assert f"unknown manylinux compatibility `{value}`" in message
    for form in ("off", "2014", "2_17", "manylinux_2_28", "musllinux_1_2", "-unchecked"):
        assert form in message


@pytest.mark.parametrize(
    ("policy", "arch", "expected"),
    [
        ("manylinux_2_17", "x86_64", "manylinux_2_17_x86_64.manylinux2014_x86_64"),
        ("manylinux2014", "aarch64", "manylinux_2_17_aarch64.manylinux2014_aarch64"),
        ("manylinux_2_5", "x86_64", "manylinux_2_5_x86_64.manylinux1_x86_64"),
        ("manylinux1", "i686", "manylinux_2_5_i686.manylinux1_i686"),
        ("manylinux_2_12", "x86_64", "manylinux_2_12_x86_64.manylinux2010_x86_64"),
        ("manylinux_2_28", "x86_64", "manylinux_2_28_x86_64"),
        ("musllinux_1_2", "aarch64", "musllinux_1_2_aarch64"),
        ("linux", "x86_64", "linux_x86_64"),
        (None, "armv7l", "linux_armv7l"),
    ],
)
def test_platform_tag(policy: str | None, arch: str, expected: str) -> None:
    assert platform_tag(policy, arch) == expected


def test_policies_exist_per_architecture_most_compatible_first() -> None:
    x86 = load_policies(Libc.GLIBC, "x86_64")
    assert [p.name for p in x86[:3]] == ["manylinux_2_5", "manylinux_2_12", "manylinux_2_17"]
    assert x86[0].aliases == ("manylinux1",)
    assert [p.priority for p in x86] == sorted((p.priority for p in x86), reverse=True)
    assert load_policies(Libc.GLIBC, "aarch64")[0].name == "manylinux_2_17"
    assert load_policies(Libc.GLIBC, "loongarch64")[0].name == "manylinux_2_36"
    musl = load_policies(Libc.MUSL, "x86_64")
    assert [p.name for p in musl] == ["musllinux_1_1", "musllinux_1_2"]
    assert "libc.musl-x86_64.so.1" in musl[0].whitelist


def test_old_symbols_give_the_oldest_policy_with_its_alias() -> None:
    verdict = evaluate([elf()])
    assert verdict.platform_tag == "manylinux_2_5_x86_64.manylinux1_x86_64"
    assert verdict.failures == ()


def test_a_newer_symbol_version_names_symbol_library_and_policy() -> None:
    info = elf(
        needs={"libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.17"}},
        symbols=(
            ("clock_gettime", "GLIBC_2.17", "libc.so.6"),
            ("malloc", "GLIBC_2.2.5", "libc.so.6"),
        ),
    )
    verdict = evaluate([info])
    assert verdict.platform_tag == "manylinux_2_17_x86_64.manylinux2014_x86_64"
    assert [r.policy.name for r in verdict.failures] == ["manylinux_2_5", "manylinux_2_12"]
    reason = verdict.failures[0].reasons[0]
    assert str(reason) == "demo/demo.so needs GLIBC_2.17 from libc.so.6 (symbol `clock_gettime`)"
    assert reason.to_json()["symbols"] == ["clock_gettime"]


def test_unknown_version_prefixes_are_not_policed() -> None:
    info = elf(needs={"libc.so.6": {"GLIBC_2.2.5"}, "libssl.so.3": {"OPENSSL_3.0.0"}})
    assert evaluate([info]).results[0].reasons == ()


def test_weak_references_to_blacklisted_symbols_do_not_count() -> None:
    needed = ("libz.so.1", "libc.so.6")
    assert evaluate([elf(needed=needed)]).policy is not None
    strong = evaluate([elf(needed=needed, undefined=frozenset({"_tr_init"}))])
    assert strong.platform_tag == "linux_x86_64"
    assert str(strong.failures[0].reasons[0]) == (
        "demo/demo.so uses `_tr_init` from libz.so.1, which the policy forbids"
    )


def test_external_library_unless_bundled_through_origin_rpath() -> None:
    native = elf(needed=("libfoo.so.1", "libc.so.6"))
    verdict = evaluate([native])
    assert verdict.platform_tag == "linux_x86_64"
    assert {r.kind for f in verdict.failures for r in f.reasons} == {"external-library"}
    assert "links libfoo.so.1, a library outside the policy" in str(verdict.failures[0].reasons[0])
    bundled = elf(needed=("libfoo.so.1", "libc.so.6"), rpath=("$ORIGIN/../demo.libs",))
    lib = elf("demo.libs/libfoo.so.1")
    assert evaluate([bundled, lib]).platform_tag.startswith("manylinux_2_5_x86_64")
    # the same file elsewhere in the wheel is not where the loader looks
    assert evaluate([native, lib]).platform_tag == "linux_x86_64"


@pytest.mark.parametrize(
    "library", ["libpython3.11.so.1.0", "libpython3.13t.so", "libpython3.so", "libpypy3.9-c.so",
                "libpypy3-c.so", "libgraalpy.so"],
)
def test_the_interpreters_library_rules_out_every_policy_as_built(library: str) -> None:
    verdict = evaluate([elf(needed=(library, "libc.so.6"))])
    assert verdict.policy is None
    [reason] = verdict.failures[0].reasons
    assert reason.kind == "interpreter-library"
    assert str(reason) == (
        f"demo/demo.so links {library}, the interpreter's own library (a repair drops it: "
        "the interpreter that imports the module provides it)"
    )


def test_a_foreign_architecture_rules_out_every_policy() -> None:
    arm = elf()._replace(path="demo/arm.so", arch="aarch64")
    verdict = evaluate([elf(), arm], arch="x86_64")
    assert verdict.policy is None
    assert "built for aarch64, not x86_64" in str(verdict.failures[0].reasons[0])


def test_unknown_architecture_is_an_error() -> None:
    with pytest.raises(AuditError, match="cannot tell which architecture"):
        evaluate([elf(arch=None)])


def test_musl_files_get_the_oldest_musllinux_policy_their_symbols_allow() -> None:
    info = elf(needed=("libc.musl-x86_64.so.1",), needs={}, libc=Libc.MUSL,
               undefined=frozenset({"malloc", "free"}))
    verdict = evaluate([info])
    assert verdict.libc is Libc.MUSL
    assert verdict.platform_tag == "musllinux_1_1_x86_64"
    assert choose_platform_tag(verdict, parse_compatibility("musllinux_1_2")) == (
        "musllinux_1_2_x86_64"
    )
    with pytest.raises(AuditError, match="linked against musl, not glibc"):
        choose_platform_tag(verdict, parse_compatibility("2014"))
    newer = evaluate([elf(needed=("libc.musl-x86_64.so.1",), needs={}, libc=Libc.MUSL,
                          undefined=frozenset({"malloc", "qsort_r", "reallocarray"}))])
    assert newer.platform_tag == "musllinux_1_2_x86_64"
    [reason] = newer.failures[0].reasons
    assert (reason.kind, reason.library, reason.version, reason.symbols) == (
        "musl-symbol", "libc.musl-x86_64.so.1", "1.2", ("qsort_r", "reallocarray"))
    assert str(reason) == ("demo/demo.so uses `qsort_r`, `reallocarray` from "
                           "libc.musl-x86_64.so.1, which musl has only since 1.2")


def test_choose_platform_tag_for_requests() -> None:
    info = elf(
        needs={"libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.28"}},
        symbols=(("fcntl64", "GLIBC_2.28", "libc.so.6"),),
    )
    verdict = evaluate([info])
    assert choose_platform_tag(verdict) == "manylinux_2_28_x86_64"
    assert choose_platform_tag(verdict, parse_compatibility("2_34")) == "manylinux_2_34_x86_64"
    assert choose_platform_tag(verdict, parse_compatibility("off")) == "linux_x86_64"
    unchecked = parse_compatibility("2014-unchecked")
    assert choose_platform_tag(verdict, unchecked) == "manylinux_2_17_x86_64.manylinux2014_x86_64"
    with pytest.raises(AuditError) as caught:
        choose_platform_tag(verdict, parse_compatibility("2014"))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        "the wheel is not manylinux_2_17_x86_64 compatible: "
        "demo/demo.so needs GLIBC_2.28 from libc.so.6 (symbol `fcntl64`)"
    )
    assert "manylinux_2_17-unchecked" in message
    assert isinstance(caught.value, Pyo3PackError)


def test_render_and_json() -> None:
    info = elf(
        needs={"libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.28"}},
        symbols=(("fcntl64", "GLIBC_2.28", "libc.so.6"), ("getauxval", "GLIBC_2.17", "libc.so.6")),
    )
    verdict = evaluate([info])
    lines = verdict.render()
    assert lines[0] == "platform tag: manylinux_2_28_x86_64 (glibc, x86_64)"
    assert "symbol versions from libc.so.6: GLIBC_2.2.5, GLIBC_2.17, GLIBC_2.28" in lines
    assert (
        "not manylinux_2_27_x86_64: demo/demo.so needs GLIBC_2.28 from libc.so.6 "
        "(symbol `fcntl64`)" in lines
    )
    # each reason is shown once, at the most compatible policy it first rules out
    assert sum("fcntl64" in line for line in lines) == 1
    assert any(line.startswith("not manylinux_2_12_x86_64, also:") for line in lines)
    data = json.loads(json.dumps(verdict.to_json()))
    assert data["platform_tag"] == "manylinux_2_28_x86_64"
    assert data["policy"] == "manylinux_2_28_x86_64"
    assert data["versioned_symbols"] == {"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.28"]}
    assert data["failures"]["manylinux_2_5_x86_64"][0]["kind"] == "symbol-version"


def test_shipped_policies_match_auditwheel() -> None:
    import auditwheel.policy as policy_module  # from the test extra
    theirs = Path(policy_module.__file__).parent
    ours = resources.files("setuptools_pyo3pack.audit") / "policies"
    for name in ("manylinux-policy.json", "musllinux-policy.json"):
        assert json.loads((ours / name).read_text()) == json.loads((theirs / name).read_text()), (
            f"{name} differs from auditwheel's: copy the new file and update policies/NOTICE.md"
        )


def test_shipped_policies_keep_pep600_monotony() -> None:
    """Newer policies only add libraries and symbol versions (what the verdict relies on)."""
    policies = load_policies(Libc.GLIBC, "x86_64")
    for stricter, looser in zip(policies, policies[1:]):
        assert stricter.whitelist <= looser.whitelist
        for prefix, versions in stricter.symbol_versions.items():
            assert versions <= looser.symbol_versions[prefix]
