use pyo3::prelude::*;

/// Whether this build has debug assertions (cargo's `dev` profile) or not (`release`).
#[pyfunction]
fn debug_build() -> bool {
    cfg!(debug_assertions)
}

#[pymodule]
#[pyo3(name = "_native")]
fn mrd_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(debug_build, m)?)?;
    Ok(())
}
