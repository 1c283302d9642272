//! Nothing to generate. The build script exists so that `[build-dependencies]` in Cargo.toml can
//! switch on the syn features the Python extension's pyo3 macros need: the host side (proc macros
//! such as serde_derive) is then compiled once for the root crate and for python/, and the Python
//! test stage reuses every compiled dependency instead of rebuilding the whole tree.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
}
