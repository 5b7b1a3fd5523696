"""The `--json` documents' schemas (docs/schemas/), checked with the jsonschema library."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from tests.conftest import REPO

SCHEMAS = REPO / "docs" / "schemas"
COMMANDS = ("build", "develop", "sdist", "audit", "list-python")


def schema(command: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((SCHEMAS / f"{command}.json").read_text(encoding="utf-8"))
    return value


def parsed(stdout: str, command: str) -> Any:
    """stdout as the one JSON document it must be (nothing before or after it), checked
    against the command's schema."""
    document = json.loads(stdout)
    jsonschema.Draft202012Validator(schema(command)).validate(document)
    return document
