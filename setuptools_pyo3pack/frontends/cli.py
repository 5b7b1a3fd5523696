"""The `pyo3-pack` command line: argparse in, one-line errors and exit codes out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import _process
from .._version import __version__
from ..errors import Pyo3PackError
from .wheel_options import (
    add_build_options,
    add_cargo_passthrough,
    add_wheel_options,
    configuration,
)


def _build(args: argparse.Namespace) -> int:
    from ..project.project import load_project
    from .distributions import build_distributions

    project = load_project(configuration(args))
    # an sdist too when the project is set up to build from one (or `--sdist` asks)
    sdist = args.sdist or (project.has_build_system and not args.no_sdist)
    for path in build_distributions(project, sdist=sdist):
        print(path)
    return 0


def _sdist(args: argparse.Namespace) -> int:
    from ..project.project import load_project
    from ..sdist.sdist import build_sdist

    project = load_project(configuration(args))
    print(build_sdist(project, project.wheel_dir))
    return 0


def _develop(args: argparse.Namespace) -> int:
    from ..compile.interpreters import probe_one
    from ..config.chain import split_text
    from ..config.option import Split
    from ..install.develop import DevelopOptions, active_virtualenv, develop, develop_values

    venv = active_virtualenv()
    interpreter = probe_one(str(venv / "bin" / "python"))
    options = DevelopOptions(
        extras=[e for text in args.extras for e in split_text(text, Split.COMMA)],
        groups=[g for text in args.group for g in split_text(text, Split.COMMA)],
        uv=args.uv, pip_path=args.pip_path, skip_install=args.skip_install)
    develop(configuration(args, develop_values(interpreter), editable=True), venv, interpreter,
            options)
    return 0


def _list_python(args: argparse.Namespace) -> int:
    from ..compile import interpreters

    found, failures = interpreters.discover()
    for interpreter in found:
        print(f"{interpreter.pretty_name:<28} {interpreter.path}")
    for path, reason in failures:
        print(f"{'(unusable)':<28} {path}: {reason}")
    if not found:
        print("pyo3-pack: no Python interpreter found on PATH or in pyenv", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pyo3-pack",
        description="Build and publish Rust crates with pyo3, rust-cpython or cffi bindings, "
        "and Rust binaries, as Python packages.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build wheels for every supported interpreter")
    add_wheel_options(build)
    add_cargo_passthrough(build)
    build.add_argument("--sdist", action="store_true",
                       help="also write an sdist, even without a [build-system] table")
    build.add_argument("-f", "--find-interpreter", action="store_true",
                       help="build for every supported interpreter found (what happens "
                       "without -i anyway; accepted for maturin's command lines)")
    build.set_defaults(handler=_build)

    develop = commands.add_parser(
        "develop", help="build and install the crate into the active virtualenv"
    )
    add_build_options(develop, ("cargo", "layout"))
    add_cargo_passthrough(develop)
    install = develop.add_argument_group("install")
    install.add_argument("-E", "--extras", action="append", default=[], metavar="EXTRAS",
                         help="also install the requirements of these extras (comma separated)")
    install.add_argument("--uv", action="store_true",
                         help="install requirements with uv instead of pip (the default when "
                         "the virtualenv has no pip)")
    install.add_argument("--pip-path", type=Path, metavar="PIP",
                         help="a pip executable to install requirements with")
    install.add_argument("-G", "--group", action="append", default=[], metavar="GROUPS",
                         help="also install these dependency groups of pyproject.toml "
                         "(PEP 735; comma separated)")
    install.add_argument("--skip-install", action="store_true",
                         help="only build the native module into the Python package, install "
                         "nothing (mixed Rust/Python projects)")
    develop.set_defaults(handler=_develop)

    sdist = commands.add_parser("sdist", help="build a source distribution (.tar.gz)")
    add_build_options(sdist, ("cargo", "layout"), only=("output.out_dir",))
    sdist.set_defaults(handler=_sdist)

    list_python = commands.add_parser("list-python", help="list the Python interpreters found")
    list_python.set_defaults(handler=_list_python)

    from ..audit.command import register as register_audit
    from .upload_cli import register as register_upload

    register_upload(commands)
    register_audit(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except Pyo3PackError as exc:
        print(f"pyo3-pack: error: {_process.redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("pyo3-pack: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug: its traceback, with any password or token masked
        import traceback

        print(_process.redact(traceback.format_exc()), file=sys.stderr, end="")
        return 1


if __name__ == "__main__":
    sys.exit(main())
