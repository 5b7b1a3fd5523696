use pyo3::prelude::*;

/// Adds two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Counts how often `bump` was called.
#[pyclass]
struct Counter {
    #[pyo3(get)]
    value: u64,
}

#[pymethods]
impl Counter {
    #[new]
    fn new() -> Self {
        Counter { value: 0 }
    }

    fn bump(&mut self) -> u64 {
        self.value += 1;
        self.value
    }
}

/// The pyo3-pure example module.
#[pymodule]
fn pyo3_pure(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_class::<Counter>()?;
    Ok(())
}
