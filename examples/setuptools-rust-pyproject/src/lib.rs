use pyo3::prelude::*;

#[pyfunction]
fn triple(x: i64) -> i64 {
    3 * x
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(triple, m)?)?;
    Ok(())
}
