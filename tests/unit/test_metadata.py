"""METADATA, WHEEL and entry_points.txt text, checked exactly and with packaging's validator."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.metadata import Metadata
from packaging.requirements import Requirement
from packaging.version import Version

from setuptools_pyo3pack import __version__
from setuptools_pyo3pack.errors import ConfigError
from setuptools_pyo3pack.platforms.tags import WheelTag
from setuptools_pyo3pack.project import metadata
from setuptools_pyo3pack.project.crate import Crate
from setuptools_pyo3pack.project.metadata import CoreMetadata
from setuptools_pyo3pack.wheel.dist_info import wheel_file

FULL = CoreMetadata(
    name="pyo3-pure",
    version="2.1.0b1",
    summary="A pyo3 extension module",
    description="# pyo3-pure\n\nAdds numbers.\n",
    description_content_type="text/markdown",
    keywords=("example", "pyo3"),
    author="Grace Hopper",
    author_email="Ada Example <ada@example.org>",
    maintainer="Maintainer Person",
    maintainer_email="keeper@example.org",
    license_expression="MIT OR Apache-2.0",
    license_files=("LICENSE-MIT", "LICENSE-APACHE"),
    classifiers=("Programming Language :: Rust", "Programming Language :: Python :: 3"),
    requires_dist=("numpy>=1.20", 'pytest; extra == "test"'),
    requires_python=">=3.9",
    project_urls=(("Homepage", "https://example.org"), ("Source Code", "https://example.org/g")),
    provides_extra=("test",),
)

FULL_TEXT = """\
Metadata-Version: 2.4
Name: pyo3-pure
Version: 2.1.0b1
Summary: A pyo3 extension module
Keywords: example,pyo3
Author: Grace Hopper
Author-email: Ada Example <ada@example.org>
Maintainer: Maintainer Person
Maintainer-email: keeper@example.org
License-Expression: MIT OR Apache-2.0
License-File: LICENSE-MIT
License-File: LICENSE-APACHE
Classifier: Programming Language :: Rust
Classifier: Programming Language :: Python :: 3
Requires-Dist: numpy>=1.20
Requires-Dist: pytest; extra == "test"
Requires-Python: >=3.9
Project-URL: Homepage, https://example.org
Project-URL: Source Code, https://example.org/g
Provides-Extra: test
Description-Content-Type: text/markdown

# pyo3-pure

Adds numbers.
"""


def test_render_full_example_exactly() -> None:
    assert FULL.render() == FULL_TEXT


def test_rendered_metadata_is_valid_and_reads_back() -> None:
    parsed = Metadata.from_email(FULL.render(), validate=True)
    assert parsed.metadata_version == "2.4"
    assert parsed.name == "pyo3-pure"
    assert parsed.version == Version("2.1.0b1")
    assert parsed.summary == "A pyo3 extension module"
    assert parsed.description == "# pyo3-pure\n\nAdds numbers.\n"
    assert parsed.description_content_type == "text/markdown"
    assert parsed.keywords == ["example", "pyo3"]
    assert parsed.license_expression == "MIT OR Apache-2.0"
    assert parsed.license_files == ["LICENSE-MIT", "LICENSE-APACHE"]
    assert parsed.classifiers == list(FULL.classifiers)
    assert parsed.requires_dist == [Requirement(r) for r in FULL.requires_dist]
    assert parsed.provides_extra == ["test"]
    assert parsed.project_urls == {
        "Homepage": "https://example.org",
        "Source Code": "https://example.org/g",
    }


def test_minimal_metadata_has_no_empty_fields_and_no_body() -> None:
    text = CoreMetadata(name="x", version="1.0").render()
    assert text == "Metadata-Version: 2.4\nName: x\nVersion: 1.0\n"
    assert Metadata.from_email(text, validate=True).name == "x"


def test_plain_license_text_goes_to_license_field() -> None:
    text = CoreMetadata(name="x", version="1.0", license="Proprietary").render()
    assert "License: Proprietary\n" in text
    assert "License-Expression" not in text
    assert Metadata.from_email(text, validate=True).license == "Proprietary"


def test_body_without_trailing_newline_gets_one() -> None:
    text = CoreMetadata(name="x", version="1.0", description="no newline").render()
    assert text.endswith("\n\nno newline\n")


def test_multiline_license_is_folded_so_the_header_block_stays_intact() -> None:
    core = CoreMetadata(name="x", version="1.0", license="line one\nline two", description="Body")
    parsed = Metadata.from_email(core.render(), validate=True)
    assert parsed.license is not None and "line two" in parsed.license
    assert parsed.description == "Body\n"


def test_multiline_summary_still_validates() -> None:
    core = CoreMetadata(name="x", version="1.0", summary="A crate\nthat does things")
    parsed = Metadata.from_email(core.render(), validate=True)
    assert parsed.summary == "A crate that does things"


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        (["Ada Example <ada@example.org>"],
         ("Ada Example <ada@example.org>", "Ada Example <ada@example.org>", None)),
        (["Ada Example"], ("Ada Example", None, None)),
        (["Ada <ada@example.org>", "Grace"],
         ("Ada <ada@example.org>, Grace", "Ada <ada@example.org>, Grace",
          "Author-email lists 'Grace' without an email address, as maturin writes Cargo's "
          "authors")),
        ([], (None, None, None)),
        (["  "], (None, None, None)),
    ],
)
def test_cargo_authors_are_written_as_maturin_writes_them(
        people: list[str], expected: tuple[str | None, str | None, str | None]) -> None:
    assert metadata.cargo_people(people) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
        ("apache-2.0 with llvm-exception", "Apache-2.0 WITH LLVM-exception"),
        ("Proprietary", None),
        (None, None),
        ("", None),
    ],
)
def test_spdx_expression(text: str | None, expected: str | None) -> None:
    assert metadata.spdx_expression(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("README.md", "text/markdown; charset=UTF-8; variant=GFM"),
        ("README.MD", "text/markdown; charset=UTF-8; variant=GFM"),
        ("readme.markdown", "text/markdown; charset=UTF-8; variant=GFM"),
        ("README.rst", "text/x-rst; charset=UTF-8"),
        ("README.txt", "text/plain; charset=UTF-8"),
        ("README", "text/plain; charset=UTF-8"),
    ],
)
def test_readme_content_type(name: str, expected: str) -> None:
    assert metadata.readme_content_type(Path(name)) == expected


def test_wheel_file_lists_one_tag_line_per_expanded_tag() -> None:
    text = wheel_file(
        [WheelTag("cp39", "abi3", "manylinux_2_17_x86_64.manylinux2014_x86_64")]
    )
    assert text == (
        "Wheel-Version: 1.0\n"
        f"Generator: setuptools-pyo3pack ({__version__})\n"
        "Root-Is-Purelib: false\n"
        "Tag: cp39-abi3-manylinux_2_17_x86_64\n"
        "Tag: cp39-abi3-manylinux2014_x86_64\n"
    )


def test_entry_points_file_is_sorted_console_scripts() -> None:
    text = metadata.entry_points_text({"zeta": "pkg.cli:main", "alpha": "pkg:run"}, {}, {})
    assert text == "[console_scripts]\nalpha=pkg:run\nzeta=pkg.cli:main\n"


def test_no_entry_points_file_without_scripts() -> None:
    assert metadata.entry_points_text({}, {}, {}) is None


def test_from_crate_reads_cargo_fields(load_crate: Callable[[str], Crate]) -> None:
    package_metadata = metadata.from_crate(load_crate("pyo3-pure"))
    text = package_metadata.core.render()
    parsed = Metadata.from_email(text, validate=True)
    assert parsed.name == "pyo3-pure"
    assert parsed.version == Version("2.1.0b1")
    assert parsed.summary == "A pyo3 extension module packed by pyo3-pack"
    assert parsed.author == parsed.author_email == "Ada Example <ada@example.org>"
    assert parsed.license == "MIT OR Apache-2.0"  # maturin writes Cargo's license as License
    assert parsed.license_expression is None
    assert parsed.home_page == "https://example.org/pyo3-pure"
    assert parsed.keywords == ["example", "pyo3"]
    assert parsed.classifiers == [
        "Programming Language :: Rust",
        "Programming Language :: Python :: 3",
    ]
    assert parsed.project_urls == {
        "Homepage": "https://example.org/pyo3-pure",
        "Source Code": "https://example.org/pyo3-pure.git",
    }
    assert parsed.description_content_type == "text/markdown; charset=UTF-8; variant=GFM"
    assert parsed.description is not None and parsed.description.startswith("# pyo3-pure\n")
    assert package_metadata.warnings == ()


def _with_table(crate: Crate, table: dict[str, object]) -> Crate:
    package = dataclasses.replace(crate.package, metadata={"pyo3-pack": table})
    return dataclasses.replace(crate, package=package)


def test_from_crate_reads_pyo3_pack_table(load_crate: Callable[[str], Crate]) -> None:
    crate = _with_table(
        load_crate("hello-bin"),
        {
            "requires-dist": ["click>=8", 'pytest; extra == "test"'],
            "requires-python": ">=3.9",
            "project-url": {"Changelog": "https://example.org/changes"},
            "scripts": {"hello-py": "hello.cli:main"},
            "maintainer": "Keeper",
            "clasifier": ["typo"],
        },
    )
    package_metadata = metadata.from_crate(crate)
    parsed = Metadata.from_email(package_metadata.core.render(), validate=True)
    assert parsed.requires_dist == [Requirement("click>=8"), Requirement('pytest; extra == "test"')]
    assert parsed.requires_python is not None and str(parsed.requires_python) == ">=3.9"
    assert parsed.project_urls == {"Changelog": "https://example.org/changes"}
    assert parsed.maintainer == "Keeper"
    assert package_metadata.console_scripts == {"hello-py": "hello.cli:main"}
    (warning,) = package_metadata.warnings
    assert "`clasifier`" in warning and "did you mean `classifier`?" in warning


def test_from_crate_rejects_script_without_function(load_crate: Callable[[str], Crate]) -> None:
    crate = _with_table(load_crate("hello-bin"), {"scripts": {"hello-py": "hello.cli"}})
    with pytest.raises(ConfigError, match=r"script `hello-py`.*module\.path:function"):
        metadata.from_crate(crate)


def test_from_crate_missing_license_file_names_it(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("hello-bin")
    package = dataclasses.replace(crate.package, license_file="LICENSE.txt")
    with pytest.raises(ConfigError) as info:
        metadata.from_crate(dataclasses.replace(crate, package=package))
    assert str(crate.root / "LICENSE.txt") in str(info.value)
    assert "\n" not in str(info.value)


def test_from_crate_license_file_is_listed(load_crate: Callable[[str], Crate]) -> None:
    crate = load_crate("hello-bin")
    (crate.root / "COPYING").write_text("MIT License\n", encoding="utf-8")
    package = dataclasses.replace(crate.package, license_file="COPYING")
    package_metadata = metadata.from_crate(dataclasses.replace(crate, package=package))
    assert package_metadata.core.license_files == ("COPYING",)
    assert package_metadata.license_sources == {"COPYING": crate.root / "COPYING"}
