"""The benchmark cases. Each returns a Case: rows of medians, ratios and targets, plus notes."""

from __future__ import annotations

import json
import random
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from environment import REPO, WORK, Crate, Workplace, log, make_venv, reset_crate
from measure import (
    Command,
    du_bytes,
    interleaved,
    median,
    output_of,
    peak_rss,
    profile_summary,
    run_once,
)


@dataclass
class Row:
    measurement: str
    ours: float
    other: str = ""
    theirs: float | None = None
    max_ratio: float | None = None
    """Target: ours / theirs at most this."""
    max_value: float | None = None
    """Target: ours at most this (in `unit`)."""
    unit: str = "s"

    @property
    def ratio(self) -> float | None:
        return self.ours / self.theirs if self.theirs else None

    @property
    def met(self) -> bool | None:
        if self.max_ratio is not None and self.ratio is not None:
            return self.ratio <= self.max_ratio
        if self.max_value is not None:
            return self.ours <= self.max_value
        return None


@dataclass
class Case:
    number: int
    title: str
    what: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Setup:
    place: Workplace
    repetitions: int
    python: str
    """The interpreter of the one-interpreter cases (the bench venv's python)."""
    base_python: str
    shim: str | None
    shim_version: str | None
    pythons: list[str]
    """Four interpreters for the multi-interpreter cases."""
    clean_repetitions: int = 2
    """Rounds of the clean multi-interpreter builds (case 7), which take minutes each."""

    def tool(self, name: str) -> str:
        return str(self.place.tool(name))

    def crate(self, tool: str, name: str) -> Crate:
        return self.place.crate(tool, name)


def _samples_row(samples: dict[str, list[float]], label: str, ours: str, theirs: str,
                 other: str, max_ratio: float | None) -> Row:
    return Row(label, median(samples[ours]), other, median(samples[theirs]), max_ratio)


def _toucher(crate: Crate) -> Callable[[], None]:
    counter = [0]

    def touch() -> None:
        counter[0] += 1
        with open(crate.lib_rs, "a", encoding="utf-8") as handle:
            handle.write(f"// bench edit {counter[0]}\n")

    return touch


# 1 ----------------------------------------------------------------------------------------

def noop_build(setup: Setup) -> Case:
    case = Case(1, "No-op `build` for one interpreter",
                "A wheel for one interpreter when nothing changed since the last build "
                f"(cargo's dev profile, `-i {setup.python}`). setuptools-rust: "
                "`python setup.py bdist_wheel` with `RustExtension(debug=True)`.")
    for name in ("pyo3-pure", "large"):
        ours, maturin = setup.crate("ours", name), setup.crate("maturin", name)
        srust = setup.crate("setuptools-rust", name)
        commands = {
            "ours": Command([setup.tool("pyo3-pack"), "build", "-i", setup.python, "-o", "out"],
                            ours.root),
            "maturin": Command([setup.tool("maturin"), "build", "-i", setup.python, "-o", "out"],
                               maturin.root),
            "setuptools-rust": Command([setup.tool("python"), "setup.py", "-q", "bdist_wheel"],
                                       srust.root),
        }
        log(f"case 1: no-op build of {name}")
        samples = interleaved(commands, setup.repetitions)
        case.rows.append(_samples_row(samples, f"{name}", "ours", "maturin", "maturin", 0.5))
        case.rows.append(_samples_row(samples, f"{name}", "ours", "setuptools-rust",
                                      "setuptools-rust", 0.6))
        if setup.shim and name == "pyo3-pure":
            case.rows += _shim_rows(setup, ours, maturin)
    if setup.shim:
        case.notes.append(f"Shim rows: `-i {setup.shim}` with PYENV_VERSION={setup.shim_version} "
                          "(so the shim picks that version), measured in their own interleaved "
                          "block after a warm-up. The `alternating` row switches every run "
                          "between the venv's python and the shim (same CPython behind both), "
                          "as a user who sometimes types `-i python3.X` would: it shows whether "
                          "the path change alone makes cargo recompile pyo3 (no target).")
    else:
        case.notes.append("No pyenv shim was found, so there is no shim row.")
    return case


def _shim_rows(setup: Setup, ours: Crate, maturin: Crate) -> list[Row]:
    assert setup.shim is not None
    env = {"PYENV_VERSION": setup.shim_version or ""}

    def build(tool: str, crate: Crate, python: str) -> Command:
        return Command([setup.tool(tool), "build", "-i", python, "-o", "out"], crate.root, env)

    log("case 1: no-op build through a pyenv shim")
    samples = interleaved({"ours": build("pyo3-pack", ours, setup.shim),
                           "maturin": build("maturin", maturin, setup.shim)}, setup.repetitions)
    log("case 1: alternating between the venv python and the shim")
    alternating = interleaved({"ours venv": build("pyo3-pack", ours, setup.python),
                               "maturin venv": build("maturin", maturin, setup.python),
                               "ours shim": build("pyo3-pack", ours, setup.shim),
                               "maturin shim": build("maturin", maturin, setup.shim)},
                              setup.repetitions, warmup=0)
    mixed = Row("pyo3-pure, alternating `-i` venv python / shim (each run)",
                median(alternating["ours venv"] + alternating["ours shim"]), "maturin",
                median(alternating["maturin venv"] + alternating["maturin shim"]))
    return [_samples_row(samples, f"pyo3-pure, `-i {setup.shim}` (pyenv shim)", "ours",
                         "maturin", "maturin", 0.5), mixed]


# 2 ----------------------------------------------------------------------------------------

def noop_develop(setup: Setup) -> Case:
    case = Case(2, "No-op `develop` into a virtualenv",
                "`pyo3-pack develop` vs `maturin develop` for pyo3-pure when it is already "
                "installed and nothing changed. Each tool has its own venv, both made with "
                "`python -m venv` (with pip, which maturin uses to install).")
    venvs = {}
    for tool in ("ours", "maturin"):
        venvs[tool] = make_venv(setup.base_python, WORK / f"venv-develop-{tool}", [])
    commands = {
        "ours": Command([setup.tool("pyo3-pack"), "develop"], setup.crate("ours", "pyo3-pure").root,
                        {"VIRTUAL_ENV": str(venvs["ours"])}),
        "maturin": Command([setup.tool("maturin"), "develop"],
                           setup.crate("maturin", "pyo3-pure").root,
                           {"VIRTUAL_ENV": str(venvs["maturin"])}),
    }
    log("case 2: no-op develop")
    samples = interleaved(commands, setup.repetitions)
    case.rows.append(_samples_row(samples, "pyo3-pure", "ours", "maturin", "maturin", 0.5))
    for tool, venv in venvs.items():
        check = Command([str(venv / "bin" / "python"), "-c",
                         "import pyo3_pure; print(pyo3_pure.add(2, 40))"], WORK)
        if output_of(check).strip() != "42":
            case.notes.append(f"WARNING: pyo3_pure does not work in {tool}'s venv")
    return case


# 3 ----------------------------------------------------------------------------------------

def multi_interpreter(setup: Setup) -> Case:
    names = ", ".join(Path(p).name for p in setup.pythons)
    case = Case(3, f"{len(setup.pythons)} interpreters in one `build` ({names})",
                "pyo3-pure for every interpreter in one command: after appending a comment "
                "line to src/lib.rs (twice in a row: the second round shows whether switching "
                "interpreters recompiles pyo3), and with nothing changed.")
    ours, maturin = setup.crate("ours", "pyo3-pure"), setup.crate("maturin", "pyo3-pure")
    ours_argv = [setup.tool("pyo3-pack"), "build", "-o", "out-multi"]
    for python in setup.pythons:
        ours_argv += ["-i", python]
    maturin_argv = [setup.tool("maturin"), "build", "-o", "out-multi", "-i", *setup.pythons]
    touch_ours, touch_maturin = _toucher(ours), _toucher(maturin)
    log("case 3: one-line change, then 4 interpreters (two rounds)")
    changed = interleaved({
        "ours 1": Command(ours_argv, ours.root, before=touch_ours),
        "maturin 1": Command(maturin_argv, maturin.root, before=touch_maturin),
        "ours 2": Command(ours_argv, ours.root, before=touch_ours),
        "maturin 2": Command(maturin_argv, maturin.root, before=touch_maturin),
    }, setup.repetitions)
    log("case 3: nothing changed, 4 interpreters")
    unchanged = interleaved({"ours": Command(ours_argv, ours.root),
                             "maturin": Command(maturin_argv, maturin.root)}, setup.repetitions)
    case.rows += [
        _samples_row(changed, "after a one-line change, round 1", "ours 1", "maturin 1",
                     "maturin", 0.25),
        _samples_row(changed, "after a one-line change, round 2", "ours 2", "maturin 2",
                     "maturin", 0.25),
        _samples_row(unchanged, "nothing changed", "ours", "maturin", "maturin", 0.15),
    ]
    ours_du, maturin_du = du_bytes(ours.target), du_bytes(maturin.target)
    case.rows.append(Row("disk use of the cargo target folder", ours_du / 2**20, "maturin",
                         maturin_du / 2**20, unit="MiB"))
    case.notes.append("Our target folder holds one cargo folder per interpreter "
                      "(`target/pyo3-pack/cpython-3.X/`), so each interpreter keeps its own "
                      "compiled pyo3; what no interpreter changes is hard-linked between them "
                      "(counted once). maturin shares one folder, so the disk use shows what "
                      "the separation costs. Both also hold the dev builds of cases 1 and 2.")
    reset_crate(setup.place, "ours", "pyo3-pure")
    reset_crate(setup.place, "maturin", "pyo3-pure")
    return case


# 4 ----------------------------------------------------------------------------------------

def clean_release(setup: Setup, crate_name: str) -> Case:
    case = Case(4, f"Clean release build of {crate_name}: our overhead over cargo",
                f"`pyo3-pack build --release -i {setup.base_python}` vs `cargo build --release` "
                "on a copy of the same crate, each from an empty target folder, with the "
                "environment pyo3-pack gives cargo (PYO3_PYTHON, PYTHON_SYS_EXECUTABLE, "
                "PYO3_BUILD_EXTENSION_MODULE, PYO3_ENVIRONMENT_SIGNATURE).")
    ours, cargo = setup.crate("ours-release", crate_name), setup.crate("cargo", crate_name)
    version = re.search(r"(\d+\.\d+)", Path(setup.base_python).name)
    signature = f"cpython-{version.group(1) if version else '3'}-"
    env = {"PYO3_PYTHON": setup.base_python, "PYTHON_SYS_EXECUTABLE": setup.base_python,
           "PYO3_BUILD_EXTENSION_MODULE": "1", "PYO3_ENVIRONMENT_SIGNATURE": signature}
    commands = {
        "ours": Command([setup.tool("pyo3-pack"), "build", "--release", "-i", setup.base_python,
                         "-o", "out-release"], ours.root, before=_cleaner(ours)),
        "cargo": Command(["cargo", "build", "--release"], cargo.root, env,
                         before=_cleaner(cargo)),
    }
    log(f"case 4: clean release build of {crate_name}")
    # the warm-up only makes sure every crate is downloaded
    samples = interleaved(commands, setup.repetitions, warmup=0)
    row = _samples_row(samples, crate_name, "ours", "cargo", "cargo alone", 1.05)
    case.rows.append(row)
    overhead = row.ours - (row.theirs or 0)
    case.notes.append(f"Median difference: {overhead:+.2f} s on a {row.theirs:.1f} s build "
                      f"(samples ours {_fmt(samples['ours'])}, cargo {_fmt(samples['cargo'])}).")
    pairs = [a / b for a, b in zip(samples["ours"], samples["cargo"])]
    case.notes.append(f"Ratio of each round's pair (ours, then cargo right after): "
                      f"{', '.join(f'{r:.2f}' for r in pairs)}; median {median(pairs):.2f}. "
                      "Under changing load this is steadier than the ratio of medians.")
    log("case 4: one more clean build of ours under cProfile")
    module_args = ["setuptools_pyo3pack", *commands["ours"].argv[1:]]
    parts = profile_summary(setup.tool("python"), module_args, ours.root, {
        "cargo rustc (cargo.run)": ("cargo.py", "run", True),
        "imports": ("<frozen importlib._bootstrap>", "_find_and_load", True),
        "cargo metadata (read_crate)": ("config.py", "read_crate", True),
        "interpreter probe (from_specs)": ("interpreters.py", "from_specs", True),
        "audit (audit_native)": ("repair.py", "audit_native", True),
        "wheel writing (write_wheel)": ("builder.py", "write_wheel", True),
    }, before=_cleaner(ours))
    total = parts.pop("total")
    rest = total - sum(parts.values())
    shown = ", ".join(f"{label} {seconds:.2f} s" for label, seconds in parts.items())
    case.notes.append(f"Profile of one more clean `pyo3-pack build --release` (cProfile, "
                      f"{total:.2f} s in Python): {shown}, everything else {rest:.2f} s. "
                      "Interpreter start-up (about 20 ms) comes on top.")
    return case


def _cleaner(crate: Crate) -> Callable[[], None]:
    return lambda: shutil.rmtree(crate.target, ignore_errors=True)


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


# 5 ----------------------------------------------------------------------------------------

BLOB_BYTES = 32 << 20


def audit(setup: Setup) -> Case:
    case = Case(5, "Audit of a large extension",
                "`pyo3-pack audit WHEEL` vs `auditwheel show WHEEL` on a wheel of the large "
                "crate built in cargo's dev profile (full debug info) with 32 MiB of embedded "
                "random data (its `blob` feature), so the module is over 50 MB.")
    crate = setup.crate("audit", "large")
    blob = crate.root / "blob.bin"
    if not blob.exists() or blob.stat().st_size != BLOB_BYTES:
        _random_file(blob, BLOB_BYTES, seed=8)
    out = crate.root / "out-audit"
    shutil.rmtree(out, ignore_errors=True)
    log("case 5: building the large wheel")
    run_once(Command([setup.tool("pyo3-pack"), "build", "-i", setup.python, "-o", str(out),
                      "-F", "blob"], crate.root))
    (wheel,) = sorted(out.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        native = max(archive.infolist(), key=lambda i: i.file_size)
    case.notes.append(f"Wheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB; its module "
                      f"{native.filename} is {native.file_size / 1e6:.1f} MB uncompressed.")
    if native.file_size < 50e6:
        case.notes.append("WARNING: the module is under 50 MB")
    commands = {
        "ours": Command([setup.tool("pyo3-pack"), "audit", str(wheel)], crate.root),
        "auditwheel": Command([setup.tool("auditwheel"), "show", str(wheel)], crate.root),
    }
    # pip compiled auditwheel's bytecode when it installed it; compile ours (an editable
    # install) too, or with PYTHONDONTWRITEBYTECODE set every run of ours would compile it
    run_once(Command([setup.tool("python"), "-m", "compileall", "-q",
                      str(REPO / "setuptools_pyo3pack")], crate.root))
    case.notes.append("Both tools run from compiled bytecode (pip compiled auditwheel's at "
                      "install; ours, an editable install, is compiled with compileall first).")
    log("case 5: audit")
    samples = interleaved(commands, setup.repetitions)
    ours_json = json.loads(output_of(Command([*commands["ours"].argv, "--json"], crate.root)))
    ours_policy = ours_json[0].get("policy")
    shown = output_of(commands["auditwheel"])
    match = re.search(r'consistent\s+with\s+the\s+following\s+platform\s+tag:\s+"([^"]+)"',
                      shown)
    theirs_policy = match.group(1) if match else "(not found)"
    same = ours_policy == theirs_policy
    row = _samples_row(samples, "pyo3-pure-large wheel", "ours", "auditwheel", "auditwheel show",
                       1 / 3)
    row.measurement = f"large wheel (verdict: ours {ours_policy}, auditwheel {theirs_policy})"
    case.rows.append(row)
    case.notes.append(f"Same verdict: {'yes' if same else 'NO'} "
                      f"(ours `{ours_policy}`, auditwheel `{theirs_policy}`).")
    if not same:
        row.max_ratio = -1.0  # a different verdict misses the target whatever the time
    case.notes.append(_audit_profile(setup, wheel, crate.root))
    return case


def _audit_profile(setup: Setup, wheel: Path, cwd: Path) -> str:
    """Where our audit's time goes, from one cProfile run (profiling slows it somewhat)."""
    parts = profile_summary(setup.tool("python"), ["setuptools_pyo3pack", "audit", str(wheel)],
                            cwd, {
        "imports": ("<frozen importlib._bootstrap>", "_find_and_load", True),
        "reading the module (ELF structures, inflating up to them)": ("elf.py",
                                                                     "read_elf_source", True),
        "of which zlib inflating": ("~", "<method 'decompress' of 'zlib.Decompress' objects>",
                                    False),
        "of which hops over stored blocks": ("inflate.py", "_hop", True),
        "policy check": ("verdict.py", "evaluate", True),
    })
    total = parts.pop("total")
    shown = ", ".join(f"{label} {seconds * 1000:.0f} ms" for label, seconds in parts.items())
    return (f"Profile of one `pyo3-pack audit` run (cProfile, {total * 1000:.0f} ms in Python, "
            f"plus interpreter start-up): {shown}.")


def _random_file(path: Path, size: int, *, seed: int) -> None:
    """Incompressible data, written in 1 MB pieces so this process stays small."""
    generator = random.Random(seed)
    with open(path, "wb") as handle:
        left = size
        while left:
            piece = min(left, 10**6)
            handle.write(generator.randbytes(piece))
            left -= piece


# 6 ----------------------------------------------------------------------------------------

BIG_BYTES = 500 * 10**6

PACK_SCRIPT = """
import sys
from pathlib import Path
from setuptools_pyo3pack.wheel.writer import WheelWriter
with WheelWriter(Path(sys.argv[2]), "big-0.1.dist-info") as wheel:
    wheel.add_file("big/big.cpython-312-x86_64-linux-gnu.so", Path(sys.argv[1]))
"""

SELF_RSS_SCRIPT = """
import resource, sys
from setuptools_pyo3pack.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
sys.exit(code)
"""


def startup_and_memory(setup: Setup) -> Case:
    case = Case(6, "Start-up time and packing memory",
                "`pyo3-pack --help` wall time (median of 10 after 2 warm-ups), and the peak "
                "resident memory of packing a 500 MB file into a wheel with our WheelWriter "
                "(the process alone; random data, deflate).")
    reps = max(10, setup.repetitions)
    commands = {
        "ours": Command([setup.tool("pyo3-pack"), "--help"], WORK),
        "python": Command([setup.tool("python"), "-c", "pass"], WORK),
        "maturin": Command([setup.tool("maturin"), "--help"], WORK),
    }
    log("case 6: --help")
    samples = interleaved(commands, reps, warmup=2)
    case.rows.append(Row("`pyo3-pack --help`", median(samples["ours"]) * 1000,
                         max_value=100, unit="ms"))
    case.rows.append(Row("context: `python -c pass` (bench venv)",
                         median(samples["python"]) * 1000, unit="ms"))
    case.rows.append(Row("context: `maturin --help`", median(samples["maturin"]) * 1000,
                         unit="ms"))

    big = WORK / "big-500MB.bin"
    if not big.exists() or big.stat().st_size != BIG_BYTES:
        log("case 6: writing a 500 MB random file")
        _random_file(big, BIG_BYTES, seed=6)
    wheel = WORK / "big-0.1-cp312-cp312-linux_x86_64.whl"
    log("case 6: packing 500 MB")
    seconds, peak_kib = peak_rss(Command([setup.tool("python"), "-c", PACK_SCRIPT, str(big),
                                          str(wheel)], WORK))
    case.rows.append(Row(f"peak RSS packing a 500 MB member ({seconds:.1f} s)",
                         peak_kib / 1024, max_value=100, unit="MiB"))
    wheel.unlink(missing_ok=True)

    crate = setup.crate("ours", "pyo3-pure")
    rss_file = WORK / "self-rss.txt"
    build = [setup.tool("python"), "-c", SELF_RSS_SCRIPT, str(rss_file), "build", "-i",
             setup.python, "-o", "out-rss"]
    touch = _toucher(crate)
    log("case 6: peak RSS of a real build")
    _, tree_kib = peak_rss(Command(build, crate.root, before=touch))
    self_kib = int(rss_file.read_text())
    case.rows.append(Row("context: peak RSS of `pyo3-pack build` of pyo3-pure after an edit, "
                         "our process alone", self_kib / 1024, unit="MiB"))
    case.rows.append(Row("context: the same, largest process of the tree (cargo or rustc)",
                         tree_kib / 1024, unit="MiB"))
    reset_crate(setup.place, "ours", "pyo3-pure")
    return case
