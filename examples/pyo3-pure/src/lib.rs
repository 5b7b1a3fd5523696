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

/// Entry point of the `pyo3-pure-add` console script: adds its two arguments.
#[pyfunction]
fn main(py: Python<'_>) -> PyResult<()> {
    let argv: Vec<String> = py.import("sys")?.getattr("argv")?.extract()?;
    let numbers: Vec<i64> = argv[1..].iter().map(|a| a.parse().unwrap_or(0)).collect();
    println!("{}", numbers.iter().sum::<i64>());
    Ok(())
}

/// The pyo3-pure example module.
#[pymodule]
fn pyo3_pure(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_class::<Counter>()?;
    Ok(())
}
