"""A small ELF reader for exactly what the audit needs, from the program headers onwards.

Everything a verdict needs is reachable from the ELF header without section headers (which sit
at the end of the file): PT_INTERP, the PT_DYNAMIC segment (DT_NEEDED, DT_SONAME, DT_RPATH,
DT_RUNPATH and the addresses of the tables below), the dynamic string and symbol tables, the
symbol version indices (DT_VERSYM) and the version needs (DT_VERNEED). The symbol count comes
from DT_HASH or DT_GNU_HASH. 32- and 64-bit, little- and big-endian files are read alike.

Bytes come from a `Source` (`sources.py`): a file, or a zip member inflated only as far as the
last structure read. Before reading the tables behind PT_DYNAMIC the reader tells the source
which ranges it will want, so a streaming source can keep them in one pass.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from typing import Protocol

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NEEDED, DT_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ, DT_SYMENT = 1, 4, 5, 6, 10, 11
DT_SONAME, DT_RPATH, DT_RUNPATH = 14, 15, 29
DT_GNU_HASH, DT_VERSYM, DT_VERNEED, DT_VERNEEDNUM = 0x6FFFFEF5, 0x6FFFFFF0, 0x6FFFFFFE, 0x6FFFFFFF
#: DT_* entries whose value is an address: the next one bounds a table of unknown length
_ADDRESS_TAGS = frozenset({3, 4, 5, 6, 7, 12, 13, 17, 23, 25, 26, 32, 36, DT_GNU_HASH,
                           DT_VERSYM, 0x6FFFFFFC, DT_VERNEED})
STB_WEAK, STT_FUNC, SHN_UNDEF = 2, 2, 0
EM_S390, EM_ALPHA = 22, 0x9026
#: a table larger than this is not a real one (a corrupt header, not a big library)
_LIMIT = 1 << 30


class ElfFormatError(ValueError):
    """The bytes are not a well-formed ELF file; the message says which structure is bad."""


if TYPE_CHECKING:

    class Source(Protocol):
        """Random-access bytes of one file."""

        def read(self, offset: int, size: int) -> bytes:
            """Exactly `size` bytes at `offset`; raises ElfFormatError past the end."""

        def want(self, ranges: Sequence[tuple[int, int]]) -> None:
            """(offset, size) ranges about to be read, in any order: a hint."""


# NamedTuples and plain classes, not dataclasses: creating a frozen dataclass takes about a
# millisecond at import, and `pyo3-pack audit` must start fast (see audit/__init__.py).


class Undefined(NamedTuple):
    """An undefined dynamic symbol: what the file asks of the libraries it needs."""

    name: str
    weak: bool
    #: (library, version) from DT_VERNEED when the symbol is bound to a needed version
    version: tuple[str, str] | None = None


class ElfFile(NamedTuple):
    """The structures the audit reads, straight from the file."""

    elf_class: int
    little_endian: bool
    machine: int
    file_type: int
    interpreter: str | None = None
    needed: tuple[str, ...] = ()
    soname: str | None = None
    rpath: tuple[str, ...] = ()
    runpath: tuple[str, ...] = ()
    #: needed library -> versions, in file order
    version_needs: dict[str, list[str]] = {}  # noqa: RUF012 (never mutated)
    undefined: tuple[Undefined, ...] = ()
    #: names of the functions the file defines (only read with `exported=True`)
    functions: tuple[str, ...] = ()


class _Layout:
    """Struct formats for one ELF class and byte order."""

    __slots__ = ("endian", "wide")

    def __init__(self, endian: str, wide: bool) -> None:
        self.endian, self.wide = endian, wide

    def unpack(self, fmt: str, data: bytes, offset: int = 0) -> tuple[int, ...]:
        return struct.unpack_from(self.endian + fmt, data, offset)

    @property
    def word(self) -> int:
        return 8 if self.wide else 4


def parse(source: Source, *, exported: bool = False) -> ElfFile:
    """Read one ELF file; `exported=True` also lists the functions it defines."""
    try:
        return _parse(source, exported=exported)
    except (struct.error, UnicodeError) as exc:
        raise ElfFormatError(f"truncated or corrupt dynamic tables ({exc})") from None


def _parse(source: Source, *, exported: bool) -> ElfFile:
    ident = source.read(0, 16)
    if ident[:4] != b"\x7fELF":
        raise ElfFormatError("no ELF magic")
    if ident[4] not in (1, 2) or ident[5] not in (1, 2):
        raise ElfFormatError(f"unknown ELF class {ident[4]} or byte order {ident[5]}")
    layout = _Layout("<" if ident[5] == 1 else ">", ident[4] == 2)
    header = source.read(16, 48 if layout.wide else 36)
    fmt = "HHIQQQIHHHHHH" if layout.wide else "HHIIIIIHHHHHH"
    file_type, machine, _, _, phoff, _, _, _, phentsize, phnum, _, _, _ = layout.unpack(fmt, header)
    phdrs = _program_headers(source, layout, phoff, phentsize, phnum)
    loads = [(vaddr, offset, filesz) for kind, offset, vaddr, filesz in phdrs if kind == PT_LOAD]
    interpreter = None
    for kind, offset, _, filesz in phdrs:
        if kind == PT_INTERP and 0 < filesz < 4096:
            interpreter = source.read(offset, filesz).split(b"\0", 1)[0].decode(errors="replace")
    base = ElfFile(ident[4] * 32, layout.endian == "<", machine, file_type, interpreter)
    dynamic = next(((o, s) for kind, o, _, s in phdrs if kind == PT_DYNAMIC and s), None)
    if dynamic is None:
        return base
    entries = _dynamic_entries(source, layout, *dynamic)
    return _Dynamic(source, layout, loads, entries, machine).read(base, exported=exported)


def _program_headers(
    source: Source, layout: _Layout, phoff: int, phentsize: int, phnum: int
) -> list[tuple[int, int, int, int]]:
    """(p_type, p_offset, p_vaddr, p_filesz) of every program header."""
    size = 56 if layout.wide else 32
    if phnum == 0:
        return []
    if phentsize < size or phnum >= 0xFFFF:
        raise ElfFormatError(f"unsupported program header table ({phnum} x {phentsize} bytes)")
    table = source.read(phoff, phentsize * phnum)
    headers = []
    for index in range(phnum):
        at = index * phentsize
        if layout.wide:
            kind, _, offset, vaddr, _, filesz = layout.unpack("IIQQQQ", table, at)
        else:
            kind, offset, vaddr, _, filesz = layout.unpack("IIIII", table, at)
        headers.append((kind, offset, vaddr, filesz))
    return headers


def _dynamic_entries(
    source: Source, layout: _Layout, offset: int, size: int
) -> list[tuple[int, int]]:
    entry = 16 if layout.wide else 8
    if size > _LIMIT:
        raise ElfFormatError(f"PT_DYNAMIC of {size} bytes")
    data = source.read(offset, size - size % entry)
    entries = []
    for tag, value in struct.iter_unpack(layout.endian + ("qQ" if layout.wide else "iI"), data):
        if tag == 0:
            break
        entries.append((tag, value))
    return entries


class _Dynamic:
    """The tables the dynamic segment points at, read through the PT_LOAD address map."""

    def __init__(
        self,
        source: Source,
        layout: _Layout,
        loads: list[tuple[int, int, int]],
        entries: list[tuple[int, int]],
        machine: int,
    ) -> None:
        self.source, self.layout, self.loads, self.entries = source, layout, loads, entries
        self.first: dict[int, int] = {}
        for tag, value in entries:
            self.first.setdefault(tag, value)
        self.addresses = sorted({v for t, v in entries if t in _ADDRESS_TAGS})
        # GNU ld writes 8-byte DT_HASH words for s390x and Alpha (lld writes 4): try 8 there
        self.hash_word = 8 if layout.wide and machine in (EM_S390, EM_ALPHA) else 4
        self.strtab = b""

    def offset(self, address: int) -> int:
        return self.extent(address)[0]

    def extent(self, address: int) -> tuple[int, int]:
        """(offset, size) from `address` to the next table or the end of its segment."""
        for vaddr, offset, filesz in self.loads:
            if vaddr <= address < vaddr + filesz:
                end = min([a for a in self.addresses if a > address] + [vaddr + filesz])
                return address - vaddr + offset, min(end - address, _LIMIT)
        raise ElfFormatError(f"address {address:#x} is outside every PT_LOAD segment")

    def string(self, offset: int) -> str:
        end = self.strtab.find(b"\0", offset)
        if offset >= len(self.strtab) or end < 0:
            raise ElfFormatError(f"string offset {offset} is outside the dynamic string table")
        return self.strtab[offset:end].decode(errors="replace")

    def read(self, base: ElfFile, *, exported: bool) -> ElfFile:
        if DT_STRTAB not in self.first:
            return base
        strtab = (self.offset(self.first[DT_STRTAB]), min(self.first.get(DT_STRSZ, 0), _LIMIT))
        wanted = (DT_VERNEED, DT_HASH, DT_GNU_HASH, DT_SYMTAB, DT_VERSYM)
        self.source.want([strtab, *(self.extent(self.first[t]) for t in wanted if t in self.first)])
        self.strtab = self.source.read(*strtab)
        texts = {tag: [self.string(v) for t, v in self.entries if t == tag]
                 for tag in (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH)}
        needs, by_index = self._version_needs()
        undefined, functions = self._symbols(by_index, exported)
        return ElfFile(
            base.elf_class, base.little_endian, base.machine, base.file_type, base.interpreter,
            needed=tuple(texts[DT_NEEDED]),
            soname=next(iter(texts[DT_SONAME]), None),
            rpath=_paths(texts[DT_RPATH]),
            runpath=_paths(texts[DT_RUNPATH]),
            version_needs=needs,
            undefined=undefined,
            functions=functions,
        )

    def _version_needs(self) -> tuple[dict[str, list[str]], dict[int, tuple[str, str]]]:
        needs: dict[str, list[str]] = {}
        by_index: dict[int, tuple[str, str]] = {}
        if DT_VERNEED not in self.first:
            return needs, by_index
        start, size = self.extent(self.first[DT_VERNEED])
        data = self.source.read(start, size)
        at = 0
        for _ in range(self.first.get(DT_VERNEEDNUM, 0)):
            _, count, file, aux, following = self.layout.unpack("HHIII", data, at)
            library = self.string(file)
            versions = needs.setdefault(library, [])
            aux_at = at + aux
            for _ in range(count):
                _, _, other, name, aux_next = self.layout.unpack("IHHII", data, aux_at)
                versions.append(self.string(name))
                by_index[other & 0x7FFF] = (library, versions[-1])
                if not aux_next:
                    break
                aux_at += aux_next
            if not following:
                break
            at += following
        return needs, by_index

    def _symbol_count(self) -> int | None:
        if DT_HASH in self.first:
            at = self.offset(self.first[DT_HASH])
            if self.hash_word == 8:
                nbucket, nchain = self.layout.unpack("QQ", self.source.read(at, 16))
                if nbucket < 1 << 32:
                    return nchain
                # 4-byte words after all: the "bucket count" holds both counts
            return self.layout.unpack("II", self.source.read(at, 8))[1]
        if DT_GNU_HASH not in self.first:
            return None
        at = self.offset(self.first[DT_GNU_HASH])
        nbuckets, symoffset, bloom_size, _ = self.layout.unpack("IIII", self.source.read(at, 16))
        buckets_at = at + 16 + bloom_size * self.layout.word
        buckets = self.layout.unpack(f"{nbuckets}I", self.source.read(buckets_at, 4 * nbuckets))
        last = max(buckets, default=0)
        if last < symoffset:
            return symoffset
        chain_at = buckets_at + 4 * nbuckets + 4 * (last - symoffset)
        while True:  # walk the last chain to its end marker (low bit set)
            (value,) = self.layout.unpack("I", self.source.read(chain_at, 4))
            if value & 1:
                return last + 1
            last, chain_at = last + 1, chain_at + 4

    def _symbols(
        self, by_index: dict[int, tuple[str, str]], exported: bool
    ) -> tuple[tuple[Undefined, ...], tuple[str, ...]]:
        if DT_SYMTAB not in self.first:
            return (), ()
        entry = self.first.get(DT_SYMENT) or (24 if self.layout.wide else 16)
        start, size = self.extent(self.first[DT_SYMTAB])
        count = self._symbol_count()
        count = size // entry if count is None else min(count, size // entry)
        data = self.source.read(start, count * entry)
        indices: Sequence[int] = ()
        if DT_VERSYM in self.first:
            versym = self.offset(self.first[DT_VERSYM])
            indices = self.layout.unpack(f"{count}H", self.source.read(versym, 2 * count))
        fmt = self.layout.endian + ("IBBHQQ" if self.layout.wide else "IIIBBH")
        undefined, functions = [], []
        for number in range(1, count):
            fields = struct.unpack_from(fmt, data, number * entry)
            if self.layout.wide:
                name, info, _, shndx, _, _ = fields
            else:
                name, _, _, info, _, shndx = fields
            if not name:
                continue
            if shndx == SHN_UNDEF:
                version = by_index.get(indices[number] & 0x7FFF) if indices else None
                undefined.append(Undefined(self.string(name), info >> 4 == STB_WEAK, version))
            elif exported and info & 0xF == STT_FUNC:
                functions.append(self.string(name))
        return tuple(undefined), tuple(functions)


def _paths(values: list[str]) -> tuple[str, ...]:
    return tuple(p for value in values for p in value.split(":") if p)
