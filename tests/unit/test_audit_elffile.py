"""The audit's own ELF reader on constructed files: 32/64-bit, both byte orders, both hash
table styles, from a file and from a wheel member inflated only as far as needed."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import AuditError, evaluate
from setuptools_pyo3pack.audit.elf import exported_functions, read_elf, read_elf_source
from setuptools_pyo3pack.audit.elffile import ElfFormatError, parse
from setuptools_pyo3pack.audit.libc import Libc
from setuptools_pyo3pack.audit.sources import HEAD, FileSource, InflatedMember, member_source
from setuptools_pyo3pack.audit.zipdir import read_directory
from tests.unit.elf_builder import Spec, Sym, build

SYMBOLS = (
    Sym("malloc", version=("libc.so.6", "GLIBC_2.2.5")),
    Sym("stat", version=("libc.so.6", "GLIBC_2.33")),
    Sym("BZ2_bzCompress"),
    Sym("__gmon_start__", weak=True),
    Sym("pthread_create", version=("libc.so.6", "GLIBC_2.34")),
    Sym("_Unwind_Resume", version=("libgcc_s.so.1", "GCC_3.0")),
    Sym("PyInit_demo", defined=True),
    Sym("demo_table", defined=True, function=False),
)
MACHINES = {  # (class, little endian) -> a machine of that kind and its platform tag name
    (64, True): (62, "EM_X86_64", "x86_64"),
    (64, False): (22, "EM_S390", "s390x"),
    (32, True): (3, "EM_386", "i686"),
    (32, False): (20, "EM_PPC", None),
}


def spec(elf_class: int = 64, little: bool = True, **changes: object) -> Spec:
    machine = MACHINES[elf_class, little][0]
    fields: dict[str, object] = {
        "elf_class": elf_class, "little": little, "machine": machine,
        "needed": ("libbz2.so.1.0", "libgcc_s.so.1", "libc.so.6"),
        "soname": "libdemo.so", "rpath": "$ORIGIN/../demo.libs:/opt/x", "symbols": SYMBOLS,
    }
    fields.update(changes)
    return Spec(**fields)  # type: ignore[arg-type]


def write(tmp_path: Path, data: bytes, name: str = "demo.so") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("elf_class", "little"), list(MACHINES))
@pytest.mark.parametrize("hash_style", ["gnu", "sysv", "both"])
def test_every_class_byte_order_and_hash_style(
    elf_class: int, little: bool, hash_style: str, tmp_path: Path
) -> None:
    path = write(tmp_path, build(spec(elf_class, little, hash_style=hash_style)))
    info = read_elf(path, name="demo/demo.so")
    _, machine, arch = MACHINES[elf_class, little]
    assert (info.elf_class, info.little_endian, info.machine, info.arch) == (
        elf_class, little, machine, arch)
    assert info.needed == ("libbz2.so.1.0", "libgcc_s.so.1", "libc.so.6")
    assert info.soname == "libdemo.so"
    assert (info.rpath, info.runpath, info.interpreter) == (("$ORIGIN/../demo.libs", "/opt/x"),
                                                            (), None)
    assert info.version_needs == {
        "libc.so.6": frozenset({"GLIBC_2.2.5", "GLIBC_2.33", "GLIBC_2.34"}),
        "libgcc_s.so.1": frozenset({"GCC_3.0"}),
    }
    assert info.symbols_for("libc.so.6", "GLIBC_2.34") == ("pthread_create",)
    assert info.symbols_for("libgcc_s.so.1", "GCC_3.0") == ("_Unwind_Resume",)
    # weak undefined symbols are left out; defined ones are not undefined
    assert info.undefined_symbols == {"malloc", "stat", "BZ2_bzCompress", "pthread_create",
                                      "_Unwind_Resume"}
    assert (info.libc, info.libc_evidence) == (Libc.GLIBC, "DT_NEEDED libc.so.6")
    assert exported_functions(path) == {"PyInit_demo"}


def test_s390x_sysv_hash_has_8_byte_words(tmp_path: Path) -> None:
    # only a right symbol count finds the defined symbol at the end of the table
    path = write(tmp_path, build(spec(64, False, hash_style="sysv")))
    assert exported_functions(path) == {"PyInit_demo"}


def test_executable_with_interpreter_and_runpath(tmp_path: Path) -> None:
    data = build(spec(interpreter="/lib/ld-musl-x86_64.so.1", needed=("libc.musl-x86_64.so.1",),
                      rpath=None, runpath="$ORIGIN/lib", symbols=(Sym("puts"),), file_type=2))
    info = read_elf(write(tmp_path, data))
    assert info.interpreter == "/lib/ld-musl-x86_64.so.1"
    assert (info.rpath, info.runpath) == ((), ("$ORIGIN/lib",))
    assert (info.libc, info.libc_evidence) == (Libc.MUSL, "PT_INTERP ld-musl-x86_64.so.1")
    assert info.version_needs == {} and info.undefined_symbols == {"puts"}


def test_a_static_file_has_no_dynamic_facts(tmp_path: Path) -> None:
    data = build(spec(needed=(), soname=None, rpath=None, symbols=()))
    info = read_elf(write(tmp_path, data))
    assert (info.needed, info.libc, info.undefined_symbols) == ((), None, frozenset())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x7fELF\x03\x01\x01" + bytes(60), "unknown ELF class 3"),
        (build(spec())[:200], "the file ends"),
        (b"\x7fELF but not really", "unknown ELF class 32"),
    ],
)
def test_broken_files_are_one_line_errors(data: bytes, message: str, tmp_path: Path) -> None:
    with pytest.raises(AuditError) as caught:
        read_elf(write(tmp_path, data), name="demo/broken.so")
    text = str(caught.value)
    assert text.startswith("demo/broken.so is not a valid ELF file: ") and message in text
    assert "\n" not in text and "rebuild it" in text


def test_a_table_outside_every_segment_is_an_error() -> None:
    data = build(spec(extra_dynamic=[(0x6FFFFFFE, 0x10), (0x6FFFFFFF, 1)]))
    with pytest.raises(ElfFormatError):
        parse(FileSource(io.BytesIO(data)))


# -- wheel members: inflate only what the verdict needs ----------------------------------------


Member = Callable[..., "InflatedMember | FileSource"]


@pytest.fixture
def member(tmp_path: Path) -> Iterator[Member]:
    """A source for `data` as the one member of a wheel (deflated unless asked otherwise)."""
    with ExitStack() as stack:

        def make(
            data: bytes, compression: int = zipfile.ZIP_DEFLATED
        ) -> InflatedMember | FileSource:
            wheel = tmp_path / "demo-1.0-py3-none-linux_x86_64.whl"
            with zipfile.ZipFile(wheel, "w", compression) as archive:
                archive.writestr("demo/demo.so", data)
            raw = stack.enter_context(open(wheel, "rb"))
            [entry] = read_directory(raw)
            return member_source(raw, entry, wheel)

        yield make


def test_a_member_is_inflated_only_up_to_the_dynamic_segment(
    member: Member, tmp_path: Path
) -> None:
    debug_info = os.urandom(3 << 20)  # what follows the dynamic segment is never inflated
    data = build(spec(padding_before_dynamic=2 << 20, trailer=debug_info))
    source = member(data)
    assert isinstance(source, InflatedMember)
    info = read_elf_source(source, "demo/demo.so")
    assert info == read_elf(write(tmp_path, data), name="demo/demo.so")
    assert source.restarts == 0
    assert source.inflated < len(data) - len(debug_info) + (1 << 20)


def test_stored_blocks_are_hopped_over_not_inflated(member: Member, tmp_path: Path) -> None:
    # incompressible data (an embedded asset) before the dynamic segment: deflate stores it
    data = build(spec(blob=os.urandom(6 << 20),
                      padding_before_dynamic=300_000, trailer=os.urandom(1 << 20)))
    source = member(data)
    assert isinstance(source, InflatedMember)
    info = read_elf_source(source, "demo/demo.so")
    assert info == read_elf(write(tmp_path, data), name="demo/demo.so")
    assert source.hops >= 1 and source.restarts == 0
    # after a hop that went wrong the member is read again, all of it inflated
    source.without_hops()
    assert read_elf_source(source, "demo/demo.so") == info
    assert source.hops == 0 and source.restarts == 1


def test_tables_past_the_kept_head_are_read_in_a_second_pass(member: Member) -> None:
    data = build(spec(padding_before_tables=HEAD + 4096, padding_before_dynamic=1 << 20))
    source = member(data)
    assert isinstance(source, InflatedMember)
    assert read_elf_source(source, "x.so").needed[0] == "libbz2.so.1.0"
    assert source.restarts == 1


def test_a_stored_member_is_read_in_place(member: Member) -> None:
    data = build(spec())
    source = member(data, zipfile.ZIP_STORED)
    assert isinstance(source, FileSource)
    assert read_elf_source(source, "x.so").soname == "libdemo.so"


def test_a_bzip2_member_goes_through_zipfile(member: Member) -> None:
    data = build(spec(padding_before_dynamic=1 << 18))
    source = member(data, zipfile.ZIP_BZIP2)
    assert read_elf_source(source, "x.so").soname == "libdemo.so"


# -- recorded files built by zig for other architectures (see audit_fixtures/recorded) --------

RECORDED = Path(__file__).parent / "audit_fixtures" / "recorded"


@pytest.mark.parametrize(
    ("name", "facts", "libc", "undefined", "needs"),
    [
        ("x86-linux-gnu", ("EM_386", 32, True, "i686"), "libc.so.6",
         {"getenv", "stat", "strlen"}, {"GLIBC_2.0", "GLIBC_2.33"}),
        ("s390x-linux-gnu", ("EM_S390", 64, False, "s390x"), "libc.so.6",
         {"__xstat", "getenv"}, {"GLIBC_2.2"}),
        ("s390x-sysv", ("EM_S390", 64, False, "s390x"), "libc.so.6",
         {"__xstat", "getenv"}, {"GLIBC_2.2"}),
        ("powerpc64le-linux-gnu", ("EM_PPC64", 64, True, "ppc64le"), "libc.so.6",
         {"__xstat", "getenv", "strlen"}, {"GLIBC_2.17"}),
        ("powerpc-linux-musleabi", ("EM_PPC", 32, False, None), "libc.so",
         {"__stat_time64", "getenv", "strlen"}, None),
        ("arm-linux-musleabihf", ("EM_ARM", 32, True, "armv7l"), "libc.so",
         {"__stat_time64", "getenv"}, None),
        ("aarch64-linux-musl", ("EM_AARCH64", 64, True, "aarch64"), "libc.so",
         {"getenv", "stat", "strlen"}, None),
    ],
)
def test_recorded_files_of_other_architectures(
    name: str, facts: tuple[str, int, bool, str | None], libc: str, undefined: set[str],
    needs: set[str] | None,
) -> None:
    info = read_elf(RECORDED / f"{name}.so")
    assert (info.machine, info.elf_class, info.little_endian, info.arch) == facts
    assert (info.soname, info.needed) == ("libx.so.1", (libc,))
    assert info.runpath == (() if name == "s390x-sysv" else ("/opt/r",))
    assert info.undefined_symbols == undefined  # `weakfn` is weak: not counted
    assert info.version_needs == ({libc: frozenset(needs)} if needs else {})
    assert info.libc is (Libc.GLIBC if libc == "libc.so.6" else Libc.MUSL)
    assert exported_functions(RECORDED / f"{name}.so") == {"exported_fn"}


def test_a_32_bit_musl_file_with_time64_symbols_is_musllinux_1_2() -> None:
    verdict = evaluate([read_elf(RECORDED / "arm-linux-musleabihf.so", name="demo/x.so")])
    assert verdict.platform_tag == "musllinux_1_2_armv7l"
    assert str(verdict.failures[0].reasons[0]) == (
        "demo/x.so uses `__stat_time64` from libc.so, which musl has only since 1.2")
