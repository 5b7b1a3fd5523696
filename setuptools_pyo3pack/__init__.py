"""Build and publish Rust crates with pyo3, rust-cpython or cffi bindings as Python wheels."""

__version__ = "0.1.0"
