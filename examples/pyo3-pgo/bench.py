"""The PGO training run: `pyo3-pack build --pgo` runs it with the instrumented build."""

import pyo3_pgo

total = sum(pyo3_pgo.collatz_total(20_000) for _ in range(3))
print(f"collatz_total(20000) x3 = {total}")
