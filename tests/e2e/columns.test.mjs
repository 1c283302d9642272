// End-to-end tests of what the page lets a user correct and what it admits it cannot know, on the
// built page (dist/) in Debian's Chromium through playwright-core: the Columns table's role menus
// re-run the analysis on the same file (a basket export whose AMOUNT is an item count and whose
// SALES_PRICE is the line total), "Reset to detected", each section's warnings at its top, and
// "n/a" revenue for a file without amounts. Expected figures are computed here from the CSV text
// written here. Run after `scripts/lib.sh build_site`: `node --test tests/e2e/columns.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, SHOTS } from './harness/browser.js';

let p;
let page, consoleErrors, section, stat, roleMenu, money, tempFile, upload, run, report;

before(async () => {
  p = await openPage('columns');
  ({ page, consoleErrors, section, stat, roleMenu, money, tempFile, upload, run, report } = p);
});

after(async () => {
  await p?.close();
});

/**
 * A dunnhumby-style basket export: AMOUNT is an item count (whole numbers 1–20, named like
 * money), ASSET a cost, SALES_PRICE the line total. Returns the text and both sums in cents.
 */
function basketCsv() {
  const lines = ['household_key,BASKET_ID,DAY,PRODUCT_ID,AMOUNT,ASSET,SALES_PRICE'];
  let sales = 0;
  let counts = 0;
  let basket = 5000;
  for (let h = 1; h <= 40; h++) {
    for (let v = 0; v < 1 + (h % 4); v++) {
      basket++;
      const day = 1 + ((h * 7 + v * 11) % 60);
      const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
      for (let l = 0; l < 1 + ((h + v) % 3); l++) {
        const count = 1 + ((h * 3 + v + l) % 20);
        const cents = 150 + ((h * 37 + l * 91 + v * 13) % 900) * count;
        const cost = Math.floor(cents * 0.6);
        sales += cents;
        counts += count * 100;
        lines.push(`${h},${basket},${date},${800 + l},${count},${(cost / 100).toFixed(2)},${(cents / 100).toFixed(2)}`);
      }
    }
  }
  return { text: `${lines.join('\n')}\n`, sales, counts };
}

test('the role menus re-run the analysis on the same file; reset goes back to detection', async () => {
  const { text, sales, counts } = basketCsv();
  let r = await run(() => upload(tempFile('basket.csv', text)));
  assert.equal(r, 'report', JSON.stringify(r));

  // Every column has a labelled menu with every transaction role and "none".
  const menus = section('quality').locator('select[data-control="role"]');
  assert.equal(await menus.count(), 7);
  assert.equal(await roleMenu('SALES_PRICE').getAttribute('aria-label'), 'Role of column SALES_PRICE');
  assert.deepEqual(await roleMenu('SALES_PRICE').locator('option').evaluateAll((os) => os.map((o) => o.value)), [
    '',
    'customer',
    'order',
    'date',
    'amount',
    'quantity',
    'unit_price',
    'product',
    'product_name',
  ]);
  assert.equal(await section('quality').getByRole('button', { name: 'Reset to detected' }).count(), 1);
  // Sample values from the file beside each column (the core's `samples`).
  const first = await report();
  if (first.quality.columns[0].samples) {
    assert.ok((await section('quality').locator('table.columns-table tbody tr').nth(6).locator('.samples').textContent()).length > 0);
  }
  // When the core saw two columns for one role, the table says which and why.
  const amountCandidate = (first.quality.candidates ?? []).find((c) => c.role === 'amount');
  if (amountCandidate) {
    const note = await section('quality').locator('[data-candidates] [data-candidate="amount"]').textContent();
    assert.match(note, /used .* also possible: /);
    assert.match(note, /AMOUNT|SALES_PRICE/);
    assert.ok((await section('quality').locator('tr.candidate-row').count()) >= 2);
  }

  // The misreading the issue describes: AMOUNT (an item count) as the amount.
  if ((await roleMenu('AMOUNT').inputValue()) !== 'amount') {
    r = await run(() => roleMenu('AMOUNT').selectOption('amount'));
    assert.equal(r, 'report', JSON.stringify(r));
  }
  assert.equal(await stat('Revenue').locator('.stat-value').textContent(), money(counts));
  const detected = await stat('Revenue').locator('.stat-value').textContent();

  // The user corrects it: SALES_PRICE is the amount. The same file is read again.
  r = await run(() => roleMenu('SALES_PRICE').selectOption('amount'));
  assert.equal(r, 'report', JSON.stringify(r));
  assert.equal(await stat('Revenue').locator('.stat-value').textContent(), money(sales));
  assert.equal(await roleMenu('SALES_PRICE').inputValue(), 'amount');
  assert.equal(await roleMenu('AMOUNT').inputValue(), '', 'the role moved: AMOUNT has none now');
  const after = await report();
  assert.equal(after.quality.columns[6].detected_by, 'option');
  assert.equal(after.quality.file_name, 'basket.csv');
  assert.equal(after.summary.customers, 40);
  assert.equal(after.summary.revenue.toFixed(2), (sales / 100).toFixed(2));
  await section('quality').locator('[data-panel="columns"]').screenshot({ path: join(SHOTS, 'columns-edited.png') });

  // Reset: the roles option is dropped and detection decides again.
  r = await run(() => section('quality').getByRole('button', { name: 'Reset to detected' }).click());
  assert.equal(r, 'report', JSON.stringify(r));
  const reset = await report();
  assert.ok(reset.quality.columns.every((c) => c.detected_by !== 'option'));
  if (!amountCandidate) assert.equal(await stat('Revenue').locator('.stat-value').textContent(), detected);
  assert.deepEqual(consoleErrors, []);
});

test('a file without amounts: revenue n/a, no M score, unknown monetary, purchase days', async () => {
  const lines = ['customer,date'];
  for (let c = 0; c < 40; c++) for (let k = 0; k <= c % 3; k++) lines.push(`K${c},2024-02-${String(1 + ((c + 5 * k) % 28)).padStart(2, '0')}`);
  const r = await run(() => upload(tempFile('no_amount.csv', `${lines.join('\n')}\n`)));
  assert.equal(r, 'report', JSON.stringify(r));
  assert.equal(await stat('Revenue').locator('.stat-value').textContent(), 'n/a');
  assert.match(await stat('Revenue').locator('.stat-note').textContent(), /no amount/);
  assert.match(await section('rfm').locator('[data-footnote="rfm"]').textContent(), /R×F/);
  assert.equal(await section('rfm').locator('table.segments th', { hasText: 'Monetary' }).count(), 0);
  const monetary = await section('customers')
    .locator('table.customers-table tbody tr')
    .first()
    .evaluate((tr) => {
      const heads = [...tr.closest('table').querySelectorAll('th')].map((th) => th.textContent);
      return tr.querySelectorAll('td')[heads.indexOf('Monetary')]?.textContent;
    });
  assert.equal(monetary, '—');
  // No order column: the unit is purchase days (the core's frequency_unit, after issue 11).
  const rep = await report();
  if (rep.summary.frequency_unit) {
    assert.equal(rep.summary.frequency_unit, 'purchase_days');
    assert.equal(await stat('Purchase days').count(), 1);
    assert.equal(await stat('Orders').count(), 0);
  }
  assert.equal(rep.summary.revenue, null, 'revenue is unknown, not 0');
});

test('section warnings are shown at the top of their section, with text and an icon', async () => {
  // 120 days of history: the 90-day propensity model trains on 30 days and the 12-month
  // lifetime value projects beyond what was observed; the core warns, the page shows it.
  const lines = ['customer_id,order_id,order_date,amount'];
  let order = 0;
  for (let c = 0; c < 300; c++) {
    for (let k = 0; k <= c % 4; k++) {
      order++;
      const date = new Date(Date.UTC(2024, 0, 1 + ((c * 17 + k * 29) % 120))).toISOString().slice(0, 10);
      lines.push(`C${c},${order},${date},${10 + ((c * 7 + k) % 90)}.50`);
    }
  }
  const r = await run(() => upload(tempFile('short_history.csv', `${lines.join('\n')}\n`)));
  assert.equal(r, 'report', JSON.stringify(r));
  const rep = await report();
  for (const id of ['rfm', 'clusters', 'propensity', 'clv']) {
    const s = rep[id];
    const warnings = s?.warnings ?? [];
    const box = section(id).locator('[data-warnings="section"]');
    if (!warnings.length) {
      assert.equal(await box.count(), 0, id);
      continue;
    }
    assert.equal(await box.getAttribute('role'), 'status', id);
    assert.ok((await box.textContent()).includes('⚠'), `${id}: an icon, not colour alone`);
    for (const w of warnings) assert.ok((await box.textContent()).includes(w.message ?? w), `${id}: ${w.message ?? w}`);
    // At the top: the first thing after the heading.
    assert.equal(await section(id).locator('> :nth-child(2)').getAttribute('data-warnings'), 'section', id);
  }
  const codes = (id) => (rep[id]?.warnings ?? []).map((w) => w.code);
  assert.ok(codes('propensity').includes('propensity_short_history'), `propensity warnings: ${codes('propensity')}`);
  assert.ok(codes('clv').includes('clv_horizon_beyond_history'), `clv warnings: ${codes('clv')}`);
  // The export's notes come from the core and name the columns not to be trusted.
  const notes = await page.evaluate(() => document.querySelector('clientele-report').notes());
  assert.ok(notes && notes.includes('p_buy'), `notes: ${notes}`);
  const [download] = await Promise.all([page.waitForEvent('download'), section('rfm').page().locator('clientele-report [data-action="export-notes"]').click()]);
  assert.equal(download.suggestedFilename(), 'notes.txt');
  await section('propensity').screenshot({ path: join(SHOTS, 'propensity-warnings.png') });
});
