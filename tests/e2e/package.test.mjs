// The npm package in the hosts an embedder writes (issue 18): `scripts/build-package.mjs` packs
// it, the tarball is unpacked and served with the example pages of www/examples/ beside it
// (as a page that copied the package folder would), and Chromium loads each host with a real
// file: the plain HTML dashboard (two instances, one dark, options as attributes, the view state
// in the URL hash), the page under the demo's strict policy (embedded wasm bytes), a saved
// Report drawn without its file, and a Vite app that installs the tarball (Vite from the npm
// registry; the build itself is offline). Every test checks that no request leaves the origin.
// Run after `scripts/lib.sh build_site` (or assemble_site).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import ts from 'typescript';
import { ROOT, SHOTS } from './harness/browser.js';

const DIST = join(ROOT, 'dist');
const CDNOW = join(ROOT, 'www/sample/CDNOW_sample.txt');
const SHOPIFY = join(ROOT, 'tests/fixtures/customer_table/shopify_customers.csv');
/** The Vite the example pins (www/examples/vite-app/package.json). */
const VITE = JSON.parse(readFileSync(join(ROOT, 'www/examples/vite-app/package.json'), 'utf8')).devDependencies.vite;
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

let work;
let tarball;
/** The members ClienteleReport declares (clientele-report.d.ts), checked on the live element. */
let declaredMembers = [];
let context;
const servers = [];

/** Serves `route(pathname)` → file path (or null) on a free port; returns its origin. */
async function serve(route) {
  const server = http.createServer((req, res) => {
    const file = route(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file || !existsSync(file) || statSync(file).isDirectory()) return res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

/** A path under `dir`, or null if it would leave it. */
function inside(dir, path) {
  const file = normalize(join(dir, path));
  return file === dir || file.startsWith(dir + sep) ? file : null;
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'element-styles.js')), 'dist/ is missing or old: build it first (scripts/lib.sh build_site)');
  work = mkdtempSync(join(tmpdir(), 'clientele-e2e-package-'));
  tarball = execFileSync('node', [join(ROOT, 'scripts/build-package.mjs')], { cwd: ROOT, encoding: 'utf8' }).trim();
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    locale: 'en-US',
    viewport: { width: 1400, height: 1000 },
  });
});

after(async () => {
  await context?.close();
  for (const s of servers) s.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The unpacked package at /, the example pages at /examples/ (as copied beside it). */
async function packageHost() {
  const pkg = join(work, 'package');
  const examples = join(ROOT, 'www/examples');
  return serve((path) => (path.startsWith('/examples/') ? inside(examples, path.slice('/examples/'.length)) : inside(pkg, path)));
}

/** Opens `url` in a new tab that records requests and console errors. */
async function open(url) {
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  const origin = new URL(url).origin;
  return { page, requests, errors, foreign: () => requests.filter((u) => !u.startsWith(origin) && !/^(blob|data):/.test(u)) };
}

/** Waits for `count` clientele-report (or -error) events after `action`; returns their details. */
async function reports(page, action, count = 1, timeout = 120_000) {
  const outcome = page.evaluate(
    ([n, ms]) =>
      new Promise((ok) => {
        const got = [];
        const on = (e) => {
          got.push(e.type === 'clientele-report' ? { id: e.target.id, customers: e.detail.summary.customers, report: e.detail } : { id: e.target.id, error: e.detail });
          if (got.length === n) ok(got);
        };
        document.addEventListener('clientele-report', on);
        document.addEventListener('clientele-error', on);
        setTimeout(() => ok(got), ms);
      }),
    [count, timeout],
  );
  await page.waitForTimeout(20);
  await action();
  return outcome;
}

/** The colours of a screenshot of `locator`, read in the page (createImageBitmap on the PNG):
 *  how many pixels are within a small distance of each of `colours` ('#rrggbb'). */
async function pixelCounts(page, locator, colours) {
  const png = await locator.screenshot();
  return page.evaluate(
    async ([b64, wanted]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const g = canvas.getContext('2d');
      g.drawImage(bitmap, 0, 0);
      const { data } = g.getImageData(0, 0, bitmap.width, bitmap.height);
      const rgb = wanted.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
      const counts = wanted.map(() => 0);
      for (let i = 0; i < data.length; i += 4) {
        rgb.forEach(([r, gr, b], k) => {
          if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - gr) + Math.abs(data[i + 2] - b) < 12) counts[k]++;
        });
      }
      return Object.fromEntries(wanted.map((h, k) => [h, counts[k]]));
    },
    [png.toString('base64'), colours],
  );
}

/** Every fill and stroke of the marks (not the text) in the charts of `#id`, with how light each
 *  is (relative luminance, 0 black – 1 white), the lightest first. Labels are left out: a dark
 *  theme's text is light on purpose. */
function chartColours(page, id) {
  return page.evaluate((id) => {
    const luminance = (c) => {
      const m = c.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
      let rgb;
      if (m) {
        const h = m[1].length === 3 ? [...m[1]].map((x) => x + x).join('') : m[1];
        rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
      } else {
        const r = c.match(/^rgba?\(([^)]+)\)$/);
        if (!r) return null;
        const parts = r[1].split(',').map(Number);
        if (parts.length > 3 && parts[3] < 0.3) return null; // nearly transparent
        rgb = parts.slice(0, 3);
      }
      const lin = rgb.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    };
    const seen = new Map();
    const root = document.getElementById(id).shadowRoot;
    for (const section of root.querySelectorAll('section[data-section]:not([hidden])')) {
      for (const node of section.querySelectorAll('.chart svg *')) {
        if (node.closest('text')) continue;
        for (const attr of ['fill', 'stroke']) {
          const c = node.getAttribute(attr);
          if (!c || c === 'none' || c === 'transparent' || c.startsWith('url(')) continue;
          const opacity = Number(node.getAttribute(`${attr}-opacity`) ?? node.getAttribute('opacity') ?? 1);
          if (opacity < 0.3) continue;
          const l = luminance(c);
          if (l == null) continue;
          const key = `${section.dataset.section} ${node.tagName} ${attr}=${c}`;
          seen.set(key, l);
        }
      }
    }
    return [...seen].sort((a, b) => b[1] - a[1]);
  }, id);
}

test('the package: manifest, files, licences, declarations', () => {
  const pkg = join(work, 'package');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'clientele');
  assert.equal(manifest.exports['.'].types, './index.d.ts');
  assert.deepEqual(manifest.sideEffects, ['./index.js', './clientele-report.js']);
  for (const f of ['index.js', 'index.d.ts', 'clientele-report.js', 'clientele-report.d.ts', 'api.js', 'worker-source.js', 'element-styles.js', 'pkg/clientele_bg.wasm', 'pkg/clientele_workbook_bg.wasm', 'pkg/clientele_wasm_bytes.js', 'pkg/clientele.d.ts', 'vendor/echarts.js', 'README.md', 'THIRD_PARTY_LICENSES.md']) {
    assert.ok(existsSync(join(pkg, f)), `${f} is in the package`);
  }
  assert.ok(!existsSync(join(pkg, 'index.html')) && !existsSync(join(pkg, 'sample')), 'the demo page stays out');
  const licences = readFileSync(join(pkg, 'THIRD_PARTY_LICENSES.md'), 'utf8');
  assert.match(licences, /\| echarts \| [\d.]+ \| Apache-2\.0 \|/);
  assert.match(licences, /\| wasm-bindgen \| [\d.]+ \| MIT OR Apache-2\.0 \|/);
  assert.match(licences, /\| calamine \| /, 'the workbook core\'s crates are listed');
  assert.match(licences, /Apache ECharts[\s\S]*NOTICE|NOTICE[\s\S]*Apache ECharts/);
});

/** Type-checks `source` (check.ts in the unpacked package) under `strict`; returns the diagnostics. */
function typeCheck(source) {
  const pkg = join(work, 'package');
  writeFileSync(join(pkg, 'check.ts'), source);
  try {
    const program = ts.createProgram([join(pkg, 'check.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
    });
    const cls = program.getSourceFile(join(pkg, 'clientele-report.d.ts'))?.statements.find((st) => ts.isClassDeclaration(st) && st.name?.text === 'ClienteleReport');
    declaredMembers = [...new Set((cls?.members ?? []).filter((m) => m.name && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)).filter((m) => ts.isIdentifier(m.name)).map((m) => m.name.text))];
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start != null ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      return `${d.file?.fileName.split('/').pop() ?? ''}${where ? `:${where.line + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n').slice(0, 400)}`;
    });
  } finally {
    rmSync(join(pkg, 'check.ts'));
  }
}

test("the package's declarations: real PageReports, the element's properties and typed events", async () => {
  const pkg = join(work, 'package');
  const { initSync, analyze } = await import(pathToFileURL(join(pkg, 'pkg/clientele.js')).href);
  initSync({ module: readFileSync(join(pkg, 'pkg/clientele_bg.wasm')) });
  const page = (file, options) => {
    const a = analyze(readFileSync(file), options, undefined);
    const r = a.pageReport();
    a.free();
    return r;
  };
  const reports = [page(CDNOW, {}), page(SHOPIFY, {}), page(CDNOW, { run: { clusters: false, propensity: false, clv: false } })];
  const diagnostics = typeCheck(
    `import { analyze, analyzeBlob, preload, type ClienteleReport, type PageReport, type ViewState, type ErrorDetail } from './index.js';\n` +
      reports.map((r, i) => `export const report${i}: PageReport = ${JSON.stringify(r)};`).join('\n') +
      `
declare const el: ClienteleReport;
el.addEventListener('clientele-report', (e) => { const n: number = e.detail.summary.customers; void n; });
el.addEventListener('clientele-progress', (e) => { const f: number = e.detail.total_bytes + e.detail.fraction; void f; });
el.addEventListener('clientele-error', (e) => { const d: ErrorDetail = e.detail; void d; });
el.addEventListener('clientele-state', (e) => { const s: ViewState = e.detail; void s; });
el.addEventListener('clientele-language', (e) => { const l: 'en' | 'zh-Hans' | 'zh-Hant' = e.detail.lang; void l; });
const state: ViewState = el.save();
el.restore(state);
el.bins = 4; el.k = 'auto'; el.tieRule = 'rank_first'; el.clvModel = 'pnbd'; el.asOf = '2024-01-01';
el.horizonDays = 90; el.clvMonths = 12; el.sections = ['rfm', 'clv']; el.options = { cluster: { k: 4 } };
const created = document.createElement('clientele-report');
created.report = report0;
export const runs: Promise<PageReport>[] = [el.analyze(new Blob([])), analyzeBlob(new Blob([]), { rfm: { bins: 4 } }, (p) => p.stage), analyze(new Uint8Array(), {}, undefined, { signal: new AbortController().signal })];
export const ready: Promise<void> = preload({ workbook: true });
// @ts-expect-error not a tie rule
el.tieRule = 'rank_max';
`,
  );
  assert.deepEqual(diagnostics, []);
  assert.ok(declaredMembers.includes('report') && declaredMembers.includes('save') && declaredMembers.length > 20, declaredMembers.join());
});

test('the dashboard: two instances from the packed package, options, events, a dark theme that reaches the charts, the state in the hash', async () => {
  const origin = await packageHost();
  // The host's own fragment: an anchor and another app's parameter, kept beside the states.
  const HOST_HASH = '#pricing&app=tab%3D2';
  const { page, errors, foreign } = await open(`${origin}/examples/dashboard.html${HOST_HASH}`);
  /** The state an element keeps in the hash (its own parameter `clientele.<id>`). */
  const hashOf = (id) => page.evaluate((id) => JSON.parse(new URLSearchParams(location.hash.slice(1)).get(`clientele.${id}`)), id);
  try {
    await page.locator('#focus').waitFor({ state: 'attached' });
    // Nothing starts before first use: no worker, no wasm.
    assert.equal(await page.evaluate(() => document.querySelector('#overview')._worker), null);
    // A second instance mirrors its state in the hash too: two parameters, neither overwriting.
    await page.evaluate(() => document.querySelector('#overview').setAttribute('hash-state', ''));
    const got = await reports(page, () => page.locator('#file').setInputFiles(CDNOW), 2);
    assert.equal(got.length, 2, JSON.stringify(got.map((g) => g.error ?? g.id)));
    const byId = Object.fromEntries(got.map((g) => [g.id, g]));
    assert.equal(byId.overview.customers, 2349);
    assert.equal(byId.focus.customers, 2349);
    assert.equal(byId.focus.report.clusters.status, 'ok');
    assert.equal(byId.focus.report.clusters.k, 5, 'k="5"');
    assert.notEqual(byId.overview.report.clusters.chosen_by, byId.focus.report.clusters.chosen_by, 'the other instance chose its own k');
    assert.equal(byId.focus.report.rfm.bins, 4, 'bins="4"');
    // Sections: the focus instance shows only those listed, and its worker computed only them.
    const shown = await page.evaluate(() => [...document.querySelector('#focus').shadowRoot.querySelectorAll('section[data-section]')].filter((s) => !s.hidden).map((s) => s.dataset.section));
    assert.deepEqual(shown, ['rfm', 'clusters', 'clv']);
    for (const name of ['propensity', 'lifecycle', 'cross_sell', 'cohorts', 'migration']) {
      assert.deepEqual([byId.focus.report[name].status, byId.focus.report[name].code], ['unavailable', 'not_requested'], name);
      // The other instance computed it (cross-sell is unavailable for CDNOW: no product column).
      assert.notEqual(byId.overview.report[name].code, 'not_requested', `overview: ${name}`);
    }
    assert.equal(byId.focus.report.clv.status, 'ok');
    // The host's events and own UI.
    const events = await page.evaluate(() => window.dashboardEvents.map((e) => `${e.id}:${e.type}`));
    assert.ok(events.includes('overview:clientele-report') && events.includes('focus:clientele-report'), events.join());
    assert.ok(events.includes('focus:clientele-state'), events.join());
    assert.match(await page.locator('#status').textContent(), /2,349 customers as of 1998-07-01/);

    // Theming: the dark instance's segment bars in --clientele-chart-1, the other's in the default.
    const bars = (id) => page.locator(`#${id} [data-section="rfm"] .chart`).nth(1);
    const dark = await pixelCounts(page, bars('focus'), ['#ff2d95', '#2f6fde', '#1a1f28']);
    const light = await pixelCounts(page, bars('overview'), ['#ff2d95', '#2f6fde']);
    assert.ok(dark['#ff2d95'] > 200 && dark['#2f6fde'] === 0, JSON.stringify(dark));
    assert.ok(dark['#1a1f28'] > 10_000, `the ::part(chart) background: ${JSON.stringify(dark)}`);
    assert.ok(light['#2f6fde'] > 200 && light['#ff2d95'] === 0, JSON.stringify(light));
    // And the axis labels in --clientele-muted (ECharts draws them as SVG text with a fill).
    const fills = await page.evaluate(() => [...document.querySelector('#focus').shadowRoot.querySelectorAll('[data-section="rfm"] .chart svg text')].map((t) => t.getAttribute('fill')));
    assert.ok(fills.includes('#9aa4b5') || fills.includes('rgb(154,164,181)'), fills.slice(0, 10).join());
    // Every mark of the dark charts (heatmap ends, cell borders, grid and reference lines) is
    // themed: none is drawn in a light colour the dark theme did not ask for.
    const lightest = (await chartColours(page, 'focus')).filter(([, l]) => l > 0.75);
    assert.deepEqual(lightest, [], 'light marks in the dark theme');
    const rfmGrid = await pixelCounts(page, page.locator('#focus [data-section="rfm"] .chart').first(), ['#ffffff', '#eef3fc', '#1d232d']);
    assert.ok(rfmGrid['#ffffff'] === 0 && rfmGrid['#eef3fc'] === 0 && rfmGrid['#1d232d'] > 100, `the RFM grid's cell borders and low end: ${JSON.stringify(rfmGrid)}`);
    const lightCharts = await chartColours(page, 'overview');
    assert.ok(lightCharts.some(([k]) => /^rfm .*stroke=(#fff|#ffffff)$/i.test(k)), 'the light instance keeps its white cell borders');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'package-dashboard.png'), fullPage: false });
    await page.locator('#focus [data-section="clv"] .chart').nth(2).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'package-dashboard-dark-clv.png'), fullPage: false });

    // The view state: in the hash (hash-state), saved, changed through a property (the file runs
    // again), and restored.
    const hashState = await hashOf('focus');
    assert.deepEqual(hashState, { version: 1, options: { rfm: { bins: 4 }, cluster: { k: 5 }, clv: { model: 'bgnbd' } }, sections: ['rfm', 'clusters', 'clv'], lang: null });
    assert.deepEqual(await hashOf('overview'), { version: 1, options: {}, sections: null, lang: null });
    const hash = await page.evaluate(() => location.hash);
    assert.ok(hash.startsWith(`${HOST_HASH}&clientele.`), `the host's anchor and parameter stay first, as they were: ${hash}`);
    const saved = await page.evaluate(() => document.querySelector('#focus').save());
    assert.deepEqual(saved, hashState);
    // Every member the declarations name is on the live element.
    assert.ok(declaredMembers.length, 'the declarations test ran first');
    assert.deepEqual(await page.evaluate((names) => names.filter((n) => !(n in document.querySelector('#focus'))), declaredMembers), []);
    const rerun = await reports(page, () => page.evaluate(() => { document.querySelector('#focus').bins = 3; }));
    assert.equal(rerun[0].report.rfm.bins, 3);
    assert.equal((await hashOf('focus')).options.rfm.bins, 3);
    assert.deepEqual(await hashOf('overview'), { version: 1, options: {}, sections: null, lang: null }, 'the other state is untouched');
    const restored = await reports(page, () => page.evaluate((s) => document.querySelector('#focus').restore(s), saved));
    assert.equal(restored[0].report.rfm.bins, 4);
    assert.equal(await page.evaluate(() => document.querySelector('#focus').getAttribute('bins')), null, 'the state went to the options attribute');
    // The language (lang, www/i18n.js) is part of the state too; the report is re-worded, not re-run.
    const heading = () => page.locator('#focus [data-section="rfm"] h2').textContent();
    const english = await heading();
    await page.evaluate(() => { document.querySelector('#focus').lang = 'zh-Hans'; });
    await page.waitForFunction((en) => document.querySelector('#focus').shadowRoot.querySelector('[data-section="rfm"] h2')?.textContent !== en, english);
    assert.notEqual(await heading(), english);
    assert.equal((await hashOf('focus')).lang, 'zh-Hans');
    // A link to an #anchor replaces the hash; each element puts its state back beside it.
    await page.evaluate(() => { location.hash = 'pricing'; });
    await page.waitForFunction(() => location.hash.includes('clientele.focus=') && location.hash.includes('clientele.overview='));
    assert.ok((await page.evaluate(() => location.hash)).startsWith('#pricing&clientele.'));
    assert.equal((await hashOf('focus')).lang, 'zh-Hans');

    // A link with the state in its hash opens with that state.
    const link = await page.evaluate(() => location.href);
    const second = await open(link);
    try {
      await second.page.locator('#focus').waitFor({ state: 'attached' });
      assert.deepEqual(await second.page.evaluate(() => document.querySelector('#focus').save()), { ...saved, options: { ...saved.options }, lang: 'zh-Hans' });
      assert.deepEqual(second.errors, []);
    } finally {
      await second.page.close();
    }

    // Showing a section that was not computed analyses the file again, now with it.
    const more = await reports(page, () => page.evaluate(() => { document.querySelector('#focus').sections = ['rfm', 'clusters', 'clv', 'propensity', 'cohorts']; }));
    assert.equal(more[0].id, 'focus');
    assert.equal(more[0].report.cohorts.status, 'ok');
    assert.equal(more[0].report.propensity.status, 'ok');
    assert.equal(more[0].report.migration.code, 'not_requested');
    await page.locator('#focus [data-section="cohorts"] .chart svg').waitFor();
    const lighter = (await chartColours(page, 'focus')).filter(([, l]) => l > 0.75);
    assert.deepEqual(lighter, [], 'light marks in the dark cohorts and propensity charts');

    assert.deepEqual(foreign(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the strict-CSP page: connect-src 'none', the embedded wasm bytes, results and events", async () => {
  const origin = await packageHost();
  const { page, requests, errors, foreign } = await open(`${origin}/examples/strict-csp.html`);
  try {
    await page.locator('clientele-report .drop').waitFor();
    const got = await reports(page, () => page.locator('clientele-report input[type=file]').setInputFiles(SHOPIFY));
    assert.equal(got[0]?.customers, 8, JSON.stringify(got[0]?.error));
    const core = requests.filter((u) => /\/pkg\/clientele_(bg\.wasm|wasm_bytes\.js)$/.test(u)).map((u) => u.slice(u.lastIndexOf('/') + 1));
    assert.deepEqual(core, ['clientele_wasm_bytes.js']);
    const csv = await page.evaluate(async () => (await (await document.querySelector('clientele-report').csv()).text()).split('\n')[0]);
    assert.match(csv, /^customer_id,/);
    assert.deepEqual(foreign(), []);
    assert.deepEqual(errors, [], 'no policy violation');
  } finally {
    await page.close();
  }
});

test('a saved Report is drawn without its file, and the headless API analyses a Blob', async () => {
  const origin = await packageHost();
  const saved = JSON.parse(
    JSON.stringify(
      await (async () => {
        const { page } = await open(`${origin}/examples/strict-csp.html`);
        try {
          await page.locator('clientele-report .drop').waitFor();
          const [r] = await reports(page, () => page.locator('clientele-report input[type=file]').setInputFiles(CDNOW));
          // As the README's "A saved report": the Report and the view, through JSON.
          return await page.evaluate(() => {
            const el = document.querySelector('clientele-report');
            return { report: JSON.stringify(el.report), view: JSON.stringify({ ...el.save(), sections: ['rfm', 'customers'] }) };
          });
        } finally {
          await page.close();
        }
      })(),
    ),
  );
  const { page, requests, errors, foreign } = await open(`${origin}/examples/strict-csp.html`);
  try {
    await page.locator('clientele-report .drop').waitFor();
    const got = await reports(page, () =>
      page.evaluate(({ report, view }) => {
        const el = document.querySelector('clientele-report');
        el.restore(JSON.parse(view));
        el.report = JSON.parse(report);
      }, saved),
    );
    assert.equal(got[0].customers, 2349);
    const shown = await page.evaluate(() => [...document.querySelector('clientele-report').shadowRoot.querySelectorAll('section[data-section]')].filter((s) => !s.hidden).map((s) => s.dataset.section));
    assert.deepEqual(shown, ['rfm', 'customers'], 'the view restored with it');
    const rfm = page.locator('clientele-report [data-section="rfm"]');
    await rfm.locator('.chart svg').first().waitFor();
    assert.match(await page.locator('clientele-report .file-info').textContent(), /CDNOW_sample\.txt · 2,349 customers · as of 1998-07-01/);
    assert.equal(await page.locator('clientele-report [data-section="customers"] table tbody tr').count(), 100, 'the top customers the report carries');
    assert.equal(await page.locator('clientele-report [data-action="export"]').isHidden(), true, 'no export without the file');
    assert.equal(await page.evaluate(() => document.querySelector('clientele-report')._worker), null, 'no worker started');
    assert.deepEqual(requests.filter((u) => /\/pkg\//.test(u)), [], 'no wasm loaded');

    // The headless API, in the same strict page.
    const headless = await page.evaluate(async () => {
      const { analyze } = await import('/index.js');
      const stages = new Set();
      const bytes = new TextEncoder().encode('customer,date,amount\na,2024-01-02,10\nb,2024-01-05,20\na,2024-02-01,5\n');
      const r = await analyze(bytes, { run: { clusters: false } }, (p) => stages.add(p.stage));
      return { customers: r.summary.customers, clusters: r.clusters.status, stages: [...stages] };
    });
    assert.deepEqual({ customers: headless.customers, clusters: headless.clusters }, { customers: 2, clusters: 'skipped' });
    assert.ok(headless.stages.includes('reading'), headless.stages.join());
    assert.deepEqual(foreign(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a Vite app installs the packed tarball, builds offline and shows a figure of the Report', async () => {
  const app = join(work, 'vite-app');
  cpSync(join(ROOT, 'www/examples/vite-app'), app, { recursive: true, filter: (f) => !/node_modules|[\\/]dist$/.test(f) });
  // The example depends on `file:clientele.tgz`; its lockfile pins Vite's tree (and leaves the
  // tarball's integrity out, as every build makes a new one).
  cpSync(tarball, join(app, 'clientele.tgz'));
  const t0 = Date.now();
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  const t1 = Date.now();
  execFileSync(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`# vite ${VITE}: npm install ${((t1 - t0) / 1000).toFixed(1)} s, vite build ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const out = join(app, 'dist');
  const origin = await serve((path) => inside(out, path === '/' ? 'index.html' : path.slice(1)));
  const { page, requests, errors, foreign } = await open(`${origin}/`);
  try {
    await page.locator('clientele-report .drop').waitFor();
    const got = await reports(page, () => page.locator('clientele-report input[type=file]').setInputFiles(CDNOW));
    assert.equal(got[0]?.customers, 2349, JSON.stringify(got[0]?.error));
    const champions = got[0].report.rfm.segments.find((s) => s.name === 'Champions').customers;
    assert.equal(await page.locator('#champions').textContent(), champions.toLocaleString('en-US'));
    assert.equal(await page.locator('#customers').textContent(), '2,349');
    // The wasm came as a file Vite emitted (fetched: the app has no policy), preloaded.
    const wasm = requests.filter((u) => u.endsWith('.wasm'));
    assert.equal(wasm.length, 1, wasm.join());
    assert.match(wasm[0], /\/assets\/clientele_bg-[\w-]+\.wasm$/);
    // Its theme reaches the charts: --clientele-chart-1 is #0f766e in the app's CSS.
    const counts = await pixelCounts(page, page.locator('clientele-report [data-section="rfm"] .chart').nth(1), ['#0f766e']);
    assert.ok(counts['#0f766e'] > 200, JSON.stringify(counts));
    assert.deepEqual(foreign(), []);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
