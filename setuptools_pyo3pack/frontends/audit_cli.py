"""`pyo3-pack audit ...` on its own: the audit's parser with the console's options, without
importing anything of the build (the public `cli.main` sends `audit` here)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from ..audit.command import DESCRIPTION, add_arguments
from . import console
from .help_examples import EXAMPLES


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="pyo3-pack audit", description=DESCRIPTION,
        epilog=f"examples:\n{EXAMPLES['audit']}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    console.add_options(parser, top=True)
    args = parser.parse_args(argv)
    return console.run(args.handler, args)
