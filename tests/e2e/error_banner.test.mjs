// The error banner (issue 12, finding 7): an error without a row or column must not print a
// literal "null", and every error names the file it is about, including the analyses' errors
// (kind data, invalid_option), which the core reports without a location. Checked on the
// banner's text and on the clientele-error event / the rejected promise of analyze().
// Run after `scripts/lib.sh build_site`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let server;
let context;
let page;
let work;

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(DIST, path));
    if (!file.startsWith(DIST)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  work = mkdtempSync(join(tmpdir(), 'clientele-e2e-errors-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.locator('clientele-report .drop').waitFor();
});

after(async () => {
  await context?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs analyze() on a file made of `text`; returns the rejected error, the event detail and the banner. */
async function failure(name, text, options) {
  return page.evaluate(
    async ([name, text, options]) => {
      const w = document.querySelector('clientele-report');
      let detail = null;
      const onError = (e) => (detail = { ...e.detail });
      w.addEventListener('clientele-error', onError);
      let rejected = null;
      try {
        await w.analyze(new File([text], name, { type: 'text/csv' }), options);
      } catch (e) {
        rejected = { ...e, message: e.message };
      }
      w.removeEventListener('clientele-error', onError);
      const alert = w.querySelector('.alert') ?? w.shadowRoot?.querySelector('.alert');
      const where = Object.fromEntries([...alert.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
      return { rejected, detail, text: alert.textContent, where, nodes: [...alert.childNodes].map((n) => n.nodeName) };
    },
    [name, text, options],
  );
}

const THREE = 'customer,date,amount\nA,2024-01-01,1\nB,2024-01-02,2\nC,2024-01-03,3\n';

for (const [label, name, text, options, kind] of [
  ['a data error (one customer)', 'one customer.csv', 'customer,date,amount\nA,2024-01-01,1\n', {}, 'data'],
  ['an invalid option (out of range)', 'shop export.csv', THREE, { rfm: { bins: 1 } }, 'invalid_option'],
  ['an invalid option (wrong type)', 'orders.csv', THREE, { rfm: { bins: 'x' } }, 'invalid_option'],
]) {
  test(`${label}: the banner names the file and prints no "null"`, async () => {
    const r = await failure(name, text, options);
    assert.ok(r.rejected, 'analyze() rejected');
    assert.equal(r.rejected.kind, kind);
    assert.equal(r.rejected.file, name, 'the rejected error names the file');
    assert.equal(r.detail.file, name, 'clientele-error names the file');
    assert.doesNotMatch(r.text, /null/, r.text);
    assert.deepEqual(r.nodes, ['STRONG', 'P', 'DL', 'P']);
    assert.deepEqual(r.where, { File: name });
  });
}

test('an error with nothing to locate shows no list and no "null"', async () => {
  // A worker error with no file, row or column (as a failed engine start reports it).
  const r = await page.evaluate(() => {
    const w = document.querySelector('clientele-report');
    w._showError({ message: 'The analysis engine failed to start: x', kind: 'internal' });
    const alert = w.querySelector('.alert') ?? w.shadowRoot?.querySelector('.alert');
    return { text: alert.textContent, nodes: [...alert.childNodes].map((n) => n.nodeName) };
  });
  assert.doesNotMatch(r.text, /null/, r.text);
  assert.deepEqual(r.nodes, ['STRONG', 'P', 'P']);
});

test('an ingest error keeps its own location (file, row, column)', async () => {
  const r = await failure('dates.csv', 'customer,date,amount\nA,someday,1\nB,never,2\nC,nope,3\n', {});
  assert.equal(r.rejected.kind, 'bad_dates');
  assert.equal(r.where.File, 'dates.csv');
  assert.equal(r.where.Row, '2');
  assert.equal(r.where.Column, 'date');
  assert.doesNotMatch(r.text, /null/);
});

test('the core boundary itself names the file of an analysis error (to_js_error)', async () => {
  // The wasm module straight from dist/pkg, without the element (whose fallback also names it).
  const r = await page.evaluate(async () => {
    const core = await import('./pkg/clientele.js');
    const bytes = await import('./pkg/clientele_wasm_bytes.js');
    core.initSync({ module: await bytes.default() });
    const three = new TextEncoder().encode('customer,date,amount\nA,2024-01-01,1\nB,2024-01-02,2\nC,2024-01-03,3\n');
    const one = new TextEncoder().encode('customer,date,amount\nA,2024-01-01,1\n');
    const out = {};
    for (const [label, input, options] of [
      ['data', one, { ingest: { file_name: 'one.csv' } }],
      ['range', three, { ingest: { file_name: 'two.csv' }, rfm: { bins: 1 } }],
      ['type', three, { ingest: { file_name: 'three.csv' }, rfm: { bins: 'x' } }],
      ['no name', three, { rfm: { bins: 1 } }],
    ]) {
      try {
        core.analyze(input, options);
        out[label] = 'no error';
      } catch (e) {
        out[label] = { file: e.file ?? null, hasFile: 'file' in e, kind: e.kind, row: 'row' in e, column: 'column' in e };
      }
    }
    return out;
  });
  assert.deepEqual(r.range, { file: 'two.csv', hasFile: true, kind: 'invalid_option', row: false, column: false });
  assert.deepEqual(r.type, { file: 'three.csv', hasFile: true, kind: 'invalid_option', row: false, column: false });
  assert.deepEqual(r['no name'], { file: null, hasFile: false, kind: 'invalid_option', row: false, column: false });
  assert.deepEqual(r.data, { file: 'one.csv', hasFile: true, kind: 'data', row: false, column: false });
});
