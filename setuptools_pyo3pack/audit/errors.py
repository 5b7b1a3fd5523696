"""The audit's errors: both are `Pyo3PackError`s, so the CLI prints them as one line."""

from __future__ import annotations

from ..errors import ConfigError, Pyo3PackError


class AuditError(Pyo3PackError):
    """A wheel or native file cannot be read, or does not meet the policy it must meet."""


class UnknownPolicyError(ConfigError):
    """`--manylinux` / `--compatibility` names no policy we know."""
