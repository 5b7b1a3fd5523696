//! Plain C ABI functions: pyo3-pack generates the C header with cbindgen and the Python
//! side with cffi.

/// A point in the plane.
#[repr(C)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

#[no_mangle]
pub extern "C" fn get_origin() -> Point {
    Point { x: 0.0, y: 0.0 }
}

#[no_mangle]
pub extern "C" fn is_in_range(point: Point, range: f64) -> bool {
    (point.x * point.x + point.y * point.y).sqrt() <= range
}

#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a + b
}
