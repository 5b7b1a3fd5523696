"""manylinux / musllinux audit: which policy native files satisfy, and re-tagging wheels.

The names below are loaded on first use, so importing the package (as the CLI does to register
`pyo3-pack audit`) stays cheap; pyelftools itself is only imported when an ELF file is read.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compat import Compatibility, choose_platform_tag, parse_compatibility, platform_tag
    from .elf import ElfInfo, Libc, read_elf
    from .errors import AuditError, UnknownPolicyError
    from .policy import Policy, Reason, check_policy, load_policies
    from .verdict import PolicyResult, Verdict, evaluate
    from .wheel import WheelAudit, audit_files, audit_wheel

_WHERE = {
    "Compatibility": "compat",
    "choose_platform_tag": "compat",
    "parse_compatibility": "compat",
    "platform_tag": "compat",
    "ElfInfo": "elf",
    "Libc": "elf",
    "read_elf": "elf",
    "AuditError": "errors",
    "UnknownPolicyError": "errors",
    "Policy": "policy",
    "Reason": "policy",
    "check_policy": "policy",
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
