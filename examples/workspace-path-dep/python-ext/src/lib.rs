use pyo3::prelude::*;

/// The sum of the squares of `values`, computed by the `wpd-core` crate.
#[pyfunction]
fn sum_of_squares(values: Vec<i64>) -> i64 {
    wpd_core::sum_of_squares(&values)
}

#[pymodule]
fn workspace_path_dep(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum_of_squares, m)?)
}
