// The Web Worker that runs the wasm core. The page posts a File (or Blob) and options; the
// worker reads it in slices (FileReaderSync, inside the core's boundary) and posts back
// progress, then the page report (bounded: no per-customer arrays) and the export's notes, or
// a located error. The Analysis stays here until the next run (which frees it first), and
// answers requests: pages of the customer table, and the CSV exports as Blobs built from
// bounded chunks. No string that grows with the number of customers is ever made.
// Cancel = the page terminates this worker.
//
// Messages in:  { type: 'core', module?, error? }                  the compiled core (www/engine.js),
//                                                                 or why it could not be loaded; first
//               { id, blob, options, limits? }                     a run (limits: { pageReportBytes?, maxCustomers?,
//                                                                 workers?, parallelMinBytes? })
//               { type: 'chunk', blob, start, end, options }     (a chunk worker) one chunk's partial
//               { id, req, type: 'rows', offset, limit }          rows of the customer table
//               { id, req, type: 'export', which, bom }           which = 'customers' | 'targets' | 'campaign'
//               { id, req, type: 'target', recipe, planner }      build the campaign list (JSON texts)
//               { id, req, type: 'readback', responses, list?, options }  Blobs; options as JSON text
// Messages out: { id, type: 'progress' | 'result' | 'error' }    for a run
//               { type: 'chunk', bytes } or { type: 'chunk', error }   (a chunk worker) the partial, transferred
//               { id, req, type: 'reply', rows?, total?, blob?, view?, readout? } or { id, req, type: 'reply', error }
//
// A large file (limits.parallelMinBytes, default 8 MiB) can be read by several workers at once
// (limits.workers: a number, or 'auto' for navigator.hardwareConcurrency, at most 4; not set:
// one worker, because the first chunk is read without progress): this worker cuts it just
// after line breaks (chunkSeams), starts copies of itself for all chunks but the first (the
// same compiled core, posted to them; no SharedArrayBuffer, so no COOP/COEP headers needed),
// reads the first chunk itself, and merges the partials, which come back as transferred
// bytes (analyzeChunks): the Report is the one a single worker gives, byte for byte.
import { initSync, analyzeBlob, analyzeChunks, chunkSeams, readChunk } from './pkg/clientele.js';

/** Messages that arrived before the core did (the page posts a run as soon as a file is
 *  dropped; the core follows when compiled); null once it is here. */
let waiting = [];
/** Why the core could not be started, if it could not: every run answers with it. */
let coreError = null;

let lastPost = 0;
/** The last run's Analysis and its id, kept for page requests; freed when the next run starts. */
let current = null;
/** Customers per CSV chunk: ~10 MB of text each. */
const CHUNK = 100_000;
/** Deciles in the target list (1–2: the most likely fifth). */
const TARGET_DECILES = 2;
/** The compiled core, posted on to chunk workers. */
let coreModuleHeld = null;
/** Files from this size up are read by several workers. */
const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;
/** The most workers reading one file. */
const MAX_WORKERS = 4;

function release() {
  try {
    current?.analysis.free();
  } catch {
    // A trapped instance cannot free; the page replaces this worker anyway.
  }
  current = null;
}

function errorOf(e, options, blob) {
  // A trap (a Rust panic, or memory exhausted) leaves this wasm instance unusable: say so
  // plainly; the page then replaces this worker with a fresh one.
  if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
    return {
      message: `The analysis engine stopped on this file (${e.message}). It may be damaged or too large for this browser: save it again from Excel or as CSV and retry, or use the command-line tool (clientele analyze FILE) for very large files. Other files can be analysed as usual.`,
      file: options?.ingest?.file_name ?? blob?.name,
      kind: 'crash',
      code: 'crash',
      params: { detail: e.message },
      replaceWorker: true,
    };
  }
  return {
    message: String(e?.message ?? e),
    file: e?.file,
    row: e?.row,
    column: e?.column,
    kind: e?.kind ?? 'internal',
    // The core's stable code and figures, from which the page words the error in its language.
    code: e?.code ?? e?.kind,
    params: e?.params ?? (e?.limit != null ? { limit: e.limit, customers: e?.customers } : undefined),
    limit: e?.limit,
    customers: e?.customers,
    // The result could not be delivered, or the file was too big for this browser's memory:
    // this worker is replaced too, so nothing it held (its grown wasm memory) lingers.
    replaceWorker: e?.kind === 'result_too_large' || e?.kind === 'too_many_customers' || undefined,
  };
}

/** How many workers read this file: 1 below the size bound or for a workbook. */
function workersFor(blob, limits) {
  const name = (blob?.name ?? '').toLowerCase();
  if (/\.(xlsx|xlsm|xlsb|xls|ods|parquet)$/.test(name)) return 1;
  if (blob.size < (limits?.parallelMinBytes ?? PARALLEL_MIN_BYTES)) return 1;
  // Opt-in (not set: one worker): the first chunk is read without progress or a way to cancel
  // (readChunk), so a large file would show no "rows read" until the merge. 'auto': the
  // browser's cores, capped (tests/e2e/parallel.test.mjs: the same Report).
  const workers = limits?.workers ?? 1;
  const n = workers === 'auto' ? Math.min(self.navigator?.hardwareConcurrency ?? 1, MAX_WORKERS) : workers;
  return Math.max(1, Math.min(n | 0, 8));
}

/** One chunk read by a copy of this worker: resolves with its partial's bytes. */
function chunkInWorker(blob, start, end, options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(self.location.href, { type: 'module', name: 'clientele-chunk' });
    w.onmessage = (e) => {
      if (e.data?.type !== 'chunk') return;
      w.terminate();
      if (e.data.error) reject(new Error(e.data.error));
      else resolve(new Uint8Array(e.data.bytes));
    };
    w.onerror = (e) => {
      e.preventDefault?.();
      w.terminate();
      reject(new Error(e.message || 'a chunk worker failed'));
    };
    w.postMessage({ type: 'core', module: coreModuleHeld });
    w.postMessage({ type: 'chunk', blob, start, end, options });
  });
}

/** A chunk worker's job: its chunk's partial, transferred back. */
function chunk({ blob, start, end, options }) {
  try {
    const bytes = readChunk(blob, start, end, options ?? {});
    self.postMessage({ type: 'chunk', bytes: bytes.buffer }, { transfer: [bytes.buffer] });
  } catch (e) {
    self.postMessage({ type: 'chunk', error: String(e?.message ?? e) });
  }
}

/** The Analysis of a file read in chunks by `n` workers (this one reads the first). */
async function analyzeInChunks(blob, options, progress, limits, n) {
  const seams = Array.from(chunkSeams(blob, n));
  if (seams.length === 0) return analyzeBlob(blob, options, progress, limits?.maxCustomers);
  const bounds = [0, ...seams, blob.size];
  const others = [];
  for (let i = 1; i + 1 < bounds.length; i++) others.push(chunkInWorker(blob, bounds[i], bounds[i + 1], options));
  const first = readChunk(blob, 0, bounds[1], options);
  // A chunk worker that failed gives an empty partial: the merge then reads the file itself.
  const rest = await Promise.all(others.map((p) => p.catch(() => new Uint8Array(0))));
  return analyzeChunks(blob, seams, [first, ...rest], options, progress, limits?.maxCustomers);
}

async function run({ id, blob, options, limits }) {
  release();
  let analysis = null;
  try {
    const progress = (p) => {
      const now = performance.now();
      if (p.stage !== 'reading' || now - lastPost > 50) {
        lastPost = now;
        self.postMessage({ id, type: 'progress', progress: p });
      }
    };
    // limits.maxCustomers: a host's (or a test's) own bound, lower than the measured one.
    const n = workersFor(blob, limits);
    analysis =
      n > 1
        ? await analyzeInChunks(blob, options ?? {}, progress, limits, n)
        : analyzeBlob(blob, options ?? {}, progress, limits?.maxCustomers);
    const report = analysis.pageReport(limits?.pageReportBytes);
    // What the export's reader should know (the core's text, bounded: one line per warning).
    const notes = analysis.exportNotes();
    const customers = analysis.customerCount();
    // Rows of the target list (undefined without a propensity model).
    const targets = analysis.targetListCount(TARGET_DECILES);
    // How many chunks (and workers) read the file: 1 when one worker read it in one pass.
    const readers = analysis.readChunks();
    current = { id, analysis };
    analysis = null;
    self.postMessage({ id, type: 'result', report, notes: notes || null, customers, targets: targets ?? null, readers });
  } catch (e) {
    const error = errorOf(e, options, blob);
    try {
      analysis?.free();
    } catch {
      // see release()
    }
    self.postMessage({ id, type: 'error', error });
  }
}

/** A Blob of the CSV built from chunks of CHUNK customers: no string holds the whole export. */
function exportBlob(analysis, which, bom) {
  const parts = [];
  if (which === 'campaign') {
    const n = analysis.campaignListCount();
    if (n == null) return null;
    for (let start = 0; start === 0 || start < n; start += CHUNK) {
      parts.push(analysis.campaignListCsvChunk(start, start + CHUNK, !!bom));
    }
  } else if (which === 'targets') {
    const n = analysis.targetListCount(TARGET_DECILES);
    if (n == null) return null;
    for (let start = 0; start === 0 || start < n; start += CHUNK) {
      parts.push(analysis.targetListCsvChunk(TARGET_DECILES, start, start + CHUNK, !!bom));
    }
  } else {
    const n = analysis.customerCount();
    for (let start = 0; start === 0 || start < n; start += CHUNK) {
      parts.push(analysis.customersCsvChunk(start, start + CHUNK, !!bom));
    }
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

/** The read-back of a response file, read in slices by the core like the main file (a
 *  Blob: never one JS string), against a list CSV if given (read whole: one row per listed
 *  customer). The result is asked of the Analysis still held afterwards. */
async function readbackReply(msg) {
  const { id, req } = msg;
  try {
    const responses = msg.responses instanceof Blob ? msg.responses : new Blob([msg.responses]);
    const list = msg.list ? new Uint8Array(await msg.list.arrayBuffer()) : undefined;
    if (!current || current.id !== id) throw new Error('This result is no longer held: analyse the file again.');
    const listName = msg.list?.name || undefined;
    const readout = JSON.parse(current.analysis.readbackJson(responses, list, listName, msg.options ?? undefined));
    self.postMessage({ id, req, type: 'reply', readout });
  } catch (e) {
    const error = errorOf(e);
    if (error.replaceWorker) release();
    self.postMessage({ id, req, type: 'reply', error });
  }
}

function request(msg) {
  const { id, req, type } = msg;
  try {
    if (!current || current.id !== id) throw new Error('This result is no longer held: analyse the file again.');
    const { analysis } = current;
    if (type === 'rows') {
      const rows = analysis.customerRows(msg.offset ?? 0, msg.limit ?? 100);
      self.postMessage({ id, req, type: 'reply', rows, total: analysis.customerCount() });
    } else if (type === 'migration_rows') {
      const { rows, total } = analysis.migrationRows(msg.from ?? undefined, msg.to, msg.offset ?? 0, msg.limit ?? 100);
      self.postMessage({ id, req, type: 'reply', rows, total });
    } else if (type === 'export') {
      self.postMessage({ id, req, type: 'reply', blob: exportBlob(analysis, msg.which, msg.bom) });
    } else if (type === 'target') {
      const view = JSON.parse(analysis.buildTargetList(msg.recipe, msg.planner ?? undefined));
      self.postMessage({ id, req, type: 'reply', view });
    } else if (type === 'readback') {
      readbackReply(msg);
    } else {
      throw new Error(`unknown request ${type}`);
    }
  } catch (e) {
    const error = errorOf(e);
    if (error.replaceWorker) release();
    self.postMessage({ id, req, type: 'reply', error });
  }
}

function handle(msg) {
  if (msg?.type === 'chunk') chunk(msg);
  else if (['rows', 'migration_rows', 'export', 'target', 'readback'].includes(msg?.type)) request(msg);
  else if (coreError) self.postMessage({ id: msg?.id, type: 'error', error: { message: coreError, kind: 'internal' } });
  else run(msg);
}

/** Starts the core the page compiled (a WebAssembly.Module), then the runs that waited for it. */
function start({ module, error }) {
  try {
    if (error) throw new Error(error);
    initSync({ module });
    coreModuleHeld = module;
  } catch (e) {
    coreError = `The analysis engine failed to load: ${e?.message ?? e}`;
  }
  const queued = waiting;
  waiting = null;
  for (const msg of queued) handle(msg);
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type === 'core') start(msg);
  else if (waiting) waiting.push(msg);
  else handle(msg);
};
self.postMessage({ type: 'ready' });
