// Accessibility and the report you hand on (issue 17), on the built page in Debian's Chromium:
// axe-core (through @axe-core/playwright) finds no serious or critical violation in any state
// (empty, loading, error, report with every section and every chart's table open); the page
// works from the keyboard alone (the drop zone's file picker, every control reachable by Tab
// with a visible focus ring, the section navigation, a chart's table and PNG, the export);
// charts carry a text alternative worded from their numbers; reduced motion switches chart
// animation off; and the printed report (Chromium page.pdf of an eighth of Online Retail) holds
// every section heading and none of the controls. Screenshots (screen and print) go to
// test-results/. Run after `scripts/lib.sh build_site`: `node --test tests/e2e/a11y.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { extractText, getDocumentProxy } from 'unpdf';
import { openPage, ROOT, SHOTS } from './harness/browser.js';

const CDNOW = join(ROOT, 'www/sample/CDNOW_sample.txt');
const ONLINE_RETAIL = resolve(ROOT, '../shared/data/online_retail/online_retail.csv');

let h;
before(async () => {
  h = await openPage('a11y');
});
after(async () => {
  await h?.close();
});

/** axe on the whole page (it enters the element's shadow root); serious and critical only.
 *  `within`: a selector (or several) to check only there; `skip`: rules left out. */
async function axe(state, { within = null, skip = [] } = {}) {
  // Inside a chart (role="img", named and described, checked below) the SVG's thousands of
  // marks are presentational: leaving them out takes most of axe's time away.
  let builder = new AxeBuilder({ page: h.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).exclude({ fromShadowDom: ['clientele-report', '.chart > *'] });
  for (const w of Array.isArray(within) ? within : within ? [within] : []) builder = builder.include(w);
  if (skip.length) builder = builder.disableRules(skip);
  const started = Date.now();
  const results = await builder.analyze();
  console.log(`axe (${state}): ${Date.now() - started} ms`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' > ')).join('\n  ')}`).join('\n');
  assert.equal(bad.length, 0, `axe in the ${state} state:\n${text}`);
  return results;
}

/** The element that has focus, through shadow roots, described for the tests. */
function focused() {
  return h.page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    if (!a || a === document.body) return null;
    const cs = getComputedStyle(a);
    return {
      tag: a.tagName.toLowerCase(),
      text: (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 80),
      action: a.dataset?.action ?? null,
      nav: a.dataset?.nav ?? null,
      id: a.id || null,
      ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none',
    };
  });
}

/** Presses Tab until `want(focused)` holds; fails after `max` presses. */
async function tabTo(want, max = 400, key = 'Tab') {
  for (let i = 0; i < max; i++) {
    await h.page.keyboard.press(key);
    const f = await focused();
    if (f && want(f)) return f;
  }
  assert.fail(`no focusable element matched after ${max} ${key} presses`);
}

const runSample = async (action) => {
  const r = await h.run(action);
  assert.equal(r, 'report', `the run ended with ${JSON.stringify(r)}`);
  await h.page.waitForTimeout(300); // the charts' descriptions and print images follow 'finished'
};

test('empty state: no serious or critical axe violation; the file picker opens from the keyboard', async () => {
  await axe('empty');
  const f = await tabTo((x) => x.text === 'Choose a file');
  assert.ok(f.ring, 'the focused button shows a focus ring');
  const chooser = h.page.waitForEvent('filechooser');
  await runSample(async () => {
    await h.page.keyboard.press('Enter');
    await (await chooser).setFiles(CDNOW);
  });
  await h.page.screenshot({ path: join(SHOTS, 'a11y-report.png'), fullPage: false });
});

test('report state: axe clean with every chart table open; every chart described from its numbers', async () => {
  const sections = await h.page.locator('clientele-report section[data-section]').evaluateAll((s) => s.map((x) => x.dataset.section));
  assert.ok(sections.includes('summary') && sections[0] === 'summary', `the summary comes first: ${sections}`);
  await axe('report');
  // Every chart's "show as table" opens a table with the chart's rows; axe checks them open (their
  // colours are the report's other tables', checked above: contrast is not checked again on
  // thousands of cells).
  const toggles = h.page.locator('clientele-report [data-action=chart-table]');
  const n = await toggles.count();
  for (let i = 0; i < n; i++) await toggles.nth(i).click();
  const tables = await h.page.locator('clientele-report .chart-table:not([hidden]) table').evaluateAll((ts) => ts.map((t) => t.tBodies[0].rows.length));
  assert.equal(tables.length, n);
  assert.ok(tables.every((r) => r > 0), `rows per chart table: ${tables}`);
  await axe('report (chart tables open)', { within: { fromShadowDom: ['clientele-report', '.chart-table:not([hidden])'] }, skip: ['color-contrast'] });
  for (let i = 0; i < n; i++) await toggles.nth(i).click();
  const charts = await h.page.locator('clientele-report .chart[role=img]').evaluateAll((boxes) =>
    boxes.map((b) => ({ label: b.getAttribute('aria-label'), desc: b.getRootNode().getElementById(b.getAttribute('aria-describedby'))?.textContent ?? '' })),
  );
  assert.ok(charts.length >= 8, `charts drawn: ${charts.length}`);
  assert.equal(n, charts.length, 'one table toggle per chart');
  for (const c of charts) {
    assert.ok(c.label, 'every chart has a name');
    assert.match(c.desc, /\d/, `the description of "${c.label}" carries numbers: ${c.desc}`);
  }
  const rfm = charts.find((c) => c.label === 'Segments: share of customers and of revenue');
  assert.match(rfm.desc, /Champions \d/, rfm.desc);
  // The summary's three findings are the Report's own figures.
  const report = await h.report();
  const champions = report.rfm.segments.find((g) => g.name === 'Champions');
  const summary = h.section('summary');
  const pct = (x) => `${new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(100 * x)}%`;
  assert.equal(await summary.locator('[data-finding=champions] .finding-figure').textContent(), pct(champions.revenue_share));
  const atRisk = report.rfm.segments.find((g) => g.name === 'At Risk');
  assert.equal(await summary.locator('[data-finding=at_risk] .finding-figure').textContent(), new Intl.NumberFormat('en-US').format(atRisk.customers));
  const lift = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(report.propensity.metrics.lift_top_decile);
  assert.equal(await summary.locator('[data-finding=lift] .finding-figure').textContent(), `×${lift}`);
});

test('target list built: axe clean in the target section', async () => {
  await h.section('target').locator('[data-action=build-target]').click();
  await h.section('target').locator('[data-action=export-campaign]:not([disabled])').waitFor();
  await axe('target list built', { within: { fromShadowDom: ['clientele-report', '[data-section="target"]'] } });
});

test('campaign read back: axe clean on the read-back with its findings and tables', async () => {
  const { page } = h;
  const [download] = await Promise.all([page.waitForEvent('download'), h.section('target').locator('[data-action="export-campaign"]').click()]);
  const rows = readFileSync(await download.path(), 'utf8')
    .split('\r\n')
    .filter((l) => l && !l.startsWith('#'))
    .slice(1)
    .map((l) => l.split(','));
  // Target customers bought more often than the holdout: a significant finding, with revenue.
  const body = rows.map(([id, group], k) => {
    const bought = group === 'target' ? k % 10 < 4 : k % 10 < 1;
    return `${id},${group},${bought ? 'yes' : 'no'},${bought ? '42.50' : ''}`;
  });
  const responses = h.tempFile('a11y-responses.csv', ['CustomerID,Group,Converted,Revenue', ...body].join('\n') + '\n');
  const readback = h.section('readback');
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), readback.locator('[data-action="choose-responses"]').click()]);
  await chooser.setFiles(responses);
  await readback.locator('[data-findings] p').first().waitFor({ timeout: 60_000 });
  await readback.locator('table[data-table="readback-groups"]').waitFor();
  await axe('read-back with results', { within: { fromShadowDom: ['clientele-report', '[data-section="readback"]'] } });
  await readback.screenshot({ path: join(SHOTS, 'a11y-readback.png') });
});

test('keyboard: every control is reachable by Tab with a visible focus ring; nav, chart table, PNG and export work by keys', async () => {
  const { page } = h;
  // Every visible control of the element, and what Tab reaches from the top of the page.
  const controls = await page.evaluate(() => {
    const root = document.querySelector('clientele-report').shadowRoot;
    const all = [...root.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')];
    return all
      .filter((e) => !e.disabled && e.tabIndex >= 0 && e.checkVisibility?.() !== false && e.getClientRects().length > 0)
      .map((e, i) => {
        e.dataset.kbd = String(i);
        return i;
      }).length;
  });
  await page.evaluate(() => document.activeElement?.blur());
  const reached = new Set();
  const noRing = [];
  for (let i = 0; i < controls + 40 && reached.size < controls; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      if (!a?.dataset?.kbd) return null;
      const cs = getComputedStyle(a);
      return { kbd: a.dataset.kbd, ring: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0, text: (a.getAttribute('aria-label') || a.textContent || a.tagName).trim().slice(0, 60) };
    });
    if (!f) continue;
    reached.add(f.kbd);
    if (!f.ring) noRing.push(f.text);
  }
  assert.equal(reached.size, controls, `Tab reached ${reached.size} of ${controls} controls`);
  assert.deepEqual(noRing, [], 'every control shows a focus ring');

  // The section navigation: Enter on "RFM segments" moves focus to that heading.
  await page.evaluate(() => document.activeElement?.blur());
  await tabTo((f) => f.nav === 'rfm');
  await page.keyboard.press('Enter');
  assert.equal((await focused()).id, 'section-rfm-title');
  // The next Tab stops are inside the section: a chart's table and its PNG.
  await tabTo((f) => f.action === 'chart-table');
  await page.keyboard.press('Enter');
  const open = await page.locator('clientele-report [data-section=rfm] [data-action=chart-table][aria-expanded=true]').count();
  assert.equal(open, 1, 'Enter opened the table');
  await tabTo((f) => f.action === 'chart-png');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const png = await download;
  assert.match(png.suggestedFilename(), /^clientele-.*\.png$/);
  const bytes = readFileSync(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  // The section link marks itself current.
  assert.equal(await page.locator('clientele-report .section-nav a[aria-current]').getAttribute('data-nav'), 'rfm');
  // The export, by Shift+Tab back up to the toolbar.
  await tabTo((f) => f.action === 'export', 400, 'Shift+Tab');
  const csv = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  assert.equal((await csv).suggestedFilename(), 'clientele-customers.csv');
});

test('reduced motion: chart animation is off', async () => {
  const { page } = h;
  await page.emulateMedia({ reducedMotion: 'reduce' });
  // Drawn again from the same report (no new run): the option is read when a chart is drawn.
  const anim = await page.evaluate(() => {
    const w = document.querySelector('clientele-report');
    w._render(w.report, 'again');
    return w._charts.map((c) => c.getOption().animation);
  });
  assert.ok(anim.length > 0 && anim.every((a) => a === false), `animation per chart: ${anim}`);
  await page.emulateMedia({ reducedMotion: null });
});

test('error state: axe clean', async () => {
  const bad = h.tempFile('not-a-table.csv', 'hello\n');
  const r = await h.run(() => h.upload(bad));
  assert.notEqual(r, 'report');
  await h.page.locator('clientele-report .alert').waitFor();
  await axe('error');
});

test('loading state: axe clean while a file is read', { skip: !existsSync(ONLINE_RETAIL) && 'no Online Retail file' }, async () => {
  await h.upload(ONLINE_RETAIL);
  await h.page.locator('clientele-report .progress').waitFor();
  await axe('loading');
  await h.page.evaluate(() => document.querySelector('clientele-report').cancel());
});

test('print: page.pdf of an eighth of Online Retail holds every section heading and no control', { skip: !existsSync(ONLINE_RETAIL) && 'no Online Retail file' }, async () => {
  const { page } = h;
  // Every eighth invoice: the whole year (cohorts, migration, propensity) at an eighth of the rows.
  const lines = readFileSync(ONLINE_RETAIL, 'utf8').split('\n');
  const kept = [lines[0], ...lines.slice(1).filter((l) => Number(l.slice(0, l.indexOf(',')).replace(/^C/, '')) % 8 === 0)];
  const file = h.tempFile('online_retail_eighth.csv', kept.join('\n'));
  await runSample(() => h.upload(file));
  // The sections this file fills and the sample cannot (cross-sell needs products; the quality
  // report has returns and skipped rows): the rest is the same markup, checked on the sample.
  for (const id of ['cross_sell', 'quality']) await axe(`report (Online Retail), ${id}`, { within: { fromShadowDom: ['clientele-report', `[data-section="${id}"]`] } });
  const headings = await page.locator('clientele-report section[data-section] > h2').allTextContents();
  assert.ok(headings.length >= 12, `sections: ${headings}`);
  const printed = async (lang) => {
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(SHOTS, `a11y-print-preview-${lang}.png`), fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    await page.emulateMedia({ media: null });
    writeFileSync(join(SHOTS, `a11y-report-${lang}.pdf`), pdf);
    const { text, totalPages } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    // NFKC: the embedded CJK fonts map some glyphs to Kangxi radicals (⽉ for 月).
    const norm = text.normalize('NFKC');
    return { text: norm, flat: norm.replace(/\s+/g, ''), totalPages };
  };
  const en = await printed('en');
  assert.ok(en.totalPages >= 5, `pages: ${en.totalPages}`);
  for (const hd of headings) assert.ok(en.flat.includes(hd.replace(/\s+/g, '')), `the PDF holds the heading "${hd}"`);
  for (const control of ['Show as table', 'Download PNG', 'Print / Save as PDF', 'Choose a file', 'Try the sample']) assert.ok(!en.text.includes(control), `no "${control}" in print`);
  // The charts are in the PDF as images of themselves.
  const images = await page.locator('clientele-report img.chart-print').evaluateAll((imgs) => imgs.filter((i) => i.naturalWidth > 0 && i.src.startsWith('data:image/svg+xml')).length);
  assert.ok(images >= 8, `print images: ${images}`);

  // The same report in Traditional Chinese (re-worded, not re-run): its headings in its PDF.
  await page.evaluate(() => document.querySelector('clientele-report').setAttribute('lang', 'zh-Hant'));
  await page.waitForTimeout(500);
  const zhHeadings = await page.locator('clientele-report section[data-section] > h2').allTextContents();
  assert.notDeepEqual(zhHeadings, headings);
  await axe('report in zh-Hant (whole page)');
  const zh = await printed('zh-Hant');
  for (const hd of zhHeadings) assert.ok(zh.flat.includes(hd.normalize('NFKC').replace(/\s+/g, '')), `the zh-Hant PDF holds the heading "${hd}"`);
  for (const control of ['以表格顯示', '下載 PNG']) assert.ok(!zh.text.includes(control), `no "${control}" in print`);

  // And in Simplified Chinese: the whole page through axe, every heading in its PDF.
  await page.evaluate(() => document.querySelector('clientele-report').setAttribute('lang', 'zh-Hans'));
  await page.locator('clientele-report .clientele[lang="zh-Hans"]').waitFor();
  await page.waitForTimeout(500);
  const hansHeadings = await page.locator('clientele-report section[data-section] > h2').allTextContents();
  assert.notDeepEqual(hansHeadings, zhHeadings);
  await axe('report in zh-Hans (whole page)');
  await page.screenshot({ path: join(SHOTS, 'a11y-report-zh-CN.png'), fullPage: true });
  const hans = await printed('zh-Hans');
  // The font maps 户 to the Kangxi radical ⼾, whose NFKC form is the traditional 戶.
  const hansFlat = hans.flat.replaceAll('戶', '户');
  for (const hd of hansHeadings) assert.ok(hansFlat.includes(hd.normalize('NFKC').replace(/\s+/g, '')), `the zh-Hans PDF holds the heading "${hd}"`);
  for (const control of ['以表格显示', '下载 PNG']) assert.ok(!hans.text.includes(control), `no "${control}" in print`);
  await page.evaluate(() => document.querySelector('clientele-report').setAttribute('lang', 'en'));
});
