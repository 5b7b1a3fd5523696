"""Case 7: release builds for several interpreters at once, from clean, after an edit, no-op.

This is what CI does: one command builds the wheels for every CPython. The numbers decide
whether one cargo folder per interpreter ABI (our no-op lead) costs clean builds and disk.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from cases import Case, Row, Setup, _fmt, _samples_row, _toucher
from environment import WORK, Crate, log, reset_crate
from measure import BenchError, Command, du_bytes, interleaved, median, run_once

CRATES = ("large", "heavy")
PARTS = ("clean", "change", "noop", "disk", "sccache")
CLEAN_TARGET, NOOP_TARGET, CHANGE_TARGET, DISK_TARGET = 1.0, 0.05, 0.25, 1.5


def _argv(setup: Setup, tool: str) -> list[str]:
    if tool == "ours":
        argv = [setup.tool("pyo3-pack"), "build", "--release", "-o", "out-multi"]
        for python in setup.pythons:
            argv += ["-i", python]
        return argv
    return [setup.tool("maturin"), "build", "--release", "-o", "out-multi", "-i", *setup.pythons]


def _wipe(crate: Crate) -> Callable[[], None]:
    def wipe() -> None:
        shutil.rmtree(crate.target, ignore_errors=True)
        shutil.rmtree(crate.root / "out-multi", ignore_errors=True)

    return wipe


def multi_interpreter_release(setup: Setup, crates: Sequence[str] = CRATES,
                              parts: Sequence[str] = PARTS) -> Case:
    names = ", ".join(Path(p).name for p in setup.pythons)
    case = Case(7, f"Release builds for {len(setup.pythons)} interpreters at once ({names})",
                "`pyo3-pack build --release -i ... ` vs `maturin build --release -i ...` for "
                "every interpreter in one command, as CI runs it: from an empty target folder "
                "(clean), after appending a comment line to src/lib.rs, and with nothing "
                "changed; then the disk use of each tool's target folder. Crates: large "
                "(pyo3, serde, serde_json, regex) and heavy (about 100 dependencies on Linux, "
                f"see bench/crates/heavy). Clean builds: {setup.clean_repetitions} interleaved "
                "rounds in alternating order (ours first, then maturin first), no warm-up "
                "(the cargo registry cache is already filled).")
    for name in crates:
        _one_crate(setup, case, name, parts)
    if "sccache" in parts:
        _sccache_rows(setup, case)
    case.notes.append(
        "Each interpreter builds in its own cargo folder (`target/pyo3-pack/cpython-3.X/`); "
        "before cargo runs in one, the compiled units it lacks are hard-linked (artifacts) or "
        "copied (fingerprints, build-script output) from its siblings, except the build-script "
        "runs of the crates that ask the interpreter (pyo3-ffi, pyo3, ...). So a clean build "
        "compiles the dependencies once and pyo3-ffi, pyo3 and the crate once per interpreter; "
        "maturin does the same in one folder, but then rebuilds pyo3 for every interpreter on "
        "every later build, even a no-op. `du` counts hard-linked files once.")
    return case


def _one_crate(setup: Setup, case: Case, name: str, parts: Sequence[str]) -> None:
    ours, maturin = setup.crate("ours-multi", name), setup.crate("maturin-multi", name)
    if "clean" in parts:
        log(f"case 7: clean release build of {name} for {len(setup.pythons)} interpreters")
        clean = interleaved({
            "ours": Command(_argv(setup, "ours"), ours.root, before=_wipe(ours)),
            "maturin": Command(_argv(setup, "maturin"), maturin.root, before=_wipe(maturin)),
        }, setup.clean_repetitions, warmup=0, alternate=True)
        case.rows.append(_samples_row(clean, f"{name}: clean build", "ours", "maturin",
                                      "maturin", CLEAN_TARGET))
        pairs = [a / b for a, b in zip(clean["ours"], clean["maturin"])]
        case.notes.append(f"{name}, clean builds: ours {_fmt(clean['ours'])} s, maturin "
                          f"{_fmt(clean['maturin'])} s; ratio of each round's pair "
                          f"{', '.join(f'{r:.2f}' for r in pairs)}.")
    if "change" in parts:
        touch_ours, touch_maturin = _toucher(ours), _toucher(maturin)
        log(f"case 7: {name}, one-line change")
        changed = interleaved({
            "ours": Command(_argv(setup, "ours"), ours.root, before=touch_ours),
            "maturin": Command(_argv(setup, "maturin"), maturin.root, before=touch_maturin),
        }, setup.repetitions, warmup=0)
        case.rows.append(_samples_row(changed, f"{name}: after a one-line change", "ours",
                                      "maturin", "maturin", CHANGE_TARGET))
    if "noop" in parts:
        log(f"case 7: {name}, nothing changed")
        unchanged = interleaved({"ours": Command(_argv(setup, "ours"), ours.root),
                                 "maturin": Command(_argv(setup, "maturin"), maturin.root)},
                                setup.repetitions, warmup=0)
        case.rows.append(_samples_row(unchanged, f"{name}: nothing changed", "ours", "maturin",
                                      "maturin", NOOP_TARGET))
    if "disk" in parts:
        ours_du, maturin_du = du_bytes(ours.target), du_bytes(maturin.target)
        case.rows.append(Row(f"{name}: disk use of the cargo target folder", ours_du / 2**20,
                             "maturin", maturin_du / 2**20, max_ratio=DISK_TARGET, unit="MiB"))
    reset_crate(setup.place, "ours-multi", name)
    reset_crate(setup.place, "maturin-multi", name)


def _sccache_rows(setup: Setup, case: Case) -> None:
    """Clean builds of the large crate with sccache as RUSTC_WRAPPER and a warm cache: what a
    CI run gets from a cache kept between runs (each tool has its own cache and server)."""
    sccache = setup.place.tool("sccache")
    if not sccache.exists():
        case.notes.append("sccache is not installed in the bench venv: no sccache rows.")
        return
    commands = {}
    for port, tool in ((4231, "ours"), (4232, "maturin")):
        crate = setup.crate(f"{tool}-sccache", "large")
        env = {"RUSTC_WRAPPER": str(sccache), "SCCACHE_DIR": str(WORK / f"sccache-{tool}"),
               "SCCACHE_SERVER_PORT": str(port), "SCCACHE_IDLE_TIMEOUT": "600"}
        commands[tool] = Command(_argv(setup, tool), crate.root, env, before=_wipe(crate))
    log("case 7: clean release build of large with a warm sccache cache")
    try:
        samples = interleaved(commands, setup.clean_repetitions, warmup=1)
    finally:
        for command in commands.values():
            stop = Command([str(sccache), "--stop-server"], WORK, command.env)
            with contextlib.suppress(BenchError):  # a server that already stopped is fine
                run_once(stop)
    case.rows.append(_samples_row(samples, "large: clean build, both with sccache (warm cache)",
                                  "ours", "maturin", "maturin + sccache", None))
    maturin_plain = next((r for r in case.rows if r.measurement == "large: clean build"), None)
    if maturin_plain is not None and maturin_plain.theirs:
        case.rows.append(Row("large: clean build, ours with sccache (warm cache)",
                             median(samples["ours"]), "maturin without sccache",
                             maturin_plain.theirs))
    case.notes.append(f"sccache rows: RUSTC_WRAPPER={sccache.name}, one cache folder and "
                      "server per tool, filled by one untimed build; samples ours "
                      f"{_fmt(samples['ours'])} s, maturin {_fmt(samples['maturin'])} s. sccache "
                      "does not cache proc-macros, build scripts or the cdylib itself, so those "
                      "are compiled every time.")
