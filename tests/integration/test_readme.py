"""Every command the README shows runs as written.

Each ```sh block runs with bash in its own copy of the repository, in a fresh virtualenv
(activated, as the README assumes) where `pyo3-pack` is this checkout, with a private HOME.
cargo and rustup keep their real homes, builds share the integration tests' cargo target
folder, and pip takes setuptools-pyo3pack from a wheel of this checkout (everything else from
the package index). The comment above a block says what is expected of it
(tests/readme_blocks.py); blocks for `.ci/run` and skipped ones are not run here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED_TARGET
from tests.integration.registry import PASSWORD, USERNAME, running_pypiserver
from tests.readme_blocks import FEATURES, Block, readme_blocks

RUN_MODES = ("run", "fails", "registry")
BLOCKS = [b for b in readme_blocks() if b.mode in RUN_MODES]
TOOL = Path(sys.executable).parent / "pyo3-pack"
#: The blocks' cache folder, kept between sessions next to the shared target folder: zig's
#: cache and cargo-zigbuild's linker wrappers live there, and a wrapper at a new path would
#: make cargo rebuild every crate of a `--zig` build.
XDG_CACHE = SHARED_TARGET.with_name(f"{SHARED_TARGET.name}-readme-cache")
#: Not copied: history, build output and virtualenvs of this checkout.
IGNORED = shutil.ignore_patterns(".git", "target", ".venv", "dist", "build", "*.egg-info",
                                 "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")


@cache
def _help(*command: str) -> str:
    result = subprocess.run([str(TOOL), *command, "--help"], capture_output=True, text=True,
                            check=False)
    return result.stdout


def missing_features(block: Block) -> list[str]:
    """The `needs:` of `block` this pyo3-pack does not have (its --help does not show them)."""
    missing = []
    for name in block.needs:
        command, shown = FEATURES[name]
        if shown not in _help(*command).split():
            missing.append(f"`{name}` ({' '.join(['pyo3-pack', *command, '--help'])} does "
                           f"not list `{shown}`)")
    return missing


def block_env(home: Path, wheelhouse: Path) -> dict[str, str]:
    real_home = Path.home()
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "CI")
           and not k.startswith("TWINE_")
           and not (k.startswith("PYO3_PACK_") and k != "PYO3_PACK_TOOLS_DIR")}
    env.setdefault("CARGO_HOME", str(real_home / ".cargo"))
    env.setdefault("RUSTUP_HOME", str(real_home / ".rustup"))
    env.setdefault("PYENV_ROOT", str(real_home / ".pyenv"))
    env.setdefault("PIP_CACHE_DIR", str(real_home / ".cache" / "pip"))
    env.update(HOME=str(home), XDG_CACHE_HOME=str(XDG_CACHE), PIP_FIND_LINKS=str(wheelhouse),
               PIP_DISABLE_PIP_VERSION_CHECK="1",
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
               PATH=f"{TOOL.parent}{os.pathsep}{env['PATH']}")
    return env


def run_block(block: Block, where: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `block` in a copy of the repository, in a fresh activated virtualenv."""
    copy = where / "repo"
    shutil.copytree(REPO, copy, ignore=IGNORED, copy_function=shutil.copy)
    venv = where / "venv"
    # a block expected to fail before building installs nothing: no pip needed (faster)
    bare = ["--without-pip"] if block.mode == "fails" else []
    subprocess.run([sys.executable, "-m", "venv", *bare, str(venv)], check=True, env=env)
    script = (f"set -eo pipefail\n. {venv}/bin/activate\ncd {copy}\n"
              f"{block.code}\n")
    return subprocess.run(["bash", "-c", script], cwd=copy, env=env, capture_output=True,
                          text=True, check=False, timeout=1200)


def _shown(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout[-3000:]}\n" \
           f"stderr:\n{result.stderr[-5000:]}"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_readme_block(block: Block, tmp_path: Path, tool_wheelhouse: Path) -> None:
    missing = missing_features(block)
    if missing:
        pytest.fail(f"README.md line {block.line} ({block.heading}) shows commands this "
                    f"pyo3-pack does not have yet: {', '.join(missing)}", pytrace=False)
    home = tmp_path / "home"
    home.mkdir()
    env = block_env(home, tool_wheelhouse)
    if block.mode == "registry":
        with running_pypiserver(tmp_path / "registry") as registry:
            env.update(REGISTRY_URL=registry.url, PYO3_PACK_USERNAME=USERNAME,
                       PYO3_PACK_PASSWORD=PASSWORD)
            result = run_block(block, tmp_path, env)
            uploaded = sorted(p.name for p in registry.packages.iterdir())
        assert result.returncode == 0, _shown(result)
        assert any(n.endswith(".whl") for n in uploaded) and any(
            n.endswith(".tar.gz") for n in uploaded), uploaded
        assert PASSWORD not in result.stdout + result.stderr
        return
    result = run_block(block, tmp_path, env)
    if block.mode == "fails":
        assert result.returncode != 0, _shown(result)
        assert block.argument in result.stderr, _shown(result)
        assert "Traceback" not in result.stderr, _shown(result)
    else:
        assert result.returncode == 0, _shown(result)

