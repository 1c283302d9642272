// dist/worker-source.js (scripts/bundle-worker.mjs): the bundled worker as text.
declare const source: string;
export default source;
