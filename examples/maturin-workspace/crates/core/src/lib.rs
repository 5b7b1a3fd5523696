/// Scales a value: the workspace's shared logic.
pub fn scaled(value: i64) -> i64 {
    value * 3
}
