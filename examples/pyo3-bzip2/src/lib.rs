use std::ffi::{c_char, CStr};

use pyo3::prelude::*;

// libbz2 is linked dynamically: the wheel is not manylinux until it is grafted into it.
#[link(name = "bz2")]
extern "C" {
    fn BZ2_bzlibVersion() -> *const c_char;
}

/// The version string of the libbz2 this module was loaded with.
#[pyfunction]
fn bz2_version() -> String {
    // SAFETY: libbz2 returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(BZ2_bzlibVersion()) }.to_string_lossy().into_owned()
}

/// A pyo3 module that links the system libbz2.
#[pymodule]
fn pyo3_bzip2(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(bz2_version, m)?)?;
    Ok(())
}
