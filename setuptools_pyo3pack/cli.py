"""The `pyo3-pack` command line (public path; it lives in `frontends.cli`).

`pyo3-pack audit` goes straight to the audit's own command, so it does not import the build.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .errors import caused_by_interrupt

__all__ = ["main", "process_main"]  # and `build_parser`, loaded on first use


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["audit"]:
        from .frontends.audit_cli import main as audit

        return audit(args[1:])
    from .frontends.cli import main as full

    return full(args)


def process_main() -> NoReturn:
    """`pyo3-pack` as its own process (the console script and `python -m`): `main`, then exit
    with its code, Ctrl-C reported in one line wherever it lands."""
    try:
        code = main()
    except BaseException as exc:  # before the console took charge (importing the CLI)
        if not caused_by_interrupt(exc):
            raise
        print("pyo3-pack: interrupted", file=sys.stderr)
        code = 130
    finally:
        # The work is over: a Ctrl-C now could only make the interpreter's shutdown (atexit,
        # threads) print a traceback of its own, so the exit goes ahead with `code`.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


def __getattr__(name: str) -> Any:
    if name == "build_parser":
        from .frontends.cli import build_parser

        return build_parser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
