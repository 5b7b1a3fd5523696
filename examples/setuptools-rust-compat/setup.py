# A setup.py written for setuptools-rust; moving it over changed only the import line
# (`setuptools_rust` -> `setuptools_pyo3pack`) and the build requirement in pyproject.toml.
from setuptools import setup

from setuptools_pyo3pack import Binding, RustBin, RustExtension, Strip

setup(
    name="setuptools-rust-compat",
    version="0.4.0",
    packages=["compat"],
    rust_extensions=[
        # a pyo3 module and a command from one crate (a library and a [[bin]])
        RustExtension("compat._native", path="native/Cargo.toml", binding=Binding.PyO3,
                      py_limited_api="auto", features=["loud"]),
        RustBin("compat-tool", path="native/Cargo.toml", strip=Strip.All),
        # a plain C ABI library, loaded with cffi by compat/ffi.py
        RustExtension("compat._ffi", path="ffi/Cargo.toml", binding=Binding.NoBinding),
    ],
    entry_points={"console_scripts": ["compat-hello = compat:hello"]},
    zip_safe=False,
)
