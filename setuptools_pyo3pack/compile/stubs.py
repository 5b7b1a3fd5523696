"""Type stubs of pyo3 modules, from the introspection data pyo3 embeds in the library.

With pyo3's `experimental-inspect` feature, the built library holds a description of the
module (functions, classes, signatures, annotations). The `pyo3-introspection` program of
the same pyo3 release reads it and writes `.pyi` files: `__init__.pyi` for the module and
one file per submodule. pyo3-pack installs that program itself (`tools.find`, pinned to the
crate's pyo3 version, since the data's format changes between releases).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .. import _process
from ..config.settings import Binding
from ..project.layout import PythonLayout
from ..project.project import Project
from . import tools

#: The pyo3 feature that embeds introspection data into the library.
INSPECT_FEATURE = "experimental-inspect"
#: Names a pyo3-introspection to use instead of the one pyo3-pack installs.
INTROSPECTION_VARIABLE = "PYO3_PACK_PYO3_INTROSPECTION"
#: The first pyo3 whose pyo3-introspection crate has a program to install (older releases
#: are libraries only: nothing can read their data without compiling Rust against them).
FIRST_WITH_PROGRAM = (0, 29, 0)


def introspection_tool(pyo3_version: str) -> tools.CargoTool:
    """pyo3-introspection of the crate's pyo3 series: the newest patch release, at least the
    crate's (pyo3 patch releases keep the data's format; not every one has a program)."""
    major, minor, patch = (*_release(pyo3_version), 0, 0, 0)[:3]
    return tools.CargoTool(
        crate="pyo3-introspection",
        version=f"{major}.{minor}",
        requirement=f"~{major}.{minor}.{patch}",
        env_var=INTROSPECTION_VARIABLE,
        purpose=f"type stubs of pyo3 modules built with the `{INSPECT_FEATURE}` feature are "
        "written with it",
        same_version_on_path=True,
    )


def pyo3_version(project: Project) -> str | None:
    """The crate's pyo3 version when stubs can be generated for it, else None (and why, once,
    when the feature is on but the release is too old)."""
    if project.binding.binding is not Binding.PYO3:
        return None
    pyo3 = project.crate.dependencies.get("pyo3")
    if pyo3 is None or INSPECT_FEATURE not in pyo3.features:
        return None
    if _release(pyo3.version) < FIRST_WITH_PROGRAM:
        _process.log(f"no type stubs: pyo3 {pyo3.version} has `{INSPECT_FEATURE}` but no "
                     f"pyo3-introspection program to read it (pyo3 "
                     f"{'.'.join(map(str, FIRST_WITH_PROGRAM))} is the first)")
        return None
    return pyo3.version


def _release(version: str) -> tuple[int, ...]:
    numbers = version.split("-")[0].split("+")[0].split(".")
    return tuple(int(n) if n.isdigit() else 0 for n in numbers)


def generate(project: Project, version: str, library: Path) -> dict[str, str]:
    """The stub files pyo3-introspection writes for `library`, by path relative to the
    module's stub folder (`__init__.pyi`, `sub.pyi`)."""
    program = str(tools.find(introspection_tool(version)))
    module = project.layout.native_name
    with tempfile.TemporaryDirectory(prefix="pyo3-pack-stubs-") as tmp:
        _process.run_captured(
            [program, str(library), module, tmp],
            what=f"writing type stubs of `{module}` with pyo3-introspection {version}",
            hint=f"build without pyo3's `{INSPECT_FEATURE}` feature to skip stubs, or write "
            f"a {module}.pyi by hand (it wins over generated stubs)",
        )
        files = {path.relative_to(tmp).as_posix(): path.read_text(encoding="utf-8")
                 for path in sorted(Path(tmp).rglob("*.pyi"))}
    _process.log(f"generated type stubs of `{module}`: {', '.join(files) or 'none'}")
    return files


def hand_written_stub(layout: PythonLayout) -> Path | None:
    """The project's own stub of the native module, which generated stubs never replace: a
    pure project's `<module>.pyi` next to Cargo.toml, or `<module>.pyi` (or
    `<module>/__init__.pyi`) next to where the module goes in a mixed project."""
    if layout.stub() is not None:
        return layout.stub()
    if not layout.mixed and "." not in layout.module_name:
        return None
    folder = layout.python_root / layout.native_dir
    for candidate in (folder / f"{layout.native_name}.pyi",
                      folder / layout.native_name / "__init__.pyi"):
        if candidate.is_file():
            return candidate
    return None
