// The page's weight (issue 14): what it loads when opened and up to its first CSV report (wasm +
// JS + CSS) must not grow past its budgets, and a first CSV must not pull in workbook support,
// which loads only when a workbook is dropped. Prints the breakdown (scripts/page-size.mjs),
// so a failure says which file grew. Nothing may come from another host. Run after
// `scripts/lib.sh build_site`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/browser.js';
import { describe, measure } from '../../scripts/page-size.mjs';

/** Bytes, gzipped (zlib level 6), of everything the page fetches from opening to its first CSV
 *  report: since the element starts its worker, core and chart library on first use (issue 18),
 *  the page opens at ~100 kB, so the budget covers the open page plus the first CSV, the figure
 *  issue 14's 600 kB target is about. History: the page opened with the core at 677 kB
 *  (2026-12-01 morning; encoding_rs's decoding tables are 95 kB of the text core, profiled that
 *  evening), the purchase models and campaign analyses grew it to 866 kB plus the 219 kB chart
 *  library on the first CSV; the k-means restarts leaving linfa-clustering took 21 kB off; the
 *  three languages' catalogues, chart accessibility and the element's API brought open + first
 *  CSV to 1,134 kB, product names and the summary reader to 1,164 kB (BENCHMARKS.md, "Page size
 *  (issue 14)"); the fifth session's merges (chunked reading with its partials as bytes, the
 *  currency guess, coded reader messages, the `sections` option, the batch's co-purchase model)
 *  to 1,244 kB, of which the text core is 885 kB; the text core's gzip made by Zopfli instead
 *  of zlib level 9 (scripts/embed-wasm.mjs --zopfli) to 1,202 kB (text core 844 kB), one copy
 *  of the Report's serializers instead of two (`view::report_json`) to 1,192 kB (833 kB); the
 *  profile of what the rest is made of is in BENCHMARKS.md. The budget is the measured size
 *  plus a little, so that further growth fails here; bring it down towards 600 kB as what a
 *  first CSV does not need leaves the first core. */
const FIRST_REPORT_BUDGET = 1_205_000;
/** The open page alone, before a file: the element, the page's chrome and English words. */
const OPEN_BUDGET = 110_000;

test('open page and first CSV report within their budgets gzipped; workbook support only when a workbook is dropped', async (t) => {
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  const steps = await measure(join(ROOT, 'dist'));
  const breakdown = describe(steps);
  t.diagnostic(`\n${breakdown}`);
  const [opened, csv, workbook] = steps;
  assert.ok(opened.gzip <= OPEN_BUDGET, `the open page is ${opened.gzip} bytes gzipped, over the budget of ${OPEN_BUDGET}:\n${breakdown}`);
  const first = opened.gzip + csv.gzip;
  assert.ok(first <= FIRST_REPORT_BUDGET, `the page to its first CSV report is ${first} bytes gzipped, over the budget of ${FIRST_REPORT_BUDGET}:\n${breakdown}`);
  const paths = (st) => st.files.map((f) => f.path);
  assert.deepEqual(
    steps.flatMap((st) => st.files.filter((f) => f.foreign).map((f) => f.path)),
    [],
    'requests to another host',
  );
  for (const st of [opened, csv]) {
    assert.ok(!paths(st).some((p) => p.includes('workbook')), `workbook support loaded at step "${st.name}":\n${breakdown}`);
  }
  assert.ok(paths(workbook).some((p) => p.includes('workbook')), `an .xlsx did not load workbook support:\n${breakdown}`);
});
