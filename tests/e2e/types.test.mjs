// The TypeScript declarations embedders get (dist/pkg/clientele.d.ts) describe what the core
// really returns: real Reports, made by the built wasm in Node, are type-checked as `Report`
// literals under `strict` (every declared field must be there with its type, and no field may
// be missing from the declarations: object literals reject unknown properties). Run after
// `scripts/lib.sh build_site`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = join(ROOT, 'dist/pkg');

/** The page reports (`Analysis.pageReport()`) of the same runs, checked as `PageReport`. */
const pages = [];

async function reports() {
  const { initSync, analyze } = await import(pathToFileURL(join(PKG, 'clientele.js')).href);
  initSync({ module: readFileSync(join(PKG, 'clientele_bg.wasm')) });
  const run = (bytes, options) => {
    const a = analyze(bytes, options, undefined);
    const r = a.report();
    pages.push(a.pageReport());
    a.free();
    return r;
  };
  return {
    // Every section computed, including the holdout comparison.
    cdnow: run(readFileSync(join(ROOT, 'www/sample/CDNOW_sample.txt')), { clv: { calibration_end: '1997-09-30' } }),
    // A customer-level table: propensity and lifetime value unavailable.
    customers: run(readFileSync(join(ROOT, 'tests/fixtures/customer_table/shopify_customers.csv')), {}),
    // Sections switched off.
    skipped: run(readFileSync(join(ROOT, 'www/sample/CDNOW_sample.txt')), { run: { clusters: false, propensity: false, clv: false } }),
  };
}

test('real Reports type-check against the published Report declaration', async () => {
  assert.ok(existsSync(join(PKG, 'clientele.d.ts')), 'dist/pkg is missing: build it first (scripts/lib.sh build_site)');
  const r = await reports();
  assert.equal(r.cdnow.clv.status, 'ok');
  assert.ok(r.cdnow.clv.calibration_holdout, 'the holdout comparison is in the checked report');
  assert.equal(r.customers.propensity.status, 'unavailable');
  assert.equal(r.skipped.clusters.status, 'skipped');
  const dir = mkdtempSync(join(tmpdir(), 'clientele-types-'));
  try {
    copyFileSync(join(PKG, 'clientele.d.ts'), join(dir, 'clientele.d.ts'));
    const body = Object.entries(r)
      .map(([name, report]) => `export const ${name}: Report = ${JSON.stringify(report)};`)
      .join('\n') + '\n' + pages.map((page, i) => `export const page${i}: PageReport = ${JSON.stringify(page)};`).join('\n') +
      `\nexport const rows: CustomerRow[] = ${JSON.stringify(pages[0].top_customers.slice(0, 3))};`;
    assert.equal(pages.length, 3);
    assert.equal(pages[0].top_customers.length, 100);
    writeFileSync(join(dir, 'check.ts'), `import type { Report, AnalyzeOptions, PageReport, CustomerRow } from './clientele';\n${body}\n` +
      `export const options: AnalyzeOptions = { ingest: { table: 'customers', roles: [['order_count', 'Orders']] }, cluster: { k: 4 }, run: { clusters: true } };\n` +
      `import type * as C from './clientele';\ndeclare const analyze: typeof C.analyze;\n` +
      `export const stages: string[] = [];\nexport const fromCall: Report = analyze(new Uint8Array(), options, (p) => { stages.push(p.stage); }).report();\n`);
    const program = ts.createProgram([join(dir, 'check.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.esnext.d.ts', 'lib.dom.d.ts'],
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: false,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start != null ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${d.file?.fileName.split('/').pop() ?? ''}${where ? `:${where.line + 1}` : ''}: ${text.slice(0, 600)}`;
    });
    assert.deepEqual(diagnostics, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
