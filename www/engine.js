// The wasm core, compiled once per page on the main thread and handed to each worker as a
// WebAssembly.Module (workers are replaced after a crash or a cancel; none compiles again).
// Two builds of the same core (scripts/lib.sh build_site):
//   'text'      CSV, TSV and whitespace-aligned text: what the page loads first;
//   'workbook'  the same core with the Excel / OpenDocument readers (calamine and its checks),
//               loaded only when a workbook is dropped (the text core answers with the error
//               kind `workbook_core_needed`, and the element runs the file again on this one).
// Each comes two ways: the .wasm file, fetched and compiled while it streams in, when the
// page's policy allows `connect-src 'self'`; or, under `connect-src 'none'` (the demo's), an ES
// module holding the same bytes gzipped and base64-encoded (scripts/embed-wasm.mjs), which the
// policy's `script-src 'self'` allows. The policy is read from the page's <meta> tag so that a
// fetch that would be refused is not tried (a refusal is logged as an error); a policy sent
// only as an HTTP header cannot be read, so there the fetch is tried and its failure falls
// back to the embedded bytes.

/** @typedef {'text' | 'workbook'} CoreKind */

// Each path is written out in a `new URL('…', import.meta.url)` or an `import('…')` of its own:
// the forms a bundler (Vite, Rollup, webpack, esbuild) recognises, so that the files are copied
// next to its output and the URLs rewritten; in the static bundle they resolve as written.
const FILES = {
  text: {
    wasm: () => new URL('./pkg/clientele_bg.wasm', import.meta.url).href,
    embedded: () => import('./pkg/clientele_wasm_bytes.js'),
  },
  workbook: {
    wasm: () => new URL('./pkg/clientele_workbook_bg.wasm', import.meta.url).href,
    embedded: () => import('./pkg/clientele_workbook_wasm_bytes.js'),
  },
};

/** @type {Map<CoreKind, Promise<WebAssembly.Module>>} */
const modules = new Map();

/**
 * The compiled core of this kind (compiled once, then shared).
 * @param {CoreKind} kind
 * @returns {Promise<WebAssembly.Module>}
 */
export function coreModule(kind) {
  let m = modules.get(kind);
  if (!m) {
    m = compile(kind);
    modules.set(kind, m);
    // A failed load may succeed later (a flaky connection): do not keep the rejection.
    m.catch(() => modules.delete(kind));
  }
  return m;
}

/** @param {CoreKind} kind */
async function compile(kind) {
  const files = FILES[kind];
  if (mayFetch()) {
    try {
      return await compileFetched(files.wasm());
    } catch {
      // Refused by a policy we could not read (an HTTP header), or not served: embedded bytes.
    }
  }
  const { default: wasmBytes } = await files.embedded();
  return WebAssembly.compile(await wasmBytes());
}

/** @param {string} url */
async function compileFetched(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  // Streaming compilation needs the application/wasm type; some static hosts send another.
  if ((response.headers.get('content-type') ?? '').startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Whether the page's <meta> policy lets it fetch its own files (connect-src, else
 *  default-src, naming 'self' or *); true without a <meta> policy. */
function mayFetch() {
  for (const meta of document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')) {
    const directives = new Map(
      (meta.getAttribute('content') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...sources]) => [name.toLowerCase(), sources.map((s) => s.toLowerCase())]),
    );
    const sources = directives.get('connect-src') ?? directives.get('default-src');
    if (sources && !sources.some((s) => s === "'self'" || s === '*' || s === location.origin)) return false;
  }
  return true;
}
