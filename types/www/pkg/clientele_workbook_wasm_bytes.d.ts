// dist/pkg/clientele_workbook_wasm_bytes.js (scripts/embed-wasm.mjs): the workbook core's wasm bytes.
export default function wasmBytes(): Promise<Uint8Array<ArrayBuffer>>;
