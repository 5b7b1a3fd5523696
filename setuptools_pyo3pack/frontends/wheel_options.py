"""The command-line options shared by the commands that build wheels."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from ..config.settings import BuildOptions, CargoOptions


def add_wheel_options(parser: argparse.ArgumentParser, *, release_default: bool = False) -> None:
    """Options of every command that builds distributable wheels (build, publish)."""
    parser.add_argument("-i", "--interpreter", action="extend", nargs="+", metavar="PYTHON",
                        help="build for these interpreters (names on PATH or paths)")
    parser.add_argument("-o", "--out", type=Path, metavar="DIR",
                        help="where wheels go (default: <cargo target dir>/wheels)")
    _add_cargo_options(parser, release_default=release_default)
    group = parser.add_argument_group("platform tag (Linux)")
    group.add_argument(
        "--compatibility", "--manylinux", dest="compatibility", metavar="POLICY",
        help="tag for this policy, checked against the binaries: 2014, 2_28, manylinux_2_17, "
        "musllinux_1_2, off (plain linux_<arch>); add -unchecked to skip the check "
        "(default: the best policy the binaries satisfy)",
    )
    group.add_argument("--skip-auditwheel", action="store_true",
                       help="deprecated: same as --compatibility off")
    group.add_argument("--auditwheel", choices=["repair", "check", "warn", "skip"],
                       help="repair: graft libraries the policy does not allow into the wheel "
                       "(default); check: fail if that is needed; warn: tag linux_ and warn; "
                       "skip: no audit")
    group.add_argument("--zig", action="store_true",
                       help="link with zig (cargo-zigbuild) against the policy's glibc, so a "
                       "new host builds manylinux wheels (default policy: manylinux2014)")
    parser.add_argument("--no-sdist", action="store_true",
                        help="do not also write an sdist (written when pyproject.toml has a "
                        "[build-system] table)")


def wheel_options(args: argparse.Namespace) -> BuildOptions:
    if args.skip_auditwheel:
        print("pyo3-pack: warning: --skip-auditwheel is deprecated; use --compatibility off",
              file=sys.stderr)
    return BuildOptions(
        cargo=_cargo_options(args),
        bindings=args.bindings,
        interpreters=tuple(args.interpreter or ()),
        out_dir=args.out.absolute() if args.out else None,
        compatibility=args.compatibility,
        skip_audit=args.skip_auditwheel,
        auditwheel=args.auditwheel,
        zig=args.zig,
    )


def _add_cargo_options(parser: argparse.ArgumentParser, *, release_default: bool = False) -> None:
    group = parser.add_argument_group("cargo")
    group.add_argument("-m", "--manifest-path", type=Path, metavar="PATH",
                       help="Cargo.toml of the crate (default: ./Cargo.toml)")
    group.add_argument("-b", "--bindings", metavar="NAME",
                       help="pyo3, rust-cpython or bin (default: detected from dependencies)")
    if release_default:  # publishing a debug build is almost always a mistake
        group.add_argument("--debug", dest="release", action="store_false",
                           help="build the dev profile instead of release")
        parser.set_defaults(release=True)
    else:
        group.add_argument("-r", "--release", action="store_true",
                           help="build the release profile")
    group.add_argument("--profile", help="build with this cargo profile")
    group.add_argument("--strip", action="store_true", help="strip symbols from native files")
    group.add_argument("--target", metavar="TRIPLE", help="rustc target triple to build for")
    group.add_argument("-F", "--features", action="append", metavar="FEATURES",
                       help="cargo features to activate (comma or space separated)")
    group.add_argument("--all-features", action="store_true", help="activate every feature")
    group.add_argument("--no-default-features", action="store_true",
                       help="do not activate the default feature")
    group.add_argument("--cargo-extra-args", action="append", metavar="ARGS",
                       help="more arguments for cargo, as one quoted string")
    group.add_argument("--rustc-extra-args", action="append", metavar="ARGS",
                       help="more arguments for rustc, as one quoted string")


def _cargo_options(args: argparse.Namespace) -> CargoOptions:
    return CargoOptions(
        manifest_path=args.manifest_path,
        release=args.release,
        profile=args.profile,
        strip=args.strip,
        target=args.target,
        features=_split_features(args.features),
        all_features=args.all_features,
        no_default_features=args.no_default_features,
        cargo_extra_args=_split_args(args.cargo_extra_args),
        rustc_extra_args=_split_args(args.rustc_extra_args),
    )


def _split_features(values: Sequence[str] | None) -> tuple[str, ...]:
    features: list[str] = []
    for value in values or ():
        features += [f for f in value.replace(",", " ").split() if f]
    return tuple(features)


def _split_args(values: Sequence[str] | None) -> tuple[str, ...]:
    args: list[str] = []
    for value in values or ():
        args += shlex.split(value)
    return tuple(args)
