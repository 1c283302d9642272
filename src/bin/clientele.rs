//! SKELETON: the native CLI, `clientele analyze FILE ...`.
fn main() {}
