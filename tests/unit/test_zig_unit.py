"""`--zig`: the cargo-zigbuild command line, its target and where artifacts land (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from setuptools_pyo3pack.compile import zig
from setuptools_pyo3pack.compile.cargo import CargoInvocation
from setuptools_pyo3pack.errors import CommandError, ConfigError

HOST = "x86_64-unknown-linux-gnu"
ARGV = ("cargo", "rustc", "--message-format=json-render-diagnostics", "--lib",
        "--profile", "release")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (None, (2, 17)),
        ("2014", (2, 17)),
        ("manylinux2014", (2, 17)),
        ("manylinux2010", (2, 12)),
        ("1", (2, 5)),
        ("2_28", (2, 28)),
        ("manylinux_2_31-unchecked", (2, 31)),
        ("musllinux_1_2", None),
        ("off", None),
    ],
)
def test_glibc_for(policy: str | None, expected: tuple[int, int] | None) -> None:
    assert zig.glibc_for(policy) == expected


def test_glibc_for_rejects_unknown_policies() -> None:
    with pytest.raises(ConfigError, match="--zig cannot build for the policy `windows`"):
        zig.glibc_for("windows")


@pytest.mark.parametrize(
    ("triple", "policy", "expected"),
    [
        (HOST, "2014", "x86_64-unknown-linux-gnu.2.17"),
        (HOST, None, "x86_64-unknown-linux-gnu.2.17"),
        ("aarch64-unknown-linux-gnu.2.28", "2_31", "aarch64-unknown-linux-gnu.2.31"),
        (HOST, "musllinux_1_2", "x86_64-unknown-linux-musl"),
        ("x86_64-unknown-linux-musl", "musllinux_1_1", "x86_64-unknown-linux-musl"),
        ("armv7-unknown-linux-gnueabihf", "2_17", "armv7-unknown-linux-gnueabihf.2.17"),
        (HOST, "off", HOST),
        ("x86_64-apple-darwin", "2014", "x86_64-apple-darwin"),
        ("x86_64-pc-windows-gnu", None, "x86_64-pc-windows-gnu"),
        ("powerpc64le-unknown-linux-gnu", None, "powerpc64le-unknown-linux-gnu.2.32"),
        ("powerpc64le-unknown-linux-gnu", "2_34", "powerpc64le-unknown-linux-gnu.2.34"),
    ],
)
def test_zig_target(triple: str, policy: str | None, expected: str) -> None:
    assert zig.zig_target(triple, policy) == expected


def test_zig_argv_adds_the_glibc_target() -> None:
    argv = zig.zig_argv(ARGV, cargo_zigbuild="/venv/bin/cargo-zigbuild", policy="2014",
                        host_triple=HOST)
    assert argv == ("/venv/bin/cargo-zigbuild", "rustc", *ARGV[2:], "--target",
                    "x86_64-unknown-linux-gnu.2.17")


@pytest.mark.parametrize(
    "target", [("--target", "aarch64-unknown-linux-gnu"), ("--target=aarch64-unknown-linux-gnu",)]
)
def test_zig_argv_replaces_a_given_target_before_rustc_args(target: tuple[str, ...]) -> None:
    argv = (*ARGV, *target, "--features", "x", "--", "-C", "strip=symbols")
    out = zig.zig_argv(argv, cargo_zigbuild="cargo-zigbuild", policy="2_28", host_triple=HOST)
    assert out == ("cargo-zigbuild", "rustc", *ARGV[2:], "--features", "x", "--target",
                   "aarch64-unknown-linux-gnu.2.28", "--", "-C", "strip=symbols")


def test_zig_argv_needs_a_cargo_command() -> None:
    with pytest.raises(ConfigError, match="--zig expects a cargo command"):
        zig.zig_argv(("make",), cargo_zigbuild="c", policy=None, host_triple=HOST)


def test_zig_env_points_cargo_zigbuild_at_this_pythons_ziglang() -> None:
    assert zig.zig_env(zig_on_path=False, environ={}, ziglang_python="/venv/bin/python") == {
        "CARGO_ZIGBUILD_PYTHON_PATH": "/venv/bin/python"
    }
    assert zig.zig_env(zig_on_path=True, environ={}, ziglang_python="/venv/bin/python") == {}
    assert zig.zig_env(zig_on_path=False, environ={"CARGO_ZIGBUILD_ZIG_PATH": "/z"},
                       ziglang_python="/venv/bin/python") == {}


@pytest.mark.parametrize(
    ("profile", "folder"), [("dev", "debug"), ("release", "release"), ("bench", "release"),
                            ("custom", "custom")]
)
def test_artifact_dir(profile: str, folder: str) -> None:
    target = Path("/t")
    assert zig.artifact_dir(target, "x86_64-unknown-linux-gnu.2.17", profile) == (
        target / "x86_64-unknown-linux-gnu" / folder
    )


def test_missing_cargo_zigbuild_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sysconfig.get_path", lambda name: str(tmp_path))
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    call = CargoInvocation(ARGV, {}, "`demo`")
    with pytest.raises(CommandError, match=r"--zig needs `cargo-zigbuild`.*pip install "
                       r"'setuptools-pyo3pack\[zig\]'"):
        zig.zigbuild(call, "2014")
