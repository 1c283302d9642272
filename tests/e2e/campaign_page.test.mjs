// The campaign sections in the built page (dist/), in Debian's Chromium: the sample (CDNOW has
// no product column) shows lifecycle, cohorts and migration, and cross-sell says why it is
// unavailable; a migration cell's customers come from the worker (element.migrationRows, the
// real paging path), and a file with a product column gets its pairs and next products. No
// console error, no request off the origin. Run after `scripts/lib.sh build_site`:
// `node --test tests/e2e/campaign_page.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const DATA = resolve(ROOT, '../shared/data');
const SHOTS = join(ROOT, 'test-results');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ts': 'text/plain; charset=utf-8',
};

let server;
let origin;
let context;
let page;
let work;
const requests = [];
const consoleErrors = [];
const dialogs = [];

function serve() {
  return new Promise((ok) => {
    const s = http.createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST)) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'clientele-campaign-page-'));
  server = await serve();
  origin = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
  });
  context.on('request', (r) => requests.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/`);
  await page.locator('clientele-report .drop').waitFor();
});

after(async () => {
  await context?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function analyze(action) {
  const done = page.evaluate(
    () =>
      new Promise((ok) => {
        const w = document.querySelector('clientele-report');
        w.addEventListener('clientele-report', () => ok('report'), { once: true });
        w.addEventListener('clientele-error', (e) => ok(JSON.stringify(e.detail)), { once: true });
      }),
  );
  await page.waitForTimeout(20);
  await action();
  return done;
}

const section = (id) => page.locator(`clientele-report [data-section="${id}"]`);

test('the sample: lifecycle, cohorts, migration from the worker; cross-sell unavailable', async () => {
  assert.equal(await analyze(() => page.getByRole('button', { name: 'Try the sample' }).click()), 'report');
  const report = await page.evaluate(() => document.querySelector('clientele-report').report);
  assert.equal(report.lifecycle.status, 'ok');
  assert.equal(report.cross_sell.status, 'unavailable');
  assert.equal(report.customers, undefined, 'no per-customer table on the page');
  assert.equal(report.migration.from_segment, undefined, 'no per-customer migration array on the page');
  assert.equal(await section('lifecycle').locator('table.lifecycle-stages tbody tr').count(), 5);
  assert.match(await section('cross_sell').innerText(), /no product column/);
  const cell = report.migration.cells.reduce((a, b) => (b.from != null && b.from !== b.to && b.customers > (a?.customers ?? 0) ? b : a), null);
  await section('migration').locator(`button[data-cell="${cell.from}:${cell.to}"]`).click();
  const list = section('migration').locator('[data-migration-list] table.migration-customers tbody tr');
  await list.first().waitFor();
  assert.equal(await list.count(), Math.min(50, cell.customers));
  const api = await page.evaluate(([f, t]) => document.querySelector('clientele-report').migrationRows(f, t, 0, 1000), [cell.from, cell.to]);
  assert.equal(api.total, cell.customers);
  assert.equal(api.rows.length, cell.customers);
  assert.ok(api.rows.every((r) => r.segment === report.migration.segments[cell.to]));
  await section('migration').screenshot({ path: join(SHOTS, 'campaign-page-migration.png') });
});

test('a file with a product column: pairs and next products', async () => {
  const lines = ['customer,date,sku,amount'];
  for (let c = 0; c < 60; c++) {
    const items = c % 3 === 0 ? ['TEA', 'CUPS'] : c % 3 === 1 ? ['TEA', 'CUPS', 'SAUCER'] : ['TEA'];
    items.forEach((sku, k) => lines.push(`c${c},2024-0${1 + (c % 6)}-${String(1 + k).padStart(2, '0')},${sku},${5 + k}.00`));
  }
  const path = join(work, 'baskets.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  assert.equal(await analyze(() => page.locator('clientele-report input[type=file]').setInputFiles(path)), 'report');
  const report = await page.evaluate(() => document.querySelector('clientele-report').report);
  assert.equal(report.cross_sell.status, 'ok');
  assert.equal(report.cross_sell.products, undefined, 'the product list stays in the worker');
  assert.equal(await section('cross_sell').locator('table.cross-sell-pairs tbody tr').count(), report.cross_sell.top_pairs.length);
  const rows = await page.evaluate(() => document.querySelector('clientele-report').customerRows(0, 100));
  const tea = rows.rows.filter((r) => r.next_product != null);
  assert.ok(tea.length > 0 && tea.every((r) => ['CUPS', 'SAUCER'].includes(r.next_product)), JSON.stringify(tea.slice(0, 3)));
  const csv = await page.evaluate(async () => (await document.querySelector('clientele-report').csv()).text());
  assert.ok(csv.split('\r\n')[0].endsWith(',lifecycle_stage,next_product'));
});

test('every request stayed on the page origin; no console errors', () => {
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
});
