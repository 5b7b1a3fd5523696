"""The seed's spelling of the build backend: `build-backend = "pyo3_pack"`."""

from setuptools_pyo3pack.build_meta import *  # noqa: F403 - the hooks, as listed in its __all__
from setuptools_pyo3pack.build_meta import __all__ as __all__
