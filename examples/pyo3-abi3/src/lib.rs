use pyo3::prelude::*;

/// Returns a greeting that names the Python version the module runs on.
#[pyfunction]
fn greet(py: Python<'_>, name: &str) -> PyResult<String> {
    let version = py.version_info();
    Ok(format!("hello {name} from {}.{}", version.major, version.minor))
}

#[pymodule]
fn pyo3_abi3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(greet, m)?)?;
    Ok(())
}
