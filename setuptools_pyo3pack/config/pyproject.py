"""Reading pyproject.toml: one TOML parser, and syntax errors as one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


def load_pyproject(path: Path) -> dict[str, Any]:
    """Read a pyproject.toml; a syntax error becomes a one-line ConfigError with its line."""
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except tomllib.TOMLDecodeError as exc:
        reason = " ".join(str(exc).split())
        raise ConfigError(f"pyproject.toml at {path} is not valid TOML: {reason}",
                          hint="fix the syntax at that line") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"pyproject.toml at {path} is not valid TOML: {exc}",
                          hint="save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read pyproject.toml at {path}: {exc.strerror or exc}") from None
