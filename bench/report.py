"""bench/results.md: one table per case, then machine facts and tool versions."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from cases import Case, Row


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:.1f} {unit}"


def _target(row: Row) -> str:
    if row.max_ratio is not None:
        if row.max_ratio < 0:
            return "same verdict"
        if row.max_ratio < 1:
            return f"<= {row.max_ratio:.2f}x" if row.max_ratio != 1 / 3 else "<= 0.33x (3x faster)"
        if row.unit == "s" and row.max_ratio > 1:
            return f"<= {row.max_ratio:.2f}x (overhead <= {round((row.max_ratio - 1) * 100)}%)"
        return f"<= {row.max_ratio:.2f}x"
    if row.max_value is not None:
        return f"<= {row.max_value:g} {row.unit}"
    return "(context)"


def _verdict(row: Row) -> str:
    met = row.met
    return "" if met is None else ("**met**" if met else "**missed**")


def render_case(case: Case) -> list[str]:
    lines = [f"## {case.number}. {case.title}", "", case.what, "",
             "| measurement | ours (median) | compared with | theirs (median) | ours/theirs "
             "| target | result |",
             "|---|---:|---|---:|---:|---|---|"]
    for row in case.rows:
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
        lines.append(f"| {row.measurement} | {_value(row.ours, row.unit)} | {row.other} | "
                     f"{_value(row.theirs, row.unit)} | {ratio} | {_target(row)} | "
                     f"{_verdict(row)} |")
    lines.append("")
    lines += [f"- {note}" for note in case.notes]
    lines.append("")
    return lines


def write(path: Path, cases: list[Case], machine: dict[str, str], versions: dict[str, str],
          settings: dict[str, str], analysis: str) -> None:
    summary = ["| case | measurement | ours/theirs or value | target | result |",
               "|---|---|---:|---|---|"]
    for case in cases:
        for row in case.rows:
            if row.met is None:
                continue
            shown = f"{row.ratio:.2f}x" if row.ratio is not None else _value(row.ours, row.unit)
            label = f"{row.measurement} vs {row.other}" if row.other else row.measurement
            summary.append(f"| {case.number} | {label} | {shown} | {_target(row)} | "
                           f"{_verdict(row)} |")
    lines = ["# Benchmark results", "",
             "Written by `bench/run.py` (see bench/README.md). Every comparison is a ratio of "
             "medians from the same run, with the tools' runs interleaved (ours, theirs, ours, "
             "theirs, ...) after a warm-up.", "",
             "## Summary", "", *summary, ""]
    if analysis:
        lines += [analysis.rstrip(), ""]
    for case in cases:
        lines += render_case(case)
    lines += ["## Machine and versions", "", "| | |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in {**machine, **settings}.items()]
    lines += ["", "| tool | version |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in versions.items()]
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def save(path: Path, results: Path, cases: list[Case], machine: dict[str, str],
         versions: dict[str, str], settings: dict[str, str]) -> None:
    """The numbers of a run, so the markdown can be rendered again (`--render-only`)."""
    data = {"results": str(results), "cases": [dataclasses.asdict(c) for c in cases],
            "machine": machine, "versions": versions, "settings": settings}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["cases"] = [
        Case(**{**c, "rows": [Row(**r) for r in c["rows"]]}) for c in data["cases"]
    ]
    return data
