"""`build_rust`, a real `build` sub-command, and the `build` command that runs it.

build_rust compiles each crate for the interpreter running setup.py and puts the native files
where setuptools packs them: extension modules into build_lib (or next to the Python sources
for in-place and editable builds), binaries into the scripts folder.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from setuptools import Command
from setuptools.command.build import build
from setuptools.errors import ExecError, OptionError, SetupError

from ... import _process
from ...errors import CommandError, ConfigError, Pyo3PackError
from ...fs import Member
from .crates import CrateSpec
from .projects import BuildRequest, CrateBuild, compile_members, load, planned_members

if TYPE_CHECKING:
    from setuptools._distutils.cmd import Command as BaseCommand
    from setuptools._distutils.dist import Distribution as BaseDistribution

#: Written in build_base: the files build_rust put into the source tree, for `clean`.
IN_PLACE_RECORD = "pyo3-pack-in-place.txt"


@contextmanager
def _optional(crate: CrateSpec) -> Iterator[None]:
    """An optional entry's failure is a warning (setuptools-rust's `optional=True`)."""
    try:
        yield
    except Pyo3PackError as error:
        if not crate.optional:
            raise
        _process.log(f"warning: building {crate.label} failed, and it is optional, so the "
                     f"build goes on without it: {error}")


def check_rust_version(crate: CrateSpec) -> None:
    """An entry's `rust_version` requirement against the rustc cargo will use."""
    if not crate.rust_version:
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    wanted = crate.rust_version.strip()
    try:
        spec = SpecifierSet(wanted if wanted[0] in "<>=!~" else f">={wanted}")
    except InvalidSpecifier:
        raise ConfigError(f"rust_version {wanted!r} of {crate.label} is not a version "
                          "requirement", hint="write it like >=1.70") from None
    output = _process.run_captured(["rustc", "--version"], what="asking rustc its version")
    version = output.split()[1].split("-")[0] if len(output.split()) > 1 else ""
    if version and not spec.contains(version, prereleases=True):
        raise ConfigError(f"{crate.label} needs rustc {wanted}, and this one is {version}",
                          hint="run `rustup update`")


@contextmanager
def setuptools_errors() -> Iterator[None]:
    """Our errors as the distutils errors setuptools prints as one `error: ...` line."""
    try:
        yield
    except CommandError as error:
        raise ExecError(str(error)) from None
    except Pyo3PackError as error:
        raise SetupError(str(error)) from None


#: The Distribution attribute where the finalize hook leaves the crates to build.
CRATES_ATTRIBUTE = "pyo3_pack_crates"


def rust_crates(dist: BaseDistribution) -> tuple[CrateSpec, ...]:
    """The crates the finalize hook found for this distribution (none: not ours)."""
    value = getattr(dist, CRATES_ATTRIBUTE, None)
    return value if isinstance(value, tuple) else ()


def uses_rust(command: BaseCommand) -> bool:
    return bool(rust_crates(command.distribution))


@dataclass(frozen=True)
class Placement:
    """Where one native file goes: `output` as setuptools expects it, and the in-place copy."""

    member: Member
    output: Path
    in_place: Path | None = None

    @property
    def written(self) -> Path:
        return self.in_place or self.output


class BuildRust(Command):
    """Compile the Rust crates with cargo (a `build` sub-command)."""

    description = "build Rust extension modules and binaries with cargo"
    user_options: ClassVar[list[tuple[str, str | None, str]]] = [
        ("build-lib=", "b", "directory for the extension modules"),
        ("inplace", "i", "put the extension modules next to the Python sources"),
        ("debug", "g", "build with cargo's `dev` profile"),
        ("release", None, "build with cargo's `release` profile (the default for wheels)"),
        ("target=", None, "Rust target triple to build for"),
        ("features=", None, "cargo features to activate, comma separated"),
    ]
    boolean_options: ClassVar[list[str]] = ["inplace", "debug", "release"]

    def initialize_options(self) -> None:
        self.build_lib: str | None = None
        self.build_scripts: str | None = None
        self.build_base: str | None = None
        self.inplace = False
        self.editable_mode = False
        self.debug: bool | None = None
        self.release: bool | None = None
        self.target: str | None = None
        self.features: str | list[str] | None = None
        self._builds: list[CrateBuild] | None = None
        self._placements: list[Placement] | None = None

    def finalize_options(self) -> None:
        self.set_undefined_options(
            "build",
            ("build_lib", "build_lib"),
            ("build_scripts", "build_scripts"),
            ("build_base", "build_base"),
            ("debug", "debug"),
        )
        if self.debug and self.release:
            raise OptionError("build_rust: pass --debug or --release, not both")

    @property
    def in_place(self) -> bool:
        return bool(self.inplace or self.editable_mode)

    def request(self) -> BuildRequest:
        features = self.features or ()
        if isinstance(features, str):
            features = features.replace(",", " ").split()
        profile = "release" if self.release else "dev" if self.debug else None
        return BuildRequest(profile, self.in_place, self.target, tuple(features),
                            self._limited_api())

    def _limited_api(self) -> bool | str:
        """bdist_wheel's `py_limited_api` (setup.cfg or its command line), if it has one."""
        dist = self.distribution
        command = dist.command_obj.get("bdist_wheel")
        if command is not None:
            value = getattr(command, "py_limited_api", False)
        else:
            value = dist.get_option_dict("bdist_wheel").get("py_limited_api", ("", False))[1]
        return value if isinstance(value, (bool, str)) else False

    def crate_builds(self) -> list[CrateBuild]:
        """Every crate, loaded (cargo metadata) and planned for this interpreter; no compiling.
        An optional entry that cannot be loaded is left out with a warning."""
        if self._builds is None:
            root, request = Path.cwd(), self.request()
            builds = []
            for crate in rust_crates(self.distribution):
                with setuptools_errors(), _optional(crate):
                    builds.append(load(crate, root, request))
            self._builds = builds
        return self._builds

    def run(self) -> None:
        placements: list[Placement] = []
        for crate_build in self.crate_builds():
            members = None
            with setuptools_errors(), _optional(crate_build.spec):
                check_rust_version(crate_build.spec)
                members = compile_members(crate_build)
            if members is None:
                continue
            placed = self._place(crate_build, members)
            for placement in placed:
                _write(placement)
            placements += placed
        self._placements = placements
        self._remember_in_place(placements)

    def placements(self) -> list[Placement]:
        if self._placements is not None:
            return self._placements
        with setuptools_errors():
            return [p for b in self.crate_builds() for p in self._place(b, planned_members(b))]

    # -- the SubCommand protocol: answered from the plan, cargo does not run --

    def get_source_files(self) -> list[str]:
        return []

    def get_outputs(self) -> list[str]:
        return [str(p.output) for p in self.placements()]

    def get_output_mapping(self) -> dict[str, str]:
        return {str(p.output): str(p.in_place) for p in self.placements() if p.in_place}

    def script_files(self) -> list[Path]:
        """The binaries, as built into the scripts folder."""
        assert self.build_scripts is not None
        scripts = Path(self.build_scripts)
        return [p.output for p in self.placements() if p.output.parent == scripts]

    # -- where each file goes --

    def _place(self, crate_build: CrateBuild, members: list[Member]) -> list[Placement]:
        assert self.build_lib is not None and self.build_scripts is not None
        build_lib, scripts = Path(self.build_lib), Path(self.build_scripts)
        placed = []
        for member in members:
            name = member.archive_name
            if name.startswith(crate_build.scripts_prefix):
                placed.append(Placement(member, scripts / name.rsplit("/", 1)[-1]))
            elif not self.in_place:
                placed.append(Placement(member, build_lib / name))
            elif crate_build.top_level_in_place:
                # no Python package to hold it: the module itself is importable in place
                if member.executable:
                    filename = name.rsplit("/", 1)[-1]
                    placed.append(Placement(member, build_lib / filename,
                                            self._package_dir("") / filename))
            else:
                package, _, filename = name.rpartition("/")
                in_place = self._package_dir(package.replace("/", ".")) / filename
                placed.append(Placement(member, build_lib / name, in_place))
        return placed

    def _package_dir(self, package: str) -> Path:
        build_py = self.get_finalized_command("build_py")
        return Path(build_py.get_package_dir(package) or os.curdir)

    def _remember_in_place(self, placements: list[Placement]) -> None:
        written = [p.in_place for p in placements if p.in_place is not None]
        if not written or self.build_base is None:
            return
        record = Path(self.build_base) / IN_PLACE_RECORD
        known = read_in_place_record(record)
        known += [os.path.relpath(p) for p in written if os.path.relpath(p) not in known]
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text("".join(f"{line}\n" for line in known), encoding="utf-8")


def read_in_place_record(record: Path) -> list[str]:
    if not record.is_file():
        return []
    return [line for line in record.read_text(encoding="utf-8").splitlines() if line]


def _write(placement: Placement) -> None:
    from ...fs import copy_into_tree

    member, destination = placement.member, placement.written
    destination.parent.mkdir(parents=True, exist_ok=True)
    if member.source is not None and member.executable:
        copy_into_tree(member.source, destination)  # unlinks first: a running process keeps it
    elif member.source is not None:
        shutil.copyfile(member.source, destination)
    else:
        destination.write_bytes(member.read_bytes())
    if placement.in_place is not None:
        _process.log(f"wrote {os.path.relpath(destination)}")


def _build_rust_first(sub_commands: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    names = [name for name, _ in sub_commands]
    at = names.index("build_ext") if "build_ext" in names else len(names)
    return [*sub_commands[:at], ("build_rust", uses_rust), *sub_commands[at:]]


class Build(build):
    """setuptools' `build`, with `build_rust` among its sub-commands."""

    sub_commands = _build_rust_first(build.sub_commands)

    def finalize_options(self) -> None:
        pure_default = self.build_lib is None
        super().finalize_options()
        if pure_default and uses_rust(self) and not self.distribution.has_ext_modules():
            # native modules: stage per platform and interpreter, as build_ext would
            self.build_lib = self.build_platlib
