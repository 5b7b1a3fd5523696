"""The CLI's console: when it colours, what -q and -v show, step prefixes, and the flags'
way from the command line to cargo."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from setuptools_pyo3pack import _process
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.frontends import console
from setuptools_pyo3pack.frontends.cli import build_parser, main
from setuptools_pyo3pack.frontends.wheel_options import configuration

ESC = "\033["


@pytest.mark.parametrize(("choice", "tty", "env", "expected"), [
    (None, True, {}, True),
    (None, False, {}, False),
    ("auto", True, {}, True),
    (None, True, {"NO_COLOR": "1"}, False),
    (None, True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
    (None, False, {"FORCE_COLOR": "1"}, True),
    (None, True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    (None, True, {"TERM": "dumb"}, False),
    ("always", False, {"NO_COLOR": "1"}, True),  # the flag beats the environment
    ("never", True, {"FORCE_COLOR": "1"}, False),
])
def test_when_to_colour(choice: str | None, tty: bool, env: dict[str, str],
                        expected: bool) -> None:
    assert console.wants_color(choice, tty=tty, env=env) is expected


@pytest.mark.parametrize(("choice", "env", "expected"), [
    (None, {}, None),
    (None, {"NO_COLOR": "1"}, "never"),
    (None, {"FORCE_COLOR": "1"}, "always"),
    (None, {"NO_COLOR": "1", "CARGO_TERM_COLOR": "always"}, None),  # the user's own choice
    ("always", {"NO_COLOR": "1"}, None),  # --color reaches cargo as a flag
])
def test_cargo_learns_no_color_and_force_color(choice: str | None, env: dict[str, str],
                                               expected: str | None) -> None:
    assert console.cargo_color(choice, env) == expected


@pytest.mark.parametrize(("quiet", "verbose", "expected"),
                         [(False, 0, 0), (False, 2, 2), (True, 0, -1), (True, 3, -1)])
def test_verbosity(quiet: bool, verbose: int, expected: int) -> None:
    assert console.verbosity_of(quiet, verbose) == expected


def test_rendering_plain_and_coloured() -> None:
    plain = console.Console()
    assert plain.render("", "building `demo`") == "pyo3-pack: building `demo`"
    assert plain.render("[2/5] cp312 ", "warning: odd") == "pyo3-pack: [2/5] cp312 warning: odd"
    coloured = console.Console(color=True).render("[2/5] cp312 ", "warning: odd")
    assert f"{ESC}1;36m[2/5] cp312{ESC}0m" in coloured
    assert f"{ESC}1;33mwarning:{ESC}0m" in coloured
    stripped = coloured
    for code in ("\033[0m", "\033[2m", "\033[1;36m", "\033[1;33m"):
        stripped = stripped.replace(code, "")
    assert stripped == "pyo3-pack: [2/5] cp312 warning: odd"


def _collect(verbosity: int) -> list[str]:
    lines: list[str] = []
    _process.configure(verbosity=verbosity, sink=lambda step, text: lines.append(step + text))
    try:
        _process.log("status")
        _process.detail("detail")
        _process.detail("more detail", level=2)
    finally:
        _process.configure(verbosity=0)
    return lines


def test_quiet_normal_and_verbose_lines() -> None:
    assert _collect(-1) == []
    assert _collect(0) == ["status"]
    assert _collect(1) == ["status", "detail"]
    assert _collect(2) == ["status", "detail", "more detail"]


def test_step_prefixes_only_with_several_steps() -> None:
    lines: list[str] = []
    _process.configure(verbosity=0, sink=lambda step, text: lines.append(step + text))
    try:
        with _process.step(1, 1, "cp312"):
            _process.log("alone")
        with _process.step(2, 5, "cp312"):
            _process.log("second")
        _process.log("after")
    finally:
        _process.configure(verbosity=0)
    assert lines == ["alone", "[2/5] cp312 second", "after"]


@pytest.mark.parametrize(("flags", "traceback"), [([], False), (["-v"], True)])
def test_errors_are_one_line_and_a_traceback_with_v(flags: list[str], traceback: bool) -> None:
    stream = io.StringIO()
    args = build_parser().parse_args([*flags, "list-python"])
    terminal = console.from_args(args, stream=stream, env={})
    assert terminal.verbosity == len(flags)
    try:
        raise ConfigError("no Cargo.toml at /x", hint="pass -m")
    except ConfigError as exc:
        terminal.error(exc)
    text = stream.getvalue()
    assert ("Traceback" in text) is traceback
    assert text.splitlines()[-1] == "pyo3-pack: error: no Cargo.toml at /x (pass -m)"


def test_the_real_cli_error_in_colour_and_with_v(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["build"]) == 1
    plain = capsys.readouterr()
    assert (plain.out, ESC in plain.err, "Traceback" in plain.err) == ("", False, False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["build", "-v"]) == 1
    loud = capsys.readouterr().err
    assert "Traceback" in loud
    assert f"{ESC}1;31merror:" in loud
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["build"]) == 1
    assert ESC not in capsys.readouterr().err
    assert main(["-q", "build"]) == 1  # -q keeps errors
    assert "error: no Cargo.toml" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "cargo_args"), [
    (["-q", "build"], ("--quiet",)),
    (["build", "-q"], ("--quiet",)),
    (["-v", "build"], ("--verbose",)),
    (["develop", "-vv"], ("--verbose", "--verbose")),
    (["--color", "never", "build"], ("--color", "never")),
    (["build", "--color", "always"], ("--color", "always")),
    (["build"], ()),
])
def test_console_flags_reach_cargo_wherever_they_are_given(
        argv: list[str], cargo_args: tuple[str, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(argv)
    assert configuration(args).settings.cargo.cargo_extra_args == cargo_args


def test_every_command_takes_the_console_flags() -> None:
    parser = build_parser()
    for command in ("build", "develop", "sdist", "list-python", "audit", "upload", "publish",
                    "completions"):
        args = parser.parse_args([command, *(["x"] if command in ("audit", "upload") else []),
                                  *(["bash"] if command == "completions" else []),
                                  "-q", "--color", "never"])
        assert (args.quiet, args.color) == (True, "never"), command
    # upload's own -v (log every request) keeps its meaning, and still counts as verbose
    assert parser.parse_args(["upload", "-v", "x"]).verbose == 1
    assert console.from_args(parser.parse_args(["upload", "-v", "x"])).verbosity == 1


@pytest.mark.parametrize("argv", [["-v", "upload", "x.whl"], ["upload", "-v", "x.whl"]])
def test_upload_verbose_flag_counts_before_or_after_the_command(argv: list[str]) -> None:
    from setuptools_pyo3pack.frontends.cli import build_parser
    from setuptools_pyo3pack.frontends.upload_cli import _upload_options

    assert _upload_options(build_parser().parse_args(argv)).verbose is True
    quiet = build_parser().parse_args(["upload", "x.whl"])
    assert _upload_options(quiet).verbose is False


def test_an_interrupt_wrapped_by_python_is_still_an_interrupt(
        capsys: pytest.CaptureFixture[str]) -> None:
    """SIGINT during a lazy import can reach the CLI as the RuntimeError Python raises when a
    class body's `__set_name__` is interrupted: one line and 130, no traceback."""
    def handler(args: object) -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__") from interrupt

    assert console.run(handler, build_parser().parse_args(["list-python"])) == 130
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip().endswith("interrupted")


def test_a_bug_still_shows_its_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    def handler(args: object) -> int:
        raise RuntimeError("a bug")

    assert console.run(handler, build_parser().parse_args(["list-python"])) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(("outcome", "code", "line"), [
    (0, 0, ""),
    (KeyboardInterrupt(), 130, "pyo3-pack: interrupted\n"),  # while importing the CLI
    (RuntimeError("Error calling __set_name__"), 130, "pyo3-pack: interrupted\n"),
])
def test_the_process_ignores_ctrl_c_once_its_work_is_over(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        outcome: int | BaseException, code: int, line: str) -> None:
    """After `main`, only the interpreter's shutdown is left; a Ctrl-C there would print
    Python's own "Exception ignored" traceback (found by the develop fault test)."""
    import signal

    from setuptools_pyo3pack import cli

    def fake_main() -> int:
        if isinstance(outcome, RuntimeError):  # Python's wrapping of an interrupt
            raise outcome from KeyboardInterrupt()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(cli, "main", fake_main)
    before = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as exited:
            cli.process_main()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
    assert exited.value.code == code
    assert capsys.readouterr().err == line


def test_the_process_entry_lets_a_bug_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only an interrupt is turned into one line there: anything else is the console's job
    or a bug, and stays visible."""
    import signal

    from setuptools_pyo3pack import cli

    def broken_main() -> int:
        raise ValueError("a bug")

    monkeypatch.setattr(cli, "main", broken_main)
    before = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(ValueError, match="a bug"):
            cli.process_main()
    finally:
        signal.signal(signal.SIGINT, before)
