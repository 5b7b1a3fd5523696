"""Reading native files compiled with gcc at test time, and the verdict they get."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import AuditError, Libc, audit_files, read_elf
from setuptools_pyo3pack.audit.elf import is_elf
from tests.unit.audit_fixtures import Natives, build_natives


@pytest.fixture(scope="session")
def natives(tmp_path_factory: pytest.TempPathFactory) -> Natives:
    return build_natives(tmp_path_factory.getbasetemp() / "audit-natives")


def _host_glibc() -> tuple[int, ...]:
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (ValueError, OSError):
        version = ""
    if not version.startswith("glibc "):
        return (0,)
    return tuple(int(part) for part in version.split()[1].split("."))


needs_glibc_234 = pytest.mark.skipif(
    _host_glibc() < (2, 34), reason="the host glibc predates GLIBC_2.34 symbol versions"
)


def test_old_library_facts(natives: Natives) -> None:
    info = read_elf(natives.old, name="demo/old.so")
    assert (info.path, info.arch, info.elf_class, info.machine) == (
        "demo/old.so", "x86_64", 64, "EM_X86_64",
    )
    assert info.libc is Libc.GLIBC
    assert info.interpreter is None
    assert info.needed == ("libc.so.6",)
    assert info.version_needs == {"libc.so.6": frozenset({"GLIBC_2.2.5"})}
    assert {"malloc", "free"} <= info.undefined_symbols
    assert "malloc" in info.symbols_for("libc.so.6", "GLIBC_2.2.5")


def test_old_library_gets_manylinux1(natives: Natives) -> None:
    verdict = audit_files([natives.old])
    assert verdict.platform_tag == "manylinux_2_5_x86_64.manylinux1_x86_64"
    assert verdict.failures == ()


@needs_glibc_234
def test_new_glibc_symbols_are_named(natives: Natives) -> None:
    info = read_elf(natives.new)
    assert {"GLIBC_2.33", "GLIBC_2.34"} <= info.version_needs["libc.so.6"]
    assert info.symbols_for("libc.so.6", "GLIBC_2.34") == ("dlopen", "pthread_create")
    verdict = audit_files([natives.new], root=natives.new.parent)
    assert verdict.platform_tag == "manylinux_2_34_x86_64"
    messages = [str(r) for r in verdict.failures[-1].reasons]
    assert (
        "new.so needs GLIBC_2.34 from libc.so.6 (symbols `dlopen`, `pthread_create`)" in messages
    )
    assert "new.so needs GLIBC_2.33 from libc.so.6 (symbol `stat`)" in messages
    assert verdict.failures[-1].policy.name == "manylinux_2_31"


def test_weak_undefined_symbol_is_not_counted(natives: Natives) -> None:
    info = read_elf(natives.zweak)
    assert "libz.so.1" in info.needed
    assert "_tr_init" not in info.undefined_symbols
    assert "zlibVersion" in info.undefined_symbols
    # zlib itself is allowed by every policy
    assert audit_files([natives.zweak]).platform_tag.startswith("manylinux_2_5_x86_64")


def test_strong_blacklisted_symbol_rules_out_manylinux(natives: Natives) -> None:
    verdict = audit_files([natives.zstrong])
    assert verdict.platform_tag == "linux_x86_64"
    assert str(verdict.failures[0].reasons[0]) == (
        "zstrong.so uses `_tr_init` from libz.so.1, which the policy forbids"
    )


def test_external_library_and_rpath(natives: Natives) -> None:
    info = read_elf(natives.ext)
    assert info.needed[0] == "libhelper.so.1"
    assert info.rpath == ("/opt/one", "/opt/two")
    assert info.runpath == ()
    assert read_elf(natives.helper).soname == "libhelper.so.1"
    assert read_elf(natives.ext_origin).runpath == ("$ORIGIN/../demo.libs",)
    verdict = audit_files([natives.ext])
    assert verdict.platform_tag == "linux_x86_64"
    assert [str(r) for r in verdict.failures[0].reasons] == [
        "ext.so links libhelper.so.1, a library outside the policy"
    ]


@needs_glibc_234
def test_executable(natives: Natives) -> None:
    info = read_elf(natives.hello)
    assert info.interpreter is not None and "ld-linux" in info.interpreter
    assert info.libc is Libc.GLIBC
    assert info.symbols_for("libc.so.6", "GLIBC_2.34") == ("__libc_start_main",)


def test_not_an_elf_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.so"
    text.write_bytes(b"\x7fELF but not really")
    assert is_elf(text.read_bytes())
    with pytest.raises(AuditError, match=r"notes\.so is not a valid ELF file"):
        read_elf(text)
    with pytest.raises(AuditError, match="cannot read native file"):
        read_elf(tmp_path / "missing.so")
