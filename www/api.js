// The package's ES-module API without the element: run the core on a file in a Web Worker and
// get the PageReport back (the same worker, wasm and loading rules as <clientele-report>:
// www/element/worker-url.js, www/engine.js). For hosts that draw their own UI, or none.
//
//   import { analyzeBlob } from 'clientele';
//   const report = await analyzeBlob(file, { rfm: { bins: 4 } }, (p) => console.log(p.stage));
//
// Each call runs in a worker of its own, ended when the call settles (an AbortSignal ends it
// sooner); a workbook is run again on the workbook core, as the element does.
import { coreModule } from './engine.js';
import { workerUrl } from './element/worker-url.js';

/** @typedef {import('./pkg/clientele.js').PageReport} PageReport */
/** @typedef {import('./pkg/clientele.js').AnalyzeOptions} AnalyzeOptions */
/** @typedef {import('./pkg/clientele.js').AnalyzeProgress} AnalyzeProgress */

/**
 * Compiles the text core now (and the workbook core too with `{ workbook: true }`), so the
 * first analysis does not wait for it.
 * @param {{ workbook?: boolean }} [what]
 * @returns {Promise<void>}
 */
export async function preload({ workbook = false } = {}) {
  await coreModule('text');
  if (workbook) await coreModule('workbook');
}

/**
 * Analyses a File or Blob in a worker; resolves with the PageReport, rejects with the core's
 * located error (an Error with `kind`, and `file`, `row`, `column` where known).
 * @param {Blob} blob
 * @param {AnalyzeOptions} [options]
 * @param {(p: AnalyzeProgress) => void} [onProgress]
 * @param {{ signal?: AbortSignal }} [control]
 * @returns {Promise<PageReport>}
 */
export async function analyzeBlob(blob, options = {}, onProgress, { signal } = {}) {
  if (!(blob instanceof Blob)) throw new TypeError('analyzeBlob() takes a File or Blob');
  const name = blob instanceof File ? blob.name : '';
  const merged = name ? { ...options, ingest: { file_name: name, ...(options.ingest ?? {}) } } : options;
  try {
    return await runIn('text', blob, merged, onProgress, signal);
  } catch (e) {
    if (e?.kind !== 'workbook_core_needed') throw e;
    return runIn('workbook', blob, merged, onProgress, signal);
  }
}

/**
 * Analyses the bytes of a file (a Uint8Array or ArrayBuffer), as analyzeBlob().
 * @param {Uint8Array | ArrayBuffer} bytes
 * @param {AnalyzeOptions} [options]
 * @param {(p: AnalyzeProgress) => void} [onProgress]
 * @param {{ signal?: AbortSignal }} [control]
 * @returns {Promise<PageReport>}
 */
export function analyze(bytes, options = {}, onProgress, control = {}) {
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) {
    return Promise.reject(new TypeError('analyze() takes a Uint8Array or ArrayBuffer (analyzeBlob() takes a File)'));
  }
  return analyzeBlob(new Blob([/** @type {BlobPart} */ (bytes)]), options, onProgress, control);
}

/**
 * @param {import('./engine.js').CoreKind} kind
 * @param {Blob} blob
 * @param {AnalyzeOptions} options
 * @param {((p: AnalyzeProgress) => void) | undefined} onProgress
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<PageReport>}
 */
function runIn(kind, blob, options, onProgress, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const worker = new Worker(workerUrl(), { type: 'module', name: 'clientele' });
    const done = () => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort);
    worker.onerror = (e) => {
      e.preventDefault?.();
      done();
      reject(Object.assign(new Error(`The analysis engine failed to start: ${e.message || 'unknown error'}`), { kind: 'internal' }));
    };
    worker.onmessage = ({ data }) => {
      if (data?.id !== 1) return;
      if (data.type === 'progress') onProgress?.(data.progress);
      else if (data.type === 'result') {
        done();
        resolve(data.report);
      } else if (data.type === 'error') {
        done();
        reject(Object.assign(new Error(data.error.message), data.error));
      }
    };
    coreModule(kind).then(
      (module) => worker.postMessage({ type: 'core', module }),
      (e) => worker.postMessage({ type: 'core', error: String(e?.message ?? e) }),
    );
    worker.postMessage({ id: 1, blob, options });
  });
}

function cancelled() {
  return Object.assign(new Error('Cancelled'), { kind: 'cancelled' });
}
