// The worker's URL, shared by every <clientele-report> and the headless API (www/api.js).
// The worker's whole source as text (built by scripts/bundle-worker.mjs).
import workerSource from '../worker-source.js';

/** @type {string | null} */
let workerBlobUrl = null;

/** A blob: URL of the worker's bundled source, made once per page. A worker started from a
 * blob: URL inherits this document's Content-Security-Policy (CSP3 "local scheme" rule),
 * including a policy given only in a <meta> tag, so fetch, XHR, WebSocket, importScripts of
 * foreign URLs and eval are blocked inside it as on the page. A worker loaded from its own
 * URL would get only its HTTP response's policy (none on a static host without headers). */
export function workerUrl() {
  workerBlobUrl ??= URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  return workerBlobUrl;
}
