"""Small native files for the audit tests, compiled with gcc at test time (no binaries stored).

Each C source is chosen for one thing a user would notice in the verdict: only old glibc
symbols, glibc 2.33/2.34 symbol versions, zlib (allowed) with a weak or a strong reference to a
blacklisted zlib internal, a library outside every policy, an executable, and an extension
that links both a library outside every policy and (a stand-in for) the interpreter's own.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SOURCES = {
    # malloc/free/strlen: GLIBC_2.2.5 on x86_64, the oldest there is
    "old.c": """
        #include <stdlib.h>
        #include <string.h>
        void *PyInit_old(void) { char *p = malloc(16); free(p); return (void *)strlen("x"); }
    """,
    # stat -> GLIBC_2.33, dlopen and pthread_create -> GLIBC_2.34 (glibc >= 2.34 hosts)
    "new.c": """
        #include <dlfcn.h>
        #include <pthread.h>
        #include <sys/stat.h>
        void *PyInit_new(void) {
            struct stat st;
            return (void *)((long)dlopen("x", 0) + stat("x", &st) + (long)&pthread_create);
        }
    """,
    # zlib is allowed; `_tr_init` is a zlib internal every policy blacklists, referenced weakly
    "zweak.c": """
        #include <zlib.h>
        extern void _tr_init(void *) __attribute__((weak));
        void *PyInit_zweak(void) { return _tr_init ? (void *)_tr_init : (void *)zlibVersion(); }
    """,
    # the same blacklisted internal, referenced strongly
    "zstrong.c": """
        #include <zlib.h>
        extern void _tr_init(void *);
        void *PyInit_zstrong(void) { _tr_init(0); return (void *)zlibVersion(); }
    """,
    "helper.c": "int helper(void) { return 42; }\n",
    # links libhelper.so.1, which no policy allows; RPATH (not RUNPATH) on purpose
    "ext.c": """
        #include <stdlib.h>
        int helper(void);
        void *PyInit_ext(void) { return malloc(helper()); }
    """,
    "hello.c": """
        #include <stdio.h>
        int main(void) { puts("hello"); return 0; }
    """,
    # stands in for libpython3.99.so.1.0 (which links libhelper, as libpypy links libffi)
    "fakepython.c": """
        int helper(void);
        long PyLong_AsLong(void *o) { return (long)o + helper(); }
    """,
    # an extension that links libhelper.so.1 and the interpreter's library, as pyo3 < 0.26
    # builds without `extension-module`
    "pyext.c": """
        int helper(void);
        long PyLong_AsLong(void *o);
        void *PyInit_pyext(void) { return (void *)(PyLong_AsLong(0) + helper()); }
    """,
}


@dataclass(frozen=True)
class Natives:
    old: Path
    new: Path
    zweak: Path
    zstrong: Path
    helper: Path
    ext: Path
    #: ext.c again, finding libhelper.so.1 through RPATH `$ORIGIN/../demo.libs`, as repaired
    ext_origin: Path
    hello: Path
    #: libpython3.99.so.1.0 (fake) and an extension linking it and libhelper.so.1
    libpython: Path
    pyext: Path


def _gcc(*argv: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        ["gcc", *map(str, argv)], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"gcc cannot build the audit fixtures: {result.stderr.strip()[-300:]}")


def build_natives(out: Path) -> Natives:
    """Compile every fixture into `out` once (later calls reuse them)."""
    natives = Natives(
        *(out / name for name in ("old.so", "new.so", "zweak.so", "zstrong.so",
                                  "libhelper.so", "ext.so", "ext_origin.so", "hello",
                                  "libpython3.99.so", "pyext.so"))
    )
    if natives.pyext.exists():
        return natives
    if shutil.which("gcc") is None:
        pytest.fail("gcc is not installed: the audit tests compile small libraries with it "
                    "(the README lists it)")
    out.mkdir(parents=True, exist_ok=True)
    for name, source in SOURCES.items():
        (out / name).write_text(source)
    shared = ("-shared", "-fPIC", "-O0")
    for stem in ("old", "new"):
        _gcc(*shared, "-o", f"{stem}.so", f"{stem}.c", cwd=out)
    for stem in ("zweak", "zstrong"):
        _gcc(*shared, "-o", f"{stem}.so", f"{stem}.c", "-Wl,--no-as-needed", "-lz", cwd=out)
    _gcc(*shared, "-Wl,-soname,libhelper.so.1", "-o", "libhelper.so", "helper.c", cwd=out)
    _gcc(*shared, "-o", "ext.so", "ext.c", "-L.", "-lhelper",
         "-Wl,--disable-new-dtags,-rpath,/opt/one:/opt/two", cwd=out)
    _gcc(*shared, "-o", "ext_origin.so", "ext.c", "-L.", "-lhelper",
         "-Wl,-rpath,$ORIGIN/../demo.libs", cwd=out)
    _gcc("-o", "hello", "hello.c", cwd=out)
    _gcc(*shared, "-Wl,-soname,libpython3.99.so.1.0", "-o", "libpython3.99.so", "fakepython.c",
         "-L.", "-lhelper", cwd=out)
    _gcc(*shared, "-o", "pyext.so", "pyext.c", "-L.", "-lhelper", "-lpython3.99", cwd=out)
    return natives
