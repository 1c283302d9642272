// The options of <clientele-report> as attributes and properties, and its view state: which
// attribute sets which AnalyzeOptions field, how the attributes and the `options` JSON merge,
// and the state a host saves and restores (`save()` / `restore()`, the URL hash). The state is
// options and what is shown, never data: no Report, no file name, no column values.

/** @typedef {import('../pkg/clientele.js').AnalyzeOptions} AnalyzeOptions */

/**
 * One attribute per option an embedder changes most, each with a property of the same meaning
 * (camelCase): the attribute's text is parsed into `path` of AnalyzeOptions. Anything else goes
 * through the `options` attribute / property (JSON of AnalyzeOptions).
 * @type {{ attr: string, prop: string, path: string[], parse: (text: string) => unknown }[]}
 */
export const OPTION_ATTRIBUTES = [
  { attr: 'as-of', prop: 'asOf', path: ['as_of'], parse: (t) => t.trim() || null },
  { attr: 'bins', prop: 'bins', path: ['rfm', 'bins'], parse: Number },
  { attr: 'tie-rule', prop: 'tieRule', path: ['rfm', 'method'], parse: (t) => t.trim() },
  { attr: 'k', prop: 'k', path: ['cluster', 'k'], parse: (t) => (t.trim() === 'auto' ? null : Number(t)) },
  { attr: 'horizon-days', prop: 'horizonDays', path: ['propensity', 'horizon_days'], parse: Number },
  { attr: 'clv-months', prop: 'clvMonths', path: ['clv', 'horizon_months'], parse: Number },
  { attr: 'clv-model', prop: 'clvModel', path: ['clv', 'model'], parse: (t) => t.trim() },
];

/** The version of the saved view state (`save()`); `restore()` refuses another. */
export const STATE_VERSION = 1;

/**
 * The options the attributes give: `options` (JSON) first, then each option attribute over it.
 * An attribute that does not parse is left out with a console warning; the core checks the
 * values themselves and names the bad field.
 * @param {Element} host
 * @returns {AnalyzeOptions}
 */
export function attributeOptions(host) {
  /** @type {Record<string, any>} */
  let out = {};
  const text = host.getAttribute('options');
  if (text) {
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) out = parsed;
      else throw new Error('not an object');
    } catch {
      console.warn('<clientele-report>: the options attribute is not a JSON object; ignored');
    }
  }
  for (const { attr, path, parse } of OPTION_ATTRIBUTES) {
    const text = host.getAttribute(attr);
    if (text == null) continue;
    const value = parse(text);
    if (typeof value === 'number' && !Number.isFinite(value)) {
      console.warn(`<clientele-report>: the ${attr} attribute is not a number; ignored`);
      continue;
    }
    out = setPath(out, path, value);
  }
  return out;
}

/** A copy of `obj` with `path` set to `value` (objects along the path copied, not shared). */
function setPath(obj, path, value) {
  const [head, ...rest] = path;
  const copy = { ...obj };
  copy[head] = rest.length ? setPath(obj[head] && typeof obj[head] === 'object' ? obj[head] : {}, rest, value) : value;
  return copy;
}

/**
 * `over` merged over `base`, one level deep (per top-level group, as the element always has).
 * @param {AnalyzeOptions} base
 * @param {AnalyzeOptions} [over]
 * @returns {AnalyzeOptions}
 */
export function mergeOptions(base, over) {
  /** @type {Record<string, any>} */
  const out = { ...base };
  for (const [k, v] of Object.entries(over ?? {})) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? { ...b, ...v } : v;
  }
  return out;
}

/**
 * The options worth keeping in a view state: everything but what names the file or the day
 * (ingest.file_name, ingest.today), which belong to one run.
 * @param {AnalyzeOptions} options
 * @returns {AnalyzeOptions}
 */
export function stateOptions(options) {
  /** @type {Record<string, any>} */
  const out = { ...options };
  if (out.ingest) {
    const { file_name: _name, today: _today, ...ingest } = out.ingest;
    if (Object.keys(ingest).length) out.ingest = ingest;
    else delete out.ingest;
  }
  return out;
}

/**
 * The `sections` attribute as a list of ids, or null (every section).
 * @param {string | null} text
 * @returns {string[] | null}
 */
export function parseSections(text) {
  if (text == null) return null;
  const ids = text.split(/[\s,]+/).filter(Boolean);
  return ids.length ? ids : null;
}

/**
 * The core sections (AnalyzeOptions.sections) each shown section needs: the others are not
 * computed. The campaign's target builder filters on every analysis; quality, summary,
 * customers and readback need only what is always computed (RFM) and show what else was.
 * @type {Record<string, string[]>}
 */
const CORE_SECTIONS = {
  rfm: ['rfm'],
  clusters: ['clusters'],
  propensity: ['propensity'],
  clv: ['clv'],
  lifecycle: ['lifecycle'],
  cohorts: ['cohorts'],
  migration: ['migration'],
  crosssell: ['cross_sell'],
  target: ['clusters', 'propensity', 'clv', 'lifecycle', 'cross_sell'],
};

/**
 * The core's `sections` option for the section ids shown (null: all, the core's default).
 * An id the page does not know is passed on as written, so the core refuses it by name.
 * @param {string[] | null} ids
 * @returns {string[] | null}
 */
export function coreSections(ids) {
  if (ids == null) return null;
  const known = new Set(['quality', 'summary', 'customers', 'readback']);
  const out = new Set(['rfm']);
  for (const id of ids) {
    if (CORE_SECTIONS[id]) for (const s of CORE_SECTIONS[id]) out.add(s);
    else if (!known.has(id)) out.add(id);
  }
  return [...out];
}

/**
 * The name of this element's own parameter in the URL hash: `clientele.<key>`, the key being the
 * `hash-state` attribute's value, else the element's id, else its place (1, 2, …) among the
 * document's `clientele-report[hash-state]` elements, so two elements keep two states.
 * @param {Element} host
 */
export function hashKey(host) {
  const key = host.getAttribute('hash-state') || host.id;
  if (key) return `clientele.${encodeURIComponent(key)}`;
  const all = [...(host.ownerDocument?.querySelectorAll('clientele-report[hash-state]') ?? [])];
  return `clientele.${Math.max(0, all.indexOf(host)) + 1}`;
}

/** The hash's `&`-separated pieces, as written (an #anchor is a piece without `=`). */
function hashPieces(hash) {
  const body = hash.replace(/^#/, '');
  return body ? body.split('&') : [];
}

/**
 * This element's state from the URL hash (its `name=<JSON, percent-encoded>` piece), or null.
 * @param {string} hash location.hash
 * @param {string} name from hashKey
 */
export function readHash(hash, name) {
  const prefix = `${name}=`;
  const piece = hashPieces(hash).find((p) => p.startsWith(prefix));
  if (!piece) return null;
  try {
    const state = JSON.parse(decodeURIComponent(piece.slice(prefix.length)));
    return state && typeof state === 'object' ? state : null;
  } catch {
    return null;
  }
}

/**
 * The hash with this element's state set in its own piece; every other piece (an #anchor, other
 * apps' or elements' parameters) is kept byte for byte, in its place.
 * @param {string} hash location.hash
 * @param {string} name from hashKey
 * @param {object} state
 */
export function writeHash(hash, name, state) {
  const prefix = `${name}=`;
  const piece = prefix + encodeURIComponent(JSON.stringify(state));
  const pieces = hashPieces(hash);
  const at = pieces.findIndex((p) => p.startsWith(prefix));
  if (at >= 0) pieces[at] = piece;
  else pieces.push(piece);
  return `#${pieces.join('&')}`;
}
