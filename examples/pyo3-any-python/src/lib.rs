use pyo3::prelude::*;

/// Adds two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// The name of the interpreter that imported the module (`cpython`, `pypy`, `graalpy`).
#[pyfunction]
fn implementation(py: Python<'_>) -> PyResult<String> {
    py.import_bound("sys")?
        .getattr("implementation")?
        .getattr("name")?
        .extract()
}

#[pymodule]
fn pyo3_any_python(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(implementation, m)?)?;
    Ok(())
}
