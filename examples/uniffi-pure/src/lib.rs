uniffi::setup_scaffolding!();

/// A point in the plane, passed by value between Python and Rust.
#[derive(uniffi::Record)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// Adds two integers.
#[uniffi::export]
pub fn add(a: u32, b: u32) -> u32 {
    a + b
}

/// The point halfway between `a` and `b`, labelled with both labels.
#[uniffi::export]
pub fn midpoint(a: Point, b: Point) -> Point {
    Point {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
        label: format!("{}-{}", a.label, b.label),
    }
}
