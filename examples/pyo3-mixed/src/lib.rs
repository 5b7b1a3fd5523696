use pyo3::prelude::*;

/// Returns 21, computed in Rust.
#[pyfunction]
fn get_21() -> usize {
    21
}

#[pymodule]
fn pyo3_mixed(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(get_21, m)?)?;
    Ok(())
}
