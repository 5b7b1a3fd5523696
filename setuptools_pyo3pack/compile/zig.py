"""`--zig`: link with zig through `cargo-zigbuild`, against the glibc of the requested policy.

zig ships the headers and symbol-version stubs of every glibc, so a host with a new glibc still
produces binaries that ask for nothing newer than, say, glibc 2.17: `cargo-zigbuild rustc
--target x86_64-unknown-linux-gnu.2.17` gives a real manylinux_2_17 (manylinux2014) wheel.
cargo itself only sees `--target x86_64-unknown-linux-gnu`: artifacts land in
`<target dir>/x86_64-unknown-linux-gnu/<profile>/`, and cargo's JSON messages name them as usual.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from .. import _process
from ..errors import CommandError, ConfigError
from ..platforms.policy_names import parse_policy_name
from .cargo import CargoInvocation

ZIG_HINT = "pip install 'setuptools-pyo3pack[zig]' (installs cargo-zigbuild and ziglang)"
#: without a requested policy, zig builds for manylinux2014, as the policy most users want
DEFAULT_GLIBC = (2, 17)
_SUFFIX = re.compile(r"\.\d+\.\d+$")
#: the oldest glibc zig can link a Rust program against, where that is newer than 2.17:
#: Rust's ppc64le standard library asks for glibc 2.32's IEEE-128 `printf` symbols
ZIG_GLIBC_FLOOR = {"powerpc64le": (2, 32)}


def glibc_for(policy: str | None) -> tuple[int, int] | None:
    """`manylinux_2_28`, `manylinux2014`, `2014` or `2_17` -> the glibc version; None for musl
    and `linux`/`off` (zig then uses its default)."""
    if policy is None:
        return DEFAULT_GLIBC
    parsed = parse_policy_name(policy)
    if parsed.glibc is not None or parsed.name is None or parsed.musl:
        return parsed.glibc
    raise ConfigError(
        f"--zig cannot build for the policy `{policy}`",
        hint="use a manylinux policy such as 2014 or 2_28, or musllinux_1_2",
    )


def zig_target(triple: str, policy: str | None) -> str:
    """The target cargo-zigbuild gets: `x86_64-unknown-linux-gnu` + manylinux2014 ->
    `x86_64-unknown-linux-gnu.2.17`. musllinux asks for the musl triple of the same arch."""
    base = _SUFFIX.sub("", triple)
    if policy is not None and parse_policy_name(policy).musl:
        if not base.endswith("-linux-gnu") and not base.endswith("-linux-musl"):
            raise ConfigError(f"--zig cannot build musllinux wheels for `{triple}`")
        return base.replace("-linux-gnu", "-linux-musl")
    if not base.endswith(("-linux-gnu", "-linux-gnueabihf", "-linux-gnueabi")):
        return base
    glibc = glibc_for(policy)
    floor = ZIG_GLIBC_FLOOR.get(base.split("-")[0])
    if glibc and floor and glibc < floor:
        glibc = floor  # the audit still tags by the symbol versions the binary asks for
    return f"{base}.{glibc[0]}.{glibc[1]}" if glibc else base


def cargo_target(zig_triple: str) -> str:
    """The triple cargo sees (and names the artifact folder after): without `.2.17`."""
    return _SUFFIX.sub("", zig_triple)


def zig_argv(
    argv: Sequence[str], *, cargo_zigbuild: str, policy: str | None, host_triple: str
) -> tuple[str, ...]:
    """`cargo rustc ... [--target T]` -> `cargo-zigbuild rustc ... --target T.2.17`."""
    if len(argv) < 2 or Path(argv[0]).name != "cargo":
        raise ConfigError(f"--zig expects a cargo command, not `{_process.describe(argv)}`")
    rest = list(argv[2:])
    triple = host_triple
    for index, arg in enumerate(rest):
        if arg == "--":
            break
        if arg == "--target" and index + 1 < len(rest):
            triple = rest.pop(index + 1)
            rest.pop(index)
            break
        if arg.startswith("--target="):
            triple = rest.pop(index)[len("--target=") :]
            break
    separator = rest.index("--") if "--" in rest else len(rest)
    rest[separator:separator] = ["--target", zig_target(triple, policy)]
    return (cargo_zigbuild, argv[1], *rest)


def zig_env(
    *, zig_on_path: bool, environ: Mapping[str, str], ziglang_python: str | None
) -> dict[str, str]:
    """Variables that let cargo-zigbuild find zig: the `ziglang` package of this Python when
    no `zig` is on PATH (cargo-zigbuild would otherwise try whatever `python3` is on PATH)."""
    if zig_on_path or "CARGO_ZIGBUILD_ZIG_PATH" in environ or ziglang_python is None:
        return {}
    return {"CARGO_ZIGBUILD_PYTHON_PATH": ziglang_python}


def artifact_dir(target_dir: Path, zig_triple: str, profile: str) -> Path:
    """Where cargo puts the files: `<target dir>/<triple>/<debug|release|profile>/`."""
    folder = {"dev": "debug", "test": "debug", "bench": "release"}.get(profile, profile)
    return target_dir / cargo_target(zig_triple) / folder


def find_cargo_zigbuild() -> str:
    """The `cargo-zigbuild` next to this Python (a venv's bin) first, then on PATH."""
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        candidate = os.path.join(folder, "cargo-zigbuild")
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("cargo-zigbuild")
    if found is None:
        raise CommandError("--zig needs `cargo-zigbuild`, which was not found", hint=ZIG_HINT)
    return found


def host_triple() -> str:
    output = _process.run_captured(
        ["rustc", "-vV"], what="asking rustc for the host target", hint="install Rust with rustup"
    )
    for line in output.splitlines():
        if line.startswith("host:"):
            return line.split(":", 1)[1].strip()
    raise CommandError("`rustc -vV` did not name the host target")


def zigbuild(call: CargoInvocation, policy: str | None) -> CargoInvocation:
    """The same cargo call, linked by zig for the glibc of `policy` (default manylinux2014)."""
    cargo_zigbuild = find_cargo_zigbuild()
    triple = host_triple()
    argv = zig_argv(call.argv, cargo_zigbuild=cargo_zigbuild, policy=policy, host_triple=triple)
    ziglang = sys.executable if importlib.util.find_spec("ziglang") is not None else None
    env = zig_env(
        zig_on_path=shutil.which("zig") is not None, environ=os.environ, ziglang_python=ziglang
    )
    if not env and shutil.which("zig") is None and "CARGO_ZIGBUILD_ZIG_PATH" not in os.environ:
        raise CommandError(
            "--zig needs zig: neither `zig` on PATH nor the `ziglang` package", hint=ZIG_HINT
        )
    return replace(
        call, argv=argv, env={**call.env, **env}, description=f"{call.description} with zig"
    )
