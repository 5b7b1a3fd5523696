use pyo3::prelude::*;

/// Adds two integers.
#[pyfunction]
fn add(a: i64, b: i64) -> i64 {
    a + b
}

/// Entry point of the `cmdclass-sum` console script: prints the sum of its arguments.
#[pyfunction]
fn main(py: Python<'_>) -> PyResult<()> {
    let argv: Vec<String> = py.import("sys")?.getattr("argv")?.extract()?;
    let numbers: Vec<i64> = argv[1..].iter().map(|a| a.parse().unwrap_or(0)).collect();
    println!("{}", numbers.iter().sum::<i64>());
    Ok(())
}

/// A pyo3 module packed by setuptools through setuptools-pyo3pack's cmdclass.
#[pymodule]
fn setuptools_cmdclass(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(add, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    Ok(())
}
