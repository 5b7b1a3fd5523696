"""Every subprocess goes through here: logged, and failures rendered with their output."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import CommandError

#: How many lines of a failed command's output end up in the error.
TAIL_LINES = 3


def describe(argv: Sequence[str]) -> str:
    return shlex.join(str(part) for part in argv)


#: Where status lines go: called with the step prefix ("[2/5] cp312 " or "") and the line.
Sink = Callable[[str, str], None]


def _plain(step: str, message: str) -> None:
    print(f"pyo3-pack: {step}{message}", file=sys.stderr, flush=True)


@dataclass
class _Output:
    """How much the core says and to whom; a front door (the CLI's console) sets it."""

    verbosity: int = 0
    """-1: errors only; 0: status lines; 1 and more: details too (commands run)."""
    sink: Sink = _plain
    step: str = ""


_output = _Output()


def configure(*, verbosity: int, sink: Sink | None = None) -> None:
    _output.verbosity = verbosity
    _output.sink = sink or _plain


def verbosity() -> int:
    return _output.verbosity


#: What replaces a secret in every line the tool writes.
REDACTED = "********"
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """From now on, `value` (a password or token) is masked in whatever the tool writes:
    status lines, the error line, a traceback (-v or a bug)."""
    if value and len(value) >= 3:  # masking one or two characters would garble messages
        from urllib.parse import quote

        _secrets.update({value, quote(value, safe=""), quote(value)})


def redact(text: str) -> str:
    """`text` with every registered secret masked, longest first (one may contain another)."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def log(message: str) -> None:
    """Status lines go to stderr so stdout stays free for machine-readable output."""
    if _output.verbosity >= 0:
        _output.sink(_output.step, redact(message))


def detail(message: str, *, level: int = 1) -> None:
    """A line only `-v` (or `-vv` for level 2) shows: a command run, a decision's inputs."""
    if _output.verbosity >= level:
        _output.sink(_output.step, redact(message))


@contextmanager
def step(index: int, total: int, label: str) -> Iterator[None]:
    """Prefix the status lines of step `index` of `total` ("[2/5] cp312 "); none for one."""
    outer = _output.step
    if total > 1:
        _output.step = f"[{index}/{total}] {label} "
    try:
        yield
    finally:
        _output.step = outer


#: Warnings shown by this process: a door that loads the project twice (setuptools' hook,
#: then its command) says each one once.
_WARNED: set[str] = set()


def warn(message: str) -> None:
    """A `warning:` status line, once per process."""
    if message not in _WARNED:
        _WARNED.add(message)
        log(f"warning: {message}")


def _tail(text: str) -> str:
    """The lines that say what went wrong: the first `error:` line (with the `-->` location
    and the first `Caused by:` detail when present), else the last few lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    first_error = next((i for i, line in enumerate(lines) if line.startswith("error")), None)
    if first_error is None:
        return " | ".join(lines[-TAIL_LINES:])
    picked = [lines[first_error]]
    rest = lines[first_error + 1:]
    picked += [line for line in rest if line.startswith("-->")][:1]
    if "Caused by:" in rest:
        cause = rest[rest.index("Caused by:") + 1:]
        picked += cause[:1]
    return " | ".join(picked)


def run_captured(
    argv: Sequence[str],
    *,
    what: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    hint: str | None = None,
) -> str:
    """Run a command that should succeed quietly and return its stdout.

    On failure the error names ``what`` was being done and carries the tail of stderr.
    """
    detail(f"running {describe(argv)}", level=2)
    try:
        result = subprocess.run(
            [str(part) for part in argv],
            env=dict(env) if env is not None else None,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise CommandError(f"{what}: `{argv[0]}` was not found", hint=hint) from exc
    if result.returncode != 0:
        tail = _tail(result.stderr or result.stdout)
        raise CommandError(
            f"{what} failed: {tail or f'exit code {result.returncode}'}",
            hint=hint,
            output_tail=tail,
        )
    return result.stdout


@contextmanager
def streamed_stdout(
    argv: Sequence[str], *, env: Mapping[str, str], cwd: Path | None = None
) -> Iterator[tuple[subprocess.Popen[str], Iterator[str]]]:
    """Start a command whose stderr goes straight to the user and whose stdout we read."""
    try:
        process = subprocess.Popen(
            [str(part) for part in argv],
            env=dict(env),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
        )
    except FileNotFoundError as exc:
        raise CommandError(
            f"`{argv[0]}` was not found",
            hint="install Rust with rustup and make sure cargo is on PATH",
        ) from exc
    assert process.stdout is not None
    try:
        yield process, iter(process.stdout.readline, "")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()


def environ() -> dict[str, str]:
    return dict(os.environ)
