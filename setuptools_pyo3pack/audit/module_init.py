"""Checks on a built extension module that turn a confusing import error into a build error."""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError


def exported_functions(library: Path) -> set[str]:
    """Names of the functions a shared library defines in its dynamic symbol table."""
    from .elf import exported_functions  # the audit's small ELF reader, stdlib only

    # None: not ELF (another platform), nothing we can check here
    return exported_functions(library) or set()


def check_module_init(library: Path, module_name: str, where: str) -> None:
    """Python imports `pkg.name` by calling `PyInit_name`; fail now if the library lacks it."""
    native_name = module_name.split(".")[-1]
    exported = exported_functions(library)
    if not exported or f"PyInit_{native_name}" in exported:
        return
    found = sorted(name[len("PyInit_"):] for name in exported if name.startswith("PyInit_"))
    if not found:
        return
    module = module_name.rsplit(".", 1)[0] + "." + found[0] if "." in module_name else found[0]
    raise ConfigError(
        f"the module is named `{module_name}` ({where}), but the library defines the module "
        f"`{found[0]}` (PyInit_{found[0]})",
        hint=f'set module-name = "{module}", or rename the #[pymodule] to `{native_name}`',
    )
