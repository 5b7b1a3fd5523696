"""`pyo3-pack completions` scripts, read off the parser, and the "examples:" of every help."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from setuptools_pyo3pack.frontends.cli import build_parser, main
from setuptools_pyo3pack.frontends.completions import describe, subcommands
from setuptools_pyo3pack.frontends.help_examples import EXAMPLES, MAIN

TOOL = f"{shlex.quote(sys.executable)} -m setuptools_pyo3pack"


def _script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completions", shell]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _complete(line: str) -> list[str]:
    """What bash offers for the last word of `line`, with the script sourced."""
    words = line.split(" ")
    program = (f"source <({TOOL} completions bash) && "
               f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}) && "
               f"COMP_CWORD={len(words) - 1} && _pyo3_pack && "
               'printf "%s\\n" "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_bash_script_registers_and_completes() -> None:
    registered = subprocess.run(
        ["bash", "-c", f"source <({TOOL} completions bash) && complete -p pyo3-pack"],
        capture_output=True, text=True, check=True)
    assert registered.stdout.strip() == "complete -o default -F _pyo3_pack pyo3-pack"
    assert _complete("pyo3-pack bu") == ["build"]
    assert _complete("pyo3-pack li") == ["list-python"]
    assert "--json" in _complete("pyo3-pack build --j")
    assert _complete("pyo3-pack sdist --color ne") == ["never"]
    assert _complete("pyo3-pack --col") == ["--color"]
    assert _complete("pyo3-pack completions z") == ["zsh"]
    assert _complete("pyo3-pack build src/") == []  # a path: bash's file names take over


def test_scripts_name_every_command_and_flag(capsys: pytest.CaptureFixture[str]) -> None:
    top, commands = describe(build_parser())
    assert {c.name for c in commands} >= {"build", "develop", "sdist", "list-python", "audit",
                                          "upload", "publish", "completions"}
    zsh, fish = _script("zsh", capsys), _script("fish", capsys)
    assert zsh.startswith("#compdef pyo3-pack\n")
    for command in commands:
        assert f"'{command.name}:" in zsh
        assert f"-a {command.name} -d" in fish
        flags = {flag for option in command.options for flag in option.flags}
        (offered,) = (line.split("compadd -- ")[1].rstrip(" ;").split()
                      for line in zsh.splitlines()
                      if line.strip().startswith(f"({command.name}) compadd -- -"))
        assert set(offered) == flags, command.name
        fish_lines = [line for line in fish.splitlines()
                      if f"'__fish_seen_subcommand_from {command.name}'" in line]
        for flag in flags:
            spelled = f" -l {flag[2:]}" if flag.startswith("--") else f" -s {flag[1:]}"
            assert any(spelled in line for line in fish_lines), (command.name, flag)
    assert "-l color -x -a 'auto always never'" in fish
    assert "compadd -- auto always never" in zsh
    assert {f for o in top for f in o.flags} >= {"-q", "--quiet", "-v", "--verbose", "--color"}


def test_a_new_flag_is_completed_without_editing_the_generator(
        capsys: pytest.CaptureFixture[str]) -> None:
    from setuptools_pyo3pack.frontends.completions import bash

    parser = build_parser()
    subcommands(parser).choices["sdist"].add_argument("--brand-new", choices=("x", "y"))
    script = bash(parser)
    assert "--brand-new" in script
    assert '"sdist --brand-new") COMPREPLY=($(compgen -W "x y"' in script


def _example_commands(text: str) -> list[list[str]]:
    """Each example line's command, without its comment, redirection or pipe."""
    commands = []
    for line in text.splitlines():
        command = re.split(r"\s{2,}|\s[>|]\s", line.strip())[0]
        commands.append(shlex.split(command))
    return commands


def test_every_help_ends_with_examples_that_parse(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert "examples:\n" in parser.format_help()
    sub = subcommands(parser)
    for name, child in sub.choices.items():
        assert "\nexamples:\n  pyo3-pack " in child.format_help(), name
    examples = [MAIN, *(text for name, text in EXAMPLES.items() if name in sub.choices)]
    for text in examples:
        for argv in _example_commands(text):
            assert argv[0] == "pyo3-pack"
            parser.parse_args(argv[1:])  # exits (SystemExit) on an example that went stale


def test_audit_help_has_examples_when_it_runs_on_its_own(
        capsys: pytest.CaptureFixture[str]) -> None:
    from setuptools_pyo3pack.cli import main as public_main

    with pytest.raises(SystemExit):
        public_main(["audit", "--help"])
    out = capsys.readouterr().out
    assert "examples:\n  pyo3-pack audit " in out
    assert "--color WHEN" in out
