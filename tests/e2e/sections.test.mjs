// End-to-end tests of the chart sections (propensity, lifetime value, clusters) in Debian's
// Chromium, driven by playwright-core. Reports come from the release CLI on real files (CDNOW
// sample, Online Retail, grocery), are handed to a harness page (tests/e2e/harness/) that renders
// the section modules under the page's CSP, and are checked for charts, table row counts, key
// figures as the report has them, the "unavailable" explanations, no console errors and no
// request leaving the origin. Screenshots of every section go to test-results/.
// Run: `node --test tests/e2e/sections.test.mjs` (runs `cargo build --release --bin clientele`
// first, honouring CARGO_TARGET_DIR). Server, browser and harness: tests/e2e/harness/browser.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliReports, DATA, openHarness, ROOT, SHOTS } from './harness/browser.js';

const FILES = {
  cdnow: join(DATA, 'cdnow/CDNOW_sample.txt'),
  online_retail: join(DATA, 'online_retail/online_retail.csv'),
  grocery: join(DATA, 'grocery/groceryElog.csv'),
};
/** The sections this file checks (the campaign sections: campaign.test.mjs). */
const CHARTS = ['propensity', 'clv', 'clusters'];

// The page's number formats, in the browser's locale (en-US below).
const nf = (min, max) => new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max });
const f = {
  int: (x) => nf(0, 0).format(x),
  num1: (x) => nf(1, 1).format(x),
  num2: (x) => nf(2, 2).format(x),
  num3: (x) => nf(3, 3).format(x),
  money: (x) => nf(2, 2).format(x),
  pct: (x) => `${nf(1, 1).format(100 * x)}%`,
};

let h;
let page;
let reports;

before(async () => {
  reports = cliReports(FILES);
  for (const name of Object.keys(FILES)) assert.equal(reports[name].clusters?.status, 'ok', `${name}: clusters in the Report`);
  h = await openHarness('sections');
  page = h.page;
});

after(async () => {
  await h?.close();
});

/** Opens the harness and renders `report` (the chart sections by default). */
const render = (report, names = CHARTS) => h.render(report, names);
const section = (id) => h.section(id);
const rows = (id, table) => section(id).locator(`table[data-table="${table}"] tbody tr`).count();
const charts = (id) => section(id).locator('.chart svg').count();
const text = (locator) => locator.innerText();

async function shot(dataset, id) {
  await section(id).screenshot({ path: join(SHOTS, `sections-${dataset}-${id}.png`) });
}

const assertClean = () => h.assertClean();

async function checkPropensity(dataset, report) {
  const p = report.propensity;
  assert.equal(p.status, 'ok', `${dataset}: the CLI report should have a propensity model`);
  assert.equal(await charts('propensity'), 4, 'ROC, gains, decile and calibration charts');
  assert.equal(await text(section('propensity').locator('[data-metric="roc_auc"] .stat-value')), f.num3(p.metrics.roc_auc));
  assert.equal(await text(section('propensity').locator('[data-metric="pr_auc"] .stat-value')), f.num3(p.metrics.pr_auc));
  assert.equal(await text(section('propensity').locator('[data-metric="brier"] .stat-value')), f.num3(p.metrics.brier));
  assert.equal(await text(section('propensity').locator('[data-metric="lift_top_decile"] .stat-value')), `×${f.num2(p.metrics.lift_top_decile)}`);
  assert.equal(await rows('propensity', 'calibration'), p.calibration.length);
  assert.equal(await rows('propensity', 'coefficients'), p.coefficients.length);
  const sentences = await section('propensity').locator('table[data-table="coefficients"] tbody tr td:last-child').allInnerTexts();
  assert.deepEqual(sentences, p.coefficients.map((c) => c.sentence));
  const top = p.p_buy_decile.filter((d) => d <= 2).length;
  assert.match(await text(section('propensity').locator('[data-hint="top-deciles"]')), new RegExp(`^${f.int(top)} customers are in deciles 1–2`));
  const svgText = await section('propensity').locator('.chart svg').first().textContent();
  assert.ok(svgText.includes('Random') && svgText.includes('False positive rate'), 'ROC chart has the diagonal legend and axis names');
  // Decile bars carry a lift label per decile.
  const decileSvg = await section('propensity').locator('.chart svg').nth(2).textContent();
  for (const d of p.deciles) assert.ok(decileSvg.includes(`×${f.num2(d.lift)}`), `lift label of decile ${d.decile}`);
}

async function checkClv(dataset, report) {
  const v = report.clv;
  assert.equal(v.status, 'ok', `${dataset}: the CLI report should have a purchase model fit`);
  if (dataset === 'grocery') assert.equal(v.clv, null, 'grocery has no amounts, so no CLV in money');
  const s = section('clv');
  const fit = v.purchase_fit;
  const state = fit.fit_status.ok ? (fit.fit_status.penalty_used > 0 ? 'penalised' : 'ok') : 'failed';
  assert.equal(await s.locator('[data-fit]').getAttribute('data-fit'), state);
  assert.ok((await text(s.locator('[data-fit]'))).includes(fit.fit_status.message));
  // Which purchase model: the comparison table (the model used marked) and the tracking chart.
  const choice = v.model_choice;
  const panel = s.locator('[data-panel="model-choice"]');
  assert.equal(await panel.getAttribute('data-chosen'), choice.chosen);
  assert.equal(await panel.locator('[data-rule]').getAttribute('data-rule'), choice.rule);
  assert.equal(await s.locator('select[data-control="clv-model"]').inputValue(), choice.requested);
  const compared = choice.comparison ? 1 : 0;
  if (choice.comparison) {
    assert.equal(await rows('clv', 'model-comparison'), 3);
    assert.ok((await text(panel.locator(`tr[data-model="${choice.chosen}"]`))).includes('✓ used'));
    const trackSvg = await panel.locator('.chart svg').first().textContent();
    assert.ok(trackSvg.includes('Cumulative repeat purchases') && trackSvg.includes('(used)'), 'tracking chart');
  }
  assert.equal(await rows('clv', 'parameters'), fit.estimates.length + (v.gamma_gamma?.estimates.length ?? 0));
  const estimates = await s.locator('table[data-table="parameters"] tbody tr td:nth-child(3)').allInnerTexts();
  assert.deepEqual(estimates, [...fit.estimates, ...(v.gamma_gamma?.estimates ?? [])].map((e) => f.num3(e.value)));
  assert.equal(await rows('clv', 'likely-gone'), v.likely_gone.customers.length);
  if (v.likely_gone.customers.length) {
    const ids = await s.locator('table[data-table="likely-gone"] tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(ids, v.likely_gone.customers.map((c) => c.id));
  }
  const headline = await text(s.locator('.stats'));
  assert.ok(headline.includes(f.num1(v.total_expected_purchases)), 'total expected purchases');
  // Gamma-Gamma's assumption check: the correlation is shown whenever spend is modelled.
  const check = s.locator('[data-note="spend-frequency"]');
  if (v.gamma_gamma) assert.ok((await text(check)).includes(`r = ${f.num2(v.gamma_gamma.frequency_spend_correlation)}`), 'spend-frequency correlation');
  else assert.equal(await check.count(), 0);
  const heatSvg = await s.locator('.chart svg').nth(1 + compared).textContent();
  assert.ok(heatSvg.includes('Frequency (repeat purchases)') && heatSvg.includes('Recency (age at last purchase, weeks)'), 'heatmap axes');
  if (v.clv) {
    assert.equal(await charts('clv'), 4 + compared, 'tracking, model check, two heatmaps, CLV histogram');
    assert.ok(headline.includes(f.money(v.total_clv)), 'total CLV');
    assert.equal(await s.locator('[data-unavailable]').count(), 0);
  } else {
    assert.equal(await charts('clv'), 3 + compared, 'tracking, model check and two heatmaps; no CLV histogram without amounts');
    const spend = await text(s.locator('[data-unavailable="spend"]'));
    assert.ok(spend.startsWith('Spend and lifetime value in money are unavailable: ') && spend.includes(v.gamma_gamma_message));
    assert.ok((await text(s.locator('[data-unavailable="clv-histogram"]'))).startsWith('The CLV distribution is unavailable: '));
    assert.ok(headline.includes('no spend model'));
  }
  for (const w of v.warnings ?? []) assert.ok((await text(s.locator('[data-warnings]'))).includes(typeof w === 'string' ? w : w.message));
}

async function checkClusters(dataset, report) {
  const s = section('clusters');
  const c = report.clusters;
  if (!c || c.status !== 'ok') {
    assert.ok((await text(s.locator('.unavailable'))).startsWith('Customer clusters are unavailable: '));
    assert.equal(await charts('clusters'), 0);
    return;
  }
  assert.equal(await charts('clusters'), 3, 'scatter, elbow, silhouette');
  assert.equal(await rows('clusters', 'profiles'), c.profiles.length);
  assert.equal(c.profiles.length, c.k);
  const names = await s.locator('table[data-table="profiles"] tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(names, c.profiles.map((p) => p.name));
  const shares = await s.locator('table[data-table="profiles"] tbody tr td:nth-child(5)').allInnerTexts();
  assert.deepEqual(shares, c.profiles.map((p) => (report.summary.has_amount ? f.pct(p.revenue_share) : '—')), 'revenue shares');
  const columns = c.scatter.columns ?? c.features;
  assert.equal(await s.locator('select[data-axis="x"] option').count(), columns.length);
  // The scatter redraws with the chosen features and scale.
  const scatter = s.locator('.chart svg').first();
  const before = await scatter.textContent();
  const initial = { x: await s.locator('select[data-axis="x"]').inputValue(), y: await s.locator('select[data-axis="y"]').inputValue() };
  await s.locator('select[data-axis="y"]').selectOption({ index: columns.length - 1 });
  await s.locator('input[data-axis="log"]').uncheck();
  const after = await scatter.textContent();
  assert.notEqual(after, before, 'the scatter changes with the y feature');
  // Back to the first view (for the screenshot); it draws the same marks as before.
  await s.locator('select[data-axis="x"]').selectOption(initial.x);
  await s.locator('select[data-axis="y"]').selectOption(initial.y);
  await s.locator('input[data-axis="log"]').check();
  assert.equal(await scatter.textContent(), before, 'the first view comes back');
  const elbow = await s.locator('.chart svg').nth(1).textContent();
  assert.ok(elbow.includes(`chosen k = ${c.k}`), 'the chosen k is marked');
}

for (const dataset of Object.keys(FILES)) {
  test(`sections render the ${dataset} report`, async () => {
    const report = reports[dataset];
    await render(report);
    await checkPropensity(dataset, report);
    await checkClv(dataset, report);
    await checkClusters(dataset, report);
    for (const id of ['propensity', 'clv', 'clusters']) {
      const labels = await section(id).locator('.chart').evaluateAll((boxes) => boxes.map((b) => `${b.getAttribute('role')}:${b.getAttribute('aria-label') ?? ''}`));
      for (const l of labels) assert.match(l, /^img:\S/, `${id}: every chart is named for screen readers`);
      await shot(dataset, id);
    }
    assertClean();
  });
}

test('lifetime value fitted with a holdout period shows predicted vs actual', async () => {
  // The CLI has no calibration-end option yet: this ClvReport comes from the core with
  // ClvParams.calibration_end set (see harness/fixtures/README.md).
  const clv = JSON.parse(readFileSync(join(ROOT, 'tests/e2e/harness/fixtures/cdnow_sample_clv_holdout.json'), 'utf8'));
  assert.ok(clv.calibration_holdout, 'the fixture has a holdout comparison');
  await render({ ...reports.cdnow, clv }, ['clv']);
  const s = section('clv');
  assert.ok((await text(s)).includes('Predicted vs actual in the holdout period'));
  // The tracking chart of the model comparison comes first, then the holdout table's chart.
  const svg = await s.locator('.chart svg').nth(clv.model_choice.comparison ? 1 : 0).textContent();
  assert.ok(svg.includes('Repeat purchases in calibration period') && svg.includes('Actual') && svg.includes('Model'));
  for (const r of clv.calibration_holdout.rows) assert.ok(svg.includes(r.calibration_frequency), `category ${r.calibration_frequency}`);
  await shot('cdnow_holdout', 'clv');
  assertClean();
});

test('unavailable sections say why, as text', async () => {
  const reason = 'only 3 customers bought before the cut <img src=x onerror="window.__pwned=1">';
  const report = {
    ...reports.cdnow,
    propensity: { status: 'unavailable', reason },
    clv: { status: 'unavailable', reason },
    clusters: { status: 'skipped' },
  };
  await render(report);
  assert.equal(await text(section('propensity').locator('.unavailable')), `The repeat-purchase model is unavailable: ${reason}`);
  assert.equal(await text(section('clv').locator('.unavailable')), `Lifetime value is unavailable: ${reason}`);
  assert.equal(await text(section('clusters').locator('.unavailable')), 'Clustering was switched off for this run.');
  assert.equal(await page.locator('img').count(), 0, 'the reason is text, not markup');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.locator('#sections').screenshot({ path: join(SHOTS, 'sections-unavailable.png') });
  assertClean();
});
