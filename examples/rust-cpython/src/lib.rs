use cpython::{py_fn, py_module_initializer, ObjectProtocol, PyResult, Python};

// The name must be the `[lib] name` in Cargo.toml: it becomes `PyInit_rust_cpython_example`.
py_module_initializer!(rust_cpython_example, |py, m| {
    m.add(py, "__doc__", "A Python module implemented in Rust with rust-cpython.")?;
    m.add(py, "sum_as_string", py_fn!(py, sum_as_string(a: i64, b: i64)))?;
    m.add(py, "python_version", py_fn!(py, python_version()))?;
    Ok(())
});

/// Add two integers and return the sum as a string.
fn sum_as_string(_: Python, a: i64, b: i64) -> PyResult<String> {
    Ok((a + b).to_string())
}

/// The version of the interpreter the module runs in, as "3.12".
fn python_version(py: Python) -> PyResult<String> {
    let info = py.import("sys")?.get(py, "version_info")?;
    let major: u32 = info.getattr(py, "major")?.extract(py)?;
    let minor: u32 = info.getattr(py, "minor")?.extract(py)?;
    Ok(format!("{}.{}", major, minor))
}
