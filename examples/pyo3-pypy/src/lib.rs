use pyo3::prelude::*;

/// The sum of two integers, computed in Rust.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// The implementation this module was built for, as Python reports it.
#[pyfunction]
fn implementation(py: Python<'_>) -> PyResult<String> {
    py.import_bound("sys")?
        .getattr("implementation")?
        .getattr("name")?
        .extract()
}

#[pymodule]
fn pyo3_pypy(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(implementation, m)?)?;
    Ok(())
}
