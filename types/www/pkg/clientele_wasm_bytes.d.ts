// dist/pkg/clientele_wasm_bytes.js (scripts/embed-wasm.mjs): the wasm module's bytes.
export default function wasmBytes(): Uint8Array;
