"""A second top-level package: `python-packages`."""

OFFSET = 2
