"""Glob patterns as maturin's `include` and `exclude` read them: `*` and `?` stay within one
folder, `**` spans any number of folders, `[...]` is a character class; a pattern matches a
whole `/`-separated path."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def compiled(pattern: str) -> re.Pattern[str]:
    """The regular expression matching exactly the paths `pattern` matches."""
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            parts.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z")


def matches(pattern: str, relative: str) -> bool:
    """Whether the `/`-separated `relative` path matches `pattern` (a leading `./` and
    trailing `/` of the pattern are ignored)."""
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    return compiled(pattern.rstrip("/")).match(relative) is not None
