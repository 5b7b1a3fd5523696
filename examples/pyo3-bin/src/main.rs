//! A command with Python inside: pyo3 links the interpreter the wheel was built for.
use pyo3::prelude::*;

fn main() -> PyResult<()> {
    let line = Python::attach(|py| -> PyResult<String> {
        let code = c"'embedded %s %d.%d' % (__import__('sys').implementation.name, \
                      *__import__('sys').version_info[:2])";
        py.eval(code, None, None)?.extract()
    })?;
    println!("{line} (from a Rust binary)");
    Ok(())
}
