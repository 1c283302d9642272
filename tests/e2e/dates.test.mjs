// End-to-end tests of the purchase dates on the built page (dist/) in Debian's Chromium through
// playwright-core (issue 12, findings 5 and 7): a mistyped 2104 date among 3,000 purchases of
// 2024 is skipped as after today (the page gives the core the browser's day) and does not move
// "as of"; the quality section's Purchase dates panel shows the range, quartiles and the dates
// set apart with example rows; "Keep these dates" reads the file again keeping them; a slash
// date in the other day/month order is a warning with counts and the Date order control.
// Run after `scripts/lib.sh build_site`: `node --test tests/e2e/dates.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, SHOTS } from './harness/browser.js';

let p;
let page, consoleErrors, section, stat, roleMenu, money, tempFile, upload, run, report;

before(async () => {
  p = await openPage('dates');
  ({ page, consoleErrors, section, stat, roleMenu, money, tempFile, upload, run, report } = p);
});

after(async () => {
  await p?.close();
});

function shop2024(extra) {
  const lines = ['customer,date,amount'];
  for (let i = 0; i < 3000; i++) {
    const day = new Date(Date.UTC(2024, 0, 1 + ((i * 7) % 366))).toISOString().slice(0, 10);
    lines.push(`c${i % 300},${extra[i] ?? day},10`);
  }
  return `${lines.join('\n')}\n`;
}

test('a 2104 date among 3,000 rows of 2024 is set apart, shown, and can be kept', async () => {
  let r = await run(() => upload(tempFile('shop.csv', shop2024({ 998: '2104-03-01' }))));
  assert.equal(r, 'report', JSON.stringify(r));
  let rep = await report();
  const today = new Date();
  const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  assert.equal(rep.quality.dates.today, iso, "the page gives the core the browser's day");
  assert.equal(rep.as_of, '2025-01-01');
  assert.equal(rep.quality.rows_used, 2999);
  const skip = rep.quality.skipped.find((s) => s.reason === 'future_date');
  assert.deepEqual([skip.rows, skip.example_rows], [1, [1000]]);
  const panel = section('quality').locator('[data-panel="dates"]');
  const text = await panel.textContent();
  assert.match(await section('quality').locator('dl.facts').textContent(), /Date range2024-01-01 to 2024-12-31Date quartiles.*Today\d{4}-/);
  assert.match(text, /After today/);
  assert.match(text, /row 1,000: 2104-03-01/);
  assert.match(text, /skipped \(future_date\)/);
  assert.match(await section('quality').locator('table.skipped-table').textContent(), /after the day of the analysis/);
  await panel.screenshot({ path: join(SHOTS, 'dates-set-apart.png') });

  r = await run(() => panel.locator('input[data-control="keep-outlier-dates"]').check());
  assert.equal(r, 'report', JSON.stringify(r));
  rep = await report();
  assert.equal(rep.as_of, '2104-03-02');
  assert.equal(rep.quality.rows_used, 3000);
  assert.equal(rep.quality.dates.kept, true);
  assert.match(await section('quality').locator('[data-panel="dates"]').textContent(), /kept as purchases/);
  assert.ok(await section('quality').locator('input[data-control="keep-outlier-dates"]').isChecked());
  assert.deepEqual(consoleErrors, []);
});

test('1900-01-01 placeholders are outliers; a date in the other day/month order is a warning', async () => {
  let r = await run(() => upload(tempFile('placeholders.csv', shop2024({ 5: '1900-01-01', 6: '1900-01-01', 2500: '1900-01-01' }))));
  assert.equal(r, 'report', JSON.stringify(r));
  let rep = await report();
  assert.equal(rep.quality.dates.outliers.rows, 3);
  assert.equal(rep.quality.first_date, '2024-01-01');
  assert.match(await section('quality').locator('[data-panel="dates"]').textContent(), /Far outside the bulk.*1900-01-01/);

  const lines = ['customer,date,amount'];
  for (let i = 0; i < 200; i++) lines.push(i === 150 ? 'x,25/03/2024,9' : `c${i},${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + (i % 28)).padStart(2, '0')}/2024,5`);
  r = await run(() => upload(tempFile('mdy.csv', `${lines.join('\n')}\n`)));
  assert.equal(r, 'report', JSON.stringify(r));
  rep = await report();
  assert.deepEqual(rep.quality.skipped.find((s) => s.reason === 'date_order_conflict').example_rows, [152]);
  const warnings = await section('quality').locator('.warnings').first().textContent();
  assert.match(warnings, /can only be day first \(e\.g\. row 152\)/);
  assert.match(warnings, /--date-order dmy/);
  assert.equal(await section('quality').locator('select[data-control="date-order"]').inputValue(), 'mdy');
  assert.deepEqual(consoleErrors, []);
});

test('dates whose order cannot be told: the error offers both orders, and the choice reads the file again', async () => {
  const csv = 'customer,date,amount\nA,13/02/2024,1\nB,02/13/2024,2\nC,05/06/2024,3\nD,14/02/2024,4\nE,02/14/2024,5\nF,07/08/2024,6\nG,09/10/2024,7\n';
  let r = await run(() => upload(tempFile('mixed.csv', csv)));
  assert.equal(r.kind, 'ambiguous_dates', JSON.stringify(r));
  const alert = page.locator('clientele-report [role="alert"], clientele-report .alert').first();
  assert.match(await alert.textContent(), /2 rows do/);
  r = await run(() => page.locator('clientele-report [data-action="date-order-dmy"]').click());
  assert.equal(r, 'report', JSON.stringify(r));
  const rep = await report();
  const skip = rep.quality.skipped.find((s) => s.reason === 'date_order_conflict');
  assert.deepEqual([skip.rows, skip.example_rows], [2, [3, 6]]);
  assert.equal(rep.quality.rows_used, 5);
  assert.equal(await section('quality').locator('select[data-control="date-order"]').inputValue(), 'dmy');
  assert.match(await section('quality').locator('.warnings').first().textContent(), /the date_order option/);
  assert.deepEqual(consoleErrors, []);
});
