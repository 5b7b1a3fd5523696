"""Shared by every test: the repository's paths, a quiet, isolated probe cache, and a tool
cache that outlives the session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
#: The integration tests' cargo target folder, shared by every session on this machine.
SHARED_TARGET = Path(os.environ.get("PYO3_PACK_TEST_TARGET_DIR", REPO / "target" / "test-cargo"))
#: Tools pyo3-pack installs for itself (cbindgen), next to the shared target folder: installed
#: once in a fresh clone, then reused by every later session (PYO3_PACK_TOOLS_DIR wins).
TEST_TOOLS = Path(os.environ.get("PYO3_PACK_TOOLS_DIR")
                  or SHARED_TARGET.with_name(f"{SHARED_TARGET.name}-tools"))


@pytest.fixture(autouse=True)
def _private_probe_cache(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's interpreter cache; installed tools are kept."""
    cache = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("PYO3_PACK_TOOLS_DIR", str(TEST_TOOLS))
    # output assertions read plain text: a CI's FORCE_COLOR would colour it
    monkeypatch.delenv("FORCE_COLOR", raising=False)
