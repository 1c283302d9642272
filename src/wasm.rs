//! SKELETON: the wasm-bindgen boundary (the only module that names wasm-bindgen, js-sys, web-sys).
