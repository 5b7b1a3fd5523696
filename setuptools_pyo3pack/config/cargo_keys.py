"""The keys of `[package.metadata.pyo3-pack]` in Cargo.toml, one docstring each.

`project/metadata.py` reads the values; the README's table of them is made from these
docstrings (`docs.py`), so the documentation cannot list a key the code does not read.

This module avoids `from __future__ import annotations`: the key types are read at run time.
"""

import typing
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class CargoMetadataKeys:
    """`[package.metadata.pyo3-pack]` in Cargo.toml: Python metadata Cargo has no key for
    (a `[project]` table in pyproject.toml wins over these)."""

    scripts: dict[str, str]
    """Console scripts: `{ my-tool = "my_module.cli:main" }`."""

    classifier: list[str]
    """Trove classifiers (`Classifier` in METADATA)."""

    requires_dist: list[str]
    """Runtime requirements as PEP 508 strings (`Requires-Dist`)."""

    requires_python: str
    """The Python versions supported, e.g. `>=3.9` (`Requires-Python`)."""

    project_url: dict[str, str]
    """More labelled links: `{ Changelog = "https://example.org/changes" }` (`Project-URL`)."""

    maintainer: str
    """The maintainer's name (`Maintainer`)."""

    maintainer_email: str
    """The maintainer's address (`Maintainer-email`)."""


def cargo_keys() -> dict[str, type]:
    """Key as written in Cargo.toml (`requires-dist`) -> the TOML type its value must have."""
    found: dict[str, type] = {}
    for item in fields(CargoMetadataKeys):
        kind = typing.get_origin(item.type) or item.type  # `dict[str, str]` -> dict
        assert isinstance(kind, type)
        found[item.name.replace("_", "-")] = kind
    return found
