"""How users spell a Linux platform policy: `2014`, `2_28`, `manylinux2014`, `musllinux_1_2`,
`off`, each optionally with `-unchecked`. Parsed here once, for the audit and for zig."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNCHECKED = "-unchecked"
#: the legacy names and the glibc version each stands for
LEGACY = {"manylinux1": "manylinux_2_5", "manylinux2010": "manylinux_2_12",
          "manylinux2014": "manylinux_2_17"}
_SHORT_LEGACY = re.compile(r"^(1|2010|2014)$")
_SHORT_GLIBC = re.compile(r"^\d+_\d+$")
_GLIBC = re.compile(r"^manylinux_(\d+)_(\d+)$")
_MUSL = re.compile(r"^musllinux_(\d+)_(\d+)$")


@dataclass(frozen=True)
class PolicyName:
    """A policy as the user asked for it: `name` None means the plain `linux_<arch>` tag."""

    name: str | None
    """The full name as written out (`manylinux2014`, `manylinux_2_28`, `musllinux_1_2`)."""
    checked: bool = True
    """False for `...-unchecked`: tag without auditing."""

    @property
    def canonical(self) -> str | None:
        """The PEP 600 name: `manylinux2014` -> `manylinux_2_17`."""
        return LEGACY.get(self.name, self.name) if self.name else None

    @property
    def glibc(self) -> tuple[int, int] | None:
        """The glibc version of a manylinux policy; None for musllinux and `off`."""
        match = _GLIBC.match(self.canonical or "")
        return (int(match.group(1)), int(match.group(2))) if match else None

    @property
    def musl(self) -> bool:
        return bool(self.name and _MUSL.match(self.name))


def parse_policy_name(value: str) -> PolicyName:
    """Expand the short forms; whether the policy exists is for the audit's data to say."""
    text = value.strip().lower()
    checked = not text.endswith(UNCHECKED)
    body = text[: -len(UNCHECKED)] if not checked else text
    if body in ("off", "linux"):
        return PolicyName(None, checked=False)
    if _SHORT_LEGACY.match(body):
        body = f"manylinux{body}"
    elif _SHORT_GLIBC.match(body):
        body = f"manylinux_{body}"
    return PolicyName(body, checked)
