use pyo3::prelude::*;

/// What this build was told: features, profile and rustc flags.
#[pyfunction]
#[allow(unexpected_cfgs)]
fn flags() -> (bool, bool, bool, bool) {
    (
        cfg!(feature = "fast"),
        cfg!(feature = "extra"),
        cfg!(debug_assertions),
        cfg!(ms_flag),
    )
}

#[pymodule]
#[pyo3(name = "_native")]
fn ms_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(flags, m)?)?;
    Ok(())
}
