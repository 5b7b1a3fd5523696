"""The setuptools commands (public path; they live in `frontends.setuptools.commands`).

    from setuptools_pyo3pack import cmdclass
    setup(cmdclass=cmdclass())
"""

from .frontends.setuptools.commands import *  # noqa: F403 - as listed in its __all__
from .frontends.setuptools.commands import __all__ as __all__
