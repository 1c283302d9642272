// The message catalogues (www/i18n/<lang>/<area>.js): every language has every key, with the
// same placeholders; each area's keys start with its file name, so two helpers' areas cannot
// collide; every literal key the page uses (`t('area.key'`) exists; the Chinese catalogues
// hold no English words beyond the allowed proper nouns, units and formats. No browser needed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishWords } from './harness/latin.js';
import { test } from 'node:test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WWW = join(ROOT, 'www');
const LANGS = ['en', 'zh-Hans', 'zh-Hant'];
/** Keys that cite a work by its (English) title and authors. */
const CITATIONS = new Set(['page.footer']);


async function load(lang) {
  const { default: areas } = await import(join(WWW, 'i18n', lang, 'index.js'));
  return areas;
}

function areaFiles(lang) {
  return readdirSync(join(WWW, 'i18n', lang)).filter((f) => f.endsWith('.js') && f !== 'index.js');
}

function placeholders(text) {
  return [...text.matchAll(/\{(\w+)(?:,\s*\w+)?\}/g)].map((m) => m[1]).sort();
}

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? (d.name === 'i18n' || d.name === 'vendor' ? [] : jsFiles(join(dir, d.name))) : d.name.endsWith('.js') ? [join(dir, d.name)] : [],
  );
}

test('every language lists the same area files, and each lists all of its own', async () => {
  const en = areaFiles('en').sort();
  for (const lang of LANGS) {
    assert.deepEqual(areaFiles(lang).sort(), en, `${lang}: area files differ from en`);
    const index = readFileSync(join(WWW, 'i18n', lang, 'index.js'), 'utf8');
    for (const f of en) assert.ok(index.includes(`'./${f}'`), `${lang}/index.js does not import ${f}`);
  }
});

test('each area file keeps to its own keys: "<area>.…", none twice', async () => {
  for (const lang of LANGS) {
    const seen = new Map();
    for (const f of areaFiles(lang)) {
      const area = f.replace(/\.js$/, '');
      const { default: cat } = await import(join(WWW, 'i18n', lang, f));
      for (const key of Object.keys(cat)) {
        assert.ok(key.startsWith(`${area}.`), `${lang}/${f}: key "${key}" is not in area "${area}"`);
        assert.ok(!seen.has(key), `${lang}: "${key}" is in ${seen.get(key)} and ${f}`);
        seen.set(key, f);
        assert.equal(typeof cat[key], 'string', `${lang}: "${key}" is not text`);
        assert.ok(cat[key].trim() !== '' || key.endsWith('.empty'), `${lang}: "${key}" is empty`);
      }
    }
  }
});

test('no key is missing in any language, and placeholders match English', async () => {
  const merged = {};
  for (const lang of LANGS) merged[lang] = Object.assign({}, ...(await load(lang)));
  const en = merged.en;
  for (const lang of LANGS.slice(1)) {
    const cat = merged[lang];
    const missing = Object.keys(en).filter((k) => !(k in cat) && !(k.endsWith('.one') && `${k.slice(0, -4)}.other` in cat));
    assert.deepEqual(missing, [], `${lang}: keys missing`);
    const extra = Object.keys(cat).filter((k) => !(k in en));
    assert.deepEqual(extra, [], `${lang}: keys English does not have`);
    for (const [k, v] of Object.entries(cat)) {
      const base = k.replace(/\.(one|other)$/, '');
      const enText = en[k] ?? en[`${base}.other`];
      assert.deepEqual(placeholders(v), placeholders(enText), `${lang}: "${k}" has other placeholders than English`);
    }
  }
});

test('every key the page names literally exists in English', async () => {
  const en = Object.assign({}, ...(await load('en')));
  const has = (k) => k in en || `${k}.other` in en;
  const missing = [];
  for (const file of jsFiles(WWW)) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([a-z0-9_]+\.[A-Za-z0-9_.]+)'/g)) if (!has(m[1])) missing.push(`${relative(ROOT, file)}: ${m[1]}`);
    for (const m of src.matchAll(/data-i18n(?:-attr)?['"]?\s*[:=]\s*'([^']+)'/g)) {
      for (const part of m[1].split(';')) {
        const key = part.includes(':') ? part.split(':')[1] : part;
        if (!has(key.trim())) missing.push(`${relative(ROOT, file)}: ${key}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('the Chinese catalogues hold no English words but the allowed names and units', async () => {
  for (const lang of ['zh-Hans', 'zh-Hant']) {
    const cat = Object.assign({}, ...(await load(lang)));
    const bad = [];
    for (const [k, v] of Object.entries(cat)) {
      if (CITATIONS.has(k)) continue;
      for (const word of englishWords(v.replace(/\{[^}]*\}/g, ' '))) bad.push(`${k}: ${word}`);
    }
    assert.deepEqual(bad, [], `${lang}: English left in the catalogue`);
  }
});
