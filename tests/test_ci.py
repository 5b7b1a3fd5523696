"""CI does what a new user does: `.ci/run` runs the README's two commands and installs nothing
that those commands (and so the README) do not."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CI_RUN = REPO / ".ci" / "run"
#: Commands that install something onto the machine or into an environment.
INSTALLERS = re.compile(
    r"\b(?:apt-get|apt|aptitude|dpkg|yum|dnf|apk|brew|snap|conda|mamba|npm|curl|wget|"
    r"pyenv\s+install|rustup\s+(?:component|target|toolchain)\s+(?:add|install)|"
    r"cargo\s+(?:install|binstall|fetch)|(?:uv\s+)?pip3?\s+install|python3?\s+-m\s+pip\s+install|"
    r"easy_install|pipx|gem\s+install|go\s+install)\b"
)


def readme_commands() -> list[str]:
    """The lines of the ```sh blocks in the README's "Try it" section, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Try it.*?\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert section, "README.md has no '## Try it' section"
    blocks = re.findall(r"^```sh\n(.*?)^```$", section.group(1), flags=re.S | re.M)
    return [line for block in blocks for line in block.splitlines()]


def script_lines(path: Path) -> list[str]:
    """The script without comments and blank lines."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def test_the_readme_has_the_two_commands_a_newcomer_runs() -> None:
    build, test = readme_commands()
    assert build.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . ")
    assert "pyo3-pack build -m examples/pyo3-pure" in build and "import pyo3_pure" in build
    assert test == "pip install -e '.[test]' && python -m pytest"


def test_ci_runs_exactly_the_readme_commands() -> None:
    printed = subprocess.run(["bash", CI_RUN, "--print"], capture_output=True, text=True,
                             check=True)
    assert printed.stdout.splitlines() == readme_commands()


def test_ci_installs_nothing_the_readme_does_not() -> None:
    assert installs_beyond_the_readme(CI_RUN) == []


def installs_beyond_the_readme(script: Path) -> list[str]:
    """Each install command of `script` (with its arguments) that no README command holds."""
    allowed = " && ".join(readme_commands())
    extra = []
    for line in script_lines(script):
        for found in INSTALLERS.finditer(line):
            invocation = re.split(r"&&|\|\||[;|)>]", line[found.start():])[0].strip()
            if invocation not in allowed:
                extra.append(invocation)
    return extra


def test_the_install_check_catches_what_ci_used_to_install(tmp_path: Path) -> None:
    script = tmp_path / "run"
    script.write_text(
        "# pip install ignored-in-a-comment\n"
        "apt-get update -qq && apt-get install -y -qq cbindgen libbz2-dev >/dev/null\n"
        "cargo install --locked cbindgen\n"
        "python -m pip install --quiet -e '.[test]'\n"
        "for m in examples/*/Cargo.toml; do cargo fetch --locked --manifest-path $m; done\n"
        "pip install -e '.[test]' && python -m pytest\n"  # the README's own command
    )
    assert installs_beyond_the_readme(script) == [
        "apt-get update -qq", "apt-get install -y -qq cbindgen libbz2-dev",
        "cargo install --locked cbindgen", "python -m pip install --quiet -e '.[test]'",
        "cargo fetch --locked --manifest-path $m",
    ]


def _fake_checkout(tmp_path: Path, first: str, second: str) -> tuple[Path, dict[str, str]]:
    """.ci/run in a folder whose README's commands are `first` and `second`, with stand-ins
    for cargo and rustc on PATH."""
    checkout = tmp_path / "clone"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy(CI_RUN, checkout / ".ci" / "run")
    (checkout / "README.md").write_text(
        f"# demo\n\n## Try it\n\nBuild:\n\n```sh\n{first}\n```\n\nTest:\n\n```sh\n{second}\n```"
        "\n\n## Usage\n\n```sh\necho never\n```\n"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("cargo", "rustc"):
        (bin_dir / tool).write_text(f"#!/bin/sh\necho {tool} 1.0\n")
        (bin_dir / tool).chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return checkout, env


def test_ci_runs_both_commands_in_order_in_one_shell(tmp_path: Path) -> None:
    checkout, env = _fake_checkout(
        tmp_path, "export FROM_FIRST=yes && echo first >> ran.txt",
        'echo "second after $FROM_FIRST" >> ran.txt')
    result = subprocess.run(["bash", checkout / ".ci" / "run"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (checkout / "ran.txt").read_text() == "first\nsecond after yes\n"


def test_ci_fails_with_the_failing_command(tmp_path: Path) -> None:
    checkout, env = _fake_checkout(tmp_path, "true", f"{sys.executable} -c 'raise SystemExit(3)'")
    result = subprocess.run(["bash", checkout / ".ci" / "run"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 3
    assert "error: README command 2 failed with exit code 3" in result.stderr
