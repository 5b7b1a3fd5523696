"""glibc or musl: from the binary, the target, the file name, the wheel's tag, the host; a musl
binary is never manylinux and a glibc one never musllinux; musllinux_1_1 vs 1_2 by the symbols
used; every policy auditwheel knows can be asked for, and a refusal names its reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import (
    AuditError,
    Libc,
    choose_platform_tag,
    evaluate,
    parse_compatibility,
)
from setuptools_pyo3pack.audit import libc as libcs
from setuptools_pyo3pack.audit.policy import policy_names
from tests.unit.test_audit_policy import elf

MUSL_EXT = "demo/demo.cpython-312-x86_64-linux-musl.so"


@pytest.mark.parametrize(
    ("interpreter", "needed", "needs", "expected"),
    [
        ("/lib/ld-musl-x86_64.so.1", (), {}, (Libc.MUSL, "PT_INTERP ld-musl-x86_64.so.1")),
        ("/lib64/ld-linux-x86-64.so.2", (), {}, (Libc.GLIBC, "PT_INTERP ld-linux-x86-64.so.2")),
        (None, ("libc.musl-aarch64.so.1",), {}, (Libc.MUSL, "DT_NEEDED libc.musl-aarch64.so.1")),
        (None, ("libgcc_s.so.1", "libc.so"), {}, (Libc.MUSL, "DT_NEEDED libc.so")),
        (None, ("ld-musl-armhf.so.1",), {}, (Libc.MUSL, "DT_NEEDED ld-musl-armhf.so.1")),
        (None, ("libm.so.6", "libc.so.6"), {}, (Libc.GLIBC, "DT_NEEDED libc.so.6")),
        (None, ("ld64.so.2",), {}, (Libc.GLIBC, "DT_NEEDED ld64.so.2")),
        (None, ("libm.so.6",), {"libm.so.6": {"GLIBC_2.29"}},
         (Libc.GLIBC, "GLIBC_2.29 from libm.so.6")),
        (None, ("libz.so.1",), {}, None),
        (None, (), {}, None),
    ],
)
def test_libc_from_the_binary(
    interpreter: str | None, needed: tuple[str, ...], needs: dict[str, set[str]],
    expected: tuple[Libc, str] | None,
) -> None:
    assert libcs.from_binary(interpreter, needed, needs) == expected


@pytest.mark.parametrize(
    ("triple", "expected"),
    [("x86_64-unknown-linux-musl", Libc.MUSL), ("armv7-unknown-linux-musleabihf", Libc.MUSL),
     ("x86_64-unknown-linux-gnu", Libc.GLIBC), ("aarch64-unknown-linux-gnu.2.17", Libc.GLIBC),
     ("arm-unknown-linux-gnueabihf", Libc.GLIBC), ("x86_64-apple-darwin", None),
     ("wasm32-unknown-unknown", None)],
)
def test_libc_from_a_target_triple(triple: str, expected: Libc | None) -> None:
    assert libcs.from_triple(triple) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [(MUSL_EXT, Libc.MUSL), ("a/b.cpython-39-aarch64-linux-musl.so", Libc.MUSL),
     ("x.cpython-311-arm-linux-musleabihf.so", Libc.MUSL),
     ("x.cpython-312-x86_64-linux-gnu.so", Libc.GLIBC),
     ("x.cpython-310-x86_64-linux-gnu.so", None),  # musl CPython used -gnu before 3.11
     ("x.pypy39-pp73-x86_64-linux-gnu.so", None), ("x.abi3.so", None), ("libfoo.so.1", None)],
)
def test_libc_from_an_extensions_name(name: str, expected: Libc | None) -> None:
    assert libcs.from_file_name(name) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("musllinux_1_2_x86_64", Libc.MUSL), ("manylinux_2_17_x86_64.manylinux2014_x86_64",
                                           Libc.GLIBC),
     ("linux_x86_64", None), ("manylinux_2_17_x86_64.musllinux_1_2_x86_64", None)],
)
def test_libc_from_a_platform_tag(tag: str, expected: Libc | None) -> None:
    assert libcs.from_platform_tag(tag) == expected


def test_which_evidence_decides() -> None:
    musl = elf(needed=("libc.musl-x86_64.so.1",), needs={}, libc=Libc.MUSL)
    musl = musl._replace(libc_evidence="DT_NEEDED libc.musl-x86_64.so.1")
    hint = (Libc.GLIBC, "the wheel's platform tag manylinux_2_17_x86_64")
    # the binary beats a hint
    verdict = evaluate([musl], hint=hint)
    assert (verdict.libc, verdict.libc_from) == (
        Libc.MUSL, "DT_NEEDED libc.musl-x86_64.so.1 of demo/demo.so")
    # a static file: its name, else the hint, else the host
    named = elf(MUSL_EXT, needed=(), needs={}, libc=None)
    assert evaluate([named], hint=hint).libc is Libc.MUSL
    plain = elf(needed=(), needs={}, libc=None)
    assert evaluate([plain], hint=hint).libc_from == hint[1]
    assert evaluate([plain]).libc is libcs.host()
    # the build's target decides outright
    target = evaluate([plain], libc=Libc.MUSL, libc_from="the target x86_64-unknown-linux-musl")
    assert target.platform_tag == "musllinux_1_1_x86_64"


def test_a_musl_file_is_never_manylinux_and_a_glibc_file_never_musllinux() -> None:
    musl = evaluate([elf(needed=("libc.so",), needs={}, libc=Libc.MUSL)])
    glibc = evaluate([elf()])
    for verdict, other in ((musl, "manylinux"), (glibc, "musllinux")):
        data = json.loads(json.dumps(verdict.to_json()))
        refused = {tag: r for tag, r in data["policies"].items() if tag.startswith(other)}
        assert refused and all(reasons[0]["kind"] == "libc" for reasons in refused.values())
        assert not verdict.platform_tag.startswith(other)
    assert glibc.platform_tag.startswith("manylinux_2_5_x86_64")
    with pytest.raises(AuditError, match=r"linked against glibc, not musl.*build for a musl "):
        choose_platform_tag(glibc, parse_compatibility("musllinux_1_1"))


def test_a_static_file_is_held_to_the_target() -> None:
    plain = elf(needed=(), needs={}, libc=None)
    verdict = evaluate([plain], libc=Libc.MUSL, libc_from="the target x86_64-unknown-linux-musl")
    with pytest.raises(AuditError) as caught:
        choose_platform_tag(verdict, parse_compatibility("manylinux2014"))
    assert ("demo/demo.so: built for musl (the target x86_64-unknown-linux-musl), not glibc"
            in str(caught.value))


@pytest.mark.parametrize(
    ("elf_class", "arch", "symbol", "expected"),
    [(64, "x86_64", "malloc", "musllinux_1_1"), (64, "x86_64", "reallocarray", "musllinux_1_2"),
     (64, "aarch64", "statx", "musllinux_1_2"), (64, "x86_64", "__clock_gettime64",
                                                 "musllinux_1_1"),
     (32, "i686", "__clock_gettime64", "musllinux_1_2"), (32, "i686", "clock_gettime",
                                                          "musllinux_1_1")],
)
def test_musllinux_by_the_symbols_used(elf_class: int, arch: str, symbol: str,
                                       expected: str) -> None:
    info = elf(needed=("libc.so",), needs={}, libc=Libc.MUSL, undefined=frozenset({symbol}),
               arch=arch)._replace(elf_class=elf_class)
    assert evaluate([info]).policy.name == expected  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(policy_names()))
def test_every_policy_auditwheel_knows_can_be_asked_for(name: str) -> None:
    """Each request is met or refused in one line naming the file, and what it needs."""
    musl = elf(needed=("libc.so",), needs={}, libc=Libc.MUSL,
               undefined=frozenset({"qsort_r"}))
    glibc = elf(needs={"libc.so.6": {"GLIBC_2.2.5", "GLIBC_2.28"}},
                symbols=(("fcntl64", "GLIBC_2.28", "libc.so.6"),))
    requested = parse_compatibility(name)
    for info in (musl, glibc):
        verdict = evaluate([info])
        result = verdict.result_for(requested.policy or "")
        if result is None:  # no such policy for x86_64 (none today)
            continue
        try:
            tag = choose_platform_tag(verdict, requested)
        except AuditError as exc:
            message = str(exc)
            assert "\n" not in message and f"not {result.policy.tag} compatible" in message
            assert ("`fcntl64`" in message or "`qsort_r`" in message or "linked against"
                    in message), message
        else:
            assert tag == result.policy.platform_tag and result.satisfied


def test_audit_json_of_a_wheel_names_the_libc_and_every_policy(tmp_path: Path) -> None:
    from setuptools_pyo3pack.audit.wheel import WheelAudit

    verdict = evaluate([elf()])
    data = json.loads(json.dumps(WheelAudit(tmp_path / "w.whl", verdict).to_json()))
    assert data["libc"] == "glibc" and data["libc_from"]
    assert set(data["policies"]) >= {"manylinux_2_5_x86_64", "musllinux_1_2_x86_64"}
    assert data["policies"]["manylinux_2_5_x86_64"] == []
    assert data["failures"] == {}
