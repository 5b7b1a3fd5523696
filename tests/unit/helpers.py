"""Helpers shared by the unit tests: recorded `cargo metadata` answers, fake interpreters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from setuptools_pyo3pack.platforms.interpreter import Interpreter

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: Placeholders written into the recorded JSON instead of absolute paths.
CRATE_ROOT = "@CRATE_ROOT@"
REGISTRY = "@REGISTRY@"

#: A pyo3-ffi build.rs in the style pyo3 0.23+ uses (PY_3_X constants).
NEW_STYLE_BUILD_RS = """\
const SUPPORTED_VERSIONS_CPYTHON: SupportedVersions = SupportedVersions {
    min: PY_3_9,
    max: PY_3_15,
};

const SUPPORTED_VERSIONS_PYPY: SupportedVersions = SupportedVersions {
    min: PY_3_11,
    max: SUPPORTED_VERSIONS_CPYTHON.max,
};

const SUPPORTED_VERSIONS_GRAALPY: SupportedVersions = SupportedVersions {
    min: PY_3_10,
    max: SUPPORTED_VERSIONS_CPYTHON.max,
};

const MIN_FREE_THREADED_VERSION: PythonVersion = PY_3_14;
"""

#: The older style (pyo3 0.16 .. 0.22) spelling each bound as a PythonVersion literal.
OLD_STYLE_BUILD_RS = """\
const SUPPORTED_VERSIONS_CPYTHON: SupportedVersions = SupportedVersions {
    min: PythonVersion { major: 3, minor: 7 },
    max: PythonVersion { major: 3, minor: 12 },
};

const SUPPORTED_VERSIONS_PYPY: SupportedVersions = SupportedVersions {
    min: PythonVersion { major: 3, minor: 7 },
    max: PythonVersion { major: 3, minor: 10 },
};
"""


def recorded_metadata(name: str, root: Path, registry: Path) -> dict[str, Any]:
    """The recorded `cargo metadata` of examples/<name>, as if the crate lived in `root`."""
    text = (FIXTURES / f"cargo-metadata-{name}.json").read_text(encoding="utf-8")
    text = text.replace(CRATE_ROOT, str(root)).replace(REGISTRY, str(registry))
    data: dict[str, Any] = json.loads(text)
    return data


def make_interpreter(
    implementation: str = "cpython",
    version: tuple[int, int, int] = (3, 12, 4),
    *,
    abiflags: str = "",
    free_threaded: bool = False,
    soabi: str | None = None,
    ext_suffix: str | None = None,
    platform: str = "linux-x86_64",
) -> Interpreter:
    """An Interpreter as the probe would report it, without running anything."""
    major, minor, _ = version
    if soabi is None:
        if implementation == "cpython":
            soabi = f"cpython-{major}{minor}{'t' if free_threaded else ''}{abiflags}"
            soabi += "-x86_64-linux-gnu"
        else:
            soabi = f"{implementation}{major}{minor}-x86_64-linux-gnu"
    if ext_suffix is None:
        ext_suffix = f".{soabi}.so"
    path = f"/opt/{implementation}{major}.{minor}/bin/python"
    return Interpreter(
        path=path,
        implementation=implementation,
        version=version,
        abiflags=abiflags,
        ext_suffix=ext_suffix,
        soabi=soabi,
        free_threaded=free_threaded,
        platform=platform,
        pointer_bits=64,
        executable=path,
        base_executable=path,
        prefix=f"/opt/{implementation}{major}.{minor}",
        base_prefix=f"/opt/{implementation}{major}.{minor}",
    )
