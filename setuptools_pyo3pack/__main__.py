"""`python -m setuptools_pyo3pack` is `pyo3-pack`."""

import sys

from .cli import main

sys.exit(main())
