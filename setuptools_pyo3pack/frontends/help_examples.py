"""The "examples:" epilog of `pyo3-pack --help` and of each sub-command's help."""

from __future__ import annotations

import argparse
from typing import Any

MAIN = """\
  pyo3-pack build --release          wheels for every interpreter found, into target/wheels
  pyo3-pack develop                  build and install into the active virtualenv
  pyo3-pack build --json | jq .      what was written, as JSON on stdout
  pyo3-pack completions bash > ~/.local/share/bash-completion/completions/pyo3-pack"""

#: Per sub-command; a command not listed here (or with an epilog of its own) keeps its help.
EXAMPLES = {
    "build": """\
  pyo3-pack build --release                  one wheel per interpreter found
  pyo3-pack build -i python3.12 --sdist      one interpreter, and an sdist
  pyo3-pack build --target aarch64-unknown-linux-gnu --zig
  pyo3-pack build -q --json                  errors only on stderr, JSON on stdout""",
    "develop": """\
  pyo3-pack develop                  into the active virtualenv
  pyo3-pack develop -r -E test       release build, with the `test` extra's requirements
  pyo3-pack develop --uv -v          install with uv, and show the commands run""",
    "sdist": """\
  pyo3-pack sdist                    into target/wheels
  pyo3-pack sdist -o dist --json     into dist/, and print its path and hash as JSON""",
    "list-python": """\
  pyo3-pack list-python
  pyo3-pack list-python --json""",
    "audit": """\
  pyo3-pack audit target/wheels/*.whl
  pyo3-pack audit --compatibility manylinux_2_28 dist/*.whl
  pyo3-pack audit --json dist/*.whl""",
    "upload": """\
  pyo3-pack upload dist/*
  pyo3-pack upload --repository internal --skip-existing dist/*""",
    "publish": """\
  pyo3-pack publish                  build release wheels and the sdist, then upload
  pyo3-pack publish --repository internal""",
    "completions": """\
  pyo3-pack completions bash > ~/.local/share/bash-completion/completions/pyo3-pack
  pyo3-pack completions zsh > "${fpath[1]}/_pyo3-pack"
  pyo3-pack completions fish > ~/.config/fish/completions/pyo3-pack.fish""",
    "new": """\
  pyo3-pack new my-project""",
    "init": """\
  pyo3-pack init""",
    "generate-ci": """\
  pyo3-pack generate-ci github""",
}


def _set(parser: argparse.ArgumentParser, text: str) -> None:
    parser.epilog = f"examples:\n{text}"
    parser.formatter_class = argparse.RawDescriptionHelpFormatter


def add_examples(parser: argparse.ArgumentParser,
                 commands: argparse._SubParsersAction[Any]) -> None:
    _set(parser, MAIN)
    for name, sub in commands.choices.items():
        if name in EXAMPLES and not sub.epilog:
            _set(sub, EXAMPLES[name])
