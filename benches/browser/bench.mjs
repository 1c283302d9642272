// Browser benchmark: file → Report in headless Chromium (Debian's), the wasm core in a Web
// Worker exactly as the page runs it. Prints one JSON line per file. Needs dist/ (built by
// scripts/bench). Usage: node benches/browser/bench.mjs FILE [RUNS] [OPTIONS_JSON]
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { extname, join, resolve, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const [file, runsArg, optionsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node benches/browser/bench.mjs FILE [RUNS] [OPTIONS_JSON]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const options = optionsArg ? JSON.parse(optionsArg) : {};

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.txt': 'text/plain' };
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const base = path.startsWith('/bench/') ? join(ROOT, 'benches/browser', path.slice(7)) : join(ROOT, 'dist', path);
  try {
    const body = await readFile(base);
    res.writeHead(200, { 'content-type': MIME[extname(base)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const userDataDir = await mkdtemp(join(tmpdir(), 'clientele-bench-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/bench.html`);
  await page.setInputFiles('#file', file);
  const results = [];
  for (let i = 0; i < runs; i++) {
    // A run the engine cannot finish (memory exhausted) is reported, not thrown away.
    const r = await page.evaluate((o) => window.runBench(o).catch((e) => ({ error: String(e?.message ?? e) })), options);
    if (r.error) {
      console.log(JSON.stringify({ file: file.split('/').slice(-2).join('/'), error: r.error }));
      process.exitCode = 1;
      break;
    }
    results.push(r);
  }
  if (!results.length) throw new Error('no run finished');
  results.sort((a, b) => a.ms - b.ms);
  const median = results[Math.floor(results.length / 2)];
  const mb = median.bytes / 1e6;
  console.log(
    JSON.stringify({
      file: file.split('/').slice(-2).join('/'),
      runs,
      median_s: +(median.ms / 1000).toFixed(3),
      min_s: +(results[0].ms / 1000).toFixed(3),
      mb_per_s: +(mb / (median.ms / 1000)).toFixed(1),
      rows_per_s: Math.round(median.rows_read / (median.ms / 1000)),
      rows: median.rows_read,
      customers: median.customers,
      peak_wasm_memory_mib: +(Math.max(...results.map((r) => r.wasm_memory_bytes)) / 2 ** 20).toFixed(0),
      stages_ms: Object.fromEntries(median.stages.map((s) => [s.stage, Math.round(s.ms)])),
      page_report_kb: +(median.page_report_bytes / 1024).toFixed(1),
      page_report_ms: Math.round(median.page_report_ms),
      export_mb: +(median.export_bytes / 1e6).toFixed(1),
      export_ms: Math.round(median.export_ms),
    }),
  );
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
  server.close();
}
