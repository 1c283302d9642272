// Bench worker: the same wasm package as the page, timing each stage of analyzeBlob through
// the core's progress callbacks, and reporting the wasm memory size (linear memory never
// shrinks, so its size after the run is the run's peak).
import { initSync, analyzeBlob } from '../pkg/clientele.js';
import wasmBytes from '../pkg/clientele_wasm_bytes.js';

const wasm = initSync({ module: await wasmBytes() });

self.onmessage = ({ data: { blob, options } }) => {
  const start = performance.now();
  const stages = [];
  let current = null;
  let rows = 0;
  const analysis = analyzeBlob(blob, options ?? {}, (p) => {
    const now = performance.now();
    rows = Math.max(rows, p.rows_read);
    if (!current || current.stage !== p.stage) {
      if (current) stages.push({ stage: current.stage, ms: now - current.at });
      current = { stage: p.stage, at: now };
    }
  });
  const ms = performance.now() - start;
  // What the page receives: the bounded page report (the full Report's JSON passes the
  // browser's string limit at a few million customers), then, as the page does on demand,
  // the CSV export as a Blob built from chunks of 100,000 customers.
  let at = performance.now();
  const json = analysis.pageReportJson();
  const report = JSON.parse(json);
  const page_report_ms = performance.now() - at;
  at = performance.now();
  const n = analysis.customerCount();
  const parts = [];
  for (let s = 0; s === 0 || s < n; s += 100_000) parts.push(analysis.customersCsvChunk(s, s + 100_000, false));
  const csv = new Blob(parts);
  const export_ms = performance.now() - at;
  const wasm_memory_bytes = wasm.memory.buffer.byteLength;
  analysis.free();
  self.postMessage({
    ms,
    stages,
    rows_read: report.quality.rows_read,
    customers: report.summary.customers,
    page_report_bytes: json.length,
    page_report_ms,
    export_bytes: csv.size,
    export_ms,
    wasm_memory_bytes,
  });
};
self.postMessage({ ready: true });
