//! Plain Rust code with no Python in it.

/// The sum of the squares of `values`.
pub fn sum_of_squares(values: &[i64]) -> i64 {
    values.iter().map(|v| v * v).sum()
}
