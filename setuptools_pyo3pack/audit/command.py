"""`pyo3-pack audit WHEEL... [--json] [--compatibility POLICY]`: the verdict on built wheels.

`register` adds it to the full CLI's parser; `frontends/audit_cli.py` runs it on its own
(the CLI hands `pyo3-pack audit` straight to it, so an audit imports nothing of the build).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def _audit(args: argparse.Namespace) -> int:
    from .errors import AuditError
    from .record import verify_record
    from .wheel import audit_wheel, parse_wheel_name

    for path in args.wheels:
        parse_wheel_name(path)
        if not path.is_file():
            raise AuditError(f"{path} does not exist", hint="pass the path of a built .whl file")
        verify_record(path)
    audits = [audit_wheel(path) for path in args.wheels]
    if args.json:
        print(json.dumps([audit.to_json() for audit in audits], indent=2))
    else:
        print("\n".join(audit.render() for audit in audits))
    if args.compatibility:
        _check(args.compatibility, audits)
    return 0


def _check(value: str, audits: Sequence[Any]) -> None:
    """Raise the one-line AuditError of the first wheel that does not meet the policy."""
    from .compat import choose_platform_tag, parse_compatibility
    from .errors import AuditError

    requested = parse_compatibility(value)
    for audit in audits:
        if audit.verdict is None:
            continue
        try:
            choose_platform_tag(audit.verdict, requested)
        except AuditError as exc:
            raise AuditError(f"{audit.path.name}: {exc.message}", hint=exc.hint) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("wheels", nargs="+", type=Path, metavar="WHEEL", help="wheel files")
    parser.add_argument("--json", action="store_true",
                        help="print the verdicts as JSON, with every policy's reasons")
    parser.add_argument("--compatibility", metavar="POLICY",
                        help="fail (exit 1) unless every wheel meets this policy, e.g. 2014, "
                        "manylinux_2_28, musllinux_1_2")
    parser.set_defaults(handler=_audit)


DESCRIPTION = (
    "Read the native files of each wheel and report the most compatible manylinux or "
    "musllinux policy they satisfy, with the symbol versions, symbols and libraries that "
    "rule out the stricter ones."
)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `audit` sub-command to the CLI's sub-parsers."""
    audit = commands.add_parser(
        "audit",
        help="show the most compatible manylinux/musllinux tag of built wheels, and why",
        description=DESCRIPTION,
    )
    add_arguments(audit)
