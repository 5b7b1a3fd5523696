"""Binaries that depend on pyo3 embed Python: detected with pyo3's facts, planned and built
per interpreter (or once for abi3), in cargo folders of their own, and audited as
executables that keep their link to the interpreter's library."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

from setuptools_pyo3pack.audit import evaluate
from setuptools_pyo3pack.audit.graft import plan_grafts
from setuptools_pyo3pack.audit.policy import find_policy
from setuptools_pyo3pack.compile import cargo
from setuptools_pyo3pack.compile.select import plan
from setuptools_pyo3pack.config.load import load_configuration
from setuptools_pyo3pack.config.settings import Binding, Settings
from setuptools_pyo3pack.config.sources import values_source
from setuptools_pyo3pack.project import bindings
from setuptools_pyo3pack.project.cargo_metadata import CargoTarget
from setuptools_pyo3pack.project.crate import Crate
from setuptools_pyo3pack.project.project import Project, load_project
from tests.unit.test_audit_policy import elf
from tests.unit.test_audit_repair import FakeLocator, roots_of

from .helpers import make_interpreter

TOOL = CargoTarget("tool", ("bin",), ("bin",))
PROGRAM = "demo-0.1.data/scripts/tool"


def _bins_only(crate: Crate) -> Crate:
    return dataclasses.replace(crate, lib=None, bins=(TOOL,))


def test_bin_crate_depending_on_pyo3_carries_pyo3s_facts(
        load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(_bins_only(load_crate("pyo3-pure")), None)
    assert choice.binding is Binding.BIN
    assert choice.embeds_python and choice.needs_interpreter
    assert not choice.binding.needs_interpreter  # not an extension module
    assert choice.crate_version == "0.30.1"
    assert choice.supported == bindings.detect(load_crate("pyo3-pure"), None).supported
    assert choice.why_unsupported("cpython", (3, 8)) == \
        "pyo3 0.30.1 supports cpython 3.9 to 3.15; this one is older than 3.9"


def test_forced_bin_on_a_pyo3_crate_embeds_python(load_crate: Callable[[str], Crate]) -> None:
    crate = dataclasses.replace(load_crate("pyo3-pure"), bins=(TOOL,))
    assert bindings.detect(crate, None).binding is Binding.PYO3  # its cdylib wins
    choice = bindings.detect(crate, "bin")
    assert choice.binding is Binding.BIN and choice.embeds_python


def test_binaries_beside_a_library_that_is_no_cdylib_embed_python(
        load_crate: Callable[[str], Crate]) -> None:
    crate = dataclasses.replace(load_crate("pyo3-pure"), bins=(TOOL,),
                                lib=CargoTarget("pyo3_pure", ("lib",), ("rlib",)))
    choice = bindings.detect(crate, None)
    assert choice.binding is Binding.BIN and choice.embeds_python


def test_abi3_feature_reaches_the_bin_choice(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(_bins_only(load_crate("pyo3-abi3")), None)
    assert choice.binding is Binding.BIN and choice.abi3 == (3, 9)


def test_plain_bin_needs_no_interpreter(load_crate: Callable[[str], Crate]) -> None:
    choice = bindings.detect(load_crate("hello-bin"), None)
    assert not choice.embeds_python and not choice.needs_interpreter
    assert choice.crate_name == "bin"


def _project(example: Path, **values: object) -> Project:
    return load_project(load_configuration(values_source(None, {
        "cargo.manifest_path": example / "Cargo.toml", **values})))


def test_plan_gives_one_wheel_per_interpreter(example_copy: Callable[[str], Path]) -> None:
    project = _project(example_copy("pyo3-bin"), **{
        "cargo.target": "aarch64-pc-windows-msvc", "output.interpreters": ("3.12", "cp313")})
    assert [str(item.tag) for item in plan(project)] == ["cp312-cp312-win_arm64",
                                                         "cp313-cp313-win_arm64"]
    assert all(item.interpreter is not None and not item.abi3 for item in plan(project))


def test_plan_for_the_running_interpreter(example_copy: Callable[[str], Path]) -> None:
    project = _project(example_copy("pyo3-bin"), **{"output.interpreters": (sys.executable,)})
    (item,) = plan(project)
    cp = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    assert str(item.tag).startswith(f"{cp}-{cp}-")
    assert item.interpreter is not None


def test_plan_of_an_abi3_bin_is_one_stable_abi_wheel(example_copy: Callable[[str], Path]) -> None:
    project = _project(example_copy("pyo3-bin"), **{
        "cargo.target": "aarch64-pc-windows-msvc", "output.interpreters": ("3.12", "cp313"),
        "cargo.features": ("pyo3/abi3-py310",)})
    (item,) = plan(project)
    assert str(item.tag) == "cp310-abi3-win_arm64" and item.abi3


def test_plan_of_a_plain_bin_is_one_universal_wheel(example_copy: Callable[[str], Path]) -> None:
    project = _project(example_copy("hello-bin"), **{
        "cargo.target": "aarch64-pc-windows-msvc", "output.interpreters": ("3.12", "cp313")})
    (item,) = plan(project)
    assert str(item.tag) == "py3-none-win_arm64" and item.interpreter is None


def test_embedding_build_links_the_interpreter(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    interpreter = make_interpreter()
    call = cargo.invocation(crate, Settings(), bin_name="tool", interpreter=interpreter,
                            target_dir=crate.target_directory, embed=True)
    assert call.env["PYO3_PYTHON"] == interpreter.build_executable
    assert "PYO3_ENVIRONMENT_SIGNATURE" in call.env
    assert "PYO3_BUILD_EXTENSION_MODULE" not in call.env
    module = cargo.invocation(crate, Settings(), bin_name=None, interpreter=interpreter,
                              target_dir=crate.target_directory)
    assert module.env["PYO3_BUILD_EXTENSION_MODULE"] == "1"


def test_embedding_builds_have_a_folder_per_abi_of_their_own(
        load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("pyo3-pure")
    interpreter = make_interpreter()
    folders = crate.target_directory / "pyo3-pack"
    assert cargo.target_dir_for(crate, interpreter, False) == folders / "cpython-3.12"
    assert cargo.target_dir_for(crate, interpreter, False, embed=True) == \
        folders / "cpython-3.12-embed"
    assert cargo.target_dir_for(crate, interpreter, True, embed=True) == folders / "abi3-embed"
    assert cargo.target_dir_for(crate, None, False, embed=True) == crate.target_directory


def test_an_embedding_executable_keeps_its_libpython() -> None:
    program = elf(PROGRAM, needed=("libpython3.12.so.1.0", "libc.so.6"))._replace(
        interpreter="/lib64/ld-linux-x86-64.so.2")
    verdict = evaluate([program])
    assert verdict.policy is not None  # libpython is no reason to refuse an executable
    policy = find_policy("manylinux_2_5", "x86_64")
    assert policy is not None
    locate = FakeLocator({})
    repair = plan_grafts(roots_of(program), policy, "demo.libs", locate)
    assert repair.dropped == () and repair.grafts == () and locate.asked == []
    # an extension module linking it still has the link dropped
    module = elf("demo/demo.so", needed=("libpython3.12.so.1.0", "libc.so.6"))
    assert plan_grafts(roots_of(module), policy, "demo.libs", locate).dropped == \
        (("demo/demo.so", "libpython3.12.so.1.0"),)
