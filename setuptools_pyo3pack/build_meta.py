"""The PEP 517/660 build backend (public path; it lives in `frontends.build_meta`).

    [build-system]
    requires = ["setuptools-pyo3pack"]
    build-backend = "setuptools_pyo3pack.build_meta"
"""

from .frontends.build_meta import *  # noqa: F403 - the hooks, as listed in its __all__
from .frontends.build_meta import __all__ as __all__
