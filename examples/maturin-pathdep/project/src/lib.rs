use pyo3::prelude::*;

/// Doubles through the shared crate, which lives outside the project folder.
#[pyfunction]
fn doubled(value: i64) -> i64 {
    mp_shared::doubled(value)
}

#[pymodule]
fn maturin_pathdep(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(doubled, m)?)?;
    Ok(())
}
