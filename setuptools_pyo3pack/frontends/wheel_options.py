"""The command-line options of the commands that build, and their settings."""

from __future__ import annotations

import argparse
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from .. import _process
from ..config.chain import split_text
from ..config.option import Split
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


def add_cargo_passthrough(parser: argparse.ArgumentParser) -> None:
    """cargo's output and checking flags, and trailing rustc flags, as `maturin build` and
    `maturin develop` take them; they end up in `cargo-extra-args` / `rustc-extra-args`.
    The console's -q, -v and --color (`console.add_options`) are passed on the same way."""
    group = parser.add_argument_group("cargo output (passed to cargo as given; -q, -v and "
                                      "--color reach cargo too)")
    group.add_argument("--timings", action="store_true",
                       help="write cargo's build timing report")
    group.add_argument("--ignore-rust-version", action="store_true",
                       help="ignore the `rust-version` of packages")
    group.add_argument("--future-incompat-report", action="store_true",
                       help="cargo's future incompatibility report after the build")
    parser.add_argument("rustc_args", nargs="*", metavar="RUSTC_ARGS",
                        help="rustc flags after `--` (the same as --rustc-extra-args)")


def _passthrough(given: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The cargo and rustc arguments `add_cargo_passthrough`'s flags stand for."""
    cargo = [flag for flag, key in (("--quiet", "quiet"), ("--timings", "timings"),
                                    ("--ignore-rust-version", "ignore_rust_version"),
                                    ("--future-incompat-report", "future_incompat_report"))
             if given.get(key)]
    cargo += ["--verbose"] * int(given.get("verbose") or 0)
    if given.get("color"):
        cargo += ["--color", str(given["color"])]
    return cargo, list(given.get("rustc_args") or [])


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
    for path, added in zip(("cargo.cargo_extra_args", "cargo.rustc_extra_args"),
                           _passthrough(given)):
        if added:  # after what the flag itself gave
            values[path] = (*(word for item in given.get(path, ())
                              for word in split_text(item, Split.SHELL)), *added)
    if "audit.skip_auditwheel" in given:
        _process.log("warning: --skip-auditwheel is deprecated; use --compatibility off")
    return load_configuration(namespace_source(args, values), defaults, editable=editable)
