"""The real CLI's `--json` documents (checked against docs/schemas/), its status lines, and
-q, on examples/pyo3-pure."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from tests.integration.conftest import copy_example, make_venv, run_tool, venv_python
from tests.json_schemas import parsed


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_json_with_two_interpreters_then_audit_and_quiet(
        tmp_path: Path, cpythons: dict[tuple[int, int], Path]) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    out = tmp_path / "out"
    chosen = [path for version, path in cpythons.items() if version >= (3, 9)][-2:]
    assert len(chosen) == 2, cpythons
    args = ["build", "-o", out, "--sdist", "--json", *(a for p in chosen for a in ("-i", p))]
    result = run_tool(*args, cwd=crate)
    document = parsed(result.stdout, "build")
    wheels = document["wheels"]
    assert [Path(w["interpreter"]["path"]) for w in wheels] == chosen
    for index, wheel in enumerate(wheels, 1):
        path = Path(wheel["path"])
        assert path.parent == out and path.name == wheel["name"]
        assert (wheel["size"], wheel["sha256"]) == (path.stat().st_size, _sha256(path))
        assert wheel["tags"] == ["-".join(path.stem.split("-")[-3:])]
        python_tag = wheel["tags"][0].split("-")[0]
        # the status lines: step prefixes, and where each wheel went with its size and tag
        assert f"pyo3-pack: [{index}/2] {python_tag} building `pyo3-pure`" in result.stderr
        wrote = rf"pyo3-pack: \[{index}/2\] {python_tag} wrote {re.escape(str(path))} " \
            rf"\(\d+\.\d [KM]B, {re.escape(wheel['tags'][0])}\)\n"
        assert re.search(wrote, result.stderr), result.stderr
    assert Path(document["sdist"]["path"]).is_file()

    audit = run_tool("audit", "--json", *(w["path"] for w in wheels), cwd=tmp_path)
    verdicts = parsed(audit.stdout, "audit")
    assert [v["wheel"] for v in verdicts] == [w["path"] for w in wheels]
    assert all(v["platform_tag"] in w["tags"][0] for v, w in zip(verdicts, wheels))
    assert audit.stderr == ""

    quiet = run_tool(*args, "-q", cwd=crate)  # nothing changed: errors only means silence
    assert quiet.stderr == ""
    assert [w["sha256"] for w in parsed(quiet.stdout, "build")["wheels"]] == \
        [w["sha256"] for w in wheels]


def test_sdist_json(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    result = run_tool("sdist", "-o", tmp_path / "dist", "--json", cwd=crate)
    sdist = parsed(result.stdout, "sdist")["sdist"]
    path = Path(sdist["path"])
    assert path == tmp_path / "dist" / "pyo3_pure-2.1.0b1.tar.gz"
    assert (sdist["size"], sdist["sha256"]) == (path.stat().st_size, _sha256(path))
    assert "pyo3-pack: wrote " in result.stderr


def test_list_python_json(tmp_path: Path, cpythons: dict[tuple[int, int], Path]) -> None:
    result = run_tool("list-python", "--json", cwd=tmp_path)
    document = parsed(result.stdout, "list-python")
    versions = {tuple(map(int, i["version"].split(".")[:2])) for i in document["interpreters"]
                if i["implementation"] == "cpython"}
    assert set(cpythons) <= versions
    assert all(Path(i["path"]).exists() for i in document["interpreters"])


def test_develop_json_into_a_fresh_venv(tmp_path: Path) -> None:
    crate = copy_example("pyo3-pure", tmp_path)
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    first = parsed(run_tool("develop", "--json", cwd=crate, env=env).stdout, "develop")
    assert (first["name"], first["venv"], first["installed"]) == ("pyo3-pure", str(venv), True)
    assert first["wheel"]["interpreter"]["version"].startswith(
        f"{sys.version_info[0]}.{sys.version_info[1]}.")
    assert venv_python(venv, "import pyo3_pure; print(pyo3_pure.add(1, 2))") == "3"
    again = parsed(run_tool("develop", "--json", cwd=crate, env=env).stdout, "develop")
    assert again["installed"] is False
    assert again["wheel"]["sha256"] == first["wheel"]["sha256"]
