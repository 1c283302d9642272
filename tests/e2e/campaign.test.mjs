// End-to-end tests of the campaign sections (lifecycle, cohorts, segment migration, cross-sell)
// in Debian's Chromium, driven by playwright-core. Reports come from the release CLI on Online
// Retail (StockCode is the product column) and the grocery log (no product column, no amounts),
// are handed to a harness page (tests/e2e/harness/campaign.html) that renders the section
// modules under the page's CSP, and are checked for charts, table rows, key figures as the
// report has them, a migration cell's customer list, the "unavailable" explanation, no console
// errors and no request leaving the origin. Screenshots go to test-results/campaign-*.png.
// Run: `node --test tests/e2e/campaign.test.mjs` (builds the release CLI first, honouring
// CARGO_TARGET_DIR).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = join(ROOT, 'www');
const DIST = join(ROOT, 'dist');
const HARNESS = join(ROOT, 'tests/e2e/harness');
const DATA = resolve(ROOT, '../shared/data');
const SHOTS = join(ROOT, 'test-results');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const CLI = join(TARGET, 'release', 'clientele');

const FILES = {
  online_retail: join(DATA, 'online_retail/online_retail.csv'),
  grocery: join(DATA, 'grocery/groceryElog.csv'),
};
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const nf = (min, max) => new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
const f = { int: (x) => nf(0, 0).format(x), pct: (x) => `${nf(1, 1).format(100 * x)}%`, num2: (x) => nf(2, 2).format(x) };

let server;
let origin;
let context;
let page;
let work;
const reports = {};
const requests = [];
const consoleErrors = [];

function fileFor(path) {
  const inside = (base, p) => {
    const file = normalize(join(base, p));
    return file === base || file.startsWith(base + sep) ? file : null;
  };
  const candidates = path.startsWith('/harness/')
    ? [inside(HARNESS, path.slice('/harness'.length))]
    : [inside(WWW, path), inside(DIST, path), path === '/vendor/echarts.js' ? join(ROOT, 'node_modules/echarts/dist/echarts.esm.min.js') : null];
  return candidates.find((c) => c && existsSync(c) && statSync(c).isFile()) ?? null;
}

function serve() {
  return new Promise((ok) => {
    const s = http.createServer((req, res) => {
      const file = fileFor(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!file) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

function analyze(name) {
  const out = join(work, `${name}.json`);
  // The slow models are not needed here.
  const options = ['--today', '2026-01-01'];
  const r = spawnSync(CLI, ['analyze', FILES[name], ...options, '--json', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, `clientele analyze ${FILES[name]} failed:\n${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}

before(async () => {
  const build = spawnSync('cargo', ['build', '--quiet', '--release', '--bin', 'clientele'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(build.status, 0, 'cargo build --release --bin clientele failed');
  mkdirSync(SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'clientele-campaign-'));
  for (const name of Object.keys(FILES)) reports[name] = analyze(name);
  server = await serve();
  origin = `http://127.0.0.1:${server.address().port}`;
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    locale: 'en-US',
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
});

after(async () => {
  await context?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function render(report) {
  await page.goto(`${origin}/harness/campaign.html`);
  await page.waitForFunction(() => window.harnessReady === true);
  const failures = await page.evaluate((r) => window.renderSections(r), report);
  assert.deepEqual(failures, {}, 'a section threw while rendering');
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}

const section = (id) => page.locator(`section[data-section="${id}"]`);
const shot = (dataset, id) => section(id).screenshot({ path: join(SHOTS, `campaign-${dataset}-${id}.png`) });

function assertClean() {
  assert.deepEqual(consoleErrors, [], 'console errors');
  const away = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
  assert.deepEqual(away, [], 'requests that left the origin');
}

test('Online Retail: lifecycle, cohorts, migration and cross-sell sections', async () => {
  const r = reports.online_retail;
  for (const key of ['lifecycle', 'cohorts', 'migration', 'cross_sell']) assert.equal(r[key].status, 'ok', key);
  await render(r);

  const l = r.lifecycle;
  const stageRows = section('lifecycle').locator('table.lifecycle-stages tbody tr');
  assert.equal(await stageRows.count(), 5);
  const counts = await section('lifecycle').locator('table.lifecycle-stages tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(counts, l.stages.map((s) => f.int(s.customers)));
  assert.match(await section('lifecycle').locator('[data-windows]').innerText(), new RegExp(`median gap .* is ${l.median_gap_days.toFixed(1)} days`));
  assert.equal(await section('lifecycle').locator('table.lifecycle-alternatives tbody tr').count(), l.alternatives.length);
  await section('lifecycle').locator('[data-action="lifecycle-use"]').first().click();
  const reruns = await page.evaluate(() => window.reruns);
  assert.ok(reruns[0]?.lifecycle?.active_days > 0, 'Use these analyses again with those windows');
  await shot('online_retail', 'lifecycle');

  const c = r.cohorts;
  const svg = await section('cohorts').locator('.chart svg').first().textContent();
  assert.ok(svg.includes(f.pct(c.cohorts[0].share[1])), 'cells carry their share');
  assert.equal(await section('cohorts').locator('table.cohorts-table tbody tr').count(), c.cohorts.length);
  await section('cohorts').locator('[data-cohort-mode="revenue"]').click();
  const svgMoney = await section('cohorts').locator('.chart svg').first().textContent();
  assert.ok(svgMoney.includes(nf(2, 2).format(c.cohorts[0].revenue_per_customer[1])), 'revenue per customer in the cells');
  await section('cohorts').locator('[data-cohort-mode="share"]').click();
  await shot('online_retail', 'cohorts');

  const m = r.migration;
  assert.equal(await section('migration').locator('table.migration-matrix button[data-cell]').count(), m.cells.length);
  const champions = m.segments.indexOf('Champions');
  const atRisk = m.segments.indexOf('At Risk');
  const cell = m.cells.find((x) => x.from === champions && x.to !== champions) ?? m.cells[0];
  await section('migration').locator(`button[data-cell="${cell.from ?? 'new'}:${cell.to}"]`).click();
  const list = section('migration').locator('[data-migration-list]');
  await list.locator('table.migration-customers').waitFor();
  assert.match(await list.locator('h3').innerText(), new RegExp(`${f.int(cell.customers)} customers`));
  assert.equal(await list.locator('table.migration-customers tbody tr').count(), Math.min(50, cell.customers));
  assert.ok(atRisk >= 0);
  assert.ok((await section('migration').locator('.chart svg').count()) === 1, 'the Sankey');
  await shot('online_retail', 'migration');

  const x = r.cross_sell;
  assert.equal(await section('cross_sell').locator('table.cross-sell-pairs tbody tr').count(), x.top_pairs.length);
  const first = await section('cross_sell').locator('table.cross-sell-pairs tbody tr').first().locator('td').allInnerTexts();
  assert.deepEqual(first.slice(0, 3), [x.top_pairs[0].a, x.top_pairs[0].b, f.int(x.top_pairs[0].customers)]);
  assert.equal(first[6], f.num2(x.top_pairs[0].lift));
  assert.equal(await section('cross_sell').locator('details[data-segment]').count(), x.by_segment.length);
  await section('cross_sell').locator('[data-input="min-support"]').fill('0.02');
  await section('cross_sell').locator('[data-action="min-support"]').click();
  const last = await page.evaluate(() => window.reruns.at(-1));
  assert.deepEqual(last, { cross_sell: { min_support: 0.02 } });
  await shot('online_retail', 'cross_sell');
  assertClean();
});

test('grocery: no product column, no amounts', async () => {
  const r = reports.grocery;
  assert.equal(r.cross_sell.status, 'unavailable');
  await render(r);
  assert.match(await section('cross_sell').innerText(), /no product column/);
  const revenue = await section('lifecycle').locator('table.lifecycle-stages tbody tr td:nth-child(6)').allInnerTexts();
  assert.ok(revenue.every((t) => t === 'n/a'), 'no amounts: revenue is n/a, never 0');
  assert.equal(await section('cohorts').locator('[data-cohort-mode="revenue"]').count(), 0);
  await shot('grocery', 'lifecycle');
  assertClean();
});
