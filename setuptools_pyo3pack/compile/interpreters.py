"""Find Python interpreters and probe each one once (results cached on disk)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InterpreterError, OutputError
from ..fs import write_atomic
from ..platforms.interpreter import Interpreter
from ..platforms.registry import platform_for

# Runs inside the probed interpreter: keep it valid Python 2.7 so that old interpreters
# are reported with their version instead of a syntax error.
PROBE_SCRIPT = r"""
import json, platform, struct, sys, sysconfig
impl = getattr(sys, "implementation", None)
print(json.dumps({
    "implementation": impl.name if impl else platform.python_implementation().lower(),
    "version": list(sys.version_info[:3]),
    "abiflags": getattr(sys, "abiflags", ""),
    "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX") or "",
    "soabi": sysconfig.get_config_var("SOABI") or "",
    "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "platform": sysconfig.get_platform(),
    "pointer_bits": struct.calcsize("P") * 8,
    "executable": sys.executable,
    "base_executable": getattr(sys, "_base_executable", sys.executable),
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "paths": sysconfig.get_paths(),
}))
"""
#: Bump when the probe's output changes so stale cache entries are ignored.
PROBE_VERSION = 1

#: python3.12, python3.14t (free-threaded), pypy3.11, graalpy (pyenv's graalpy-24.2.1/bin)
_NAME = re.compile(r"^((python|pypy)3\.\d+t?|graalpy(3\.\d+)?)$")




def is_launcher_script(path: str) -> bool:
    """A `#!` script (a pyenv shim, a wrapper) picks its interpreter at run time, from the
    environment: its probe must never be cached under its own path."""
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def cache_file() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "setuptools-pyo3pack" / f"interpreters-v{PROBE_VERSION}.json"


def _fingerprint(path: str) -> list[Any]:
    """Changes whenever the file behind `path` (or the link itself) is replaced."""
    real = os.path.realpath(path)
    stat = os.stat(real)
    return [real, stat.st_mtime_ns, stat.st_size, stat.st_ino]


class ProbeCache:
    """Probe results keyed by path, valid while the executable's fingerprint is unchanged."""

    def __init__(self, location: Path | None = None) -> None:
        self.location = location or cache_file()
        self.entries: dict[str, Any] = {}
        self.dirty = False
        try:
            self.entries = json.loads(self.location.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def get(self, path: str) -> Interpreter | None:
        if is_launcher_script(path):
            return None
        entry = self.entries.get(path)
        try:
            if entry and entry["fingerprint"] == _fingerprint(path):
                return _from_probe(path, entry["probe"])
        except (OSError, KeyError, TypeError):
            pass
        return None

    def put(self, path: str, probe: dict[str, Any]) -> None:
        if is_launcher_script(path):
            return
        self.entries[path] = {"fingerprint": _fingerprint(path), "probe": probe}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        with contextlib.suppress(OSError, OutputError):  # a cache we cannot write only costs time
            write_atomic(self.location, json.dumps(self.entries))


def _from_probe(path: str, data: dict[str, Any]) -> Interpreter:
    values = dict(data)
    values["version"] = tuple(values["version"])
    return Interpreter(path=path, **values)


def _run_probe(path: str) -> dict[str, Any] | str:
    """The probe's answer, or why the interpreter could not be probed."""
    try:
        result = subprocess.run(
            [path, "-E", "-s", "-c", PROBE_SCRIPT],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run it ({exc})"
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        return f"it failed to start ({lines[-1] if lines else f'exit code {result.returncode}'})"
    try:
        data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return "it printed no probe result"
    return data


def probe_many(paths: Sequence[str], cache: ProbeCache | None = None) -> list[Interpreter | str]:
    """Probe interpreters in parallel; each result is an Interpreter or an error reason."""
    cache = cache or ProbeCache()
    results: dict[str, Interpreter | str] = {}
    missing = []
    for path in paths:
        hit = cache.get(path)
        if hit is not None:
            results[path] = hit
        else:
            missing.append(path)
    if missing:
        with ThreadPoolExecutor(max_workers=min(8, len(missing))) as pool:
            for path, answer in zip(missing, pool.map(_run_probe, missing)):
                if isinstance(answer, str):
                    results[path] = answer
                    continue
                try:
                    results[path] = _from_probe(path, answer)
                    cache.put(path, answer)
                except (TypeError, KeyError) as exc:
                    results[path] = f"its probe answer was incomplete ({exc})"
        cache.save()
    return [results[path] for path in paths]


def pyenv_root() -> Path:
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def _is_shim(path: Path) -> bool:
    """pyenv's shims are scripts that pick a version at run time: slow and ambiguous."""
    return path.parent.name == "shims" and (path.parent.parent / "versions").is_dir()


def _executables(folder: Path) -> Iterator[Path]:
    try:
        names = sorted(os.listdir(folder), key=_version_sort_key)
    except OSError:
        return
    for name in names:
        candidate = folder / name
        if _NAME.match(name) and os.access(candidate, os.X_OK) and candidate.is_file():
            yield candidate


def _version_sort_key(name: str) -> tuple[int, str]:
    match = re.search(r"3\.(\d+)", name)
    return (int(match.group(1)) if match else 0, name)


def candidate_paths(search_path: str | None = None) -> list[str]:
    """python3.X / pypy3.X executables on PATH (not pyenv shims), then pyenv's versions."""
    found: list[str] = []
    seen: set[str] = set()

    def add(paths: Iterable[Path]) -> None:
        for path in paths:
            real = os.path.realpath(path)
            if real not in seen and not _is_shim(path):
                seen.add(real)
                found.append(str(path))

    for folder in (search_path if search_path is not None else os.environ.get("PATH", "")).split(
        os.pathsep
    ):
        if folder:
            add(_executables(Path(folder)))
    versions = pyenv_root() / "versions"
    if versions.is_dir():
        for version_dir in sorted(versions.iterdir()):
            if not version_dir.is_symlink():  # pyenv-virtualenv links envs in here too
                add(_executables(version_dir / "bin"))
    # what this system keeps elsewhere: the `py` launcher's list, conda environments
    try:
        elsewhere = platform_for(None).interpreter_candidates(os.environ)
    except ConfigError:  # a system wheels are not built for here: PATH and pyenv only
        elsewhere = []
    add(Path(p) for p in elsewhere)
    return found


def discover() -> tuple[list[Interpreter], list[tuple[str, str]]]:
    """Every interpreter found (sorted by kind and version), and the ones that failed."""
    paths = candidate_paths()
    interpreters: list[Interpreter] = []
    failures: list[tuple[str, str]] = []
    for path, result in zip(paths, probe_many(paths)):
        if isinstance(result, str):
            failures.append((path, result))
        else:
            interpreters.append(result)
    # stable sort on the minor version: of two 3.11 builds, the one found first (PATH) leads
    interpreters.sort(
        key=lambda i: (i.implementation != "cpython", i.minor_version, i.free_threaded)
    )
    return interpreters, failures


def one_per_abi(interpreters: Iterable[Interpreter]) -> list[Interpreter]:
    """Keep the first interpreter of each ABI: two builds of 3.11 make the same wheel."""
    keys: set[str] = set()
    unique = []
    for interpreter in interpreters:
        if interpreter.abi_key not in keys:
            keys.add(interpreter.abi_key)
            unique.append(interpreter)
    return unique


#: What to do about an interpreter that cannot be probed.
_NOT_USABLE = "pass -i with a working Python 3 executable (`pyo3-pack list-python` shows them)"


def resolve_spec(spec: str) -> str:
    """A `-i` argument as an executable path: a path, a name like python3.12, or 3.12."""
    if os.sep in spec or spec.startswith("."):
        path = Path(spec).expanduser()
        if not path.exists():
            raise InterpreterError(f"interpreter `{spec}` does not exist",
                                   hint="pass the path of a python executable")
        return str(path.absolute())
    name = f"python{spec}" if re.fullmatch(r"\d+\.\d+t?", spec) else spec
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / name
        usable = folder and candidate.is_file() and os.access(candidate, os.X_OK)
        if usable and not _is_shim(candidate):
            return str(candidate)
    versions = pyenv_root() / "versions"
    if versions.is_dir():
        for version_dir in sorted(versions.iterdir(), reverse=True):
            candidate = version_dir / "bin" / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    if Path(spec).is_file():  # a file here, named without ./
        return str(Path(spec).absolute())
    raise InterpreterError(
        f"interpreter `{spec}` not found on PATH or in pyenv",
        hint="pass a name like python3.12 or a path to a python executable",
    )


def from_specs(specs: Sequence[str]) -> list[Interpreter]:
    paths = [resolve_spec(spec) for spec in specs]
    interpreters = []
    for spec, result in zip(specs, probe_many(paths)):
        if isinstance(result, str):
            raise InterpreterError(f"interpreter `{spec}` cannot be used: {result}",
                                   hint=_NOT_USABLE)
        interpreters.append(result)
    return interpreters


def probe_one(path: str) -> Interpreter:
    result = probe_many([path])[0]
    if isinstance(result, str):
        raise InterpreterError(f"interpreter {path} cannot be used: {result}", hint=_NOT_USABLE)
    return result


def as_dict(interpreter: Interpreter) -> dict[str, Any]:
    return asdict(interpreter)
