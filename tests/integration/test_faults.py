"""Faults injected into real runs: `pyo3-pack build`, `sdist` and `develop` interrupted with
SIGINT and killed with SIGKILL at many moments, two runs at once, a read-only output folder
and a full disk.

No hook in the tool: each run is a real `python -m setuptools_pyo3pack` process, signalled
after a delay. The cargo build is done once by the fixture (cargo then finds nothing to do),
so the delays spread over what pyo3-pack itself does: loading the project, auditing and
tagging, writing and renaming the archive, unpacking and committing the install. The delays
are a fixed fraction of a measured complete run, shuffled with a fixed seed.

After every fault: no partial archive under its final name (the old file, byte for byte, or
the new one), temporary files only from a SIGKILLed process (a hidden `.<name>.<pid>.*.tmp`,
removed by the next run), the installed package the old one or the new one with a RECORD that
matches the files, and no file of the project changed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.conftest import copy_example, make_venv
from tests.integration.extlib import build_env, build_libanswer

pytestmark = pytest.mark.integration

#: Moments per operation and signal: fractions of one complete run's duration.
OFFSETS = 12
SEED = 19
OLD_EPOCH, NEW_EPOCH = "1600000000", "1700000000"
TIMEOUT = 300


@dataclass
class Tally:
    """Faults injected by this module, printed at the end (`pytest -s` shows it)."""

    injected: int = 0
    mid_commit: int = 0


TALLY = Tally()


def fractions(salt: str) -> list[float]:
    """`OFFSETS` moments spread over [0, 1.2) of a run, in a seeded random order. Each is
    multiplied by the duration of a complete run timed just before (the machine is shared,
    so a duration measured once would drift)."""
    rng = random.Random(f"{SEED}-{salt}")
    spread = [1.2 * (i + rng.random()) / OFFSETS for i in range(OFFSETS)]
    rng.shuffle(spread)
    return spread


def moments(salt: str, done: str) -> list[float | str]:
    """The timed `fractions`, then one moment aimed at the line `done` (the tool says its
    output is in place): a run's length varies by a third from one run to the next here, so
    timed moments alone may all land before the end, and the signal that comes after the
    commit but before the exit must be tried every time."""
    return [*fractions(salt), done]


def signalled_at(argv: list[str], cwd: Path, env: dict[str, str], moment: float | str,
                 duration: float, sig: signal.Signals) -> tuple[int, str]:
    """`sig` at a fraction of `duration`, or just after the stderr line holding `moment`."""
    if isinstance(moment, str):
        return signalled_after(argv, cwd, env, moment, 0.0, sig)
    return signalled(argv, cwd, env, moment * duration, sig)


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.monotonic()
    run(argv, cwd, env)
    return time.monotonic() - started


def tool(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "setuptools_pyo3pack", *map(str, args)]


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def signalled(argv: list[str], cwd: Path, env: dict[str, str], delay: float,
              sig: signal.Signals) -> tuple[int, str]:
    """Start `argv`, send `sig` after `delay` seconds (if it still runs); exit code, stderr."""
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(sig)
        TALLY.injected += 1
    _, stderr = process.communicate(timeout=TIMEOUT)
    return process.returncode, stderr


def signalled_after(argv: list[str], cwd: Path, env: dict[str, str], marker: str,
                    delay: float, sig: signal.Signals) -> tuple[int, str]:
    """Start `argv`, send `sig` `delay` seconds after a stderr line containing `marker`
    (a phase begins): aims the fault at one phase however slow the machine is."""
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            break
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(sig)
        TALLY.injected += 1
    rest, _ = "".join(seen), process.communicate(timeout=TIMEOUT)
    return process.returncode, rest + (_[1] or "")


def tree_digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file below `root` and its SHA-256 (the user's files must never change)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(skip):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def exited_as_expected(code: int, stderr: str) -> bool:
    """Finished, or stopped by the signal; exit 1 only when SIGINT came during Python's own
    startup (importing `site`), before the tool's code ran."""
    return code in (0, 130, -signal.SIGINT, -signal.SIGKILL) or \
        (code == 1 and "Fatal Python error: init_import_site" in stderr)


def assert_no_traceback(stderr: str) -> None:
    """An interrupt is reported in one line; Python's own startup (before the tool runs) is
    the only place a KeyboardInterrupt traceback may come from."""
    if "Traceback" in stderr:
        assert stderr.rstrip().endswith("KeyboardInterrupt"), stderr


def leftovers(folder: Path, final: set[str], pid_allowed: bool) -> list[str]:
    """Names in `folder` other than the final outputs; hidden temporaries only if allowed."""
    extra = sorted(p.name for p in folder.iterdir() if p.name not in final)
    if pid_allowed:
        extra = [n for n in extra if not (n.startswith(".") and n.endswith(".tmp"))]
    return extra


@dataclass(frozen=True)
class Project:
    root: Path
    env: dict[str, str]
    digest: dict[str, str]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """pyo3-pure with a static version in pyproject.toml, compiled once."""
    root = own_cargo_version(copy_example("pyo3-pure", tmp_path_factory.mktemp("faults")))
    write_version(root, "1.0.0")
    env = dict(os.environ, CARGO_TARGET_DIR=os.environ["CARGO_TARGET_DIR"])
    env.pop("SOURCE_DATE_EPOCH", None)
    run(tool("build", "-i", sys.executable, "-o", root.parent / "warm"), root, env)
    return Project(root, env, tree_digest(root))


def own_cargo_version(root: Path) -> Path:
    """A Cargo version no other test builds: cargo keys its units in the shared target folder
    by name and version, so another copy of the example built meanwhile (by another test
    session) would make cargo rebuild here, and the "new" archive would change under the test."""
    manifest = root / "Cargo.toml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("\nversion = ") + 1
    end = text.index("\n", start)
    manifest.write_text(f"{text[:start]}version = \"0.19.0\"{text[end:]}", encoding="utf-8")
    return root


def write_version(root: Path, version: str) -> None:
    (root / "pyproject.toml").write_text(
        "[build-system]\nrequires = [\"setuptools-pyo3pack\"]\n"
        "build-backend = \"setuptools_pyo3pack.build_meta\"\n\n"
        f"[project]\nname = \"pyo3-pure\"\nversion = \"{version}\"\n", encoding="utf-8")


def check_wheel(path: Path) -> None:
    """A whole wheel: every member's hash and size match its RECORD row."""
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        (record,) = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
        rows = list(csv.reader(archive.read(record).decode().splitlines()))
        assert {r[0] for r in rows} == set(archive.namelist())
        for name, digest, size in rows:
            if name != record:
                data = archive.read(name)
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
                assert digest == "sha256=" + expected.rstrip(b"=").decode(), name
                assert int(size) == len(data), name


def archive_fault_matrix(project: Project, tmp_path: Path, argv: list[str], name: str,
                         out: Path) -> None:
    """Old archive in place, then the command with the new timestamp, signalled at every
    moment: afterwards the file is the old one or the new one, whole."""
    old_env = dict(project.env, SOURCE_DATE_EPOCH=OLD_EPOCH)
    new_env = dict(project.env, SOURCE_DATE_EPOCH=NEW_EPOCH)
    run(argv, project.root, old_env)
    old = (out / name).read_bytes()
    run(argv, project.root, new_env)
    new = (out / name).read_bytes()
    assert old != new
    states = {"old": 0, "new": 0}
    for sig in (signal.SIGINT, signal.SIGKILL):
        for moment in moments(f"{name}-{sig.name}", "wrote "):
            (out / name).write_bytes(old)  # a changed file: the tool must write it again
            duration = timed(argv, project.root, new_env)
            (out / name).write_bytes(old)
            code, stderr = signalled_at(argv, project.root, new_env, moment, duration, sig)
            assert exited_as_expected(code, stderr), stderr
            if sig is signal.SIGINT:
                assert_no_traceback(stderr)
            now = (out / name).read_bytes()
            assert now in (old, new), f"{name} is neither the old nor the new file " \
                                      f"after {sig.name} at {moment!r}"
            if isinstance(moment, str):
                assert now == new, f"{sig.name} after {moment!r}: the old {name} is back"
            states["old" if now == old else "new"] += 1
            assert leftovers(out, {name}, sig is signal.SIGKILL) == [], \
                f"left in {out} after {sig.name} at {moment!r}"
            assert tree_digest(project.root, skip=("pyproject.toml",)) == \
                {k: v for k, v in project.digest.items() if k != "pyproject.toml"}
    # the next complete run removes what killed runs could not
    (out / name).write_bytes(old)
    run(argv, project.root, new_env)
    assert sorted(p.name for p in out.iterdir()) == [name]
    assert (out / name).read_bytes() == new
    assert states["old"] and states["new"], states  # the offsets reached both sides


def test_build_killed_at_many_moments(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "wheels"
    argv = tool("build", "-i", sys.executable, "--no-sdist", "-o", out)
    run(argv, project.root, project.env)
    (name,) = [p.name for p in out.glob("*.whl")]
    check_wheel(out / name)
    archive_fault_matrix(project, tmp_path, argv, name, out)
    check_wheel(out / name)


def test_sdist_killed_at_many_moments(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "sdists"
    argv = tool("sdist", "-o", out)
    run(argv, project.root, project.env)
    (name,) = [p.name for p in out.glob("*.tar.gz")]
    archive_fault_matrix(project, tmp_path, argv, name, out)
    with tarfile.open(out / name) as archive:
        assert any(m.name.endswith("/Cargo.toml") for m in archive.getmembers())


def test_repair_killed_at_many_moments(tmp_path_factory: pytest.TempPathFactory,
                                       tmp_path: Path) -> None:
    """pyo3-extlib links libanswer, which the repair step grafts into the wheel (a second
    archive written from the first, in a temporary folder): killed during all of it."""
    work = tmp_path_factory.mktemp("repair-faults")
    library = build_libanswer(work / "libanswer")
    root = own_cargo_version(copy_example("pyo3-extlib", work))
    env = build_env(library.parent)
    env.pop("SOURCE_DATE_EPOCH", None)
    out = tmp_path / "wheels"
    argv = tool("build", "-i", sys.executable, "--no-sdist", "--auditwheel", "repair", "-o", out)
    result = run(argv, root, env)
    assert "grafted" in result.stderr
    (name,) = [p.name for p in out.glob("*.whl")]
    temp_before = set(Path(tempfile.gettempdir()).glob("pyo3-pack-repair-*"))
    archive_fault_matrix(Project(root, env, tree_digest(root)), tmp_path, argv, name, out)
    check_wheel(out / name)
    with zipfile.ZipFile(out / name) as archive:
        assert any(".libs/libanswer-" in n for n in archive.namelist())
    # SIGINT cleans the repair's own temporary folder; one a SIGKILLed run left is removed
    # by the next run (the matrix ends with a complete one)
    left = set(Path(tempfile.gettempdir()).glob("pyo3-pack-repair-*")) - temp_before
    assert not left, left


def installed(venv: Path) -> str:
    """The installed pyo3-pure's version, after checking it works and matches its RECORD."""
    code = (
        "import pyo3_pure, importlib.metadata as m, sys;"
        "assert pyo3_pure.add(2, 3) == 5;"
        "dists = [d for d in m.distributions() if d.metadata['Name'] == 'pyo3-pure'];"
        "assert len(dists) == 1, [d._path for d in dists];"
        "print(dists[0].version); print(dists[0]._path)"
    )
    result = subprocess.run([venv / "bin" / "python", "-c", code], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    version, dist_info = result.stdout.split()
    site = Path(dist_info).parent
    with open(Path(dist_info) / "RECORD", newline="") as handle:
        for name, digest, _ in csv.reader(handle):
            if digest:
                data = (site / name).read_bytes()
                expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
                assert digest == "sha256=" + expected.rstrip(b"=").decode(), name
    return version


def develop_env(project: Project, venv: Path) -> dict[str, str]:
    env = dict(project.env, VIRTUAL_ENV=str(venv))
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def test_develop_killed_at_many_moments(project: Project, tmp_path: Path) -> None:
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    env = develop_env(project, venv)
    beside = tmp_path / "beside"
    beside.mkdir()
    (beside / "user-file.txt").write_text("mine")
    outside = tree_digest(tmp_path, skip=("venv",))
    try:
        write_version(project.root, "2.0.0")
        run(tool("develop"), project.root, env)
        assert installed(venv) == "2.0.0"
        states = {"1.0.0": 0, "2.0.0": 0}
        for sig in (signal.SIGINT, signal.SIGKILL):
            for moment in moments(f"develop-{sig.name}", "installed pyo3-pure"):
                write_version(project.root, "1.0.0")
                duration = timed(tool("develop"), project.root, env)
                assert installed(venv) == "1.0.0"
                write_version(project.root, "2.0.0")
                code, stderr = signalled_at(tool("develop"), project.root, env, moment,
                                            duration, sig)
                assert exited_as_expected(code, stderr), stderr
                if sig is signal.SIGINT:
                    assert_no_traceback(stderr)
                if (venv / ".pyo3-pack-install.journal").exists():
                    # killed between its renames: decided, finished by the next run
                    assert sig is signal.SIGKILL
                    TALLY.mid_commit += 1
                    run(tool("develop"), project.root, env)
                    assert installed(venv) == "2.0.0"
                    continue
                if isinstance(moment, str):
                    assert installed(venv) == "2.0.0", f"{sig.name} after {moment!r}"
                states[installed(venv)] += 1
                assert tree_digest(tmp_path, skip=("venv",)) == outside
                assert tree_digest(project.root, skip=("pyproject.toml",)) == \
                    {k: v for k, v in project.digest.items() if k != "pyproject.toml"}
        assert states["1.0.0"] and states["2.0.0"], states
        run(tool("develop"), project.root, env)
        assert installed(venv) == "2.0.0"
        assert not list(venv.glob(".pyo3-pack-staging-*"))
        assert not (venv / ".pyo3-pack-install.journal").exists()
    finally:
        write_version(project.root, "1.0.0")
    print(f"\nfaults injected so far: {TALLY.injected}; killed mid-commit: {TALLY.mid_commit}")


def install_phase(venv: Path, project: Project, env: dict[str, str]) -> float:
    """Seconds between "wrote <wheel>" and "installed" in a complete develop from 1.0.0."""
    write_version(project.root, "1.0.0")
    run(tool("develop"), project.root, env)
    write_version(project.root, "2.0.0")
    process = subprocess.Popen(tool("develop"), cwd=project.root, env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    start = end = 0.0
    for line in process.stderr:
        if "wrote" in line and not start:
            start = time.monotonic()
        if "installed pyo3-pure" in line:
            end = time.monotonic()
    assert process.wait() == 0 and start and end
    return end - start


def test_develop_killed_while_installing(project: Project, tmp_path: Path) -> None:
    """The faults aimed at the install itself: from the moment the new wheel is written
    until just after "installed", in steps (the old code removed the old install first,
    then unpacked the new one, file by file)."""
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    env = develop_env(project, venv)
    try:
        phase = max(install_phase(venv, project, env), 0.05)
        states = {"1.0.0": 0, "2.0.0": 0}
        for sig in (signal.SIGINT, signal.SIGKILL):
            for fraction in fractions(f"install-{sig.name}"):
                write_version(project.root, "1.0.0")
                run(tool("develop"), project.root, env)
                write_version(project.root, "2.0.0")
                code, stderr = signalled_after(tool("develop"), project.root, env, "wrote",
                                               fraction * phase, sig)
                assert exited_as_expected(code, stderr), stderr
                if (venv / ".pyo3-pack-install.journal").exists():
                    TALLY.mid_commit += 1
                    run(tool("develop"), project.root, env)
                    assert installed(venv) == "2.0.0"
                    continue
                states[installed(venv)] += 1
        assert states["1.0.0"], states
    finally:
        write_version(project.root, "1.0.0")
    print(f"\nfaults injected so far: {TALLY.injected}; killed mid-commit: {TALLY.mid_commit}")


def test_two_builds_at_once_into_one_folder(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "wheels"
    argv = tool("build", "-i", sys.executable, "--no-sdist", "-o", out)
    results: list[subprocess.CompletedProcess[str]] = []

    def build(epoch: str) -> None:
        results.append(subprocess.run(argv, cwd=project.root,
                                      env=dict(project.env, SOURCE_DATE_EPOCH=epoch),
                                      capture_output=True, text=True, timeout=TIMEOUT))

    for _ in range(3):
        shutil.rmtree(out, ignore_errors=True)
        threads = [threading.Thread(target=build, args=(e,)) for e in (OLD_EPOCH, NEW_EPOCH)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    (wheel,) = out.iterdir()
    check_wheel(wheel)


def test_two_develops_at_once_into_one_venv(project: Project, tmp_path: Path) -> None:
    venv = make_venv(Path(sys.executable), tmp_path / "venv")
    env = develop_env(project, venv)
    for _ in range(3):
        processes = [subprocess.Popen(tool("develop"), cwd=project.root, env=env, text=True,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                     for _ in range(2)]
        for process in processes:
            _, stderr = process.communicate(timeout=TIMEOUT)
            assert process.returncode == 0, stderr
        assert installed(venv) == "1.0.0"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KB tmpfs (a real ENOSPC); needs root, which the test machine has."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.fail("the full-disk tests mount a tmpfs and need root")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", mount], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", mount], check=True)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("pyo3-pack: error:")]
    return line


@pytest.mark.parametrize("command", ["build", "sdist"])
def test_full_disk_is_one_line_and_leaves_nothing(project: Project, small_disk: Path,
                                                  command: str) -> None:
    """The wheel (2.5 MB) and the sdist do not fit in 200 KB: ENOSPC while writing."""
    (small_disk / "keep.txt").write_text("a file of the user's")
    argv = tool("build", "-i", sys.executable, "--no-sdist", "-o", small_disk) \
        if command == "build" else tool("sdist", "-o", small_disk)
    if command == "sdist":  # an sdist is small: a big file in the project makes it not fit
        (project.root / "src" / "big.bin").write_bytes(os.urandom(400_000))
    try:
        result = subprocess.run(argv, cwd=project.root, env=project.env, capture_output=True,
                                text=True, timeout=TIMEOUT, check=False)
    finally:
        (project.root / "src" / "big.bin").unlink(missing_ok=True)
    line = one_line_error(result)
    assert "No space left on device" in line and str(small_disk) in line, line
    assert sorted(p.name for p in small_disk.iterdir()) == ["keep.txt"]


def test_file_size_limit_is_one_line_and_leaves_nothing(project: Project,
                                                         tmp_path: Path) -> None:
    """RLIMIT_FSIZE (`ulimit -f`) of 1 MB in the child, below the 2.5 MB wheel: EFBIG (Python
    ignores SIGXFSZ) while writing, the way a quota stops a write without root."""
    import resource

    out = tmp_path / "wheels"
    out.mkdir()
    (out / "keep.txt").write_text("a file of the user's")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    # cargo must find nothing to do (it writes big files too): other sessions sharing the
    # target folder may have rebuilt pyo3 for another interpreter meanwhile
    run(tool("build", "-i", sys.executable, "--no-sdist", "-o", tmp_path / "warm"),
        project.root, project.env)

    result = subprocess.run(tool("build", "-i", sys.executable, "--no-sdist", "-o", out),
                            cwd=project.root, env=project.env, capture_output=True, text=True,
                            timeout=TIMEOUT, check=False, preexec_fn=limit)
    line = one_line_error(result)
    assert "File too large" in line and str(out) in line, line
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_read_only_output_folder(project: Project, tmp_path: Path) -> None:
    """A read-only mount (chmod means nothing to root): EROFS, one line, nothing written."""
    out = tmp_path / "readonly"
    out.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", out], check=True)
    try:
        for argv in (tool("build", "-i", sys.executable, "--no-sdist", "-o", out),
                     tool("sdist", "-o", out)):
            result = subprocess.run(argv, cwd=project.root, env=project.env,
                                    capture_output=True, text=True, timeout=TIMEOUT)
            line = one_line_error(result)
            assert "Read-only file system" in line and str(out) in line, line
            assert list(out.iterdir()) == []
    finally:
        subprocess.run(["umount", "-l", out], check=True)


def test_develop_never_removes_files_outside_the_venv(project: Project, tmp_path: Path) -> None:
    """An earlier install whose RECORD points outside the venv (crafted, or corrupt) stops
    `develop` with one line; the files it names survive."""
    venv = make_venv(Path(sys.executable), tmp_path / "venv", with_pip=False)
    victims = [tmp_path / "victim.txt", tmp_path / "victim-absolute.txt"]
    for victim in victims:
        victim.write_text("the user's")
    site = next((venv / "lib").glob("python3*/site-packages"))
    relative = os.path.relpath(victims[0], site)
    assert relative.startswith("../")
    dist_info = site / "pyo3_pure-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: pyo3-pure\nVersion: 0.1\n")
    (dist_info / "RECORD").write_text(f"{relative},,\n{victims[1]},,\n"
                                      "pyo3_pure-0.1.dist-info/RECORD,,\n")
    result = subprocess.run(tool("develop"), cwd=project.root, env=develop_env(project, venv),
                            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    line = one_line_error(result)
    assert "outside the virtualenv" in line and "refusing" in line, line
    assert all(v.read_text() == "the user's" for v in victims)
    assert (dist_info / "RECORD").is_file()
