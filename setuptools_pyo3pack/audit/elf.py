"""Read what the manylinux audit needs from one ELF file, in a single pass with pyelftools.

pyelftools reads through the file object on demand, so a large native file is never loaded
into memory as a whole. `elftools` is imported inside the functions: `pyo3-pack --help` and
builds that skip the audit never pay for it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import AuditError

if TYPE_CHECKING:
    from elftools.elf.elffile import ELFFile

ELF_MAGIC = b"\x7fELF"

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


class Libc(str, enum.Enum):
    GLIBC = "glibc"
    MUSL = "musl"

    def __str__(self) -> str:
        return self.value


def is_dynamic_loader(soname: str) -> bool:
    """`ld-linux-x86-64.so.2` and friends: always present, never part of a policy."""
    return soname.startswith("ld-linux") or soname in ("ld64.so.1", "ld64.so.2")


@dataclass(frozen=True)
class SymbolVersion:
    """One undefined dynamic symbol bound to a version of a library: `stat@GLIBC_2.33`."""

    symbol: str
    version: str
    library: str


@dataclass(frozen=True)
class ElfInfo:
    """Everything the policy check needs from one native file."""

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
    #: `.gnu.version_r`: needed library -> the symbol versions asked of it
    version_needs: Mapping[str, frozenset[str]] = field(hash=False)
    #: undefined dynamic symbols bound to a version, to name the symbol behind a version
    symbol_versions: tuple[SymbolVersion, ...]
    #: undefined dynamic symbols that are not weak (weak ones may be missing at run time)
    undefined_symbols: frozenset[str]
    #: glibc or musl, from PT_INTERP, DT_NEEDED or the version needs; None when static
    libc: Libc | None

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
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile

    try:
        elf = ELFFile(stream)
        return _read(elf, name)
    except ELFError as exc:
        raise AuditError(
            f"{name} is not a valid ELF file: {exc}",
            hint="rebuild it, or remove it from the wheel",
        ) from exc


def _read(elf: ELFFile, name: str) -> ElfInfo:
    machine = str(elf["e_machine"])
    elf_class = int(elf.elfclass)
    interpreter = _interpreter(elf)
    dynamic = _dynamic_tags(elf)
    version_needs, index_to_version = _version_needs(elf)
    symbol_versions, undefined = _dynamic_symbols(elf, index_to_version)
    needed = tuple(dynamic.get("DT_NEEDED", ()))
    return ElfInfo(
        path=name,
        machine=machine,
        elf_class=elf_class,
        little_endian=bool(elf.little_endian),
        arch=_ARCHITECTURES.get((machine, elf_class, bool(elf.little_endian))),
        soname=next(iter(dynamic.get("DT_SONAME", ())), None),
        interpreter=interpreter,
        needed=needed,
        rpath=_split_paths(dynamic.get("DT_RPATH", ())),
        runpath=_split_paths(dynamic.get("DT_RUNPATH", ())),
        version_needs=version_needs,
        symbol_versions=symbol_versions,
        undefined_symbols=undefined,
        libc=_libc(interpreter, needed, version_needs),
    )


def _interpreter(elf: ELFFile) -> str | None:
    from elftools.elf.segments import InterpSegment

    for segment in elf.iter_segments():
        if isinstance(segment, InterpSegment):
            return str(segment.get_interp_name())
    return None


def _dynamic_tags(elf: ELFFile) -> dict[str, list[str]]:
    """DT_NEEDED, DT_SONAME, DT_RPATH and DT_RUNPATH values, from the section or segment."""
    from elftools.elf.dynamic import DynamicSection, DynamicSegment

    table: Any = elf.get_section_by_name(".dynamic")
    if not isinstance(table, DynamicSection):
        table = next((s for s in elf.iter_segments() if isinstance(s, DynamicSegment)), None)
    tags: dict[str, list[str]] = {}
    if table is None:
        return tags
    attributes = {
        "DT_NEEDED": "needed",
        "DT_SONAME": "soname",
        "DT_RPATH": "rpath",
        "DT_RUNPATH": "runpath",
    }
    for tag in table.iter_tags():
        kind = tag.entry.d_tag
        if kind in attributes:
            tags.setdefault(kind, []).append(str(getattr(tag, attributes[kind])))
    return tags


def _split_paths(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for value in values for p in value.split(":") if p)


def _version_needs(
    elf: ELFFile,
) -> tuple[dict[str, frozenset[str]], dict[int, tuple[str, str]]]:
    """library -> versions, and the version index -> (library, version) map of `.gnu.version`."""
    from elftools.elf.gnuversions import GNUVerNeedSection

    section = elf.get_section_by_name(".gnu.version_r")
    needs: dict[str, set[str]] = {}
    by_index: dict[int, tuple[str, str]] = {}
    if isinstance(section, GNUVerNeedSection):
        for verneed, auxiliaries in section.iter_versions():
            library = str(verneed.name)
            for aux in auxiliaries:
                version = str(aux.name)
                needs.setdefault(library, set()).add(version)
                by_index[int(aux["vna_other"])] = (library, version)
    return {lib: frozenset(versions) for lib, versions in needs.items()}, by_index


def _dynamic_symbols(
    elf: ELFFile, index_to_version: dict[int, tuple[str, str]]
) -> tuple[tuple[SymbolVersion, ...], frozenset[str]]:
    from elftools.elf.gnuversions import GNUVerSymSection
    from elftools.elf.sections import SymbolTableSection

    dynsym = elf.get_section_by_name(".dynsym")
    if not isinstance(dynsym, SymbolTableSection):
        return (), frozenset()
    versym = elf.get_section_by_name(".gnu.version")
    versions = versym if isinstance(versym, GNUVerSymSection) else None
    bound: list[SymbolVersion] = []
    undefined: set[str] = set()
    for number, symbol in enumerate(dynsym.iter_symbols()):
        if symbol["st_shndx"] != "SHN_UNDEF" or not symbol.name:
            continue
        if symbol["st_info"]["bind"] != "STB_WEAK":
            undefined.add(symbol.name)
        if versions is None:
            continue
        index = versions.get_symbol(number)["ndx"]
        if isinstance(index, int) and (index & 0x7FFF) in index_to_version:
            library, version = index_to_version[index & 0x7FFF]
            bound.append(SymbolVersion(symbol.name, version, library))
    return tuple(bound), frozenset(undefined)


def _libc(
    interpreter: str | None, needed: tuple[str, ...], version_needs: Mapping[str, frozenset[str]]
) -> Libc | None:
    if interpreter:
        if "ld-musl" in interpreter:
            return Libc.MUSL
        return Libc.GLIBC
    if any(lib.startswith("libc.musl-") or lib == "libc.so" for lib in needed):
        return Libc.MUSL
    if "libc.so.6" in needed or any(
        version.startswith("GLIBC_") for versions in version_needs.values() for version in versions
    ):
        return Libc.GLIBC
    return None
