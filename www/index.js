// The npm package's entry (scripts/build-package.mjs): the headless API and the element.
// Importing it defines <clientele-report>; nothing else starts until first use.
export { analyze, analyzeBlob, preload } from './api.js';
export { ClienteleReport } from './clientele-report.js';
