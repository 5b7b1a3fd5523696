"""libanswer: a shared C library outside every manylinux policy, built by the tests themselves.

examples/pyo3-extlib links it (its build.rs reads `ANSWER_LIB_DIR`), and the repair step
grafts it into the wheel. It is compiled with the C compiler cargo links with (`$CC`, else
`cc`), so the tests need no system development package.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

SONAME = "libanswer.so.1"
SOURCE = """\
const char *answer_version(void) { return "answer 1.0.0"; }
int answer(void) { return 42; }
"""


def c_compiler() -> list[str]:
    argv = shlex.split(os.environ.get("CC") or "cc")
    if not argv or shutil.which(argv[0]) is None:
        pytest.fail(f"no C compiler: `{argv[0] if argv else '$CC'}` is not on PATH (Rust links "
                    "with it too; the README lists it)")
    return argv


def build_libanswer(folder: Path) -> Path:
    """`folder/libanswer.so.1` (with that SONAME) and the `libanswer.so` link cargo links to."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answer.c").write_text(SOURCE)
    result = subprocess.run(
        [*c_compiler(), "-shared", "-fPIC", f"-Wl,-soname,{SONAME}", "-o", SONAME, "answer.c"],
        cwd=folder, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, f"compiling libanswer failed: {result.stderr[-2000:]}"
    (folder / "libanswer.so").symlink_to(SONAME)
    return folder / SONAME


def build_env(folder: Path) -> dict[str, str]:
    """The environment of a build of pyo3-extlib: cargo links libanswer from `folder`, and the
    repair step finds it there through LD_LIBRARY_PATH (as auditwheel users do)."""
    search = [str(folder), *filter(None, [os.environ.get("LD_LIBRARY_PATH")])]
    return dict(os.environ, ANSWER_LIB_DIR=str(folder), LD_LIBRARY_PATH=os.pathsep.join(search))
