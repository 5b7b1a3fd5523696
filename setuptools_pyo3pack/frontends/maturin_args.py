"""maturin's ways of passing build flags to its PEP 517 backend: the `MATURIN_PEP517_ARGS`
environment variable and the `build-args` config setting, both `maturin build` flags in one
shell-quoted string. They are read as `pyo3-pack build` flags, between the environment and
the other config_settings."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping

from ..config.chain import Source, split_text
from ..config.option import Split
from ..config.sources import values_source
from .options import namespace_source
from .wheel_options import add_wheel_options

ENV_VARIABLE = "MATURIN_PEP517_ARGS"
CONFIG_KEY = "build-args"


def maturin_build_args(config_settings: Mapping[str, str | list[str]] | None,
                       environ: Mapping[str, str] | None = None
                       ) -> tuple[Source | None, list[str]]:
    """The settings those flags give (None without any), and warnings for flags that mean
    nothing here. Where the wheel goes and for which interpreter stay the backend's."""
    environ = os.environ if environ is None else environ
    raw = (config_settings or {}).get(CONFIG_KEY, [])
    texts = [environ.get(ENV_VARIABLE, ""), *([raw] if isinstance(raw, str) else raw)]
    words = [word for text in texts if text for word in split_text(text, Split.SHELL)]
    if not words:
        return None, []
    parser = argparse.ArgumentParser(prog=ENV_VARIABLE, add_help=False)
    add_wheel_options(parser)
    parser.add_argument("--sdist", "-f", "--find-interpreter", action="store_true")
    args, unknown = parser.parse_known_args(words)
    values = {"cargo.profile": "release"} if getattr(args, "release", False) else {}
    given = namespace_source(args, values)
    kept = {path: value for path, value in given.values.items()
            if not path.startswith("output.")}
    labels = {path: f"{given.labels.get(path, path)} in {ENV_VARIABLE}/{CONFIG_KEY}"
              for path in kept}
    warnings = [f"`{word}` in {ENV_VARIABLE} or config_settings {CONFIG_KEY} is not a build "
                "flag pyo3-pack knows; ignored" for word in unknown if word.startswith("-")]
    return values_source(None, kept, given.base, labels), warnings
