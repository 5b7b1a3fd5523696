"""The `pyo3-pack` command line (public path; it lives in `frontends.cli`).

`pyo3-pack audit` goes straight to the audit's own command, so it does not import the build.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]  # and `build_parser`, loaded on first use


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["audit"]:
        from .frontends.audit_cli import main as audit

        return audit(args[1:])
    from .frontends.cli import main as full

    return full(args)


def __getattr__(name: str) -> Any:
    if name == "build_parser":
        from .frontends.cli import build_parser

        return build_parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
