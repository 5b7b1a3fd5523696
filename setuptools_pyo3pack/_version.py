"""The version of setuptools-pyo3pack (also in the Generator line of every wheel)."""

__version__ = "0.1.0"
