"""`pyo3-pack completions bash|zsh|fish`: a completion script read off the argparse parser
itself, so every sub-command and flag added later is completed without editing this file."""

from __future__ import annotations

import argparse
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SHELLS = ("bash", "zsh", "fish")
PROG = "pyo3-pack"


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]
    help: str
    choices: tuple[str, ...] = ()
    takes_value: bool = False


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    options: tuple[Option, ...]
    values: tuple[str, ...] = ()
    """The choices of its positional argument (`completions`' shells), if it has any."""


def _help(action: argparse.Action) -> str:
    """The first sentence of a help text, without argparse's %-formatting."""
    text = re.sub(r"%\([a-z_]+\)s", "", str(action.help or "")).replace("%%", "%")
    text = " ".join(text.split()).split("; ")[0].split(". ")[0]
    return text if len(text) <= 70 else text[:67].rstrip() + "..."


def _options(parser: argparse.ArgumentParser) -> tuple[Option, ...]:
    return tuple(
        Option(tuple(action.option_strings), _help(action),
               tuple(str(c) for c in action.choices or ()), action.nargs != 0)
        for action in parser._actions
        if action.option_strings and action.help != argparse.SUPPRESS
    )


def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    (found,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return found


def describe(parser: argparse.ArgumentParser) -> tuple[tuple[Option, ...], tuple[Command, ...]]:
    """The top-level options, and each sub-command with its options."""
    sub = subcommands(parser)
    helps = {choice.dest: _help(choice) for choice in sub._choices_actions}
    commands = []
    for name, child in sub.choices.items():
        positional = [a for a in child._actions if not a.option_strings and a.choices]
        values = tuple(str(c) for a in positional for c in a.choices or ())
        commands.append(Command(name, helps.get(name, ""), _options(child), values))
    return _options(parser), tuple(commands)


def _flags(options: Sequence[Option]) -> str:
    return " ".join(flag for option in options for flag in option.flags)


def _choice_cases(top: Sequence[Option], commands: Sequence[Command], indent: str,
                  zsh: bool = False) -> list[str]:
    """`case "$command $prev"` arms that offer an option's choices after it."""
    scopes = [("", top), *((c.name, c.options) for c in commands)]
    arms: dict[tuple[str, ...], list[str]] = {}
    for name, options in scopes:
        for option in options:
            if option.choices:
                arms.setdefault(option.choices, []).extend(
                    f'"{name} {flag}"' for flag in option.flags)
    lines = []
    for choices, patterns in arms.items():
        words = " ".join(shlex.quote(c) for c in choices)
        action = (f"compadd -- {words}; return" if zsh
                  else f'COMPREPLY=($(compgen -W "{words}" -- "$cur")); return 0')
        open_ = "(" if zsh else ""
        lines.append(f"{indent}{open_}{'|'.join(patterns)}) {action} ;;")
    return lines


def bash(parser: argparse.ArgumentParser) -> str:
    top, commands = describe(parser)
    names = "|".join(c.name for c in commands)
    per_command = [f"        {c.name}) words={shlex.quote(_flags(c.options))} ;;"
                   for c in commands]
    values = [f"            {c.name}) COMPREPLY=($(compgen -W {shlex.quote(' '.join(c.values))}"
              f' -- "$cur")) ;;' for c in commands if c.values]
    return "\n".join([
        f"# bash completion for {PROG} (written by `{PROG} completions bash`)",
        "_pyo3_pack() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local command="" words="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        f'        case "${{COMP_WORDS[i]}}" in {names})',
        '            command="${COMP_WORDS[i]}"; break ;;',
        "        esac",
        "    done",
        '    case "$command $prev" in',
        *_choice_cases(top, commands, "        "),
        "    esac",
        '    if [[ -n "$command" && "$cur" != -* ]]; then',
        "        COMPREPLY=()  # file names (complete -o default)",
        '        case "$command" in',
        *values,
        "        esac",
        "        return 0",
        "    fi",
        '    case "$command" in',
        *per_command,
        f"        *) words={shlex.quote(' '.join([_flags(top), *names.split('|')]))} ;;",
        "    esac",
        '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
        "}",
        f"complete -o default -F _pyo3_pack {PROG}",
        "",
    ])


def _zsh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def zsh(parser: argparse.ArgumentParser) -> str:
    top, commands = describe(parser)
    names = "|".join(c.name for c in commands)
    described = " ".join(_zsh_quote(f"{c.name}:{c.help}") for c in commands)
    flags = [f"            ({c.name}) compadd -- {_flags(c.options)} ;;" for c in commands]
    values = [f"        ({c.name}) compadd -- {' '.join(map(shlex.quote, c.values))}; return ;;"
              for c in commands if c.values]
    return "\n".join([
        f"#compdef {PROG}",
        f"# zsh completion for {PROG} (written by `{PROG} completions zsh`)",
        "_pyo3_pack() {",
        '    local command="" i',
        "    for ((i = 2; i < CURRENT; i++)); do",
        f'        case "${{words[i]}}" in ({names})',
        '            command="${words[i]}"; break ;;',
        "        esac",
        "    done",
        '    case "$command ${words[CURRENT-1]}" in',
        *_choice_cases(top, commands, "        ", zsh=True),
        "    esac",
        '    if [[ -z "$command" ]]; then',
        f"        local -a commands=({described})",
        '        if [[ "${words[CURRENT]}" == -* ]]; then',
        f"            compadd -- {_flags(top)}",
        "        else",
        f"            _describe -t commands '{PROG} command' commands",
        "        fi",
        "        return",
        "    fi",
        '    if [[ "${words[CURRENT]}" == -* ]]; then',
        '        case "$command" in',
        *flags,
        "        esac",
        "        return",
        "    fi",
        '    case "$command" in',
        *values,
        "    esac",
        "    _files",
        "}",
        'if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then',
        '    _pyo3_pack "$@"',
        "else",
        f"    compdef _pyo3_pack {PROG}",
        "fi",
        "",
    ])


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(condition: str, option: Option) -> str:
    parts = [f"complete -c {PROG} -n {_fish_quote(condition)}"]
    for flag in option.flags:
        if flag.startswith("--"):
            parts.append(f"-l {flag[2:]}")
        elif len(flag) == 2:
            parts.append(f"-s {flag[1:]}")
        else:  # a one-dash long flag
            parts.append(f"-o {flag[1:]}")
    if option.choices:
        parts.append(f"-x -a {_fish_quote(' '.join(option.choices))}")
    elif option.takes_value:
        parts.append("-r")
    if option.help:
        parts.append(f"-d {_fish_quote(option.help)}")
    return " ".join(parts)


def fish(parser: argparse.ArgumentParser) -> str:
    top, commands = describe(parser)
    lines = [f"# fish completion for {PROG} (written by `{PROG} completions fish`)"]
    lines += [_fish_option("__fish_use_subcommand", option) for option in top]
    for command in commands:
        lines.append(f"complete -c {PROG} -n __fish_use_subcommand -f -a {command.name} "
                     f"-d {_fish_quote(command.help)}")
        seen = f"__fish_seen_subcommand_from {command.name}"
        lines += [_fish_option(seen, option) for option in command.options]
        if command.values:
            lines.append(f"complete -c {PROG} -n {_fish_quote(seen)} -f -a "
                         f"{_fish_quote(' '.join(command.values))}")
    return "\n".join([*lines, ""])


def script(shell: str, parser: argparse.ArgumentParser) -> str:
    return {"bash": bash, "zsh": zsh, "fish": fish}[shell](parser)


def register(commands: argparse._SubParsersAction[Any], root: argparse.ArgumentParser) -> None:
    """Add `completions SHELL`; the script is made from `root` when the command runs."""
    parser = commands.add_parser(
        "completions", help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for SHELL on stdout; load it from your "
        "shell's startup file or completion folder (see the examples).")
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")

    def _print(args: argparse.Namespace) -> int:
        print(script(args.shell, root), end="")
        return 0

    parser.set_defaults(handler=_print)
