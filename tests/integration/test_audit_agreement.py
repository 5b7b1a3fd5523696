"""Our audit against the reference: `auditwheel show --json` on a corpus of real wheels.

Cargo-built wheels (pyo3, a binary, a test-built libanswer linked, grafted, linked by zig for
glibc 2.17) and
small gcc/zig-built fixtures (old and new glibc symbols, zlib's blacklisted internals weak and
strong, a library outside every policy, a bundled one, executables, musl files). For every
wheel both tools must give the same overall platform tag and the same external libraries,
except where we differ on purpose (`DIFFERENT`, each with the reason): there auditwheel must
still say what we expect it to, so a change on its side shows up here.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import audit_wheel
from setuptools_pyo3pack.audit.patch import find_patchelf
from setuptools_pyo3pack.compile.zig import find_cargo_zigbuild
from setuptools_pyo3pack.errors import CommandError
from tests.integration.conftest import copy_example, run_tool
from tests.integration.extlib import build_env, build_libanswer
from tests.unit.audit_fixtures import build_natives
from tests.unit.test_audit_wheel import make_wheel

MUSL_SOURCES = {
    "musl.c": "#include <stdlib.h>\nvoid *PyInit_musl(void) { void *p = malloc(8); free(p); "
    "return p; }\n",
    "muslexe.c": '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n',
}
#: name -> what the wheel holds; the ones marked `wired` need `--zig` / `--auditwheel` in the CLI
CORPUS = [
    "pyo3-pure", "hello-bin", "pyo3-extlib", "pyo3-extlib-repaired", "pyo3-pure-zig",
    "old", "new", "zweak", "zstrong", "ext", "ext_origin", "hello",
    "musl-so", "musl-exe", "musl-exe-zig-soname",
]


#: wheel -> (auditwheel's verdict, ours, why we differ)
DIFFERENT: dict[str, tuple[tuple[str, set[str]], tuple[str, set[str]], str]] = {
    "musl-so": (
        ("musllinux_1_2_x86_64", set()), ("musllinux_1_1_x86_64", set()),
        "without a musl host auditwheel checks only its newest musl policy; we read the musl "
        "version a file needs from its symbols, and this one uses nothing musl 1.2 added",
    ),
    "musl-exe": (
        ("musllinux_1_2_x86_64", set()), ("musllinux_1_1_x86_64", set()),
        "the same, for an executable",
    ),
    "musl-exe-zig-soname": (
        ("linux_x86_64", {"libc.so"}), ("musllinux_1_1_x86_64", set()),
        "zig links musl as `libc.so`, which musl's loader maps to itself: not an outside "
        "library (auditwheel would graft the host's libc.so, a glibc linker script)",
    ),
}


def auditwheel_show(wheel: Path, env: dict[str, str]) -> dict[str, object]:
    if importlib.util.find_spec("auditwheel") is None:
        pytest.fail("auditwheel is not installed: pip install -e '.[test]'")
    result = subprocess.run([sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
                            capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


def ours(wheel: Path) -> tuple[str, set[str]]:
    verdict = audit_wheel(wheel).verdict
    assert verdict is not None
    tag = verdict.policy.tag if verdict.policy else f"linux_{verdict.arch}"
    loosest = verdict.own[-1]
    return tag, {r.library for r in loosest.reasons if r.kind == "external-library" and r.library}


class Corpus:
    def __init__(self, root: Path, python: Path) -> None:
        self.root = root
        self.python = python
        self.wheels: dict[str, Path] = {}
        #: builds link libanswer from here, and both audits find it here
        self.env = build_env(build_libanswer(root / "libanswer").parent)

    def add(self, name: str, make: Callable[[Path], Path]) -> None:
        folder = self.root / name
        folder.mkdir()
        self.wheels[name] = make(folder)

    def cargo(self, example: str, *args: str) -> Callable[[Path], Path]:
        def make(folder: Path) -> Path:
            crate = copy_example(example, folder)
            if "--zig" in args:
                try:
                    find_cargo_zigbuild()
                except CommandError as exc:
                    pytest.fail(str(exc))
            interpreter = ("-i", str(self.python)) if example != "hello-bin" else ()
            run_tool("build", *interpreter, *args, "-o", folder / "dist", cwd=crate, env=self.env)
            [wheel] = (folder / "dist").glob("*.whl")
            return wheel

        return make


def musl_natives(out: Path) -> dict[str, Path]:
    """Shared library and executable for musl, linked by zig; `libc.so` renamed to the
    `libc.musl-x86_64.so.1` a musllinux system has (auditwheel cannot read zig's bare one)."""
    if importlib.util.find_spec("ziglang") is None:
        pytest.fail("the ziglang package is not installed (zig links the musl fixtures): "
                    "pip install -e '.[test]'")
    try:
        patchelf = find_patchelf()
    except CommandError as exc:
        pytest.fail(str(exc))
    out.mkdir(parents=True, exist_ok=True)
    zig_cc = [sys.executable, "-m", "ziglang", "cc", "-target", "x86_64-linux-musl"]
    for name, source in MUSL_SOURCES.items():
        (out / name).write_text(source)
    subprocess.run([*zig_cc, "-shared", "-fPIC", "-o", "musl.so", "musl.c"], cwd=out, check=True)
    subprocess.run([*zig_cc, "-dynamic", "-o", "muslexe-zig", "muslexe.c"], cwd=out, check=True)
    shutil.copyfile(out / "muslexe-zig", out / "muslexe")
    for name in ("musl.so", "muslexe"):
        subprocess.run([patchelf, "--replace-needed", "libc.so", "libc.musl-x86_64.so.1",
                        str(out / name)], check=True)
    return {name: out / name for name in ("musl.so", "muslexe", "muslexe-zig")}


def _one_member(archive_name: str, source: Path, folder: Path) -> Path:
    return make_wheel(folder, {archive_name: source})


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, cpythons: dict[tuple[int, int], Path]
) -> Corpus:
    python = cpythons.get(sys.version_info[:2]) or list(cpythons.values())[-1]
    found = Corpus(tmp_path_factory.mktemp("agreement"), python)
    off = ("--compatibility", "off")
    found.add("pyo3-pure", found.cargo("pyo3-pure", *off))
    found.add("hello-bin", found.cargo("hello-bin", *off))
    found.add("pyo3-extlib", found.cargo("pyo3-extlib", *off))
    found.add("pyo3-extlib-repaired", found.cargo("pyo3-extlib", "--auditwheel", "repair"))
    found.add("pyo3-pure-zig", found.cargo("pyo3-pure", "--zig", "--manylinux", "2014"))
    natives = build_natives(tmp_path_factory.getbasetemp() / "audit-natives")
    for name in ("old", "new", "zweak", "zstrong", "ext"):
        source: Path = getattr(natives, name)
        found.add(name, functools.partial(_one_member, f"demo/{name}.so", source))
    found.add("ext_origin", lambda f: make_wheel(
        f, {"demo/ext_origin.so": natives.ext_origin, "demo.libs/libhelper.so.1": natives.helper}
    ))
    found.add("hello", lambda f: make_wheel(f, {"demo-1.0.data/scripts/hello": natives.hello}))
    musl: dict[str, Path] = {}

    def musl_wheel(folder: Path, members: dict[str, str]) -> Path:
        if not musl:
            musl.update(musl_natives(found.root / "musl-natives"))
        return make_wheel(folder, {k: musl[v] for k, v in members.items()})

    found.add("musl-so", lambda f: musl_wheel(f, {"demo/musl.so": "musl.so"}))
    found.add("musl-exe", lambda f: musl_wheel(f, {"demo-1.0.data/scripts/hi": "muslexe"}))
    found.add("musl-exe-zig-soname",
              lambda f: musl_wheel(f, {"demo-1.0.data/scripts/hi": "muslexe-zig"}))
    return found


@pytest.mark.parametrize("name", CORPUS)
def test_same_policy_and_external_libraries(corpus: Corpus, name: str) -> None:
    wheel = corpus.wheels[name]
    theirs = auditwheel_show(wheel, corpus.env)
    external = set(theirs["external_libs"])  # type: ignore[call-overload]
    if name in DIFFERENT:
        expected_theirs, expected_ours, _ = DIFFERENT[name]
        assert (theirs["overall_tag"], external) == expected_theirs
        assert ours(wheel) == expected_ours
        return
    assert ours(wheel) == (theirs["overall_tag"], external)


def test_agreement_count_and_speed(corpus: Corpus) -> None:
    """At least 10 wheels agree (the ones in DIFFERENT aside); the time both take on the
    largest wheel is printed."""
    agreed = []
    for name, wheel in corpus.wheels.items():
        theirs = auditwheel_show(wheel, corpus.env)
        if name not in DIFFERENT and ours(wheel) == (
            theirs["overall_tag"], set(theirs["external_libs"])  # type: ignore[call-overload]
        ):
            agreed.append(name)
    assert len(agreed) >= 10, agreed
    largest = max(corpus.wheels.values(), key=lambda p: p.stat().st_size)
    timings = {}
    for label, argv in {
        "pyo3-pack audit": [sys.executable, "-m", "setuptools_pyo3pack", "audit", "--json"],
        "auditwheel show": [sys.executable, "-m", "auditwheel", "show", "--json"],
    }.items():
        start = time.perf_counter()
        subprocess.run([*argv, str(largest)], capture_output=True, check=True)
        timings[label] = time.perf_counter() - start
    start = time.perf_counter()
    audit_wheel(largest)
    timings["audit_wheel() in process"] = time.perf_counter() - start
    size = largest.stat().st_size / 1e6
    print(f"\nagreement: {len(agreed)}/{len(corpus.wheels)} wheels; largest {largest.name} "
          f"({size:.1f} MB): " + ", ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
