"""The README's shell blocks and the comment above each that says how the tests run it.

Shared by the quick check that every block is marked (tests/unit/test_readme_tables.py) and
the test that runs them (tests/integration/test_readme.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import REPO

README = REPO / "README.md"
#: What a marker may say: run it; run it and expect an error; run it against a local registry;
#: run by .ci/run (the "Try it" commands, the optional tools); not run, with the reason.
MODES = ("run", "fails", "registry", "ci", "optional-tools", "skip")
#: `needs:` names: pyo3-pack features a block uses, and how `pyo3-pack ... --help` shows them.
FEATURES = {
    "new": ((), "new"),
    "init": ((), "init"),
    "generate-ci": ((), "generate-ci"),
    "completions": ((), "completions"),
    "json": (("list-python",), "--json"),
    "color": ((), "--color"),
}
_MARKER = re.compile(r"^<!-- readme test: (?P<body>.*) -->$")
_BODY = re.compile(r"^(?P<mode>[a-z-]+)(?::\s*(?P<arg>.*?))?(?:;\s*needs:\s*(?P<needs>.*))?$")


@dataclass(frozen=True)
class Block:
    """One ```sh block of the README."""

    line: int
    """1-based line of its opening fence."""
    heading: str
    code: str
    marker: str
    """The marker comment's text, or "" when the line above is not a marker."""

    @property
    def parsed(self) -> re.Match[str] | None:
        return _BODY.match(self.marker) if self.marker else None

    @property
    def mode(self) -> str:
        return self.parsed["mode"] if self.parsed else ""

    @property
    def argument(self) -> str:
        return (self.parsed["arg"] or "") if self.parsed else ""

    @property
    def needs(self) -> tuple[str, ...]:
        found = self.parsed["needs"] if self.parsed else None
        return tuple(n.strip() for n in found.split(",")) if found else ()

    @property
    def name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.heading.lower()).strip("-")
        return f"line{self.line}-{slug}"

    def problem(self) -> str | None:
        """Why the marker is wrong, or None."""
        if not self.marker:
            return "no `<!-- readme test: MODE -->` comment on the line above"
        if self.parsed is None or self.mode not in MODES:
            return f"unknown marker `{self.marker}` (modes: {', '.join(MODES)})"
        if self.mode in ("fails", "skip") and not self.argument:
            return f"`{self.mode}:` needs a text after it (the error expected / the reason)"
        unknown = [n for n in self.needs if n not in FEATURES]
        if unknown:
            return f"unknown `needs:` {unknown} (known: {', '.join(FEATURES)})"
        return None


def readme_blocks(text: str | None = None) -> list[Block]:
    """Every ```sh block of the README (or of `text`), with its marker and section."""
    lines = (README.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks: list[Block] = []
    heading, previous, index = "", "", 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.lstrip().startswith("```sh"):
            end = index + 1
            while end < len(lines) and lines[end].strip() != "```":
                end += 1
            found = _MARKER.match(previous.strip())
            marker = found["body"].strip() if found and line == "```sh" else ""
            blocks.append(Block(index + 1, heading, "\n".join(lines[index + 1:end]), marker))
            index = end
        elif line.strip():
            previous = line
        index += 1
    return blocks
