// Builds the npm package `clientele` from the static site (dist/, made by scripts/lib.sh
// build_site) into build/package/ and packs it with `npm pack` into build/clientele-VERSION.tgz.
// The package holds the element, the headless API (www/api.js), the bundled worker, both wasm
// cores (as .wasm files and as embedded-bytes modules) and the chart library, in the same
// layout as dist/, so every relative URL resolves alike in both; the hand-written declarations
// (types/package/), its README (docs/npm-package.md) and the licences of what it bundles
// (THIRD_PARTY_LICENSES.md: the Rust crates compiled into the wasm, from `cargo metadata`, and
// Apache ECharts with zrender and tslib, bundled into vendor/echarts.js).
//
//   node scripts/build-package.mjs     (prints the tarball's path on stdout)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'build');
const PKG = join(OUT, 'package');

/** What of dist/ belongs to the demo page only. */
const DEMO_ONLY = new Set(['index.html', 'sample', 'examples', '_headers', '.htaccess', 'style.css', 'sections.css', 'report.css']);

if (!existsSync(join(DIST, 'element-styles.js'))) {
  console.error('build-package: dist/ is missing or old: build it first (scripts/lib.sh build_site)');
  process.exit(1);
}
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'))[1];

rmSync(PKG, { recursive: true, force: true });
mkdirSync(PKG, { recursive: true });
for (const name of readdirSync(DIST)) {
  if (!DEMO_ONLY.has(name)) cpSync(join(DIST, name), join(PKG, name), { recursive: true });
}
cpSync(join(ROOT, 'types/package'), PKG, { recursive: true });
cpSync(join(ROOT, 'docs/npm-package.md'), join(PKG, 'README.md'));
writeFileSync(join(PKG, 'THIRD_PARTY_LICENSES.md'), thirdPartyLicences());

const manifest = {
  name: 'clientele',
  version,
  description: 'Private customer analytics in the browser: RFM segments, clusters, propensity and lifetime value from a transaction file, computed by a Rust/WebAssembly core in a Web Worker; a <clientele-report> custom element and a headless API. Nothing is uploaded.',
  type: 'module',
  license: 'MIT OR Apache-2.0',
  keywords: ['rfm', 'clv', 'customer-analytics', 'webassembly', 'web-component', 'custom-element', 'segmentation'],
  browser: './index.js',
  module: './index.js',
  main: './index.js',
  types: './index.d.ts',
  exports: {
    '.': { types: './index.d.ts', default: './index.js' },
    './element': { types: './clientele-report.d.ts', default: './clientele-report.js' },
    './core': { types: './pkg/clientele.d.ts', default: './pkg/clientele.js' },
    './pkg/*': './pkg/*',
    './package.json': './package.json',
  },
  // Importing these defines <clientele-report> (customElements.define): keep them in a bundle.
  sideEffects: ['./index.js', './clientele-report.js'],
  files: ['*.js', '*.d.ts', 'element/', 'sections/', 'pkg/', 'vendor/', ...(existsSync(join(PKG, 'i18n')) ? ['i18n/'] : []), 'THIRD_PARTY_LICENSES.md'],
};
writeFileSync(join(PKG, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: PKG, encoding: 'utf8' });
const [{ filename, size, unpackedSize, entryCount }] = JSON.parse(packed);
console.error(`build-package: ${entryCount} files, ${size} bytes packed (${unpackedSize} unpacked) -> build/${filename}`);
console.log(join(OUT, filename));

/** The licences of what the package bundles: the crates compiled into the wasm (normal
 *  dependencies for wasm32 with the default features, which the workbook core uses; the text
 *  core is a subset; proc-macros and build dependencies left out), then the JavaScript bundled into vendor/echarts.js. Each distinct licence
 *  text once, with the packages that ship it. */
function thirdPartyLicences() {
  const meta = JSON.parse(
    execFileSync('cargo', ['metadata', '--offline', '--format-version', '1', '--filter-platform', 'wasm32-unknown-unknown'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const seen = new Set();
  const queue = [meta.resolve.root];
  while (queue.length) {
    const id = queue.shift();
    // A proc-macro runs in the compiler, not in the wasm: neither it nor what it uses is shipped.
    if (seen.has(id) || byId.get(id)?.targets.some((t) => t.kind.includes('proc-macro'))) continue;
    seen.add(id);
    for (const dep of nodes.get(id)?.deps ?? []) {
      if (dep.dep_kinds.some((k) => k.kind == null)) queue.push(dep.pkg);
    }
  }
  seen.delete(meta.resolve.root);
  const entries = [...seen]
    .map((id) => byId.get(id))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
    .map((p) => ({ name: p.name, version: p.version, license: p.license ?? p.license_file ?? 'see text', url: p.repository ?? '', dir: dirname(p.manifest_path) }));
  const node = (name, license, files) => {
    const dir = join(ROOT, 'node_modules', name);
    const { version, homepage } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { name, version, license, url: homepage ?? '', dir, files };
  };
  const js = [
    node('echarts', 'Apache-2.0', ['LICENSE', 'NOTICE']),
    node('zrender', 'BSD-3-Clause', ['LICENSE']),
    node('tslib', '0BSD', ['LICENSE.txt']),
  ];
  /** text hash → { text, users } */
  const texts = new Map();
  const addText = (file, who) => {
    const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trim();
    const h = createHash('sha256').update(text).digest('hex');
    if (!texts.has(h)) texts.set(h, { text, users: [] });
    texts.get(h).users.push(who);
  };
  for (const e of entries) {
    const files = readdirSync(e.dir).filter((f) => /^(licen[cs]e|copying|notice|copyright)/i.test(f) && statSync(join(e.dir, f)).isFile());
    for (const f of files) addText(join(e.dir, f), `${e.name} ${e.version} (${f})`);
  }
  for (const e of js) for (const f of e.files) addText(join(e.dir, f), `${e.name} ${e.version} (${f})`);
  const row = (e) => `| ${e.name} | ${e.version} | ${e.license} | ${e.url} |`;
  return [
    '# Third-party licences',
    '',
    `The package bundles the following software. Clientele itself is MIT OR Apache-2.0.`,
    '',
    '## JavaScript bundled into vendor/echarts.js',
    '',
    '| package | version | licence | home |',
    '|---|---|---|---|',
    ...js.map(row),
    '',
    `## Rust crates compiled into pkg/*.wasm (${entries.length})`,
    '',
    '| crate | version | licence | repository |',
    '|---|---|---|---|',
    ...entries.map(row),
    '',
    '## Licence texts',
    '',
    'Each distinct text once, after the packages that ship it. Crates whose licence is a',
    'standard one without a text of their own in the published crate are under the SPDX text',
    'of that licence (https://spdx.org/licenses/).',
    '',
    ...[...texts.values()].flatMap(({ text, users }) => [`### ${users.join(', ')}`, '', '```text', text, '```', '']),
  ].join('\n');
}
