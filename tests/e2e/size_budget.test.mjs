// The page's weight (issue 14): what it loads when opened (wasm + JS + CSS, before a file is
// dropped) must not grow past its budget, and a first CSV must not pull in workbook support,
// which loads only when a workbook is dropped. Prints the breakdown (scripts/page-size.mjs),
// so a failure says which file grew. Nothing may come from another host. Run after
// `scripts/lib.sh build_site`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness/browser.js';
import { describe, measure } from '../../scripts/page-size.mjs';

/** Bytes, gzipped (zlib level 6), of everything the page fetches when opened. Issue 14's target
 *  is 600 kB. The page was at 677 kB when this check was written (2026-12-01), 629 kB of it the
 *  text core, of which ~190 kB are encoding_rs's CJK decoding tables; merging the three purchase
 *  models, the campaign analyses, target lists and the read-back the same day grew the text
 *  core to 798 kB and the first load to 866 kB (BENCHMARKS.md, "Page size (issue 14)"); the
 *  k-means restarts leaving linfa-clustering brought it to 845 kB (777 kB the text core). The
 *  budget is the measured size plus a little, so that further growth fails here; bring it down
 *  towards 600 kB as the analyses that a first CSV does not need move out of the first core. */
const FIRST_LOAD_BUDGET = 860_000;

test('first load within its budget gzipped; workbook support only when a workbook is dropped', async (t) => {
  assert.ok(existsSync(join(ROOT, 'dist/index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  const steps = await measure(join(ROOT, 'dist'));
  const breakdown = describe(steps);
  t.diagnostic(`\n${breakdown}`);
  const [opened, csv, workbook] = steps;
  assert.ok(opened.gzip <= FIRST_LOAD_BUDGET, `the first load is ${opened.gzip} bytes gzipped, over the budget of ${FIRST_LOAD_BUDGET}:\n${breakdown}`);
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
