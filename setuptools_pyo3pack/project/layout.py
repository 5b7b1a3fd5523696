"""Where a project's Python code lives: pure or mixed, the package folders, the data folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True)
class PythonLayout:
    project_root: Path
    python_root: Path
    module_name: str
    """Dotted import name of the native module (`pkg` or `pkg._native`)."""
    mixed: bool
    packages: tuple[str, ...] = ()
    """Top-level Python packages to pack from `python_root` (mixed projects)."""
    data_dir: Path | None = None

    @property
    def top_package(self) -> str:
        return self.module_name.split(".")[0]

    @property
    def native_name(self) -> str:
        return self.module_name.split(".")[-1]

    @property
    def native_dir(self) -> str:
        """The wheel folder (and, for develop, the folder under python_root) of the module."""
        parts = self.module_name.split(".")
        if len(parts) > 1:
            return "/".join(parts[:-1])
        return parts[0]

    @property
    def native_package(self) -> str:
        """The wheel folder of a native module shipped as a package (cffi): the module
        itself for a pure project, a subpackage of the Python package for a mixed one."""
        if not self.mixed and "." not in self.module_name:
            return self.module_name
        return f"{self.native_dir}/{self.native_name}"

    def stub(self) -> Path | None:
        """A pure project's `<module>.pyi` next to Cargo.toml (packed as `__init__.pyi`)."""
        candidate = self.python_root / f"{self.native_name}.pyi"
        return candidate if not self.mixed and candidate.is_file() else None


def resolve(
    project_root: Path,
    module_name: str,
    *,
    python_source: str | None,
    python_packages: tuple[str, ...] = (),
    data: str | None = None,
    where: Mapping[str, str] | None = None,
    import_name: str | None = None,
) -> PythonLayout:
    """Check the folders the settings name; `where` says where each key was written
    (`python-source` -> `[tool.maturin] of /p/pyproject.toml`), for messages.

    Without `python-source`, a `src/<import_name>` folder (`import_name` from [project]'s
    name) makes `src` the python root, as maturin detects the src layout. A package folder
    without `__init__.py` is an implicit namespace package."""
    def at(key: str) -> str:
        source = (where or {}).get(key)
        return f"`{key}` in {source}" if source else f"`{key}`"

    python_root = project_root / python_source if python_source else project_root
    if not python_source and import_name and (project_root / "src" / import_name).is_dir():
        python_root = project_root / "src"
    if python_source and not python_root.is_dir():
        raise ConfigError(
            f"{at('python-source')} is `{python_source}`: {python_root} is not a folder",
            hint="create it or fix python-source",
        )
    top = module_name.split(".")[0]
    package_dir = python_root / top
    mixed = package_dir.is_dir()
    if python_source and not mixed:
        raise ConfigError(
            f"{at('python-source')} is `{python_source}`, which holds no `{top}` package "
            "folder",
            hint=f"move the Python package to {package_dir}",
        )
    for extra in python_packages:
        if not (python_root / extra).is_dir():
            raise ConfigError(f"{at('python-packages')} has `{extra}`, which is not a folder "
                              f"under {python_root}")
    packages = (top, *python_packages) if mixed else tuple(python_packages)
    # maturin: `<module-name>.data` (the whole dotted name) in the project folder
    data_dir = project_root / data if data else project_root / f"{module_name}.data"
    if data and not data_dir.is_dir():
        raise ConfigError(f"{at('data')} is `{data}`, but {data_dir} does not exist")
    return PythonLayout(
        project_root, python_root, module_name, mixed, packages,
        data_dir if data_dir.is_dir() else None,
    )
