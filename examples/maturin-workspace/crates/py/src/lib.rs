use pyo3::prelude::*;

/// Greets, loudly when the `loud` feature is on.
#[pyfunction]
fn greet(name: &str) -> String {
    if cfg!(feature = "loud") {
        format!("HELLO, {}!", name.to_uppercase())
    } else {
        format!("hello, {name}")
    }
}

/// The core crate's scaling, through a path dependency.
#[pyfunction]
fn scaled(value: i64) -> i64 {
    mw_core::scaled(value)
}

#[pymodule]
#[pyo3(name = "_native")]
fn mw_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    m.add_function(wrap_pyfunction!(scaled, m)?)?;
    Ok(())
}
