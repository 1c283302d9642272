// dist/pkg/clientele_wasm_bytes.js (scripts/embed-wasm.mjs): the text core's wasm bytes
// (dist/pkg/clientele_workbook_wasm_bytes.js has the same shape for the workbook core).
export default function wasmBytes(): Promise<Uint8Array<ArrayBuffer>>;
