// Bench worker: the same wasm package as the page, timing each stage of analyzeBlob through
// the core's progress callbacks, and reporting the wasm memory size (linear memory never
// shrinks, so its size after the run is the run's peak).
import { initSync, analyzeBlob } from '../pkg/clientele.js';
import wasmBytes from '../pkg/clientele_wasm_bytes.js';

const wasm = initSync({ module: wasmBytes() });

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
  const report = JSON.parse(analysis.reportJson());
  analysis.free();
  self.postMessage({
    ms,
    stages,
    rows_read: report.quality.rows_read,
    customers: report.summary.customers,
    wasm_memory_bytes: wasm.memory.buffer.byteLength,
  });
};
self.postMessage({ ready: true });
