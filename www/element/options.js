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
 * The key of this element's state in the URL hash: the `hash-state` attribute's value, else the
 * element's id, else "clientele" (so two elements on one page keep two states).
 * @param {Element} host
 */
export function hashKey(host) {
  return host.getAttribute('hash-state') || host.id || 'clientele';
}

/**
 * This element's state from the URL hash (`#key=<JSON>&other=…`), or null.
 * @param {string} hash location.hash
 * @param {string} key
 */
export function readHash(hash, key) {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get(key);
  if (!text) return null;
  try {
    const state = JSON.parse(text);
    return state && typeof state === 'object' ? state : null;
  } catch {
    return null;
  }
}

/**
 * The hash with this element's state set (other keys kept).
 * @param {string} hash location.hash
 * @param {string} key
 * @param {object} state
 */
export function writeHash(hash, key, state) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.set(key, JSON.stringify(state));
  return `#${params.toString()}`;
}
