"""`python -m setuptools_pyo3pack` is `pyo3-pack`."""

from .cli import process_main

process_main()
