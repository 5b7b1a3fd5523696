"""The settings' docstrings, read from the source of `settings.py`: help text and docs.

Attribute docstrings are not kept at run time, so they are read from the module's syntax
tree, once, when help is first needed.
"""

from __future__ import annotations

import ast
import inspect
from functools import lru_cache

from . import settings


@lru_cache(maxsize=1)
def field_docs() -> dict[str, str]:
    """`group.field` (and `group` for a class) -> its docstring, whitespace folded."""
    tree = ast.parse(inspect.getsource(settings))
    groups = {cls.__name__: name for name, cls in settings.GROUPS}
    docs: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in groups:
            continue
        group = groups[node.name]
        docs[group] = " ".join((ast.get_docstring(node) or "").split())
        for first, second in zip(node.body, node.body[1:]):
            if (isinstance(first, ast.AnnAssign) and isinstance(first.target, ast.Name)
                    and isinstance(second, ast.Expr) and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)):
                docs[f"{group}.{first.target.id}"] = " ".join(second.value.value.split())
    return docs
