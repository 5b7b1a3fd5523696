use pyo3::prelude::*;

/// Shouts when built with the `loud` feature, which [tool.maturin] turns on.
#[pyfunction]
fn greet(name: &str) -> String {
    if cfg!(feature = "loud") {
        format!("HELLO, {}!", name.to_uppercase())
    } else {
        format!("hello, {name}")
    }
}

#[pymodule]
#[pyo3(name = "_native")]
fn maturin_compat_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    Ok(())
}
