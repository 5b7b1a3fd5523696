"""The import layers of ARCHITECTURE.md: a module imports only its own layer and the ones
below it, and no import cycle exists. Imports inside functions count too: a lazy import is
still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGE = "setuptools_pyo3pack"
#: Lowest first. A module's layer is its first name below the package.
LAYERS: list[set[str]] = [
    {"_version", "errors", "_process", "fs"},
    {"config"},
    {"platforms"},
    {"project"},
    {"compile"},
    {"audit"},
    {"wheel"},
    {"sdist"},
    {"install"},
    {"upload"},
    {"frontends"},
    {"", "cli", "build_meta", "commands", "__main__"},  # "": the package's __init__
]


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, module: str) -> set[str]:
    """Every module of the package that `module` imports, anywhere in its body."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in (REPO / PACKAGE).rglob("*.py")}
    return {
        module: {t for t in _imports(path, module)
                 if t in files and t != module and not module.startswith(t + ".")}
        for module, path in files.items()
    }


def _layer(module: str) -> int:
    name = module[len(PACKAGE) + 1:].split(".")[0] if module != PACKAGE else ""
    for index, names in enumerate(LAYERS):
        if name in names:
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{module} (layer {_layer(module)}) imports {target} (layer {_layer(target)})"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def test_every_module_is_in_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_architecture_md_lists_the_same_layers() -> None:
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for names in LAYERS[1:-1]:
        (name,) = names
        assert f"`{name}/`" in text, f"ARCHITECTURE.md does not describe {name}/"
