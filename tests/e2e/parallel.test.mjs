// Parallel reading in the page (issue 14): a file above the size bound is cut just after line
// breaks and read by several workers (copies of the page's worker, the compiled core posted to
// them; no SharedArrayBuffer), whose partials come back as transferred bytes and are merged.
// The page report must be the one a single worker gives, byte for byte. The worker count and
// the size bound are forced through the element's `limits` so the test is deterministic; the
// file (Online Retail's first ~3 MB plus rows whose quoted cells span lines) is small enough
// to keep the test to a few seconds.
// Run after `scripts/lib.sh build_site`: `node --test tests/e2e/parallel.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, openPage } from './harness/browser.js';

let p;

before(async () => {
  p = await openPage('parallel');
});

after(async () => {
  await p?.close();
});

/** Online Retail's first `bytes` (whole lines), with rows whose quoted descriptions hold
 *  commas and line breaks spread through it, so some cuts may fall inside quotes. */
function testFile(bytes) {
  const text = readFileSync(join(DATA, 'online_retail/online_retail.csv'), 'latin1').slice(0, bytes);
  const lines = text.slice(0, text.lastIndexOf('\n')).split('\n');
  const out = [];
  lines.forEach((line, i) => {
    out.push(line);
    if (i > 0 && i % 997 === 0) {
      out.push(`${600000 + i},85123A,"WHITE HANGING, HEART\nT-LIGHT ""HOLDER""",6,2011-01-04 10:00:00,2.55,17850,United Kingdom`);
    }
  });
  return out.join('\n') + '\n';
}

async function runWith(path, limits) {
  await p.page.evaluate((l) => {
    document.querySelector('clientele-report').limits = l;
  }, limits);
  assert.equal(await p.run(() => p.upload(path)), 'report');
  return p.page.evaluate(() => {
    const w = document.querySelector('clientele-report');
    return { report: JSON.stringify(w.report), readers: w.readers };
  });
}

// The worker's parallel path (opt-in through `limits.workers`): 1, 2 and 4 workers
// give the same page report, and files under the size bound are read by one.
test('four workers give the report one worker gives', { timeout: 180_000 }, async () => {
  const path = p.tempFile('retail_part.csv', testFile(3_000_000));
  const one = await runWith(path, { workers: 1, parallelMinBytes: 1 });
  const four = await runWith(path, { workers: 4, parallelMinBytes: 1 });
  const two = await runWith(path, { workers: 2, parallelMinBytes: 1 });
  assert.equal(one.readers, 1);
  assert.equal(four.readers, 4, 'the file was read in four chunks');
  assert.equal(two.readers, 2);
  assert.ok(four.report === one.report, 'four workers: the same page report');
  assert.ok(two.report === one.report, 'two workers: the same page report');
  // 'auto': as many workers as the browser reports cores, at most 4; not set: one.
  const cores = await p.page.evaluate(() => navigator.hardwareConcurrency);
  const auto = await runWith(path, { workers: 'auto', parallelMinBytes: 1 });
  assert.equal(auto.readers, Math.max(1, Math.min(cores, 4)), `${cores} cores`);
  assert.ok(auto.report === one.report, "'auto': the same page report");
  const unset = await runWith(path, { parallelMinBytes: 1 });
  assert.equal(unset.readers, 1, 'not set: one worker');
  // Below the size bound, one worker reads it.
  const small = await runWith(path, { workers: 4 });
  assert.equal(small.readers, 1);
  assert.ok(small.report === one.report);
  assert.deepEqual(p.consoleErrors, []);
  const away = p.requests.filter((u) => !u.startsWith(`${p.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(away, [], 'requests that left the origin');
});
