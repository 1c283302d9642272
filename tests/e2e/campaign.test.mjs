// End-to-end tests of the campaign sections (lifecycle, cohorts, segment migration, cross-sell)
// in Debian's Chromium, driven by playwright-core. Reports come from the release CLI on Online
// Retail (StockCode is the product column) and the grocery log (no product column, no amounts),
// are handed to a harness page (tests/e2e/harness/sections.html) that renders the section
// modules under the page's CSP, and are checked for charts, table rows, key figures as the
// report has them, a migration cell's customer list, the "unavailable" explanation, no console
// errors and no request leaving the origin. Screenshots go to test-results/campaign-*.png.
// Run: `node --test tests/e2e/campaign.test.mjs` (builds the release CLI first, honouring
// CARGO_TARGET_DIR). Server, browser and harness: tests/e2e/harness/browser.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cliReports, DATA, openHarness, SHOTS } from './harness/browser.js';

const FILES = {
  online_retail: join(DATA, 'online_retail/online_retail.csv'),
  grocery: join(DATA, 'grocery/groceryElog.csv'),
};
const nf = (min, max) => new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
const f = { int: (x) => nf(0, 0).format(x), pct: (x) => `${nf(1, 1).format(100 * x)}%`, num2: (x) => nf(2, 2).format(x) };
const CAMPAIGN = ['lifecycle', 'cohorts', 'migration', 'cross_sell'];

let h;
let reports;

before(async () => {
  reports = cliReports(FILES, ['--today', '2026-01-01']);
  h = await openHarness('campaign');
});

after(async () => {
  await h?.close();
});

const render = (report) => h.render(report, CAMPAIGN);
const section = (id) => h.section(id);
const shot = (dataset, id) => section(id).screenshot({ path: join(SHOTS, `campaign-${dataset}-${id}.png`) });
const assertClean = () => h.assertClean();

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
  const reruns = await h.reruns();
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
  // Products by their name from Description, as written, with the StockCode after it.
  const p0 = x.top_pairs[0];
  assert.ok(p0.a_name && p0.b_name, 'Online Retail has a product-name column (Description)');
  assert.deepEqual(first.slice(0, 3), [`${p0.a_name} ${p0.a}`, `${p0.b_name} ${p0.b}`, f.int(p0.customers)]);
  assert.match(await section('cross_sell').innerText(), /Products are the values of “StockCode” shown with their name from “Description”/);
  assert.equal(first[6], f.num2(x.top_pairs[0].lift));
  assert.equal(await section('cross_sell').locator('details[data-segment]').count(), x.by_segment.length);
  await section('cross_sell').locator('[data-input="min-support"]').fill('0.02');
  await section('cross_sell').locator('[data-action="min-support"]').click();
  const last = (await h.reruns()).at(-1);
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
