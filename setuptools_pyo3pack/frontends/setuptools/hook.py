"""The entry points setuptools calls while setup() creates the Distribution.

`finalize_distribution_options` runs for every setuptools project in an environment where
this package is installed, so it returns at once for projects that do not use us: those with
no `rust_crates=`, none of our `RustExtension`s in `rust_extensions=`, no build_rust of ours
in their cmdclass, and no `[tool.setuptools-rust]` table in a pyproject.toml whose build
requirements name us. setuptools-rust registers the same `rust_extensions` keyword: each
package's handler takes only its own objects, and ours undoes what setuptools-rust's handler
did to a distribution that is ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from setuptools.dist import Distribution
from setuptools.errors import SetupError

from ...errors import ConfigError, Pyo3PackError
from ...project.layout import PythonLayout
from .crates import CrateSpec, RustCrate, normalize

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command

_PACKAGE = "setuptools_pyo3pack."
_SETUPTOOLS_RUST = "setuptools_rust"
_STOCK_COMMANDS = {_SETUPTOOLS_RUST, "setuptools", "distutils", "wheel"}


def rust_crates_keyword(dist: Distribution, attr: str, value: object) -> None:
    """Validate `rust_crates=[...]` (a `distutils.setup_keywords` entry point)."""
    try:
        setattr(dist, attr, normalize(value))
    except Pyo3PackError as error:
        raise SetupError(str(error)) from None


def _is_ours(value: object) -> bool:
    return type(value).__module__.startswith(_PACKAGE)


def rust_extensions_keyword(dist: Distribution, attr: str, value: object) -> None:
    """Check `rust_extensions=[...]` holding our RustExtension/RustBin objects.

    The keyword is setuptools-rust's too: a list of its objects is left to it.
    """
    if not isinstance(value, (list, tuple)) or not any(_is_ours(v) for v in value):
        return
    strangers = [v for v in value if not _is_ours(v)]
    if strangers:
        raise SetupError(f"rust_extensions mixes setuptools_pyo3pack's RustExtension/RustBin "
                         f"with {strangers[0]!r}: import them all from setuptools_pyo3pack")


def finalize_distribution_options(dist: Distribution) -> None:
    """Name, version and metadata from Cargo.toml; our commands as the defaults."""
    crates = getattr(dist, "rust_crates", None)
    extensions = _our_extensions(getattr(dist, "rust_extensions", None))
    build_rust = dist.cmdclass.get("build_rust")
    our_command = build_rust is not None and build_rust.__module__.startswith(_PACKAGE)
    table = _our_table() if crates is None and not extensions else None
    if crates is None and not extensions and not our_command and not table:
        return
    try:
        _check_setuptools()
        entries: list[Any] = [*(normalize(crates) if crates is not None else ()),
                              *extensions, *(table or ())]
        zero_config = not entries
        if zero_config:
            entries = list(_zero_config())
        if table:
            setattr(dist, "rust_extensions", [*extensions, *table])  # noqa: B010
        _undo_setuptools_rust(dist)
        _apply(dist, _specs(entries), zero_config=zero_config)
        _add_console_scripts(dist, [*extensions, *(table or ())])
    except Pyo3PackError as error:
        raise SetupError(str(error)) from None


# setuptools runs hooks by their `order`; ours reads what setup() and its keywords set
finalize_distribution_options.order = 10  # type: ignore[attr-defined]


def _our_extensions(value: object) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        return []
    return [v for v in value if _is_ours(v)]


def _our_table() -> list[Any] | None:
    """`[tool.setuptools-rust]` entries, if pyproject.toml's build requirements name us.

    Another tool's project must never fail here: an unreadable file is simply not ours.
    """
    from . import rust_table

    path = Path.cwd() / "pyproject.toml"
    if not rust_table.has_table(path.parent):
        return None
    from ...config.pyproject import load_toml

    try:
        data = load_toml(path)
    except ConfigError:
        return None
    table = (data.get("tool") or {}).get(rust_table.TABLE)
    if not isinstance(table, dict) or not _requires_us(data.get("build-system")):
        return None
    try:
        return list(rust_table.extensions_from_table(table, str(path)))
    except ConfigError as error:
        raise SetupError(str(error)) from None


def _requires_us(build_system: Any) -> bool:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    requires = build_system.get("requires") if isinstance(build_system, dict) else None
    for line in requires if isinstance(requires, list) else []:
        try:
            if canonicalize_name(Requirement(str(line)).name) == "setuptools-pyo3pack":
                return True
        except InvalidRequirement:
            continue
    return False


def _check_setuptools() -> None:
    from .versions import setuptools_version, too_old_message

    message = too_old_message(setuptools_version())
    if message:
        raise SetupError(message)


def _specs(entries: list[Any]) -> tuple[CrateSpec, ...]:
    from .crates import specs

    return specs(e if isinstance(e, RustCrate) else e.spec() for e in entries)


def _undo_setuptools_rust(dist: Distribution) -> None:
    """setuptools-rust's keyword handler (installed next to us) wraps commands and
    `has_ext_modules` for any non-empty rust_extensions; on our distribution, unwrap them."""
    for name, command in list(dist.cmdclass.items()):
        if not command.__module__.startswith(_SETUPTOOLS_RUST):
            continue
        while command.__module__.startswith(_SETUPTOOLS_RUST) and command.__bases__:
            command = command.__bases__[0]
        if command.__module__.split(".")[0] in _STOCK_COMMANDS:
            del dist.cmdclass[name]  # it wrapped setuptools' own: ours is the default
        else:
            dist.cmdclass[name] = command  # it wrapped the project's (or ours)
    patched = vars(dist).get("has_ext_modules")
    if patched is not None and getattr(patched, "__module__", "").startswith(_SETUPTOOLS_RUST):
        del vars(dist)["has_ext_modules"]


def _add_console_scripts(dist: Distribution, extensions: list[Any]) -> None:
    """`script=True` executables of Binding.Exec entries get a console script each."""
    scripts = [line for ext in extensions for line in ext.entry_points()]
    if not scripts:
        return
    entry_points = getattr(dist, "entry_points", None) or {}
    current = entry_points.get("console_scripts") or []
    if isinstance(current, str):
        current = [line for line in current.splitlines() if line.strip()]
    names = {line.split("=")[0].strip() for line in current}
    entry_points["console_scripts"] = [*current, *(s for s in scripts
                                                   if s.split("=")[0] not in names)]
    setattr(dist, "entry_points", entry_points)  # noqa: B010 (not in setuptools' stubs)


def _zero_config() -> tuple[RustCrate, ...]:
    if not Path("Cargo.toml").is_file():
        raise SetupError(
            f"no Cargo.toml next to setup.py in {Path.cwd()} "
            "(pass rust_crates=[...] to setup() to name the crates)"
        )
    return (RustCrate("Cargo.toml"),)


def _apply(dist: Distribution, crates: tuple[CrateSpec, ...], zero_config: bool) -> None:
    from ...project.project import load_project
    from . import dist_metadata
    from .build import CRATES_ATTRIBUTE
    from .commands import COMMANDS
    from .projects import BuildRequest, cargo_environment, configuration_for

    setattr(dist, CRATES_ATTRIBUTE, crates)
    root = Path.cwd()
    with cargo_environment(crates[0]):
        project = load_project(configuration_for(crates[0], root, BuildRequest()))
    if zero_config or not dist.metadata.name:
        # with rust_crates=, the first crate describes the project only if setup() does not
        dist_metadata.apply(dist, project.metadata, root, project.config.pyproject.data)
    if zero_config and dist.packages is None and dist.py_modules is None:
        _default_packages(dist, project.layout, root)
    for name, command in COMMANDS.items():
        dist.cmdclass.setdefault(name, command)
    _check_build_command(dist.cmdclass["build"])


def _default_packages(dist: Distribution, layout: PythonLayout, root: Path) -> None:
    """Zero config: the crate's Python package (mixed project) or nothing (pure crate)."""
    from setuptools import find_packages

    python_root = layout.python_root.absolute()
    relative = python_root.relative_to(root).as_posix() if python_root != root else "."
    dist.package_dir = {"": relative}
    dist.py_modules = []
    if layout.mixed:
        include = [pattern for top in layout.packages for pattern in (top, f"{top}.*")]
        dist.packages = find_packages(where=str(python_root), include=include)
    else:
        dist.packages = []


def _check_build_command(command: type[Command]) -> None:
    names = [name for name, _ in getattr(command, "sub_commands", [])]
    if "build_rust" not in names:
        raise SetupError(
            f"cmdclass['build'] ({command.__name__}) does not run build_rust: subclass "
            "setuptools_pyo3pack.commands.Build instead of setuptools' build"
        )

