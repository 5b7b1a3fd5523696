# An existing setuptools project that adds Rust: a Python package with package data,
# a C extension, a pyo3 module placed inside the package and a Rust command.
from setuptools import Extension, setup

from setuptools_pyo3pack.commands import RustCrate

setup(
    name="setuptools-mixed",
    version="0.3.0",
    description="Python, C and Rust in one setuptools project",
    packages=["mixedpkg"],
    package_data={"mixedpkg": ["data/*.txt"]},
    ext_modules=[Extension("mixedpkg._speedups", ["csrc/speedups.c"])],
    rust_crates=[
        RustCrate("rust/native/Cargo.toml", module="mixedpkg._native"),
        "rust/tool/Cargo.toml",
    ],
    python_requires=">=3.9",
)
