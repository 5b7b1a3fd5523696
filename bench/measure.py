"""Timing and memory measurement: interleaved repetitions, medians, peak RSS of a child."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from environment import WORK, log

LOG = WORK / "commands.log"


class BenchError(RuntimeError):
    """A measured command failed: the message holds the command and its output's tail."""


@dataclass(frozen=True)
class Command:
    argv: Sequence[str]
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)
    """Added to (or, with a None-like empty value, kept from) os.environ."""
    before: Callable[[], None] | None = None
    """Untimed preparation run right before each measurement (e.g. touching a file)."""


def environ(extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "CARGO_TARGET_DIR", "PYO3_PYTHON",
                "PYO3_CONFIG_FILE", "PYTHONHOME"):
        env.pop(key, None)
    env["CARGO_TERM_COLOR"] = "never"
    env.update(extra)
    return env


def run_once(command: Command) -> tuple[float, int]:
    """Wall-clock seconds and peak RSS in KiB (of the process tree) of one run."""
    if command.before is not None:
        command.before()
    LOG.parent.mkdir(parents=True, exist_ok=True)
    with open(LOG, "a", encoding="utf-8") as out:
        out.write(f"\n$ (cd {command.cwd} && {' '.join(command.argv)})\n")
        out.flush()
        start = time.perf_counter()
        process = subprocess.Popen(list(command.argv), cwd=command.cwd,
                                   env=environ(command.env), stdout=out, stderr=out,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchError(f"command failed ({process.returncode}): {' '.join(command.argv)} "
                         f"in {command.cwd}\n{_tail(LOG)}")
    return elapsed, usage.ru_maxrss


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def output_of(command: Command) -> str:
    result = subprocess.run(list(command.argv), cwd=command.cwd, env=environ(command.env),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"command failed: {' '.join(command.argv)}\n{result.stderr[-3000:]}")
    return result.stdout


def interleaved(
    commands: Mapping[str, Command], repetitions: int, *, warmup: int = 1,
    alternate: bool = False,
) -> dict[str, list[float]]:
    """Run each command `warmup` times untimed, then `repetitions` rounds of all of them in
    turn (ours, theirs, ours, theirs...). Returns every timed sample per name.

    `alternate` reverses the order every other round (ours, theirs; theirs, ours), so a load
    that rises or falls during a long run does not favour whoever goes second."""
    for _ in range(warmup):
        for command in commands.values():
            run_once(command)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(repetitions):
        order = list(commands.items())
        if alternate and round_number % 2:
            order.reverse()
        for name, command in order:
            seconds, _ = run_once(command)
            samples[name].append(seconds)
        log("  round {}: {}".format(round_number + 1, ", ".join(
            f"{name} {values[-1]:.3f}s" for name, values in samples.items())))
    return samples


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def du_bytes(path: Path) -> int:
    """Disk use as `du` counts it (allocated blocks, hard links once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                stat = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            key = (stat.st_dev, stat.st_ino)
            if key in seen:
                continue
            seen.add(key)
            total += stat.st_blocks * 512
    return total


def peak_rss(command: Command) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of the command's own process, measured by /usr/bin/time.

    Linux carries a parent's peak RSS into a forked child, so a figure taken with wait4 from
    this (larger) benchmark process would be inflated; /usr/bin/time is small and forks the
    command itself.
    """
    out = WORK / "rss.txt"
    wrapped = Command(["/usr/bin/time", "-f", "%M", "-o", str(out), *command.argv],
                      command.cwd, command.env, command.before)
    seconds, _ = run_once(wrapped)
    return seconds, int(out.read_text(encoding="utf-8").split()[-1])


def profile_summary(python: str, module_args: list[str], cwd: Path,
                    wanted: dict[str, tuple[str, str, bool]],
                    before: Callable[[], None] | None = None) -> dict[str, float]:
    """Run `python -m cProfile -m ...` and return seconds per label: `wanted` maps a label to
    (file suffix, function name, cumulative?) as pstats names functions."""
    import pstats

    out = WORK / "profile.out"
    run_once(Command([python, "-m", "cProfile", "-o", str(out), "-m", *module_args], cwd,
                     before=before))
    stats = pstats.Stats(str(out))
    table = stats.stats  # type: ignore[attr-defined]
    found = {"total": float(stats.total_tt)}  # type: ignore[attr-defined]
    for label, (file_suffix, function, cumulative) in wanted.items():
        seconds = 0.0
        for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in table.items():
            if name == function and filename.endswith(file_suffix):
                seconds += cumtime if cumulative else tottime
        found[label] = seconds
    return found
