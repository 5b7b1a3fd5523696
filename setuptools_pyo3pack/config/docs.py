"""The settings' docstrings, read from the source of `settings.py`: help text and docs.

Attribute docstrings are not kept at run time, so they are read from the module's syntax
tree, once, when help is first needed. The README's tables of options are rendered from
them too: `python -m setuptools_pyo3pack.config.docs README.md` rewrites the text between
the README's marker comments, and `--check` only says whether it is up to date.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from . import cargo_keys, settings
from .chain import FieldInfo, fields
from .settings import TABLE_GROUPS

#: The README's generated tables: marker name -> renderer.
_START = "<!-- generated: {} (python -m setuptools_pyo3pack.config.docs README.md) -->"
_END = "<!-- end generated: {} -->"


@lru_cache(maxsize=1)
def field_docs() -> dict[str, str]:
    """`group.field` (and `group` for a class) -> its docstring, whitespace folded."""
    return _class_docs(settings, {cls.__name__: name for name, cls in settings.GROUPS})


@lru_cache(maxsize=1)
def cargo_key_docs() -> dict[str, str]:
    """`[package.metadata.pyo3-pack]` key (as written, `requires-dist`) -> its docstring."""
    docs = _class_docs(cargo_keys, {cargo_keys.CargoMetadataKeys.__name__: "cargo"})
    return {path.split(".", 1)[1].replace("_", "-"): text
            for path, text in docs.items() if "." in path}


def _class_docs(module: ModuleType, classes: dict[str, str]) -> dict[str, str]:
    """The docstrings of the classes named in `classes` (as `prefix`) and of their fields
    (as `prefix.field`), read from `module`'s source."""
    tree = ast.parse(inspect.getsource(module))
    docs: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in classes:
            continue
        prefix = classes[node.name]
        docs[prefix] = " ".join((ast.get_docstring(node) or "").split())
        for first, second in zip(node.body, node.body[1:]):
            if (isinstance(first, ast.AnnAssign) and isinstance(first.target, ast.Name)
                    and isinstance(second, ast.Expr) and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)):
                docs[f"{prefix}.{first.target.id}"] = " ".join(second.value.value.split())
    return docs


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _codes(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names) or "-"


def _toml_key(info: FieldInfo) -> str:
    if not info.option.toml:
        return "-"
    if info.group in TABLE_GROUPS:  # written as its own sub-table
        return f"`{info.table_key}` in `[tool.pyo3-pack.{info.group}]`"
    return _codes(info.keys)


def options_table() -> str:
    """Every build setting: its pyproject key (and aliases), flags, variables and docstring."""
    docs = field_docs()
    rows = ["| `[tool.pyo3-pack]` key | command line | environment | what it does |",
            "|---|---|---|---|"]
    for info in fields().values():
        env = info.env if info.option.env else ()
        rows.append(f"| {_toml_key(info)} | {_codes(info.option.cli)} | {_codes(env)} "
                    f"| {_cell(docs.get(info.path, ''))} |")
    return "\n".join(rows)


def cargo_table() -> str:
    """The keys of `[package.metadata.pyo3-pack]` in Cargo.toml, with their docstrings."""
    rows = ["| `[package.metadata.pyo3-pack]` key | what it gives |", "|---|---|"]
    rows += [f"| `{key}` | {_cell(text)} |" for key, text in cargo_key_docs().items()]
    return "\n".join(rows)


TABLES = {"options": options_table, "cargo-keys": cargo_table}


def render_readme(text: str) -> str:
    """`text` with every generated table between its markers replaced by a fresh one."""
    for name, render in TABLES.items():
        start, end = _START.format(name), _END.format(name)
        pattern = re.compile(re.escape(start) + r"\n.*?" + re.escape(end), flags=re.S)
        found = pattern.search(text)
        if not found:
            raise ValueError(f"the README has no `{start}` ... `{end}` markers")
        text = f"{text[:found.start()]}{start}\n{render()}\n{end}{text[found.end():]}"
    return text


def main(argv: Sequence[str]) -> int:
    """Rewrite the README's tables (`README.md`), or with `--check` report drift (exit 1)."""
    check = "--check" in argv
    paths = [arg for arg in argv if arg != "--check"] or ["README.md"]
    status = 0
    for path in map(Path, paths):
        text = path.read_text(encoding="utf-8")
        fresh = render_readme(text)
        if fresh == text:
            continue
        if check:
            print(f"{path}: the generated tables are out of date (run python -m "
                  f"setuptools_pyo3pack.config.docs {path})", file=sys.stderr)
            status = 1
        else:
            from ..fs import write_atomic

            write_atomic(path, fresh)
            print(f"{path}: tables regenerated", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
