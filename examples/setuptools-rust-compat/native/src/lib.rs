use pyo3::prelude::*;

/// Twice the argument, or a shout about it with the `loud` feature.
#[pyfunction]
fn double(x: i64) -> i64 {
    2 * x
}

#[pyfunction]
fn loud() -> bool {
    cfg!(feature = "loud")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(double, m)?)?;
    m.add_function(wrap_pyfunction!(loud, m)?)?;
    Ok(())
}
