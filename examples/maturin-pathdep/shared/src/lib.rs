/// Shared logic outside the Python project.
pub fn doubled(value: i64) -> i64 {
    value * 2
}
