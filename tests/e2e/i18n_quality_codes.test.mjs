// The reader's messages worded from their codes (issue 17): a GBK file made to set off many of
// them (tests/fixtures/ingest/make_warnings_gbk.mjs: skipped rows, day/month dates no row
// decides, an amount found from its values, a stray quote) read in zh-CN. Every warning, the
// date format and the candidates' reasons come from `ingest.<code>` in the catalogue, none is
// left in the core's English (lang="en"), and the shadow DOM holds no English word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, ROOT, SHOTS } from './harness/browser.js';
import { checkWords } from './harness/words.js';

const FILE = join(ROOT, 'tests/fixtures/ingest/warnings_gbk.csv');

test('a warnings-heavy GBK file in zh-CN shows every reader message in Chinese', { timeout: 180_000 }, async () => {
  const p = await openPage('i18n-quality-codes', { locale: 'zh-CN' });
  try {
    const el = p.page.locator('clientele-report');
    await el.locator('.clientele[lang="zh-Hans"]').waitFor();
    assert.equal(await p.run(() => p.upload(FILE)), 'report');
    const report = await p.report();
    const q = report.quality;
    assert.equal(q.encoding, 'GBK');
    const codes = q.warnings.map((w) => w.code);
    for (const code of ['dates_undecided', 'role_from_values', 'no_order_column', 'bad_quantity', 'unterminated_quote', 'ragged']) {
      assert.ok(codes.includes(code), `no ${code} in ${codes.join(', ')}`);
    }
    assert.ok(q.skipped.some((s) => s.rows > 0 && s.reason === 'bad_date'));
    assert.ok(q.coded_date_format.length > 0);
    const quality = p.section('quality');
    const items = quality.locator('.warnings li');
    assert.equal(await items.count(), q.warnings.length);
    assert.equal(await quality.locator('[lang="en"]').count(), 0, 'a message left in English');
    assert.match(await quality.locator('.warnings').first().textContent(), /已按(日\/月\/年|月\/日\/年)读取/);
    await checkWords(p.page, 'zh-Hans', 'warnings-heavy GBK file in zh-Hans');
    await quality.screenshot({ path: join(SHOTS, 'i18n-quality-codes-zh-Hans.png') });
    // Traditional Chinese from the same report, no new run.
    await el.evaluate((e) => e.setAttribute('lang', 'zh-Hant'));
    await el.locator('.clientele[lang="zh-Hant"]').waitFor();
    assert.equal(await quality.locator('[lang="en"]').count(), 0);
    await checkWords(p.page, 'zh-Hant', 'warnings-heavy GBK file in zh-Hant');
    assert.deepEqual(p.consoleErrors, []);
  } finally {
    await p.close();
  }
});
