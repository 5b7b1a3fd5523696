"""The setuptools front door; `setuptools_pyo3pack.commands` is its public face.

Kept empty so that setuptools loading our finalize hook (for every project in the
environment) imports nothing heavy.
"""
