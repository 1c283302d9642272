// What www/worker.js imports as './pkg/clientele.js': the wasm-bindgen output of the core
// (built into /pkg by scripts/lib.sh build_site; its types come from the Rust types).
export * from '../../../pkg/clientele.js';
export { default } from '../../../pkg/clientele.js';
