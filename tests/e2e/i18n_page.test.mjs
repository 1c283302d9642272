// The page in three languages (issue 17), in Debian's Chromium: the language follows the
// browser (zh-CN → 简体中文, zh-TW → 繁體中文, en-US → English) and the `lang` attribute, the
// language menu re-words the page without a new analysis, and the rendered shadow DOM text has
// no missing-key marker (⟦key⟧) and, in Chinese, no English word but the allowed names and
// units (harness/latin.js). Runs the bundled sample in each language, a GBK file with
// Simplified Chinese headers switched through all three, and the Online Retail export when
// ../shared/data has it. Screenshots: test-results/i18n-*.png (with Noto CJK from
// scripts/lib.sh ensure_chromium, so the glyphs are real).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPage, ROOT, SHOTS } from './harness/browser.js';
import { checkWords } from './harness/words.js';

const GBK = join(ROOT, 'tests/fixtures/exports/tafeng_gbk_simplified.csv');
const SHOP_GBK = join(ROOT, 'tests/fixtures/currency/chinese_shop_gbk.csv');
const REVENUE = { en: 'Revenue', 'zh-Hans': '销售额', 'zh-Hant': '營收' };

/** The RFM section's revenue figure, as shown, and the currency fact of the quality section. */
async function money(p, lang) {
  const revenue = await p.section('rfm').locator('.stat').filter({ has: p.page.locator('.stat-label', { hasText: REVENUE[lang] }) }).locator('.stat-value').first().textContent();
  const fact = await p.section('quality').locator('[data-fact="currency"]').textContent();
  return { revenue, fact };
}
const ONLINE_RETAIL = resolve(ROOT, '../shared/data/online_retail/online_retail.csv');
const SECTION_TITLE = { en: 'Data quality', 'zh-Hans': '数据质量', 'zh-Hant': '資料品質' };
const DROP_TITLE = { en: 'Drop a transaction', 'zh-Hans': '拖放到此处', 'zh-Hant': '拖放到這裡' };

const LOCALES = [
  ['zh-CN', 'zh-Hans'],
  ['zh-TW', 'zh-Hant'],
  ['en-US', 'en'],
];

for (const [locale, lang] of LOCALES) {
  test(`the bundled sample in ${locale} (${lang})`, async () => {
    const p = await openPage(`i18n-${locale}`, { locale });
    try {
      const el = p.page.locator('clientele-report');
      assert.equal(await el.evaluate((e) => e.language), lang);
      // The Chinese words load on first use: wait until the element shows them.
      await el.locator(`.clientele[lang="${lang}"]`).waitFor();
      assert.match(await el.locator('.drop-text strong').textContent(), new RegExp(DROP_TITLE[lang]));
      await checkWords(p.page, lang, `${locale} empty page`);
      assert.equal(await p.run(() => el.locator('[data-action="sample"]').click()), 'report');
      assert.equal(await p.section('quality').locator('h2').textContent(), SECTION_TITLE[lang]);
      // The sample's file names no currency: unknown, and money as plain numbers.
      const shown = await money(p, lang);
      assert.match(shown.revenue, /^[\d,.]+$/, `the sample's revenue without a currency sign: ${shown.revenue}`);
      assert.match(shown.fact, { en: /^unknown/, 'zh-Hans': /^未知/, 'zh-Hant': /^未知/ }[lang]);
      await checkWords(p.page, lang, `${locale} sample report`);
      await p.page.screenshot({ path: join(SHOTS, `i18n-sample-${locale}.png`), fullPage: true });
      assert.deepEqual(p.consoleErrors, []);
    } finally {
      await p.close();
    }
  });
}

test('a GBK file with Chinese headers, switched between the three languages without a new run', async () => {
  const p = await openPage('i18n-gbk', { locale: 'zh-CN' });
  try {
    const el = p.page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    assert.equal(await p.run(() => p.upload(GBK)), 'report');
    const report = await p.report();
    assert.equal(report.quality.encoding, 'GBK');
    await checkWords(p.page, 'zh-Hans', 'GBK file in zh-Hans');
    await p.page.screenshot({ path: join(SHOTS, 'i18n-gbk-zh-Hans.png'), fullPage: true });

    // The menu and the attribute re-word the page from the held report: no progress, no new run.
    await el.evaluate((e) => {
      e._i18nRuns = 0;
      e.addEventListener('clientele-progress', () => e._i18nRuns++);
    });
    await el.locator('select[data-action="language"]').selectOption('zh-Hant');
    assert.equal(await el.getAttribute('lang'), 'zh-Hant');
    await el.locator('.clientele[lang="zh-Hant"]').waitFor();
    assert.equal(await p.section('quality').locator('h2').textContent(), SECTION_TITLE['zh-Hant']);
    await checkWords(p.page, 'zh-Hant', 'GBK file in zh-Hant');
    await p.page.screenshot({ path: join(SHOTS, 'i18n-gbk-zh-Hant.png'), fullPage: true });
    await el.evaluate((e) => e.setAttribute('lang', 'en'));
    await el.locator('.clientele[lang="en"]').waitFor();
    assert.equal(await p.section('quality').locator('h2').textContent(), SECTION_TITLE.en);
    assert.equal(await el.locator('select[data-action="language"]').inputValue(), 'en');
    await checkWords(p.page, 'en', 'GBK file in English');
    assert.equal(await el.evaluate((e) => e._i18nRuns), 0, 'switching language ran the analysis again');
    assert.deepEqual(await p.report(), report);
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});

test('a Chinese shop export in GBK (￥, 金额(元)): money in yuan in zh-CN and en-US; the Currency menu overrides it', async () => {
  const p = await openPage('i18n-currency', { locale: 'zh-CN' });
  try {
    const el = p.page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    assert.equal(await p.run(() => p.upload(SHOP_GBK)), 'report');
    const report = await p.report();
    assert.equal(report.quality.currency.code, 'CNY');
    const yuan = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(report.summary.revenue);
    let shown = await money(p, 'zh-Hans');
    assert.equal(shown.revenue, yuan);
    assert.match(shown.revenue, /^¥/);
    assert.match(shown.fact, /^CNY — 人民币（依据金额单元格中的符号：“￥”/);
    assert.match(shown.fact, /JPY/);
    // The CLV section's spend message for this small file (spend_too_few) is worded from its code.
    await checkWords(p.page, 'zh-Hans', 'Chinese shop export in zh-Hans');
    await p.section('quality').screenshot({ path: join(SHOTS, 'i18n-currency-quality-zh-CN.png') });
    await p.section('rfm').screenshot({ path: join(SHOTS, 'i18n-currency-rfm-zh-CN.png') });
    // In English the yuan is CN¥ (¥ alone would be the yen).
    await el.evaluate((e) => e.setAttribute('lang', 'en'));
    await el.locator('.clientele[lang="en"]').waitFor();
    shown = await money(p, 'en');
    assert.equal(shown.revenue, new Intl.NumberFormat('en-US', { style: 'currency', currency: 'CNY' }).format(report.summary.revenue));
    assert.match(shown.revenue, /^CN¥/);
    assert.match(shown.fact, /^CNY — Chinese Yuan/);
    // The Currency menu reads the file again with ingest.currency: the yen, without cents.
    assert.equal(await p.run(() => p.section('quality').locator('select[data-control="currency"]').selectOption('JPY')), 'report');
    const again = await p.report();
    assert.deepEqual([again.quality.currency.code, again.quality.currency.source, again.quality.currency.alternatives[0]], ['JPY', 'option', 'CNY']);
    shown = await money(p, 'en');
    assert.equal(shown.revenue, new Intl.NumberFormat('en-US', { style: 'currency', currency: 'JPY' }).format(report.summary.revenue));
    assert.match(shown.revenue, /^¥[\d,]+$/);
    assert.equal(await p.section('quality').locator('select[data-control="currency"]').inputValue(), 'JPY');
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});

test('Online Retail in zh-TW', { skip: !existsSync(ONLINE_RETAIL) && 'no ../shared/data/online_retail' }, async () => {
  const p = await openPage('i18n-online-retail', { locale: 'zh-TW' });
  try {
    await p.page.locator('clientele-report .clientele[lang="zh-Hant"]').waitFor();
    assert.equal(await p.run(() => p.upload(ONLINE_RETAIL), 240_000), 'report');
    await checkWords(p.page, 'zh-Hant', 'Online Retail in zh-Hant');
    await p.page.screenshot({ path: join(SHOTS, 'i18n-online-retail-zh-TW.png'), fullPage: true });
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});

