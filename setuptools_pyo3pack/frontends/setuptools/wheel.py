"""`bdist_wheel`: setuptools packs the wheel; we pick its tag and re-tag it after the audit."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ... import _process
from ...platforms import tags
from .build import BuildRust, rust_crates, setuptools_errors
from .projects import CrateBuild
from .versions import bdist_wheel_class

if TYPE_CHECKING:
    from setuptools.command.bdist_wheel import bdist_wheel
else:  # setuptools >= 70.1 has it; older ones take the wheel package's
    bdist_wheel = bdist_wheel_class()


def wheel_tag(
    builds: list[CrateBuild], setuptools_tag: tuple[str, str, str], has_c_extensions: bool
) -> tuple[str, str, str]:
    """The tag of a wheel holding these crates' files (and maybe C extensions).

    Binaries alone: `py3-none-<plat>`; only abi3 modules: `cpXY-abi3` for the highest floor;
    anything else is tied to the interpreter, as setuptools says.
    """
    platform = setuptools_tag[2]
    bound = [b for b in builds if b.item.interpreter is not None]
    if has_c_extensions or any(not b.item.abi3 for b in bound):
        return setuptools_tag
    if not bound:
        return ("py3", "none", platform)
    newest_floor = max((b.item.tag for b in bound), key=_python_number)
    return (newest_floor.python, "abi3", platform)


def _python_number(tag: tags.WheelTag) -> int:
    return int(tag.python[2:])


class BdistWheel(bdist_wheel):
    """setuptools' bdist_wheel for wheels with Rust inside: tagged, audited, re-tagged."""

    user_options: ClassVar[list[tuple[str, str | None, str]]] = [
        *bdist_wheel.user_options,
        ("compatibility=", None, "platform policy for Linux wheels (manylinux_2_17, "
         "musllinux_1_2, off, ...); default: the best one the binaries meet"),
        ("skip-audit", None, "keep the linux_<arch> tag, do not inspect the binaries"),
        ("auditwheel=", None, "repair (graft libraries the policy does not allow; the "
         "default), check, warn or skip"),
    ]
    boolean_options: ClassVar[list[str]] = [*bdist_wheel.boolean_options, "skip-audit"]

    def initialize_options(self) -> None:
        super().initialize_options()
        self.compatibility: str | None = None
        self.skip_audit = False
        self.auditwheel: str | None = None

    def finalize_options(self) -> None:
        super().finalize_options()
        if rust_crates(self.distribution):
            self.root_is_pure = False

    def _builds(self) -> list[CrateBuild]:
        build_rust = self.get_finalized_command("build_rust")
        assert isinstance(build_rust, BuildRust)
        return build_rust.crate_builds()

    def get_tag(self) -> tuple[str, str, str]:
        tag = super().get_tag()
        if not rust_crates(self.distribution):
            return tag
        return wheel_tag(self._builds(), tag, self.distribution.has_ext_modules())

    def run(self) -> None:
        before = len(self.distribution.dist_files)
        super().run()
        if not rust_crates(self.distribution):
            return
        for index in range(before, len(self.distribution.dist_files)):
            command, python, path = self.distribution.dist_files[index]
            if command == "bdist_wheel" and path.endswith(".whl"):
                with setuptools_errors():
                    audited = self._audit(Path(path))
                self.distribution.dist_files[index] = (command, python, str(audited))

    def _audit(self, wheel: Path) -> Path:
        """Audit the wheel setuptools wrote, as every door does: re-tag a `linux_<arch>`
        wheel with the policy its files meet, grafting outside libraries into it."""
        from ...config.load import load_configuration
        from ...config.settings import AuditMode
        from ...config.sources import values_source
        from ...wheel.audit_step import repair_wheel

        flags: dict[str, object] = {}
        if self.compatibility:
            flags["audit.compatibility"] = self.compatibility
        if self.auditwheel:
            flags["audit.auditwheel"] = self.auditwheel
        if self.skip_audit:
            flags["audit.auditwheel"] = AuditMode.SKIP
        labels = {"audit.compatibility": "--compatibility", "audit.auditwheel": "--auditwheel"}
        config = load_configuration(values_source(None, flags, labels=labels))
        repaired = repair_wheel(wheel, config.settings.audit, self.distribution.get_name())
        if repaired != wheel:
            _process.log(f"audited the wheel: {repaired.name}")
        return repaired

