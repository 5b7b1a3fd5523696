"""Write a new project's files: every check first, so a refused project leaves nothing."""

from __future__ import annotations

import keyword
import re
import shutil
from pathlib import Path
from typing import NoReturn

from ...config.settings import Binding
from ...errors import ConfigError
from ...fs import write_atomic
from . import ci, ci_github
from .templates import Project, files

_NAME = re.compile(r"^[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$")
#: names cargo refuses for a package: Rust's own crates and keywords, as import names too
_RESERVED = {"core", "std", "alloc", "proc_macro", "test", "self", "super", "crate", "Self",
             "fn", "mod", "use", "let", "match", "struct", "enum", "trait", "impl", "type",
             "pub", "ref", "mut", "move", "loop", "while", "for", "if", "else", "return",
             "true", "false", "static", "const", "extern", "unsafe", "where", "async",
             "await", "dyn", "in", "as", "break", "continue", "box", "abstract", "become",
             "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual",
             "yield", "try", "gen"}
#: what `--mixed` means for each binding; a program has no Python package to mix with
MIXABLE = (Binding.PYO3, Binding.CFFI, Binding.UNIFFI)


def check_name(name: str, where: str) -> None:
    """A crate name that is also an importable Python module once dashes become underscores."""
    module = name.replace("-", "_")
    problem = None
    if not _NAME.match(name) or len(name) > 64:
        problem = ("use at most 64 letters, digits, `-` and `_`, starting with a letter and "
                   "ending with a letter or digit")
    elif keyword.iskeyword(module) or module in _RESERVED or name in _RESERVED:
        problem = "it is a Rust or Python keyword or the name of a built-in crate"
    if problem:
        raise ConfigError(f"`{name}` ({where}) is not a valid crate and Python module name",
                          hint=problem)


def check_request(bindings: Binding, mixed: bool) -> None:
    if mixed and bindings not in MIXABLE:
        raise ConfigError(f"--mixed needs a library, not `{bindings}`",
                          hint="use -b pyo3, cffi or uniffi, or leave out --mixed")
    if bindings is Binding.RUST_CPYTHON:
        raise ConfigError("`new` and `init` do not write rust-cpython projects",
                          hint="use -b pyo3, cffi, uniffi or bin")


def project_files(project: Project) -> dict[str, str]:
    return files(project, ci_github.render(ci.release_workflow()))


def _write(folder: Path, contents: dict[str, str]) -> None:
    for relative, text in contents.items():
        write_atomic(folder / relative, text)


def new_project(path: Path, bindings: Binding, mixed: bool) -> Project:
    """A new folder `path` holding a project named after it."""
    check_request(bindings, mixed)
    check_name(path.name, "the folder name")
    if path.exists() or path.is_symlink():
        raise ConfigError(f"{path} already exists",
                          hint="choose another name, or run `pyo3-pack init` inside it")
    project = Project(path.name, bindings, mixed)
    contents = project_files(project)
    try:
        _write(path, contents)
    except BaseException as exc:
        shutil.rmtree(path, ignore_errors=True)  # never leave half a project behind
        _reraise(exc, path)
    return project


def init_project(path: Path, bindings: Binding, mixed: bool, name: str | None = None
                 ) -> Project:
    """A project in the existing folder `path`, which must hold none of its files."""
    check_request(bindings, mixed)
    if not path.is_dir():
        raise ConfigError(f"{path} is not a folder", hint="create it first, or use "
                          "`pyo3-pack new`")
    folder = path.resolve()
    check_name(name or folder.name, "--name" if name else f"the name of folder {folder}")
    project = Project(name or folder.name, bindings, mixed)
    contents = project_files(project)
    for relative in contents:
        target = path / relative
        if target.exists() or target.is_symlink():
            raise ConfigError(f"{target} already exists; init writes no file over another",
                              hint="move it away, or start in an empty folder")
    written: list[Path] = []
    try:
        for relative, text in contents.items():
            write_atomic(path / relative, text)
            written.append(path / relative)
    except BaseException as exc:
        for done in written:
            done.unlink(missing_ok=True)
        _reraise(exc, path)
    return project


def _reraise(exc: BaseException, path: Path) -> NoReturn:
    """A file system failure as one line naming the file; anything else unchanged."""
    if isinstance(exc, OSError):
        where = exc.filename or path
        raise ConfigError(f"cannot write {where}: {exc.strerror or exc}",
                          hint="check the folder's permissions and free space") from exc
    raise exc
