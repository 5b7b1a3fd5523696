use pyo3::prelude::*;

/// The answer, from a module below an implicit namespace package.
#[pyfunction]
fn answer() -> usize {
    42
}

#[pymodule]
#[pyo3(name = "native")]
fn mns_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(answer, m)?)?;
    Ok(())
}
