"""First-run helpers: `pyo3-pack new` / `init` write a project that builds at once, and
`pyo3-pack generate-ci` writes the CI workflow that releases it."""
