"""What an interpreter is, as far as building for it goes: the facts a probe reports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Interpreter:
    """One probed Python interpreter."""

    path: str
    """The path it was found at (a venv's python stays a venv's python)."""
    implementation: str
    version: tuple[int, int, int]
    abiflags: str
    ext_suffix: str
    soabi: str
    free_threaded: bool
    platform: str
    pointer_bits: int
    executable: str
    base_executable: str
    prefix: str
    base_prefix: str
    paths: dict[str, str] = field(default_factory=dict)
    recorded: bool = False
    """Built from recorded sysconfig values of another platform (`platforms/recorded.py`), not
    probed: it cannot run here, and cargo learns about it through pyo3's cross variables."""

    @property
    def minor_version(self) -> tuple[int, int]:
        return (self.version[0], self.version[1])

    @property
    def is_virtualenv(self) -> bool:
        return self.prefix != self.base_prefix

    @property
    def pretty_name(self) -> str:
        name = {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}.get(
            self.implementation, self.implementation
        )
        suffix = " (free-threaded)" if self.free_threaded else ""
        if self.recorded:  # a version for another platform, not an installation
            return f"{name} {self.version[0]}.{self.version[1]}{suffix} for {self.platform}"
        return f"{name} {'.'.join(map(str, self.version))}{suffix}"

    @property
    def abi_key(self) -> str:
        """Interpreters with the same key produce the same extension module."""
        thread = "t" if self.free_threaded else ""
        return f"{self.implementation}-{self.version[0]}.{self.version[1]}{thread}"

    @property
    def build_executable(self) -> str:
        """The interpreter cargo's build scripts should run.

        A venv's python answers pyo3's questions exactly as its base interpreter does; naming
        the base keeps PYO3_PYTHON stable across venvs, so cargo does not rebuild pyo3. A
        launcher script (a pyenv shim) is replaced by the interpreter it started.
        """
        base = self.base_executable
        if self.is_virtualenv and base and os.path.isfile(base):
            return base
        if self.executable and os.path.isfile(self.executable):
            return self.executable
        return self.path
