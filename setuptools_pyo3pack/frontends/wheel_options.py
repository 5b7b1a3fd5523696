"""The command-line options of the commands that build, and their settings."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from .options import add_settings_options, namespace_source

if TYPE_CHECKING:
    from ..config.load import Configuration

#: What `build` and `publish` show; `develop` and `sdist` show fewer.
WHEEL_GROUPS = ("cargo", "layout", "audit", "output", "sbom")


def add_build_options(parser: argparse.ArgumentParser, groups: Collection[str] = WHEEL_GROUPS,
                      *, only: Collection[str] = (), release_default: bool = False) -> None:
    """The settings flags of `groups`, and `-r/--release` (or `--debug` where release is the
    default)."""
    if release_default:  # publishing a debug build is almost always a mistake
        parser.add_argument("--debug", action="store_true",
                            help="build the dev profile instead of release")
    else:
        parser.add_argument("-r", "--release", action="store_true",
                            help="build the release profile (the same as --profile release)")
    add_settings_options(parser, groups, only=only)


def add_wheel_options(parser: argparse.ArgumentParser, *, release_default: bool = False) -> None:
    """Options of every command that builds distributable wheels (build, publish)."""
    add_build_options(parser, release_default=release_default)
    parser.add_argument("--no-sdist", action="store_true",
                        help="do not also write an sdist (written when pyproject.toml has a "
                        "[build-system] table)")


def configuration(args: argparse.Namespace, extra: Mapping[str, Any] | None = None,
                  defaults: Mapping[str, Any] | None = None, *,
                  editable: bool = False) -> Configuration:
    """Resolve a command's settings: its flags (and `extra`) over the environment, over
    pyproject.toml, over the command's `defaults` (`editable`: see load_configuration)."""
    from ..config.load import load_configuration

    values = dict(extra or {})
    given = vars(args)
    if "cargo.profile" not in given and given.get("release"):
        values["cargo.profile"] = "release"
    if "cargo.profile" not in given and given.get("debug"):
        values["cargo.profile"] = "dev"
    if "audit.skip_auditwheel" in given:
        print("pyo3-pack: warning: --skip-auditwheel is deprecated; use --compatibility off",
              file=sys.stderr)
    return load_configuration(namespace_source(args, values), defaults, editable=editable)
