// Parquet dropped on the page (issue 19). The page's first core reads text tables only: a
// .parquet file makes the element fetch the second core (the one with the workbook and Parquet
// readers) and read the same file again there. Two files:
// - transactions: tests/fixtures/parquet/cdnow_sample.parquet (the CDNOW sample with dictionary
//   ids, date32 dates and decimal(10,2) dollars in four snappy row groups; written with pyarrow by
//   tests/fixtures/parquet/make_parquet_fixtures.py) gives the very Report, quality section aside,
//   of the same rows as a CSV with the same column names;
// - a per-customer summary written by the CLI (`clientele summary THAT.csv -o x.parquet`): the
//   same customers, RFM and revenue, with lifecycle, cohorts, migration and cross-sell unavailable
//   (`needs_purchases`) and saying why.
// Run after `scripts/lib.sh build_site`: `node --test tests/e2e/parquet_page.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, devCli, DATA, ROOT, SHOTS } from './harness/browser.js';

const PARQUET = join(ROOT, 'tests/fixtures/parquet/cdnow_sample.parquet');
const CORE = /\/pkg\/clientele_workbook_(bg\.wasm|wasm_bytes\.js)$/;

let p;
let page;
/** The CDNOW sample as a CSV with the Parquet file's column names (made in `before`). */
let csvPath;
/** The Report of that CSV. */
let fromCsv;

/** The CDNOW sample's rows (`00004 0001 19970101  2   29.33`) as CSV text. */
function cdnowCsv() {
  const rows = ['customer_id,date,cds,dollars'];
  for (const line of readFileSync(join(DATA, 'cdnow/CDNOW_sample.txt'), 'utf8').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    rows.push(`${f[0]},${f[2].slice(0, 4)}-${f[2].slice(4, 6)}-${f[2].slice(6, 8)},${f[3]},${f[4]}`);
  }
  return rows.join('\n') + '\n';
}

/** Uploads `path`, waits for the Report and returns it. */
async function analyze(path) {
  assert.equal(await p.run(() => p.upload(path)), 'report', `${path} did not give a report`);
  return p.report();
}

const without = (report, ...keys) => Object.fromEntries(Object.entries(report).filter(([k]) => !keys.includes(k)));

before(async () => {
  p = await openPage('parquet-page');
  page = p.page;
  csvPath = p.tempFile('cdnow_sample.csv', cdnowCsv());
  fromCsv = await analyze(csvPath);
});

after(async () => {
  await p?.close();
});

test('a transactions .parquet loads the second core and gives the CSV report of the same rows', { timeout: 120_000 }, async () => {
  assert.equal(p.requests.filter((u) => CORE.test(u)).length, 0, 'the CSV ran on the first core');
  const fromParquet = await analyze(PARQUET);
  assert.ok(p.requests.some((u) => CORE.test(u)), 'the Parquet file fetched the second core');
  assert.match(fromParquet.quality.encoding, /Parquet.*4 row groups.*snappy/);
  assert.equal(fromParquet.quality.rows_read, 6919);
  assert.equal(fromParquet.quality.rows_read, fromCsv.quality.rows_read);
  assert.equal(fromParquet.quality.rows_used, fromCsv.quality.rows_used);
  // Every figure, section by section (the quality section names the format).
  const a = without(fromParquet, 'quality');
  const b = without(fromCsv, 'quality');
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  for (const key of Object.keys(a)) assert.deepEqual(a[key], b[key], key);
  // What the reader sees.
  assert.equal(await p.stat('Customers').locator('.stat-value').textContent(), fromCsv.summary.customers.toLocaleString('en-US'));
  assert.match(await p.section('quality').innerText(), /Parquet/);
  assert.equal(await page.locator('clientele-report .section-error').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'parquet-transactions.png'), fullPage: true });
});

test('a summary .parquet from `clientele summary`: same customers, RFM, revenue; purchase-only sections unavailable', { timeout: 120_000 }, async () => {
  const summaryPath = join(p.work, 'cdnow_summary.parquet');
  // CLIENTELE_CLI: a CLI already built (as scripts/test-python's), else the dev-profile one.
  const made = spawnSync(process.env.CLIENTELE_CLI ?? devCli(), ['summary', csvPath, '-o', summaryPath], { encoding: 'utf8' });
  assert.equal(made.status, 0, `clientele summary failed:\n${made.stderr}`);
  assert.equal(readFileSync(summaryPath).subarray(0, 4).toString(), 'PAR1');

  const fromSummary = await analyze(summaryPath);
  assert.equal(fromSummary.quality.table, 'summary');
  assert.equal(fromSummary.summary.customers, fromCsv.summary.customers);
  for (const key of ['summary', 'rfm']) assert.deepEqual(fromSummary[key], fromCsv[key], key);
  for (const key of ['lifecycle', 'cohorts', 'migration', 'cross_sell']) {
    assert.equal(fromSummary[key].status, 'unavailable', key);
    assert.equal(fromSummary[key].code, 'needs_purchases', key);
    assert.match(await p.section(key).innerText(), /per-customer summary/, `${key} says why`);
  }
  assert.equal(await p.stat('Customers').locator('.stat-value').textContent(), fromCsv.summary.customers.toLocaleString('en-US'));
  assert.deepEqual(p.consoleErrors, []);
  const away = p.requests.filter((u) => !u.startsWith(`${p.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(away, [], 'requests that left the origin');
  await page.screenshot({ path: join(SHOTS, 'parquet-summary.png'), fullPage: true });
});
