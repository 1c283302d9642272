// How the page gets its wasm core (www/engine.js): fetched as a .wasm file where the page's
// policy allows `connect-src 'self'`, else as the JS module of its gzipped bytes. Three hosts of
// the same dist/: the demo as built (<meta> policy with `connect-src 'none'`: no fetch is even
// tried, so no refusal is logged), the page with a policy that allows it (the .wasm is fetched
// and the bytes module never loaded), and the policy only in the HTTP header (the fetch is
// refused, the element falls back). In each, a CSV and then a workbook are analysed, and the
// workbook core arrives the same way. Run after `scripts/lib.sh build_site`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './harness/browser.js';

const DIST = join(ROOT, 'dist');
const META_POLICY = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"\s*\/>/;
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };
const CSV = join(ROOT, 'tests/fixtures/customer_table/shopify_customers.csv');
const XLSX = join(ROOT, 'tests/fixtures/customer_table/shopify_customers.xlsx');

let server;
let context;
let work;

/** The page under /PREFIX/: 'demo' as built, 'fetch' with `connect-src 'self'` in its <meta>
 *  policy, 'header' with no <meta> policy and the demo's policy as an HTTP header. */
function respond(req, res) {
  const url = new URL(req.url, 'http://x');
  const [, host, ...rest] = decodeURIComponent(url.pathname).split('/');
  let file = normalize(join(DIST, rest.join('/')));
  if (file !== DIST && !file.startsWith(DIST + sep)) return res.writeHead(403).end();
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) return res.writeHead(404).end('not found');
  const headers = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
  if (extname(file) !== '.html') return res.writeHead(200, headers).end(readFileSync(file));
  const html = readFileSync(file, 'utf8');
  const policy = META_POLICY.exec(html)[1];
  assert.match(policy, /connect-src 'none'/);
  if (host === 'fetch') return res.writeHead(200, headers).end(html.replace("connect-src 'none'", "connect-src 'self'"));
  if (host === 'header') return res.writeHead(200, { ...headers, 'content-security-policy': policy }).end(html.replace(META_POLICY, ''));
  return res.writeHead(200, headers).end(html);
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'pkg/clientele_workbook_bg.wasm')), 'dist/ is missing or old: build it first (scripts/lib.sh build_site)');
  server = http.createServer(respond);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  work = mkdtempSync(join(tmpdir(), 'clientele-e2e-core-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens /HOST/, analyses the CSV then the workbook; returns the core files requested in each
 *  step and the console errors. */
async function visit(host) {
  const page = await context.newPage();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const run = async (file) => {
    const outcome = page.evaluate(
      () =>
        new Promise((ok) => {
          const w = document.querySelector('clientele-report');
          w.addEventListener('clientele-report', (e) => ok({ customers: e.detail.summary.customers, encoding: e.detail.quality.encoding }), { once: true });
          w.addEventListener('clientele-error', (e) => ok({ error: e.detail.message }), { once: true });
        }),
    );
    await page.locator('clientele-report input[type=file]').setInputFiles(file);
    return outcome;
  };
  const core = () => requests.splice(0).filter((u) => u.startsWith(origin) && /\/pkg\/clientele_(workbook_)?(bg\.wasm|wasm_bytes\.js)$/.test(u)).map((u) => u.slice(u.lastIndexOf('/') + 1));
  try {
    await page.goto(`${origin}/${host}/`);
    await page.locator('clientele-report .drop').waitFor();
    const csv = await run(CSV);
    const first = core();
    const xlsx = await run(XLSX);
    const second = core();
    return { csv, xlsx, first, second, errors, foreign: requests.filter((u) => !u.startsWith(origin) && !/^(blob|data):/.test(u)) };
  } finally {
    await page.close();
  }
}

function expectReports(r) {
  assert.equal(r.csv.customers, 8, JSON.stringify(r.csv));
  assert.equal(r.xlsx.customers, 8, JSON.stringify(r.xlsx));
  assert.match(r.xlsx.encoding, /workbook/);
  assert.deepEqual(r.foreign, []);
}

test("under the demo's connect-src 'none', the embedded bytes, and no refused fetch", async () => {
  const r = await visit('demo');
  expectReports(r);
  assert.deepEqual(r.first, ['clientele_wasm_bytes.js']);
  assert.deepEqual(r.second, ['clientele_workbook_wasm_bytes.js']);
  assert.deepEqual(r.errors, []);
});

test("where connect-src 'self' is allowed, the .wasm files are fetched", async () => {
  const r = await visit('fetch');
  expectReports(r);
  assert.deepEqual(r.first, ['clientele_bg.wasm']);
  assert.deepEqual(r.second, ['clientele_workbook_bg.wasm']);
  assert.deepEqual(r.errors, []);
});

test('with the policy only in the HTTP header, the refused fetch falls back to the embedded bytes', async () => {
  const r = await visit('header');
  expectReports(r);
  // The refused fetch never reaches the network; the browser logs the refusal.
  assert.deepEqual(r.first, ['clientele_wasm_bytes.js']);
  assert.deepEqual(r.second, ['clientele_workbook_wasm_bytes.js']);
  assert.ok(r.errors.length > 0 && r.errors.every((e) => /Content Security Policy/.test(e)), r.errors.join('\n'));
});
