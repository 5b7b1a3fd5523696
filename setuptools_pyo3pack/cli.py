"""The `pyo3-pack` command line (public path; it lives in `frontends.cli`)."""

from .frontends.cli import build_parser, main

__all__ = ["build_parser", "main"]
