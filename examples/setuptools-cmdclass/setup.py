# Zero configuration: name, version and metadata come from Cargo.toml.
from setuptools import setup

from setuptools_pyo3pack import cmdclass

setup(cmdclass=cmdclass())
