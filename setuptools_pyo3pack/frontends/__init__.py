"""The three front doors: the CLI, the PEP 517/660 backend and the setuptools commands.

Thin: each fills settings and calls the pipeline. Kept free of imports so that setuptools
loading our hooks stays cheap."""
