"""The `pyo3-pack` command line: argparse in, one-line errors and exit codes out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .._version import __version__
from . import console
from .help_examples import add_examples
from .wheel_options import (
    add_build_options,
    add_cargo_passthrough,
    add_wheel_options,
    configuration,
)


def _build(args: argparse.Namespace) -> int:
    from ..project.project import load_project
    from .distributions import build_planned_distributions

    project = load_project(configuration(args))
    # an sdist too when the project is set up to build from one (or `--sdist` asks)
    sdist = args.sdist or (project.has_build_system and not args.no_sdist)
    wheels, sdist_path = build_planned_distributions(project, sdist=sdist)
    if args.json:
        from . import json_output

        console.emit_json(json_output.build(wheels, sdist_path))
        return 0
    for path, _ in wheels:
        print(path)
    if sdist_path is not None:
        print(sdist_path)
    return 0


def _sdist(args: argparse.Namespace) -> int:
    from ..project.project import load_project
    from ..sdist.sdist import build_sdist

    project = load_project(configuration(args))
    path = build_sdist(project, project.wheel_dir)
    if args.json:
        from . import json_output

        console.emit_json(json_output.sdist_document(path))
    else:
        print(path)
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
    done = develop(configuration(args, develop_values(interpreter), editable=True), venv,
                   interpreter, options)
    if args.json:
        from . import json_output

        console.emit_json(json_output.develop(done, interpreter))
    return 0


def _list_python(args: argparse.Namespace) -> int:
    from ..compile import interpreters

    found, failures = interpreters.discover()
    if args.json:
        from . import json_output

        console.emit_json(json_output.list_python(found, failures))
        return 0 if found else 1
    for interpreter in found:
        print(f"{interpreter.pretty_name:<28} {interpreter.path}")
    for path, reason in failures:
        print(f"{'(unusable)':<28} {path}: {reason}")
    if not found:
        from ..errors import InterpreterError

        raise InterpreterError("no Python interpreter found on PATH or in pyenv",
                               hint="install one, or put it on PATH")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pyo3-pack", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Build and publish Rust crates with pyo3, rust-cpython or cffi bindings, "
        "and Rust binaries, as Python packages.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"%(prog)s {__version__}")
    console.add_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build wheels for every supported interpreter")
    add_wheel_options(build)
    add_cargo_passthrough(build)
    build.add_argument("--sdist", action="store_true",
                       help="also write an sdist, even without a [build-system] table")
    build.add_argument("-f", "--find-interpreter", action="store_true",
                       help="build for every supported interpreter found (what happens "
                       "without -i anyway; accepted for maturin's command lines)")
    _add_json(build, "the wheels (and sdist) written")
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
    _add_json(develop, "what was built and installed")
    develop.set_defaults(handler=_develop)

    sdist = commands.add_parser("sdist", help="build a source distribution (.tar.gz)")
    add_build_options(sdist, ("cargo", "layout"), only=("output.out_dir",))
    _add_json(sdist, "the sdist written")
    sdist.set_defaults(handler=_sdist)

    list_python = commands.add_parser("list-python", help="list the Python interpreters found")
    _add_json(list_python, "the interpreters found")
    list_python.set_defaults(handler=_list_python)

    from ..audit.command import register as register_audit
    from .scaffold_cli import register as register_scaffold
    from .upload_cli import register as register_upload

    register_upload(commands)
    register_audit(commands)
    register_scaffold(commands)
    from .completions import register as register_completions

    register_completions(commands, parser)
    # last, so every sub-command (wherever it was registered) gets them
    for sub in commands.choices.values():
        console.add_options(sub, top=False)
    add_examples(parser, commands)
    return parser


def _add_json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true",
                        help=f"print {what} as one JSON document on stdout (docs/json.md)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return console.run(args.handler, args)


if __name__ == "__main__":
    sys.exit(main())
