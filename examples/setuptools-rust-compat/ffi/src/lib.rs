/// Added in Rust, called from Python through cffi.
#[no_mangle]
pub extern "C" fn ffi_add(a: i32, b: i32) -> i32 {
    compat_adder::add(a, b)
}
