//! `collatz_total(n)`: a hot loop for `bench.py` to exercise while the instrumented build
//! records its profile. Written on pyo3-ffi (pyo3's C API layer) to keep the example small.

use std::ptr;

use pyo3_ffi::*;

/// Steps the Collatz sequence of `n` takes to reach 1.
fn collatz_steps(mut n: u64) -> u64 {
    let mut steps = 0;
    while n > 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

unsafe extern "C" fn collatz_total(_module: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    let n = PyLong_AsUnsignedLongLong(arg);
    if !PyErr_Occurred().is_null() {
        return ptr::null_mut();
    }
    let total: u64 = (1..=n).map(collatz_steps).sum();
    PyLong_FromUnsignedLongLong(total)
}

static mut METHODS: [PyMethodDef; 2] = [
    PyMethodDef {
        ml_name: c"collatz_total".as_ptr(),
        ml_meth: PyMethodDefPointer { PyCFunction: collatz_total },
        ml_flags: METH_O,
        ml_doc: c"The Collatz steps of 1..=n added up.".as_ptr(),
    },
    PyMethodDef::zeroed(),
];

static mut MODULE: PyModuleDef = PyModuleDef {
    m_base: PyModuleDef_HEAD_INIT,
    m_name: c"pyo3_pgo".as_ptr(),
    m_doc: c"A hot loop built with profile-guided optimization.".as_ptr(),
    m_size: -1,
    m_methods: (&raw mut METHODS).cast(),
    m_slots: ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

#[allow(non_snake_case)]
#[no_mangle]
pub unsafe extern "C" fn PyInit_pyo3_pgo() -> *mut PyObject {
    PyModule_Create(&raw mut MODULE)
}
