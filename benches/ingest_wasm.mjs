// Reading alone in wasm, one core, in Node (V8, the engine of Chromium): the release wasm of
// pkg/ (built by `bash -c 'source scripts/lib.sh; build_site'`) reads the file from memory with
// every analysis but RFM switched off; the time from the call to the "customers" stage is the
// reading. usage: [PKG=dir] node benches/ingest_wasm.mjs [--runs N] [FILE…] (default Online
// Retail; PKG: another build's pkg/ directory, to compare).
import { readFileSync } from 'node:fs';

const pkg = process.env.PKG ? new URL(`file://${process.env.PKG.replace(/\/?$/, '/')}`) : new URL('../pkg/', import.meta.url);
const { initSync, analyze } = await import(new URL('clientele.js', pkg));
initSync({ module: readFileSync(new URL('clientele_bg.wasm', pkg)) });

const args = process.argv.slice(2);
let runs = 5;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length) files.push(new URL('../../shared/data/online_retail/online_retail.csv', import.meta.url).pathname);

const options = { ingest: { today: '2100-01-01' }, run: { clusters: false, propensity: false, clv: false } };
for (const file of files) {
  const bytes = readFileSync(file);
  const times = [];
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    let read = null;
    const analysis = analyze(bytes, options, (p) => {
      if (read === null && p.stage !== 'reading') read = performance.now() - start;
    });
    rows = analysis.report().quality.rows_read;
    analysis.free();
    times.push(read / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(
    `${file}: ${(bytes.length / 1e6).toFixed(1)} MB, ${rows} rows: median ${median.toFixed(3)} s over ${runs} runs (min ${times[0].toFixed(3)} s) = ${(bytes.length / 1e6 / median).toFixed(1)} MB/s, ${Math.round((median * 1e9) / rows)} ns/row`,
  );
}
