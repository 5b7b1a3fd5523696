"""What the manylinux / musllinux audit knows about one native file (`ElfInfo`), and reading it.

The bytes are read by the small reader in `elffile.py` (program headers, the dynamic segment,
version needs and dynamic symbols only), from a file on disk or from a zip member inflated just
as far as needed (`sources.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import IO, NamedTuple

from . import elffile, libc
from .errors import AuditError
from .libc import Libc, is_dynamic_loader
from .sources import FileSource

__all__ = ["ELF_MAGIC", "ElfInfo", "Libc", "SymbolVersion", "is_dynamic_loader", "is_elf",
           "read_elf", "read_elf_source", "read_elf_stream"]

ELF_MAGIC = b"\x7fELF"

#: e_machine number -> the name reasons show
_MACHINES = {3: "EM_386", 8: "EM_MIPS", 20: "EM_PPC", 21: "EM_PPC64", 22: "EM_S390", 40: "EM_ARM",
             62: "EM_X86_64", 183: "EM_AARCH64", 243: "EM_RISCV", 258: "EM_LOONGARCH"}
#: (e_machine, ELF class, little endian) -> the architecture name platform tags use.
_ARCHITECTURES = {
    ("EM_386", 32, True): "i686",
    ("EM_X86_64", 64, True): "x86_64",
    ("EM_PPC64", 64, True): "ppc64le",
    ("EM_PPC64", 64, False): "ppc64",
    ("EM_RISCV", 64, True): "riscv64",
    ("EM_AARCH64", 64, True): "aarch64",
    ("EM_S390", 64, False): "s390x",
    ("EM_ARM", 32, True): "armv7l",
    ("EM_LOONGARCH", 64, True): "loongarch64",
}


class SymbolVersion(NamedTuple):
    """One undefined dynamic symbol bound to a version of a library: `stat@GLIBC_2.33`."""

    symbol: str
    version: str
    library: str


class ElfInfo(NamedTuple):
    """Everything the policy check needs from one native file (a NamedTuple rather than a
    dataclass so that importing the audit stays cheap: change it with `info._replace(...)`)."""

    #: where the file is: its path inside the wheel, or on disk
    path: str
    #: `e_machine`, e.g. `EM_X86_64`
    machine: str
    #: 32 or 64
    elf_class: int
    little_endian: bool
    #: platform tag architecture (`x86_64`, `aarch64`, ...), None for machines we do not know
    arch: str | None
    #: DT_SONAME, when the file has one
    soname: str | None
    #: the PT_INTERP program interpreter of executables
    interpreter: str | None
    #: DT_NEEDED in file order
    needed: tuple[str, ...]
    rpath: tuple[str, ...]
    runpath: tuple[str, ...]
    #: DT_VERNEED: needed library -> the symbol versions asked of it
    version_needs: Mapping[str, frozenset[str]]
    #: undefined dynamic symbols bound to a version, to name the symbol behind a version
    symbol_versions: tuple[SymbolVersion, ...]
    #: undefined dynamic symbols that are not weak (weak ones may be missing at run time)
    undefined_symbols: frozenset[str]
    #: glibc or musl, from PT_INTERP, DT_NEEDED or the version needs; None when static
    libc: Libc | None
    #: what in the file says which libc it uses (`PT_INTERP ld-musl-x86_64.so.1`), or None
    libc_evidence: str | None = None

    def symbols_for(self, library: str, version: str) -> tuple[str, ...]:
        """The symbols that make this file ask `library` for `version`, sorted."""
        return tuple(
            sorted(
                {
                    s.symbol
                    for s in self.symbol_versions
                    if s.library == library and s.version == version
                }
            )
        )


def is_elf(head: bytes) -> bool:
    return head[:4] == ELF_MAGIC


def read_elf(path: Path, *, name: str | None = None) -> ElfInfo:
    """Read one native file; `name` is what reasons call it (default: the path)."""
    try:
        with open(path, "rb") as stream:
            return read_elf_stream(stream, name or str(path))
    except OSError as exc:
        raise AuditError(f"cannot read native file {path}: {exc.strerror or exc}") from exc


def read_elf_stream(stream: IO[bytes], name: str) -> ElfInfo:
    """Read one native file from a seekable binary stream."""
    return read_elf_source(FileSource(stream), name)


def read_elf_source(source: elffile.Source, name: str) -> ElfInfo:
    """Read one native file from any byte source (a file, a zip member)."""
    try:
        parsed = elffile.parse(source)
    except elffile.ElfFormatError as exc:
        raise AuditError(
            f"{name} is not a valid ELF file: {exc}",
            hint="rebuild it, or remove it from the wheel",
        ) from None
    return info_from(parsed, name)


def info_from(parsed: elffile.ElfFile, name: str) -> ElfInfo:
    machine = _MACHINES.get(parsed.machine, f"EM_{parsed.machine}")
    version_needs = {lib: frozenset(v) for lib, v in parsed.version_needs.items()}
    found = libc.from_binary(parsed.interpreter, parsed.needed, version_needs)
    bound = tuple(
        SymbolVersion(s.name, s.version[1], s.version[0]) for s in parsed.undefined if s.version
    )
    return ElfInfo(
        path=name,
        machine=machine,
        elf_class=parsed.elf_class,
        little_endian=parsed.little_endian,
        arch=_ARCHITECTURES.get((machine, parsed.elf_class, parsed.little_endian)),
        soname=parsed.soname,
        interpreter=parsed.interpreter,
        needed=parsed.needed,
        rpath=parsed.rpath,
        runpath=parsed.runpath,
        version_needs=version_needs,
        symbol_versions=bound,
        undefined_symbols=frozenset(s.name for s in parsed.undefined if not s.weak),
        libc=found[0] if found else None,
        libc_evidence=found[1] if found else None,
    )


def exported_functions(path: Path) -> set[str] | None:
    """Names of the functions a shared library defines; None when it is not an ELF file."""
    try:
        with open(path, "rb") as stream:
            return set(elffile.parse(FileSource(stream), exported=True).functions)
    except (OSError, elffile.ElfFormatError):
        return None
