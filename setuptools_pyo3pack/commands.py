"""The setuptools commands (public path; they live in `frontends.setuptools`).

    from setuptools_pyo3pack import cmdclass
    setup(cmdclass=cmdclass())
"""

from .frontends.setuptools.commands import (
    COMMANDS,
    BdistWheel,
    Build,
    BuildRust,
    Clean,
    Develop,
    Install,
    InstallRust,
    RustCrate,
    cmdclass,
)

__all__ = [
    "COMMANDS",
    "BdistWheel",
    "Build",
    "BuildRust",
    "Clean",
    "Develop",
    "Install",
    "InstallRust",
    "RustCrate",
    "cmdclass",
]
