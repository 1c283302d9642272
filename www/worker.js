// The Web Worker that runs the wasm core. The page posts a File (or Blob) and options; the
// worker reads it in slices (FileReaderSync, inside the core's boundary) and posts back
// progress, then the Report, the per-customer CSV and the export's notes, or a located error.
// Cancel = the page terminates this worker.
import init, { initSync, analyzeBlob } from './pkg/clientele.js';
import wasmBytes from './pkg/clientele_wasm_bytes.js';

// The wasm arrives as bytes inside a JS module: the page's CSP forbids fetch (connect-src 'none').
initSync({ module: wasmBytes() });
void init;

let lastPost = 0;

self.onmessage = (event) => {
  const { id, blob, options } = event.data;
  try {
    const analysis = analyzeBlob(blob, options ?? {}, (p) => {
      const now = performance.now();
      if (p.stage !== 'reading' || now - lastPost > 50) {
        lastPost = now;
        self.postMessage({ id, type: 'progress', progress: p });
      }
    });
    const report = analysis.report();
    const csv = analysis.customersCsv();
    // The target list of the two most likely tenths (undefined without a propensity model).
    const targetCsv = analysis.targetListCsv(2);
    // What the export's reader should know (the core's text; empty when nothing to say). Older
    // cores have no exportNotes: then there are no notes.
    const notesFn = analysis.exportNotes ?? analysis.export_notes;
    const notes = typeof notesFn === 'function' ? notesFn.call(analysis) : '';
    analysis.free();
    self.postMessage({ id, type: 'result', report, csv, targetCsv, notes: notes || null });
  } catch (e) {
    // A trap (a Rust panic, or memory exhausted) leaves this wasm instance unusable: say so
    // plainly; the page then replaces this worker with a fresh one.
    const crashed = e instanceof WebAssembly.RuntimeError;
    self.postMessage({
      id,
      type: 'error',
      error: crashed
        ? {
            message: `The analysis engine stopped on this file (${e.message}). It may be damaged: save it again from Excel or as CSV and retry. Other files can be analysed as usual.`,
            file: options?.ingest?.file_name ?? blob?.name,
            kind: 'crash',
          }
        : {
            message: String(e?.message ?? e),
            file: e?.file,
            row: e?.row,
            column: e?.column,
            kind: e?.kind ?? 'internal',
          },
    });
  }
};
self.postMessage({ type: 'ready' });
