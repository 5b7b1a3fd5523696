"""Benchmark pyo3-pack against maturin, setuptools-rust, cargo and auditwheel.

    python bench/run.py            # every case, 5 repetitions: writes bench/results.md
    python bench/run.py --quick    # 2 repetitions: writes bench/.work/results-quick.md
    python bench/run.py --cases 1,5

See bench/README.md for what each case measures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cases
import environment
import multi_abi
import report
from environment import BENCH, WORK, log

SAVED = WORK / "last-run.json"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 repetitions instead of 5")
    parser.add_argument("-n", "--repetitions", type=int, help="timed repetitions per case")
    parser.add_argument("--cases", default="1,2,3,4,5,6,7", help="comma separated case numbers")
    parser.add_argument("--clean-repetitions", type=int,
                        help="rounds of case 7's clean builds (default: 2, at most -n)")
    parser.add_argument("--multi-crates", default=",".join(multi_abi.CRATES),
                        help="case 7's crates (default: large,heavy)")
    parser.add_argument("--multi-parts", default=",".join(multi_abi.PARTS),
                        help="case 7's parts (default: clean,change,noop,disk,sccache)")
    parser.add_argument("--python", default=None,
                        help="CPython to make the bench venv from (default: newest found "
                        "but one, else this one)")
    parser.add_argument("--release-crate", choices=["pyo3-pure", "large"], default="large",
                        help="crate of the clean release build case (default: large)")
    parser.add_argument("--refresh", action="store_true",
                        help="reinstall the bench venv's packages")
    parser.add_argument("--results", type=Path, help="where to write the markdown")
    parser.add_argument("--analysis", type=Path,
                        help="a markdown file whose text goes under the summary")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite the markdown from the last run's saved numbers "
                        "(bench/.work/last-run.json), e.g. with a new --analysis")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    analysis = args.analysis.read_text(encoding="utf-8") if args.analysis else ""
    if args.render_only:
        saved = report.load(SAVED)
        results = args.results or Path(saved["results"])
        report.write(results, saved["cases"], saved["machine"], saved["versions"],
                     saved["settings"], analysis)
        log(f"wrote {results}")
        return 0
    repetitions = args.repetitions or (2 if args.quick else 5)
    results = args.results or (WORK / "results-quick.md" if args.quick
                               else BENCH / "results.md")
    pythons = environment.interpreters(4)
    if not pythons:
        log("no CPython 3.9+ found")
        return 1
    base = args.python or (pythons[-2] if len(pythons) > 1 else pythons[-1])
    base = os.path.realpath(base)
    machine = environment.machine_info()
    started = time.time()
    place = environment.prepare(base, refresh=args.refresh)
    shim = environment.shim_for(base)
    shim_version = Path(base).parent.parent.name if shim else None
    clean_repetitions = args.clean_repetitions or min(repetitions, 2)
    setup = cases.Setup(place, repetitions, str(place.python), base, shim, shim_version, pythons,
                        clean_repetitions)
    chosen = {int(n) for n in args.cases.split(",") if n.strip()}
    runners: dict[int, Callable[[], cases.Case]] = {
        1: lambda: cases.noop_build(setup),
        2: lambda: cases.noop_develop(setup),
        3: lambda: cases.multi_interpreter(setup),
        4: lambda: cases.clean_release(setup, args.release_crate),
        5: lambda: cases.audit(setup),
        6: lambda: cases.startup_and_memory(setup),
        7: lambda: multi_abi.multi_interpreter_release(
            setup, args.multi_crates.split(","), args.multi_parts.split(",")),
    }
    done: list[cases.Case] = []
    for number in sorted(chosen):
        case_started = time.time()
        done.append(runners[number]())
        log(f"case {number} took {time.time() - case_started:.0f} s")
    settings = {
        "repetitions": f"{repetitions} timed (after 1 warm-up round; case 4: no warm-up; "
                       f"case 7: {clean_repetitions} clean rounds, no warm-up)",
        "interpreters": ", ".join(pythons),
        "bench venv made from": base,
        "total run time": f"{(time.time() - started) / 60:.1f} min",
    }
    versions = environment.tool_versions(place)
    report.save(SAVED, results, done, machine, versions, settings)
    report.write(results, done, machine, versions, settings, analysis)
    log(f"wrote {results}")
    print(results.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
