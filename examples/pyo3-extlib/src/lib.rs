use std::ffi::{c_char, c_int, CStr};

use pyo3::prelude::*;

// libanswer is linked dynamically (see build.rs): the wheel is not manylinux until the library
// is grafted into it.
extern "C" {
    fn answer_version() -> *const c_char;
    fn answer() -> c_int;
}

/// The version string of the libanswer this module was loaded with.
#[pyfunction]
fn version() -> String {
    // SAFETY: libanswer returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(answer_version()) }.to_string_lossy().into_owned()
}

/// What libanswer answers.
#[pyfunction]
fn the_answer() -> i32 {
    // SAFETY: a plain C function without arguments.
    unsafe { answer() }
}

/// A pyo3 module that links libanswer, a shared library outside every manylinux policy.
#[pymodule]
fn pyo3_extlib(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(the_answer, m)?)?;
    Ok(())
}
