"""PE (Windows) headers, as far as a wheel's check needs them: the machine, whether the file is
a DLL, the DLLs it imports (`python3.dll` for abi3 modules) and the names it exports."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from ..platforms.target import Architecture
from .errors import AuditError

MACHINES = {0x8664: Architecture.X86_64, 0x14C: Architecture.I686,
            0xAA64: Architecture.AARCH64}
IMAGE_FILE_DLL = 0x2000


@dataclass(frozen=True)
class PeInfo:
    machine: int
    is_dll: bool
    imports: tuple[str, ...]
    exports: tuple[str, ...]

    @property
    def arch(self) -> Architecture | None:
        return MACHINES.get(self.machine)

    @property
    def machine_name(self) -> str:
        return str(self.arch) if self.arch else hex(self.machine)


def is_pe(head: bytes) -> bool:
    return head[:2] == b"MZ"


def read_pe(path: Path) -> PeInfo:
    data = path.read_bytes()
    try:
        return _parse(data)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise AuditError(f"{path} is not a PE file this tool can read ({exc})") from None


def _parse(data: bytes) -> PeInfo:
    if data[:2] != b"MZ":
        raise ValueError("no MZ header")
    (pe,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe:pe + 4] != b"PE\0\0":
        raise ValueError("no PE signature")
    machine, sections, _, _, _, optional_size, characteristics = \
        struct.unpack_from("<HHIIIHH", data, pe + 4)
    optional = pe + 24
    (magic,) = struct.unpack_from("<H", data, optional)
    directories = optional + (112 if magic == 0x20B else 96)
    table = optional + optional_size
    spans = [struct.unpack_from("<IIII", data, table + 40 * i + 8) for i in range(sections)]

    def offset(rva: int) -> int:
        for virtual_size, address, raw_size, raw in spans:
            if address <= rva < address + max(virtual_size, raw_size):
                return int(rva - address + raw)
        raise ValueError(f"RVA {rva:#x} is in no section")

    def text(rva: int) -> str:
        start = offset(rva)
        return data[start:data.index(b"\0", start)].decode("ascii")

    export_rva, _, import_rva, _ = struct.unpack_from("<IIII", data, directories)
    imports = []
    if import_rva:
        entry = offset(import_rva)
        while True:
            fields = struct.unpack_from("<IIIII", data, entry)
            if not any(fields):
                break
            imports.append(text(fields[3]))
            entry += 20
    exports = []
    if export_rva:
        directory = offset(export_rva)
        # NumberOfNames at +24, AddressOfNames at +32 of the export directory
        (count,) = struct.unpack_from("<I", data, directory + 24)
        (names,) = struct.unpack_from("<I", data, directory + 32)
        names_at = offset(names)
        exports = [text(struct.unpack_from("<I", data, names_at + 4 * i)[0])
                   for i in range(count)]
    return PeInfo(machine, bool(characteristics & IMAGE_FILE_DLL), tuple(imports),
                  tuple(exports))
