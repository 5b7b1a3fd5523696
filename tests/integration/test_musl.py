"""musl binaries built here with cargo, for `x86_64-unknown-linux-musl` (added with rustup by
the test): an extension module linked to musl's libc.so by zig, a static binary, and a module
that wrongly linked the host's glibc. A musl binary is never manylinux, a glibc one never
musllinux; a static binary gets what auditwheel would say."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from setuptools_pyo3pack.audit import audit_wheel
from setuptools_pyo3pack.compile.zig import find_cargo_zigbuild
from setuptools_pyo3pack.errors import CommandError
from tests.integration.conftest import copy_example, run_tool
from tests.unit.test_audit_wheel import make_wheel

MUSL = "x86_64-unknown-linux-musl"


@pytest.fixture(scope="module", autouse=True)
def musl_target() -> None:
    """The musl target's standard library, as a user would add it."""
    if shutil.which("rustup") is None:
        pytest.fail("rustup is not on PATH, so the musl target cannot be added (install Rust "
                    "with rustup)")
    result = subprocess.run(["rustup", "target", "add", MUSL], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="module")
def python(cpythons: dict[tuple[int, int], Path]) -> Path:
    return cpythons.get(sys.version_info[:2]) or list(cpythons.values())[-1]


def _zig() -> None:
    try:
        find_cargo_zigbuild()
    except CommandError as exc:
        pytest.fail(f"{exc} (the test extra installs it: pip install -e '.[test]')")
    if importlib.util.find_spec("ziglang") is None:
        pytest.fail("the ziglang package is missing (pip install -e '.[test]'); zig links musl")


def _audit_json(wheel: Path) -> dict[str, object]:
    result = run_tool("audit", "--json", wheel, cwd=wheel.parent)
    [verdict] = json.loads(result.stdout)
    assert isinstance(verdict, dict)
    return verdict


def _auditwheel(wheel: Path) -> dict[str, object] | None:
    if importlib.util.find_spec("auditwheel") is None:
        return None
    result = subprocess.run([sys.executable, "-m", "auditwheel", "show", "--json", str(wheel)],
                            capture_output=True, text=True, check=True)
    value = json.loads(result.stdout)
    assert isinstance(value, dict)
    return value


def test_an_extension_linked_to_musl_is_musllinux(tmp_path: Path, python: Path) -> None:
    _zig()
    crate = copy_example("pyo3-abi3", tmp_path)
    built = run_tool("build", "-i", python, "--zig", "--target", MUSL, "-o", tmp_path / "dist",
                     cwd=crate)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    assert "-musllinux_1_" in wheel.name and "manylinux" not in wheel.name, built.stderr
    verdict = _audit_json(wheel)
    assert verdict["libc"] == "musl"
    assert "DT_NEEDED libc.musl-x86_64.so.1" in str(verdict["libc_from"])
    assert verdict["needed"] == ["libc.musl-x86_64.so.1"]  # musl, nothing else (no libgcc_s)
    policies = verdict["policies"]
    assert isinstance(policies, dict)
    for tag, reasons in policies.items():
        if tag.startswith("manylinux"):  # every glibc policy refused, naming the evidence
            assert reasons[0]["kind"] == "libc"
            assert "linked against musl (DT_NEEDED libc.musl-x86_64.so.1), not glibc" in (
                reasons[0]["message"])
    # asking for a manylinux policy fails in one line, with the reason
    refused = run_tool("build", "-i", python, "--zig", "--target", MUSL, "--compatibility",
                       "2014", "-o", tmp_path / "refused", cwd=crate, check=False)
    assert refused.returncode == 1
    assert "not manylinux_2_17_x86_64 compatible" in refused.stderr
    assert "linked against musl (DT_NEEDED libc.musl-x86_64.so.1), not glibc" in refused.stderr
    assert "build for a glibc target" in refused.stderr


def test_a_static_musl_binary(tmp_path: Path) -> None:
    crate = copy_example("hello-bin", tmp_path)
    run_tool("build", "--target", MUSL, "-o", tmp_path / "dist", cwd=crate)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    # static: no libc in the binary; the target says musl, and it uses no musl 1.2 symbol
    assert wheel.name.endswith("-py3-none-musllinux_1_1_x86_64.whl"), wheel.name
    verdict = _audit_json(wheel)
    assert (verdict["libc"], verdict["needed"]) == ("musl", [])
    assert "the wheel's platform tag musllinux_1_1_x86_64" in str(verdict["libc_from"])
    with zipfile.ZipFile(wheel) as archive:
        [member] = [n for n in archive.namelist() if "/scripts/" in n]
        binary = tmp_path / "unpacked" / "hello-bin"
        binary.parent.mkdir()
        binary.write_bytes(archive.read(member))
    binary.chmod(0o755)
    assert "Hello, musl!" in subprocess.run([binary, "musl"], capture_output=True, text=True,
                                            check=True).stdout
    # the same binary in a wheel that names no libc: whatever auditwheel says (the host's libc)
    plain = make_wheel(tmp_path / "unpacked", {"demo-1.0.data/scripts/hello-bin": binary},
                       tag="py3-none-linux_x86_64")
    ours = audit_wheel(plain).verdict
    assert ours is not None
    theirs = _auditwheel(plain)
    if theirs is not None:
        assert (ours.policy.tag if ours.policy else None) == theirs["overall_tag"]
        # auditwheel names only its newest musl policy without a musl host; ours is by symbols
        assert str(_auditwheel(wheel)["overall_tag"]).startswith("musllinux_1_")  # type: ignore[index]


def test_a_musl_module_without_a_musl_linker_is_refused(tmp_path: Path, python: Path) -> None:
    """Without a musl libc.so (no zig), the system linker would link the host's glibc into a
    module built for musl: a broken binary. The build stops first, in one line, saying how."""
    crate = copy_example("pyo3-abi3", tmp_path)
    refused = run_tool("build", "-i", python, "--target", MUSL, "-o", tmp_path / "dist",
                       cwd=crate, check=False)
    assert refused.returncode == 1
    [line] = [ln for ln in refused.stderr.splitlines() if ln.startswith("pyo3-pack: error:")]
    assert "a musl shared library must be linked against musl" in line and "--zig" in line
    assert not (tmp_path / "dist").exists() or not list((tmp_path / "dist").iterdir())
