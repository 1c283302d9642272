// The campaign sections in the built page (dist/), in Debian's Chromium: the sample (CDNOW has
// no product column) shows lifecycle, cohorts and migration, and cross-sell says why it is
// unavailable; a migration cell's customers come from the worker (element.migrationRows, the
// real paging path), and a file with a product column gets its pairs and next products. No
// console error, no request off the origin. Run after `scripts/lib.sh build_site`:
// `node --test tests/e2e/campaign_page.test.mjs`. Server and browser: tests/e2e/harness/browser.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, SHOTS } from './harness/browser.js';

let p;
let page;
let work;

before(async () => {
  p = await openPage('campaign-page');
  ({ page, work } = p);
});

after(async () => {
  await p?.close();
});

/** Runs `action` and waits for the analysis: 'report', or the error's detail. */
const analyze = (action) => p.run(action);
const section = (id) => p.section(id);

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
  assert.ok(csv.split('\r\n')[0].endsWith(',lifecycle_stage,next_product,next_product_name'));
});

test('every request stayed on the page origin; no console errors', () => {
  assert.deepEqual(p.consoleErrors, []);
  assert.deepEqual(p.requests.filter((u) => !u.startsWith(`${p.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
});
