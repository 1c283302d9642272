// The campaign path on the page (issue 16), on UCI Online Retail (../shared/data): the file →
// a target list with filters, a budget and a 20 % seeded holdout → the exported CSV (group
// column, recipe in its header) → a response file synthesized from it (target customers
// convert more often than the holdout) → uploaded in the read-back → the significance
// read-out, with the groups and the by-segment table. Then a response file that cannot be
// used gives a located error. Screenshots of both sections go to test-results/.
// Run after `scripts/lib.sh build_site`: `node --test tests/e2e/target_readback.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, ROOT, SHOTS } from './harness/browser.js';

const RETAIL = join(ROOT, '../shared/data/online_retail/online_retail.csv');
let p;

before(async () => {
  p = await openPage('target-readback');
});

after(async () => {
  await p?.close();
});

test('Online Retail: target list with holdout → CSV → responses → significance read-out', { timeout: 600_000, skip: !existsSync(RETAIL) && 'no Online Retail data' }, async () => {
  const { page, section } = p;
  const outcome = await p.run(() => p.upload(RETAIL), 400_000);
  assert.equal(outcome, 'report', JSON.stringify(outcome));
  const target = section('target');
  await target.locator('[data-stat="listed"]').waitFor({ timeout: 60_000 });

  // Deciles 1–5, the top 2,000 by expected value, 20 % held out with seed 7.
  await target.locator('[data-control="decile-min"]').fill('1');
  await target.locator('[data-control="decile-max"]').fill('5');
  await target.locator('[data-control="budget"]').fill('2000');
  await target.locator('[data-control="holdout"]').fill('20');
  await target.locator('[data-control="seed"]').fill('7');
  await target.locator('[data-action="build-target"]').click();
  await page.waitForFunction(
    () => document.querySelector('clientele-report').shadowRoot.querySelector('[data-section="target"] [data-stat="listed"] .stat-value')?.textContent === '2,000',
    null,
    { timeout: 60_000 },
  );
  assert.equal(await target.locator('[data-stat="holdout"] .stat-value').textContent(), '400');
  assert.equal(await target.locator('[data-stat="target"] .stat-value').textContent(), '1,600');
  assert.match(await target.locator('[data-planner]').textContent(), /Planner: to detect 2\.0 points/);
  assert.equal(await target.locator('table[data-table="target-preview"] tbody tr').count(), 20);
  await target.screenshot({ path: join(SHOTS, 'campaign-target.png') });

  const [download] = await Promise.all([page.waitForEvent('download'), target.locator('[data-action="export-campaign"]').click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\r\n').filter(Boolean);
  assert.match(lines[0], /^# clientele target list as of 2011-12-10: 2000 customers, 1600 target, 400 holdout$/);
  const recipe = JSON.parse(lines[1].replace('# recipe: ', ''));
  assert.deepEqual(recipe.filters, [{ kind: 'p_buy_decile', min: 1, max: 5 }]);
  assert.deepEqual([recipe.budget, recipe.holdout_share, recipe.seed], [{ size: 2000 }, 0.2, 7]);
  const header = lines[2].split(',');
  assert.deepEqual(header.slice(0, 4), ['customer_id', 'group', 'rank', 'segment']);
  const rows = lines.slice(3).map((l) => l.split(','));
  assert.equal(rows.length, 2000);
  assert.equal(rows.filter((r) => r[1] === 'holdout').length, 400);

  // The campaign worked: 30 % of the target group bought, 15 % of the holdout.
  let k = 0;
  const body = rows.map(([id, group]) => {
    k += 1;
    const bought = group === 'target' ? k % 10 < 3 : k % 20 < 3;
    return `${id},${group},${bought ? 'yes' : 'no'},${bought ? '42.50' : ''}`;
  });
  const responses = p.tempFile('responses.csv', ['CustomerID,Group,Converted,Revenue', ...body, ',target,yes,1.00'].join('\n') + '\n');
  const readback = section('readback');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), readback.locator('[data-action="choose-responses"]').click()]);
  await chooser.setFiles(responses);
  await readback.locator('[data-findings] p').first().waitFor({ timeout: 60_000 });
  const finding = await readback.locator('[data-findings] p').first();
  assert.equal(await finding.getAttribute('data-code'), 'conversion_significant');
  assert.match(await finding.textContent(), /statistically significant at the 5 % level/);
  const groups = await readback.locator('table[data-table="readback-groups"] tbody tr').allTextContents();
  assert.match(groups[0], /^target1,600/);
  assert.match(groups[1], /^holdout400/);
  assert.ok((await readback.locator('table[data-table="readback-segment"] tbody tr').count()) > 1);
  assert.match(await readback.locator('[data-readback="skipped"]').textContent(), /^1 row skipped: no customer id \(row 2002\)$/);
  await readback.screenshot({ path: join(SHOTS, 'campaign-readback.png') });

  // A file that is not a response file: the error names the file and what is missing (no
  // header it knows, so its columns are read by their values: an id, then nothing else).
  const bad = p.tempFile('colours.csv', 'name,colour\nx,red\n');
  const [again] = await Promise.all([page.waitForEvent('filechooser'), readback.locator('[data-action="choose-responses"]').click()]);
  await again.setFiles(bad);
  await readback.locator('[data-readback="error"]').waitFor({ timeout: 30_000 });
  assert.match(await readback.locator('[data-readback="error"]').textContent(), /^colours\.csv: no column says whether the customer converted \(1\/0, yes\/no\) nor how much they spent/);
  assert.deepEqual(p.consoleErrors, []);
});
