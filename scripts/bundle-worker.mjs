// Bundles the Web Worker (www/worker.js and every module it imports by a relative path: the
// wasm-bindgen glue pkg/clientele.js and the embedded wasm bytes) into one self-contained
// script, written as an ES module whose default export is that script's source text.
//
// Why: the page's security policy is a <meta> tag, and a worker loaded from a URL does not
// inherit it (it would get only the policy of its own HTTP response, usually none). A worker
// created from a `blob:` URL does inherit its creator's policy (CSP3, "local scheme" workers),
// so the page makes `new Worker(URL.createObjectURL(new Blob([source])))`. A blob: module has
// no base URL to resolve `./pkg/...` against, hence one file; and the page cannot fetch it
// (connect-src 'none'), hence a JS module that is imported like any other script.
//
// No bundler dependency: each module becomes a function returning its exports, in dependency
// order. The import/export forms understood are the ones the worker and wasm-bindgen's
// `--target web` output use; anything else stops the build with the line that was not understood.
//
//   node scripts/bundle-worker.mjs ENTRY.js OUT.js
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const [, , entry, output] = process.argv;
if (!entry || !output) {
  console.error('usage: node scripts/bundle-worker.mjs ENTRY.js OUT.js');
  process.exit(2);
}

const fail = (file, line, why) => {
  console.error(`bundle-worker: ${relative(process.cwd(), file)}: ${why}\n  ${line.trim().slice(0, 200)}`);
  process.exit(1);
};

/** Resolves a relative import `./x.js` from the importing file. */
function locate(spec, from) {
  const path = resolve(dirname(from), spec);
  if (!existsSync(path)) fail(from, `import ... from '${spec}'`, `cannot find ${path}`);
  return path;
}

const modules = new Map(); // path -> { id, code }
let nextId = 0;

/** Parses `{ a, b as c }` into [[exported, local], ...]. */
function names(list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!m) throw new Error(s);
      return [m[1], m[2] ?? m[1]];
    });
}

function load(file) {
  if (modules.has(file)) return modules.get(file);
  const mod = { id: `__m${nextId++}`, code: '' };
  modules.set(file, mod);
  const exports = []; // [exportedName, localName]
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let m;
    if ((m = /^import\s+\*\s+as\s+([\w$]+)\s+from\s+['"]([^'"]+)['"];?\s*$/.exec(line))) {
      if (!m[2].startsWith('.')) fail(file, line, 'only relative imports can be bundled');
      out.push(`const ${m[1]} = ${load(locate(m[2], file)).id};`);
    } else if ((m = /^import\s+['"]([^'"]+)['"];?\s*$/.exec(line))) {
      if (!m[1].startsWith('.')) fail(file, line, 'only relative imports can be bundled');
      out.push(`void ${load(locate(m[1], file)).id};`);
    } else if ((m = /^import\s+(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\}\s*)?from\s+['"]([^'"]+)['"];?\s*$/.exec(line))) {
      const [, def, list, spec] = m;
      if (!spec.startsWith('.')) fail(file, line, 'only relative imports can be bundled');
      const dep = load(locate(spec, file));
      const parts = [];
      if (def) parts.push(`default: ${def}`);
      try {
        for (const [exported, local] of names(list ?? '')) parts.push(exported === local ? local : `${exported}: ${local}`);
      } catch {
        fail(file, line, 'import list not understood');
      }
      out.push(`const { ${parts.join(', ')} } = ${dep.id};`);
    } else if ((m = /^export\s+default\s+(async\s+)?(function|class)\s+([\w$]+)/.exec(line))) {
      exports.push(['default', m[3]]);
      out.push(line.replace(/^export\s+default\s+/, ''));
    } else if ((m = /^export\s+(async\s+)?(function\*?|class|const|let|var)\s+([\w$]+)/.exec(line))) {
      exports.push([m[3], m[3]]);
      out.push(line.replace(/^export\s+/, ''));
    } else if ((m = /^export\s*\{([^}]*)\};?\s*$/.exec(line))) {
      try {
        for (const [local, exported] of names(m[1])) exports.push([exported, local]);
      } catch {
        fail(file, line, 'export list not understood');
      }
    } else if (/^\s*(import|export)\b(?!\s*\()/.test(line) && !/^\s*(import|export)\s*[.:=]/.test(line)) {
      fail(file, line, 'import/export form not understood');
    } else {
      out.push(line);
    }
  }
  const ret = exports.map(([e, l]) => `${JSON.stringify(e)}: ${l}`).join(', ');
  mod.code =
    `// ---- ${relative(process.cwd(), file)}\n` +
    `const ${mod.id} = (() => {\n${out.join('\n')}\nreturn Object.freeze({ ${ret} });\n})();\n`;
  return mod;
}

const entryPath = resolve(entry);
load(entryPath);
// Each module after the modules it imports.
const ordered = [];
const seen = new Set();
function visit(file) {
  if (seen.has(file)) return;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^import\s+(?:[^'"]*from\s+)?['"]([^'"]+)['"]/gm)) visit(locate(m[1], file));
  ordered.push(file);
}
visit(entryPath);
const source =
  `// The Clientele worker, bundled by scripts/bundle-worker.mjs from ${relative(process.cwd(), entryPath)}; do not edit.\n` +
  ordered.map((f) => modules.get(f).code).join('\n');
writeFileSync(
  output,
  `// Generated by scripts/bundle-worker.mjs; do not edit. The worker's whole source, started by\n` +
    `// the page from a blob: URL so that it inherits the page's security policy.\n` +
    `export default ${JSON.stringify(source)};\n`,
);
console.error(`bundle-worker: ${ordered.length} modules, ${source.length} bytes -> ${output}`);
