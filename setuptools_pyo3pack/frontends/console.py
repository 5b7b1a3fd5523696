"""What the CLI says: status lines on stderr (coloured only for a terminal, fewer with -q,
more with -v), errors as one line (a traceback too with -v), JSON documents on stdout.

The core reports through `_process.log`/`detail`; `install` routes those lines here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO

from .. import _process
from ..errors import Pyo3PackError, caused_by_interrupt

COLOR_CHOICES = ("auto", "always", "never")

_RESET = "\033[0m"
_STYLES = {"prefix": "\033[2m", "step": "\033[1;36m", "warning": "\033[1;33m",
           "error": "\033[1;31m", "done": "\033[32m"}
#: Status lines that announce a result, shown in green.
_DONE = ("wrote ", "unchanged ", "installed ")


def wants_color(choice: str | None, *, tty: bool, env: Mapping[str, str]) -> bool:
    """`--color` wins; then NO_COLOR (any non-empty value), then FORCE_COLOR (likewise),
    then a dumb terminal; otherwise colour exactly when the stream is a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return tty and env.get("TERM") != "dumb"


def verbosity_of(quiet: bool, verbose: int) -> int:
    """-1 with -q (errors only; it wins over -v), else the number of -v."""
    return -1 if quiet else int(verbose)


@dataclass(frozen=True)
class Console:
    verbosity: int = 0
    color: bool = False
    stream: TextIO | None = None
    """None: `sys.stderr` as it is when writing (pytest swaps it)."""

    def _paint(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color and text else text

    def render(self, step: str, message: str) -> str:
        head, _, rest = message.partition(": ")
        if head in ("warning", "error") and rest:
            message = f"{self._paint(head, head + ':')} {rest}"
        elif message.startswith(_DONE):
            message = self._paint("done", message)
        return f"{self._paint('prefix', 'pyo3-pack:')} {self._paint('step', step.strip())}" \
            f"{' ' if step else ''}{message}"

    def status(self, step: str, message: str) -> None:
        """The `_process` sink: one status line."""
        stream = self.stream or sys.stderr
        print(self.render(step, message), file=stream, flush=True)

    def error(self, exc: BaseException) -> None:
        """An error's one line, after its traceback with -v."""
        stream = self.stream or sys.stderr
        if self.verbosity >= 1:
            print(_process.redact(_traceback(exc)), file=stream, end="")
        print(self.render("", f"error: {_process.redact(str(exc))}"), file=stream, flush=True)

    def bug(self, exc: BaseException) -> None:
        """An unexpected exception: its traceback, with any password or token masked."""
        print(_process.redact(_traceback(exc)), file=self.stream or sys.stderr, end="",
              flush=True)


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def add_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """-q, -v and --color. A sub-command gets them too (so `build -v` works), with no
    default of its own so the one given before the command survives; a flag the
    sub-command already has (upload's -v) keeps its own meaning."""
    taken = set(parser._option_string_actions)
    extra: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    group = parser.add_argument_group("output")
    if not {"-q", "--quiet"} & taken:
        group.add_argument("-q", "--quiet", action="store_true", **extra,
                           help="print errors only (cargo gets --quiet)")
    if not {"-v", "--verbose"} & taken:
        group.add_argument("-v", "--verbose", action="count", **({"default": 0} | extra),
                           help="say more: the commands run, and a traceback with an error; "
                           "each -v is passed to cargo (-vv: build scripts' output too)")
    if "--color" not in taken:
        group.add_argument("--color", choices=COLOR_CHOICES, metavar="WHEN", **extra,
                           help="colour the output: auto (when stderr is a terminal and "
                           "NO_COLOR is unset), always, never; passed to cargo")


def from_args(args: argparse.Namespace, *, stream: TextIO | None = None,
              env: Mapping[str, str] | None = None) -> Console:
    out = stream or sys.stderr
    env = os.environ if env is None else env
    tty = hasattr(out, "isatty") and out.isatty()
    return Console(verbosity=verbosity_of(bool(getattr(args, "quiet", False)),
                                          int(getattr(args, "verbose", 0) or 0)),
                   color=wants_color(getattr(args, "color", None), tty=tty, env=env),
                   stream=stream)


def cargo_color(choice: str | None, env: Mapping[str, str]) -> str | None:
    """CARGO_TERM_COLOR for NO_COLOR and FORCE_COLOR, which cargo does not read itself; None
    when cargo's own choice stands (an explicit --color is passed to cargo as a flag)."""
    if choice is not None or env.get("CARGO_TERM_COLOR"):
        return None
    if env.get("NO_COLOR"):
        return "never"
    return "always" if env.get("FORCE_COLOR") else None


@contextmanager
def _cargo_environment(choice: str | None) -> Iterator[None]:
    value = cargo_color(choice, os.environ)
    if value is not None:
        os.environ["CARGO_TERM_COLOR"] = value
    try:
        yield
    finally:
        if value is not None:
            os.environ.pop("CARGO_TERM_COLOR", None)


def run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command with the console in charge of the core's output: the error boundary
    of the CLI (one line and the error's exit code; 130 on Ctrl-C)."""
    console = from_args(args)
    _process.configure(verbosity=console.verbosity, sink=console.status)
    try:
        with _cargo_environment(getattr(args, "color", None)):
            return int(handler(args))
    except Pyo3PackError as exc:
        console.error(exc)
        return exc.exit_code
    except KeyboardInterrupt:
        console.status("", "interrupted")
        return 130
    except BrokenPipeError:  # stdout's reader left (`| head`): stop quietly, as `cat` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        if caused_by_interrupt(exc):  # Ctrl-C inside an import surfaces as its RuntimeError
            console.status("", "interrupted")
            return 130
        console.bug(exc)  # a bug: shown whole, but never with a secret in it
        return 1
    finally:
        _process.configure(verbosity=0)


def emit_json(document: object) -> None:
    """The one JSON document of a `--json` command, on stdout."""
    print(json.dumps(document, indent=2, sort_keys=False), flush=True)
