"""`pyo3-pack audit WHEEL... [--json] [--compatibility POLICY]`: the verdict on built wheels.

`main` runs the command on its own (the CLI hands `pyo3-pack audit` straight to it, so an
audit imports nothing of the build); `register` adds it to the full CLI's parser.
"""

from __future__ import annotations

import argparse
import json
import sys
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


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("wheels", nargs="+", type=Path, metavar="WHEEL", help="wheel files")
    parser.add_argument("--json", action="store_true",
                        help="print the verdicts as JSON, with every policy's reasons")
    parser.add_argument("--compatibility", metavar="POLICY",
                        help="fail (exit 1) unless every wheel meets this policy, e.g. 2014, "
                        "manylinux_2_28, musllinux_1_2")
    parser.set_defaults(handler=_audit)


_DESCRIPTION = (
    "Read the native files of each wheel and report the most compatible manylinux or "
    "musllinux policy they satisfy, with the symbol versions, symbols and libraries that "
    "rule out the stricter ones."
)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add the `audit` sub-command to the CLI's sub-parsers."""
    audit = commands.add_parser(
        "audit",
        help="show the most compatible manylinux/musllinux tag of built wheels, and why",
        description=_DESCRIPTION,
    )
    _add_arguments(audit)


def main(argv: Sequence[str]) -> int:
    """`pyo3-pack audit ARGV`, with the CLI's one-line errors and exit codes."""
    from ..errors import Pyo3PackError

    parser = argparse.ArgumentParser(prog="pyo3-pack audit", description=_DESCRIPTION)
    _add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except Pyo3PackError as exc:
        print(f"pyo3-pack: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pyo3-pack: interrupted", file=sys.stderr)
        return 130
