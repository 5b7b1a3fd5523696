"""conda environments: where their interpreters live, from the files conda itself keeps.

conda records every environment it creates in `~/.conda/environments.txt`, one prefix a line;
the active one is `CONDA_PREFIX`. Reading those costs nothing, unlike starting conda.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def parse_environments_txt(text: str) -> list[Path]:
    """`~/.conda/environments.txt`: one environment prefix a line (blank lines ignored)."""
    return [Path(line.strip()) for line in text.splitlines() if line.strip()]


def environments(environ: Mapping[str, str], *, home: Path) -> list[Path]:
    """The active environment, then every one conda recorded, each once, those that exist."""
    found: list[Path] = []
    active = environ.get("CONDA_PREFIX")
    if active:
        found.append(Path(active))
    try:
        text = (home / ".conda" / "environments.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    found += parse_environments_txt(text)
    unique: list[Path] = []
    seen: set[str] = set()
    for prefix in found:
        key = os.path.normcase(os.path.normpath(str(prefix)))
        if key not in seen and prefix.is_dir():
            seen.add(key)
            unique.append(prefix)
    return unique
