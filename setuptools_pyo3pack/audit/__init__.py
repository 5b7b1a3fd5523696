"""manylinux / musllinux audit: which policy native files satisfy, and re-tagging wheels.

The names below are loaded on first use, so importing the package (as the CLI does to register
`pyo3-pack audit`) stays cheap. ELF files are read by the package's own small reader
(`elffile.py`); the audit imports nothing outside the standard library but the base layer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check import Reason, check_policy
    from .compat import Compatibility, choose_platform_tag, parse_compatibility, platform_tag
    from .elf import ElfInfo, read_elf
    from .errors import AuditError, UnknownPolicyError
    from .libc import Libc
    from .policy import Policy, load_policies
    from .verdict import PolicyResult, Verdict, evaluate
    from .wheel import WheelAudit, audit_files, audit_wheel

_WHERE = {
    "Compatibility": "compat",
    "choose_platform_tag": "compat",
    "parse_compatibility": "compat",
    "platform_tag": "compat",
    "ElfInfo": "elf",
    "Libc": "libc",
    "read_elf": "elf",
    "AuditError": "errors",
    "UnknownPolicyError": "errors",
    "Policy": "policy",
    "Reason": "check",
    "check_policy": "check",
    "load_policies": "policy",
    "PolicyResult": "verdict",
    "Verdict": "verdict",
    "evaluate": "verdict",
    "WheelAudit": "wheel",
    "audit_files": "wheel",
    "audit_wheel": "wheel",
}

__all__ = [
    "AuditError",
    "Compatibility",
    "ElfInfo",
    "Libc",
    "Policy",
    "PolicyResult",
    "Reason",
    "UnknownPolicyError",
    "Verdict",
    "WheelAudit",
    "audit_files",
    "audit_wheel",
    "check_policy",
    "choose_platform_tag",
    "evaluate",
    "load_policies",
    "parse_compatibility",
    "platform_tag",
    "read_elf",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
