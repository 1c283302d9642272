// The core's coded messages beyond the reader's (issue 17): where the amounts come from, the
// outlier-date rule, the cluster notes and names, the lifetime-value fit status, why the purchase
// models are not compared, why there is no spend model, the likely-gone rule and the campaign
// read-back's findings are `{ code, params, message }` (or a name in parts) in the Report, and
// the page words them from the catalogues. Files made to set them off, read in zh-CN and
// switched to zh-TW: a visit log without amounts, a short history (the comparison is skipped), a
// customer-level table, and the bundled sample's campaign read back. The shadow DOM holds no
// English word (harness/words.js). Screenshots: test-results/i18n-codes-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, ROOT, SHOTS } from './harness/browser.js';
import { checkWords } from './harness/words.js';
import { englishWords } from './harness/latin.js';

const NO_AMOUNT = join(ROOT, 'tests/fixtures/exports/visits_no_amount.csv');
const CUSTOMERS = join(ROOT, 'tests/fixtures/customer_table/woocommerce_customers.csv');

/** 60 customers over 80 days with amounts: too short for a calibration period and a holdout. */
function shortHistory() {
  const rows = ['customer,date,amount'];
  const start = Date.UTC(2024, 0, 1);
  for (let c = 0; c < 60; c++) {
    for (let k = 0; k <= c % 5; k++) {
      const day = 1 + ((c * 7 + k * 13) % 80);
      const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
      rows.push(`C${c},${date},${(10 + ((c * 37 + k * 11) % 90)).toFixed(2)}`);
    }
  }
  return rows.join('\n') + '\n';
}

/** Reads `file` in zh-CN, checks the words in zh-Hans and zh-Hant; returns the report. */
async function inChinese(name, file, check) {
  const p = await openPage(`i18n-codes-${name}`, { locale: 'zh-CN' });
  try {
    const el = p.page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    const path = typeof file === 'function' ? file(p) : file;
    assert.equal(await p.run(() => p.upload(path)), 'report');
    const report = await p.report();
    await check(p, report);
    await checkWords(p.page, 'zh-Hans', `${name} in zh-Hans`);
    for (const s of ['quality', 'clusters', 'clv']) {
      if (report[s === 'quality' ? 'quality' : s]?.status !== 'unavailable') await p.section(s).screenshot({ path: join(SHOTS, `i18n-codes-${name}-${s}-zh-Hans.png`) });
    }
    await el.evaluate((e) => e.setAttribute('lang', 'zh-Hant'));
    await el.locator('.clientele[lang="zh-Hant"]').waitFor();
    await checkWords(p.page, 'zh-Hant', `${name} in zh-Hant`);
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
}

test('a visit log without amounts: amount fact, cluster note, no spend model, likely gone by purchases', { timeout: 180_000 }, async () => {
  await inChinese('no-amount', NO_AMOUNT, async (p, r) => {
    assert.equal(r.quality.coded_amount_source, null);
    assert.equal(r.quality.dates.coded_rule.code, 'date_outlier_rule');
    assert.deepEqual(
      r.clusters.coded_notes.map((n) => n.code),
      ['feature_no_amounts'],
    );
    assert.equal(r.clv.coded_gamma_gamma_message.code, 'spend_no_amounts');
    assert.equal(r.clv.likely_gone.coded_rule.code, 'likely_gone_purchases');
    const noOrder = r.quality.warnings.find((w) => w.code === 'no_order_column');
    assert.equal(noOrder.params.column, null);
    assert.match(await p.section('quality').textContent(), /无：文件中没有金额/);
    assert.match(await p.section('clusters').locator('[data-code="feature_no_amounts"]').textContent(), /^未使用消费金额：文件中没有金额$/);
    assert.match(await p.section('clv').textContent(), /文件中没有金额，因此无法估计单次消费金额/);
    assert.ok(!(await p.section('quality').textContent()).includes('HEADER'));
    // notes.txt in the page's language: the core's notes (English) worded from the report.
    const core = await p.page.evaluate(() => document.querySelector('clientele-report').notes());
    assert.match(core, /unknown — the file has no amount column/);
    const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.locator('clientele-report [data-action="export-notes"]').click()]);
    assert.equal(download.suggestedFilename(), 'notes.txt');
    const notes = readFileSync(await download.path(), 'utf8');
    assert.equal(notes.split('\n').length, core.split('\n').length, `one line for each of the core's:\n${notes}\n${core}`);
    assert.match(notes, /消费金额、M得分.*：未知——文件中没有金额列/);
    assert.match(notes, /^截止日 \d{4}-\d{2}-\d{2}：/);
    assert.deepEqual(englishWords(notes), [], notes);
  });
});

test('a short history with amounts: the purchase models are not compared, said in Chinese', { timeout: 180_000 }, async () => {
  await inChinese('short', (p) => p.tempFile('short_history.csv', shortHistory()), async (p, r) => {
    assert.equal(r.quality.coded_amount_source.code, 'amount_column');
    assert.equal(r.clv.model_choice.coded_comparison_message.code, 'comparison_too_short');
    assert.ok(r.clusters.profiles.every((c) => c.coded_name.when && c.coded_name.what));
    assert.match(await p.section('quality').textContent(), /金额列“amount”/);
    assert.match(await p.section('clv').locator('[data-rule]').textContent(), /历史数据只有 \d+ 天/);
  });
});

test('a customer-level table: the amounts are the total spent per customer', { timeout: 180_000 }, async () => {
  await inChinese('customers', CUSTOMERS, async (p, r) => {
    assert.equal(r.quality.table, 'customers');
    assert.equal(r.quality.coded_amount_source.code, 'amount_total_spent');
    assert.match(await p.section('quality').textContent(), /客户汇总表：每位客户的累计消费金额/);
  });
});

test('the bundled sample: its campaign read back in zh-CN, findings in Chinese', { timeout: 240_000 }, async () => {
  const p = await openPage('i18n-codes-readback', { locale: 'zh-CN' });
  try {
    const { page } = p;
    const el = page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    assert.equal(await p.run(() => el.locator('[data-action="sample"]').click()), 'report');
    const target = p.section('target');
    await target.locator('[data-action=build-target]').click();
    await target.locator('[data-action=export-campaign]:not([disabled])').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), target.locator('[data-action="export-campaign"]').click()]);
    const rows = readFileSync(await download.path(), 'utf8')
      .split('\r\n')
      .filter((l) => l && !l.startsWith('#'))
      .slice(1)
      .map((l) => l.split(','));
    const body = rows.map(([id, group], k) => {
      const bought = group === 'target' ? k % 10 < 4 : k % 10 < 1;
      return `${id},${group},${bought ? 1 : 0},${bought ? '42.50' : ''}`;
    });
    const responses = p.tempFile('responses.csv', ['CustomerID,Group,Converted,Revenue', ...body].join('\n') + '\n');
    const readback = p.section('readback');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), readback.locator('[data-action="choose-responses"]').click()]);
    await chooser.setFiles(responses);
    await readback.locator('[data-findings] p').first().waitFor({ timeout: 60_000 });
    assert.match(await readback.locator('[data-findings]').textContent(), /营销组的转化率为/);
    await checkWords(page, 'zh-Hans', 'read-back in zh-Hans');
    await readback.screenshot({ path: join(SHOTS, 'i18n-codes-readback-zh-Hans.png') });
    await el.evaluate((e) => e.setAttribute('lang', 'zh-Hant'));
    await el.locator('.clientele[lang="zh-Hant"]').waitFor();
    await checkWords(page, 'zh-Hant', 'read-back in zh-Hant');
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});

test('the Export button words the header and names the currency; csv() keeps the machine header', { timeout: 180_000 }, async () => {
  const p = await openPage('i18n-codes-export', { locale: 'zh-CN' });
  try {
    const { page } = p;
    const el = page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    assert.equal(await p.run(() => p.upload(join(ROOT, 'tests/fixtures/currency/chinese_shop_gbk.csv'))), 'report');
    const header = async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), el.locator('[data-action="export"]').click()]);
      return readFileSync(await download.path(), 'utf8').split('\r\n');
    };
    const hans = await header();
    assert.ok(hans[0].startsWith('客户ID,最近购买天数,购买频次,消费金额 (CNY),'), hans[0]);
    assert.ok(hans[0].includes(',客户生命周期价值 (CNY),'), hans[0]);
    const machine = (await el.evaluate(async (e) => (await e.csv()).text())).split('\r\n');
    assert.ok(machine[0].startsWith('customer_id,recency_days,frequency,monetary,'), machine[0]);
    assert.deepEqual(hans.slice(1), machine.slice(1), 'the rows are the core bytes');
    await el.evaluate((e) => e.setAttribute('lang', 'en'));
    await el.locator('.clientele[lang="en"]').waitFor();
    const en = await header();
    assert.ok(en[0].startsWith('customer_id,recency_days,frequency,monetary (CNY),'), en[0]);
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});
