use pyo3::prelude::*;

#[pymodule]
mod pyo3_stubs {
    use pyo3::prelude::*;

    /// Adds two integers.
    #[pyfunction]
    fn add(a: i64, b: i64) -> i64 {
        a + b
    }

    /// Repeats `word` `times` times.
    #[pyfunction]
    #[pyo3(signature = (word, times = 2))]
    fn repeat(word: &str, times: usize) -> String {
        word.repeat(times)
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
}
