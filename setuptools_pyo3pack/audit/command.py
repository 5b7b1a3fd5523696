"""`pyo3-pack audit WHEEL... [--json]`: print the manylinux verdict of built wheels."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _audit(args: argparse.Namespace) -> int:
    from .wheel import audit_wheel

    audits = [audit_wheel(path) for path in args.wheels]
    if args.json:
        print(json.dumps([audit.to_json() for audit in audits], indent=2))
    else:
        print("\n".join(audit.render() for audit in audits))
    return 0


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `audit` sub-command to the CLI's sub-parsers."""
    audit = commands.add_parser(
        "audit",
        help="show the most compatible manylinux/musllinux tag of built wheels, and why",
        description="Read the native files of each wheel and report the most compatible "
        "manylinux or musllinux policy they satisfy, with the symbol versions and libraries "
        "that rule out the stricter ones.",
    )
    audit.add_argument("wheels", nargs="+", type=Path, metavar="WHEEL", help="wheel files")
    audit.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    audit.set_defaults(handler=_audit)
