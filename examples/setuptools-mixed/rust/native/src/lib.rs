use pyo3::prelude::*;

/// Doubles a number.
#[pyfunction]
fn double(x: i64) -> i64 {
    2 * x
}

/// The native part of `mixedpkg`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(double, m)?)?;
    Ok(())
}
