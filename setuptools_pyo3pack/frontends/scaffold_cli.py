"""`pyo3-pack new`, `init` and `generate-ci`: argparse in, `scaffold` out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..config.settings import Binding
from ..errors import ConfigError

if TYPE_CHECKING:
    SubCommands = argparse._SubParsersAction[argparse.ArgumentParser]

_BINDINGS = ("pyo3", "cffi", "uniffi", "bin")
_CI = ("github", "gitlab")
_PLATFORMS = ("manylinux", "musllinux", "macos", "windows")


def _add_layout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-b", "--bindings", choices=_BINDINGS, default="pyo3",
                        help="how Python talks to the crate (default: pyo3); `bin` ships a "
                        "Rust program")
    parser.add_argument("--mixed", action="store_true",
                        help="also a Python package folder, named after the module, next to "
                        "Cargo.toml: Python code around the Rust module")


def _report(folder: Path, project_module: str) -> None:
    print(f"created {folder}: `cd {folder} && pyo3-pack develop` builds `{project_module}` into "
          "the active virtualenv", file=sys.stderr)


def _new(args: argparse.Namespace) -> int:
    from .scaffold.create import new_project

    path = Path(args.name)
    project = new_project(path, Binding(args.bindings), args.mixed)
    _report(path, project.module)
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold.create import init_project

    path = Path(args.path)
    project = init_project(path, Binding(args.bindings), args.mixed, args.project_name)
    _report(path, project.module)
    return 0


def _generate_ci(args: argparse.Namespace) -> int:
    from ..fs import write_atomic
    from .scaffold import ci, ci_github, ci_gitlab

    groups = [ci.PlatformGroup(p) for p in args.platform] if args.platform else None
    manifest = Path(args.manifest_path).as_posix() if args.manifest_path else None
    workflow = ci.release_workflow(groups, manifest_path=manifest, sccache=args.sccache)
    text = (ci_github if args.ci == "github" else ci_gitlab).render(workflow)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            write_atomic(args.output, text)
        except OSError as exc:
            raise ConfigError(f"cannot write {exc.filename or args.output}: "
                              f"{exc.strerror or exc}",
                              hint="check the path, its folder's permissions and free space"
                              ) from exc
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def register(commands: SubCommands) -> None:
    new = commands.add_parser(
        "new", help="create a project folder NAME that builds and imports at once",
        description="Create the folder NAME with Cargo.toml, pyproject.toml, the Rust code, a "
        "test and a CI workflow; the crate and module are named after it.")
    new.add_argument("name", metavar="NAME", help="the project's folder (its last part is "
                     "the crate and distribution name; `-` becomes `_` in the module)")
    _add_layout(new)
    new.set_defaults(handler=_new)

    init = commands.add_parser(
        "init", help="write a new project's files into an existing folder",
        description="Like `new`, in an existing folder; a file that is there already is "
        "never overwritten (init refuses and names it).")
    init.add_argument("path", metavar="PATH", nargs="?", default=".",
                      help="the folder (default: the current one)")
    init.add_argument("--name", dest="project_name", metavar="NAME",
                      help="the crate and distribution name (default: the folder's name)")
    _add_layout(init)
    init.set_defaults(handler=_init)

    generate = commands.add_parser(
        "generate-ci", help="print a CI workflow that builds and publishes the wheels",
        description="Print (or write with -o) a workflow building wheels for Linux (manylinux "
        "and musllinux, x86_64 and aarch64), macOS (x86_64, arm64) and Windows (x64) for every "
        "supported CPython, and the sdist, all on Linux with zig; tags publish them with "
        "trusted publishing.")
    generate.add_argument("ci", choices=_CI, help="the CI service")
    generate.add_argument("-m", "--manifest-path", metavar="PATH",
                          help="Cargo.toml of the crate, relative to the repository root "
                          "(default: the one at the root)")
    generate.add_argument("-o", "--output", type=Path, metavar="FILE",
                          help="write the workflow to FILE (replaced atomically) instead of "
                          "printing it")
    generate.add_argument("--platform", action="append", choices=_PLATFORMS, metavar="NAME",
                          help="only these platforms (repeatable: "
                          f"{', '.join(_PLATFORMS)}; default: all)")
    generate.add_argument("--sccache", action="store_true",
                          help="cache compiled crates between runs with sccache "
                          "(RUSTC_WRAPPER=sccache)")
    generate.set_defaults(handler=_generate_ci)
