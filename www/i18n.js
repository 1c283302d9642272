// Words of the page in the reader's language: `t(key, params)` looks a key up in the message
// catalogue of the current language (www/i18n/<lang>/<area>.js, listed by each language's
// index.js) and fills in `{param}` placeholders; `fmt` formats numbers, money, percentages
// and dates with Intl for that language's locale. The core returns codes with parameters
// (warning codes, skip reasons, error kinds), never sentences meant for the page, so the
// page words them here; switching language re-renders without re-running the analysis.
//
// Languages: 'en', 'zh-Hans' (简体中文), 'zh-Hant' (繁體中文, Taiwan usage). Chosen from the
// `lang` attribute of <clientele-report>, else navigator.language(s) (zh-TW / zh-HK / zh-MO /
// zh-Hant → zh-Hant, other zh → zh-Hans, anything else → en).
//
// Placeholders: `{name}` inserts the parameter as text (a number with Intl's grouping, up to 3
// decimals); `{name, int|num1|num2|pct|money|money0|date}` formats it with `fmt.<kind>`. Plurals
// (English only needs them): a key `x` may be given as `x.one` / `x.other`, chosen by
// Intl.PluralRules from the `n` parameter (or `count`).
// A key missing in the current language falls back to English; missing everywhere it shows as
// ⟦key⟧ (the e2e tests look for that marker).
// The page opens with English words for its chrome only (the drop zone, the section headings,
// the demo page, the report's navigation and toolbar words): each language's whole catalogue, English included, is fetched the first time
// the language is used (loadLang), so the first load stays small; English is also every key's
// fallback once loaded.
import enCommon from './i18n/en/common.js';
import enSections from './i18n/en/sections.js';
import enPage from './i18n/en/page.js';
import enNav from './i18n/en/nav.js';

/** @typedef {'en' | 'zh-Hans' | 'zh-Hant'} Lang */

/** The languages, in menu order. @type {Lang[]} */
export const LANGS = ['en', 'zh-Hans', 'zh-Hant'];

/** Each language's own name, for the language menu. */
export const LANG_NAMES = { en: 'English', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文' };

/** The Intl locale each language formats with. */
/** Each language's catalogue index, each import written out: a bundler (Vite, webpack) copies
 *  and rewrites a literal `import('./…')` in a package, where it leaves a template one alone. */
const CATALOGUE_MODULES = {
  en: () => import('./i18n/en/index.js'),
  'zh-Hans': () => import('./i18n/zh-Hans/index.js'),
  'zh-Hant': () => import('./i18n/zh-Hant/index.js'),
};

const LOCALES = { en: 'en-US', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };

/** Each language's catalogue once loaded: the areas of its index merged into one key → text map. */
/** @type {Record<string, Record<string, string>>} */
const CATALOGUES = { en: merge([enCommon, enSections, enPage, enNav]) };
/** Languages whose whole catalogue is loaded. @type {Set<string>} */
const complete = new Set();
/** @type {Record<string, Promise<void>>} */
const loading = {};

/** Loads a language's catalogue (once); resolves when `t()` can word it. */
export function loadLang(/** @type {string} */ tag) {
  const l = resolveLang(tag) ?? 'en';
  if (complete.has(l)) return Promise.resolve();
  const wanted = l === 'en' ? ['en'] : ['en', l];
  loading[l] ??= Promise.all(wanted.map((x) => CATALOGUE_MODULES[x]())).then(
    (mods) => {
      mods.forEach((m, k) => {
        CATALOGUES[wanted[k]] = merge(m.default);
        complete.add(wanted[k]);
      });
    },
    (e) => {
      delete loading[l];
      throw e;
    },
  );
  return loading[l];
}

/** @param {Array<Record<string, string>>} areas */
function merge(areas) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const area of areas) Object.assign(out, area);
  return out;
}

/** @type {Lang} */
let lang = 'en';
/** @type {string | null} ISO 4217 code of the file's currency, when known */
let currency = null;
/** @type {Set<(lang: Lang) => void>} */
const listeners = new Set();

/**
 * The language for a BCP 47 tag (`zh-TW`, `zh-Hant-HK`, `zh-CN`, `en-GB`, `fr`), or null for
 * an empty tag. Any Chinese tag maps to one of the two scripts; any other tag to English.
 * @param {string | null | undefined} tag
 * @returns {Lang | null}
 */
export function resolveLang(tag) {
  if (!tag) return null;
  const parts = String(tag).trim().toLowerCase().replace(/_/g, '-').split('-');
  if (parts[0] !== 'zh') return parts[0] ? 'en' : null;
  if (parts.includes('hant') || parts.some((p) => p === 'tw' || p === 'hk' || p === 'mo')) return 'zh-Hant';
  return 'zh-Hans';
}

/**
 * The language to show: the element's `lang` attribute when set, else the browser's first
 * preferred language.
 * @param {string | null | undefined} attr
 * @param {readonly string[]} [preferred] navigator.languages (or [navigator.language])
 * @returns {Lang}
 */
export function chooseLang(attr, preferred = typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]) {
  return resolveLang(attr) ?? resolveLang(preferred[0]) ?? 'en';
}

/** The current language. @returns {Lang} */
export function currentLang() {
  return lang;
}

/** The Intl locale of the current language ('en-US', 'zh-CN', 'zh-TW'). */
export function currentLocale() {
  return LOCALES[lang];
}

/**
 * Sets the current language (a Lang or any tag resolveLang understands); tells the listeners
 * when it changed.
 * @param {string} next
 */
export function setLang(next) {
  const resolved = resolveLang(next) ?? 'en';
  // A language whose catalogue is not loaded yet stays in English until loadLang resolves.
  const l = CATALOGUES[resolved] ? resolved : 'en';
  if (l === lang) return;
  lang = l;
  formatters = makeFormatters();
  for (const f of listeners) f(lang);
}

/** Calls `f(lang)` after each change of language; returns the function that stops it. */
export function onLangChange(/** @type {(lang: Lang) => void} */ f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** Sets the file's currency (ISO 4217, e.g. 'GBP': report.quality.currency.code) used by
 *  fmt.money, or null when unknown. */
export function setCurrency(/** @type {string | null | undefined} */ code) {
  currency = code && /^[A-Z]{3}$/.test(code) ? code : null;
  formatters = makeFormatters();
}

/** The currency money is shown in (ISO 4217), or null when unknown. */
export function currentCurrency() {
  return currency;
}

/** Whether `key` is in the current language's catalogue (or, for plurals, `key.other`). */
export function has(/** @type {string} */ key) {
  const cat = CATALOGUES[lang] ?? CATALOGUES.en;
  return key in cat || `${key}.other` in cat;
}

/**
 * The text of `key` in the current language with its `{param}` placeholders filled.
 * @param {string} key
 * @param {Record<string, unknown>} [params]
 * @returns {string}
 */
export function t(key, params) {
  const text = lookup(CATALOGUES[lang] ?? CATALOGUES.en, key, params) ?? lookup(CATALOGUES.en, key, params);
  if (text == null) return `⟦${key}⟧`;
  return params ? fill(text, params) : text;
}

/** @param {Record<string, string>} cat @param {string} key @param {Record<string, unknown>} [params] */
function lookup(cat, key, params) {
  if (key in cat) return cat[key];
  if (`${key}.other` in cat) {
    const n = Number(params?.n ?? params?.count ?? 0);
    const form = new Intl.PluralRules(LOCALES[lang]).select(n);
    return cat[`${key}.${form}`] ?? cat[`${key}.other`];
  }
  return undefined;
}

/** @param {string} text @param {Record<string, unknown>} params */
function fill(text, params) {
  return text.replace(/\{(\w+)(?:,\s*(\w+))?\}/g, (whole, name, kind) => {
    if (!(name in params)) return whole;
    const v = params[name];
    if (v == null) return '—';
    if (kind && kind in fmt) return /** @type {Record<string, (x: any) => string>} */ (fmt)[kind](v);
    if (typeof v === 'number') return formatters.plain.format(v);
    return String(v);
  });
}

function makeFormatters() {
  const loc = LOCALES[lang];
  const nf = (/** @type {Intl.NumberFormatOptions} */ o) => new Intl.NumberFormat(loc, o);
  return {
    plain: nf({ maximumFractionDigits: 3 }),
    int: nf({ maximumFractionDigits: 0 }),
    num1: nf({ maximumFractionDigits: 1, minimumFractionDigits: 1 }),
    num2: nf({ maximumFractionDigits: 2, minimumFractionDigits: 2 }),
    num3: nf({ maximumFractionDigits: 3, minimumFractionDigits: 3 }),
    // The locale's own symbol: ¥ for CNY in zh-CN but CN¥ in en-US, where ¥ alone is the yen.
    money: currency ? nf({ style: 'currency', currency }) : nf({ maximumFractionDigits: 2, minimumFractionDigits: 2 }),
    money0: currency ? nf({ style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }) : nf({ maximumFractionDigits: 0 }),
    pct: nf({ style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 }),
    pct0: nf({ style: 'percent', maximumFractionDigits: 0 }),
    kb: nf({ style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1, minimumFractionDigits: 1 }),
    mb: nf({ style: 'unit', unit: 'megabyte', maximumFractionDigits: 1, minimumFractionDigits: 1 }),
    // English keeps the core's year-month-day form (unambiguous for US and UK readers alike,
    // and what the CLI and the exports print): en-CA's numeric date is exactly that.
    date:
      lang === 'en'
        ? new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'UTC' })
        : new Intl.DateTimeFormat(loc, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }),
  };
}
let formatters = makeFormatters();

/** A calendar date from the core ('2024-03-05') as a UTC Date, or null. */
function isoDay(/** @type {unknown} */ s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(s ?? ''));
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
}

/** Formatting for the current language; empty text for an unknown value (null). The figures
 *  themselves come from the core. */
export const fmt = {
  int: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.int.format(x)),
  num1: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.num1.format(x)),
  num2: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.num2.format(x)),
  num3: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.num3.format(x)),
  /** Money in the file's currency when known, else a plain amount with 2 decimals. */
  money: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.money.format(x)),
  /** Money without cents (axis labels, histogram bins), in the file's currency when known. */
  money0: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.money0.format(x)),
  /** A share 0..1 as a percentage with one decimal. */
  pct: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.pct.format(x)),
  /** A share 0..1 as a whole percentage (axis labels). */
  pct0: (/** @type {number | null | undefined} */ x) => (x == null ? '' : formatters.pct0.format(x)),
  bytes: (/** @type {number} */ x) => (x < 1 << 20 ? formatters.kb.format(x / 1024) : formatters.mb.format(x / (1 << 20))),
  /** A calendar date from the core ('YYYY-MM-DD') in the locale's words; other text as is. */
  date: (/** @type {string | null | undefined} */ s) => {
    if (s == null) return '';
    const d = isoDay(s);
    return d ? formatters.date.format(d) : String(s);
  },
};

/**
 * Re-words every element under `root` marked with `data-i18n="key"` (its text) or
 * `data-i18n-attr="attr:key;attr:key"` (attributes such as aria-label and title), for the
 * parts of the page built once and kept across language changes.
 * @param {ParentNode} root
 */
export function translateTree(root) {
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.getAttribute('data-i18n') ?? '');
  for (const e of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (e.getAttribute('data-i18n-attr') ?? '').split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) e.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

