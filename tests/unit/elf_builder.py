"""Construct small ELF files byte by byte, for every class and byte order, to test the reader.

The files have program headers only (no section headers, as the reader never needs them): one
PT_LOAD mapping the whole file at `BASE`, an optional PT_INTERP and a PT_DYNAMIC. Their tables
are written in the order real linkers use (dynsym, versym, verneed, hash, dynstr), optional
padding can push them or the dynamic segment far into the file, and `trailer` bytes after the
dynamic segment stand for the debug info a reader should never inflate.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

BASE = 0x400000
PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3


@dataclass(frozen=True)
class Sym:
    name: str
    defined: bool = False
    weak: bool = False
    function: bool = True
    #: (library, version) for an undefined symbol bound to a needed version
    version: tuple[str, str] | None = None


@dataclass
class Spec:
    elf_class: int = 64
    little: bool = True
    machine: int = 62
    file_type: int = 3
    interpreter: str | None = None
    needed: tuple[str, ...] = ()
    soname: str | None = None
    rpath: str | None = None
    runpath: str | None = None
    symbols: tuple[Sym, ...] = ()
    #: "gnu", "sysv", "both" or "none"
    hash_style: str = "gnu"
    #: bytes between the ELF/program headers and the tables
    padding_before_tables: int = 0
    #: bytes between the tables and the dynamic segment, then `blob` (random bytes, say)
    padding_before_dynamic: int = 0
    blob: bytes = b""
    trailer: bytes = b""
    extra_dynamic: list[tuple[int, int]] = field(default_factory=list)


class _Strings:
    def __init__(self) -> None:
        self.data = bytearray(b"\0")
        self.offsets: dict[str, int] = {"": 0}

    def add(self, text: str) -> int:
        if text not in self.offsets:
            self.offsets[text] = len(self.data)
            self.data += text.encode() + b"\0"
        return self.offsets[text]


def build(spec: Spec) -> bytes:
    wide = spec.elf_class == 64
    e = "<" if spec.little else ">"
    word = "Q" if wide else "I"
    ehsize, phentsize = (64, 56) if wide else (52, 32)
    phnum = 3 if spec.interpreter else 2
    strings = _Strings()
    needed = [strings.add(n) for n in spec.needed]
    versions: dict[str, dict[str, int]] = {}
    for sym in spec.symbols:
        if sym.version:
            library, version = sym.version
            versions.setdefault(library, {})
            versions[library].setdefault(version, 2 + sum(len(v) for v in versions.values()))
    body = bytearray()
    at = ehsize + phnum * phentsize

    def place(data: bytes, align: int = 8) -> int:
        nonlocal body
        while (at + len(body)) % align:
            body += b"\0"
        offset = at + len(body)
        body += data
        return offset

    interp_at = place(spec.interpreter.encode() + b"\0", 1) if spec.interpreter else 0
    body += b"\x5a" * spec.padding_before_tables
    symbols = (Sym(""), *spec.symbols)
    undefined = [s for s in symbols[1:] if not s.defined]
    ordered = (Sym(""), *undefined, *(s for s in symbols[1:] if s.defined))
    entries = bytearray()
    for sym in ordered:
        name = strings.add(sym.name) if sym.name else 0
        info = ((2 if sym.weak else 1) << 4 | (2 if sym.function else 1)) if sym.name else 0
        shndx = 7 if sym.defined else 0
        if wide:
            entries += struct.pack(e + "IBBHQQ", name, info, 0, shndx, 0, 0)
        else:
            entries += struct.pack(e + "IIIBBH", name, 0, 0, info, 0, shndx)
    dynsym_at = place(bytes(entries))
    versym = b"".join(
        struct.pack(e + "H", versions[s.version[0]][s.version[1]] if s.version else
                    (0 if not s.name else 1))
        for s in ordered
    )
    versym_at = place(versym, 2)
    verneed = bytearray()
    libraries = list(versions)
    for index, library in enumerate(libraries):
        items = list(versions[library].items())
        following = 16 + 16 * len(items) if index + 1 < len(libraries) else 0
        verneed += struct.pack(e + "HHIII", 1, len(items), strings.add(library), 16, following)
        for number, (version, other) in enumerate(items):
            aux_next = 16 if number + 1 < len(items) else 0
            verneed += struct.pack(e + "IHHII", 0, 0, other, strings.add(version), aux_next)
    verneed_at = place(bytes(verneed), 4) if verneed else 0
    symoffset = 1 + len(undefined)
    hashes: list[tuple[int, int]] = []
    if spec.hash_style in ("sysv", "both"):
        hash_word = "Q" if wide and spec.machine == 22 else "I"
        table = struct.pack(e + hash_word * 3, 1, len(ordered), 0) + b"\0" * (
            len(ordered) * struct.calcsize(hash_word)
        )
        hashes.append((4, place(table)))
    if spec.hash_style in ("gnu", "both"):
        defined = len(ordered) - symoffset
        table = struct.pack(e + "IIII", 1, symoffset, 1, 6) + struct.pack(e + word, 0)
        table += struct.pack(e + "I", symoffset if defined else 0)
        table += b"".join(struct.pack(e + "I", 2 | (i == defined - 1)) for i in range(defined))
        hashes.append((0x6FFFFEF5, place(table)))
    texts = [(t, v) for t, v in ((14, spec.soname), (15, spec.rpath), (29, spec.runpath)) if v]
    dynamic_values = [(1, offset) for offset in needed] + [(t, strings.add(v)) for t, v in texts]
    dynstr_at = place(bytes(strings.data), 1)
    body += b"\x5b" * spec.padding_before_dynamic + spec.blob
    dynamic = [*dynamic_values,
               (5, BASE + dynstr_at), (10, len(strings.data)),
               (6, BASE + dynsym_at), (11, 24 if wide else 16),
               (0x6FFFFFF0, BASE + versym_at),
               *[(tag, BASE + offset) for tag, offset in hashes],
               *spec.extra_dynamic]
    if verneed:
        dynamic += [(0x6FFFFFFE, BASE + verneed_at), (0x6FFFFFFF, len(libraries))]
    dynamic.append((0, 0))
    dyn_format = e + ("qQ" if wide else "iI")
    dynamic_at = place(b"".join(struct.pack(dyn_format, t, v) for t, v in dynamic))
    dynamic_size = len(dynamic) * (16 if wide else 8)
    body += spec.trailer
    total = at + len(body)
    phdrs = [(PT_LOAD, 0, total)]
    if spec.interpreter:
        phdrs.append((PT_INTERP, interp_at, len(spec.interpreter) + 1))
    phdrs.append((PT_DYNAMIC, dynamic_at, dynamic_size))
    headers = bytearray()
    for kind, offset, size in phdrs:
        if wide:
            headers += struct.pack(e + "IIQQQQQQ", kind, 4, offset, BASE + offset, BASE + offset,
                                 size, size, 8)
        else:
            headers += struct.pack(e + "IIIIIIII", kind, offset, BASE + offset, BASE + offset,
                                 size, size, 4, 4)
    ident = b"\x7fELF" + bytes([spec.elf_class // 32, 1 if spec.little else 2, 1, 0]) + bytes(8)
    header_format = e + ("HHIQQQIHHHHHH" if wide else "HHIIIIIHHHHHH")
    header = ident + struct.pack(header_format, spec.file_type, spec.machine, 1, 0, ehsize, 0, 0,
                                 ehsize, phentsize, phnum, 0, 0, 0)
    return header + bytes(headers) + bytes(body)
