//! Links `libanswer.so`, a C library built outside cargo and outside every manylinux policy.
//! `ANSWER_LIB_DIR` names the folder holding it (the repair tests compile it there from a few
//! lines of C: see tests/integration/extlib.py).

fn main() {
    println!("cargo:rerun-if-env-changed=ANSWER_LIB_DIR");
    let Ok(dir) = std::env::var("ANSWER_LIB_DIR") else {
        panic!("set ANSWER_LIB_DIR to the folder holding libanswer.so");
    };
    println!("cargo:rustc-link-search=native={dir}");
    println!("cargo:rustc-link-lib=dylib=answer");
}
