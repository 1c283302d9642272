// What the page costs to load: opens a built site (default dist/) in Debian's headless Chromium,
// records every file it requests, and prints their sizes gzipped (zlib level 6, what static
// hosts commonly send) in three steps:
//   opened    the page opened and idle, the core compiled (what loads before a file is dropped)
//   csv       a small CSV analysed and its report drawn (what a first CSV adds)
//   workbook  an .xlsx analysed (what workbook support adds)
// and, with --time, the time from navigation to the first CSV report drawn, over a simulated
// 20 Mbit/s link with 40 ms latency (the server gzips as a static host would).
// tests/e2e/size_budget.test.mjs checks the budget with `measure()`.
//
//   node scripts/page-size.mjs [DIST] [--json] [--time]
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const CSV = join(ROOT, 'tests/fixtures/customer_table/shopify_customers.csv');
const XLSX = join(ROOT, 'tests/fixtures/excel/retail_dates.xlsx');
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Sizes of one file of the site: raw, gzipped (level 6) and brotli (quality 11). */
function sizes(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length, brotli: brotliCompressSync(bytes).length };
}

function serve(dist, { gzip }) {
  const cache = new Map();
  return new Promise((ok) => {
    const s = http.createServer((req, res) => {
      let file = normalize(join(dist, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
      if (file !== dist && !file.startsWith(dist + sep)) return res.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return res.writeHead(404).end('not found');
      const headers = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      let body = readFileSync(file);
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        if (!cache.has(file)) cache.set(file, gzipSync(body, { level: 6 }));
        body = cache.get(file);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers).end(body);
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

/** Waits until no request has started for `quietMs`. */
async function settle(requests, quietMs = 700) {
  let seen = -1;
  while (seen !== requests.length) {
    seen = requests.length;
    await new Promise((ok) => setTimeout(ok, quietMs));
  }
}

/** Runs `action` and resolves when the element reports (or errors: then rejects). */
async function reportAfter(page, action) {
  const done = page.evaluate(
    () =>
      new Promise((ok, fail) => {
        const w = document.querySelector('clientele-report');
        w.addEventListener('clientele-report', () => ok(performance.now()), { once: true });
        w.addEventListener('clientele-error', (e) => fail(new Error(e.detail?.message)), { once: true });
      }),
  );
  await action();
  return done;
}

async function open(dist, { gzip = false, throttle = false } = {}) {
  const server = await serve(dist, { gzip });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const work = mkdtempSync(join(tmpdir(), 'clientele-size-'));
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 5e6 / 8 });
  }
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  return {
    page,
    origin,
    requests,
    async close() {
      await context.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The files requested from the site in each step, with their sizes; totals per step. */
export async function measure(dist = join(ROOT, 'dist'), { workbook = true } = {}) {
  dist = resolve(dist);
  const s = await open(dist);
  try {
    const steps = [];
    const take = (name) => {
      const before = new Set(steps.flatMap((st) => st.files.map((f) => f.path)));
      const files = [];
      for (const url of s.requests.splice(0)) {
        if (!url.startsWith(`${s.origin}/`)) {
          if (!url.startsWith('blob:') && !url.startsWith('data:')) files.push({ path: url, foreign: true, raw: 0, gzip: 0, brotli: 0 });
          continue;
        }
        let path = new URL(url).pathname;
        if (path.endsWith('/')) path += 'index.html';
        if (before.has(path) || files.some((f) => f.path === path)) continue;
        files.push({ path, ...sizes(join(dist, path)) });
      }
      const total = (k) => files.reduce((a, f) => a + f[k], 0);
      steps.push({ name, files, raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') });
    };
    await s.page.goto(`${s.origin}/`);
    await s.page.locator('clientele-report .drop').waitFor();
    await settle(s.requests);
    take('opened');
    await reportAfter(s.page, () => s.page.locator('clientele-report input[type=file]').setInputFiles(CSV));
    await settle(s.requests);
    take('csv');
    if (workbook) {
      await reportAfter(s.page, () => s.page.locator('clientele-report input[type=file]').setInputFiles(XLSX));
      await settle(s.requests);
      take('workbook');
    }
    return steps;
  } finally {
    await s.close();
  }
}

/** Milliseconds from navigation to the first CSV report drawn (a small file chosen as soon as
 *  the drop zone shows), median of `runs`, over a throttled link with a gzipping server. */
export async function loadTime(dist = join(ROOT, 'dist'), runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const s = await open(resolve(dist), { gzip: true, throttle: true });
    try {
      await s.page.goto(`${s.origin}/`, { waitUntil: 'commit' });
      await s.page.locator('clientele-report .drop').waitFor();
      const shown = await s.page.evaluate(() => performance.now());
      const drawn = await reportAfter(s.page, () => s.page.locator('clientele-report input[type=file]').setInputFiles(CSV));
      times.push({ shown, drawn });
    } finally {
      await s.close();
    }
  }
  const median = (k) => times.map((t) => t[k]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  return { runs, drop_zone_ms: Math.round(median('shown')), first_report_ms: Math.round(median('drawn')) };
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

/** The steps as a text table. */
export function describe(steps) {
  const lines = [];
  for (const st of steps) {
    lines.push(`${st.name}: ${kb(st.gzip)} gzipped (${kb(st.raw)} raw, ${kb(st.brotli)} brotli), ${st.files.length} files`);
    for (const f of [...st.files].sort((a, b) => b.gzip - a.gzip)) {
      lines.push(`  ${kb(f.gzip).padStart(10)} gz ${kb(f.raw).padStart(10)} raw  ${f.foreign ? 'FOREIGN ' : ''}${f.path}`);
    }
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dist = args.find((a) => !a.startsWith('--')) ?? join(ROOT, 'dist');
  const steps = await measure(dist, { workbook: !args.includes('--no-workbook') });
  const time = args.includes('--time') ? await loadTime(dist) : undefined;
  if (args.includes('--json')) console.log(JSON.stringify({ steps, time }));
  else {
    console.log(describe(steps));
    if (time) console.log(`load (20 Mbit/s, 40 ms, gzip; median of ${time.runs}): drop zone at ${time.drop_zone_ms} ms, first CSV report drawn at ${time.first_report_ms} ms`);
  }
}
