"""One exception root: its message is exactly what the user reads."""

from __future__ import annotations


def caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is behind `exc` (Python wraps one raised in, e.g., a
    class body's `__set_name__` during a lazy import)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class Pyo3PackError(Exception):
    """A failure the user can act on.

    ``str(error)`` is a single line: what went wrong, where, and what to do.
    Only the CLI and the PEP 517 edge turn it into an exit code.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        # a line break from the user's input (a file name, a value) would split the one line
        return text.replace("\r", "\\r").replace("\n", "\\n")


class ConfigError(Pyo3PackError):
    """Cargo.toml, pyproject.toml or the command line asks for something inconsistent."""


class InterpreterError(Pyo3PackError):
    """No usable Python interpreter, or one that cannot be probed."""


class CommandError(Pyo3PackError):
    """An external command (cargo, a probe) failed."""

    def __init__(self, message: str, *, hint: str | None = None, output_tail: str = "") -> None:
        self.output_tail = output_tail
        super().__init__(message, hint=hint)


class OutputError(Pyo3PackError):
    """An output file cannot be written: the folder is not one, not writable, or full."""


class EnvironmentNotFound(Pyo3PackError):
    """`develop` needs a virtual environment and none is active."""
