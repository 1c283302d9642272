// The reader's messages in the page's language: every warning, date format phrase, role reason
// and candidate "why" of QualityReport (and the response file's notes) is `{ code, params,
// message }` (src/ingest/messages.rs); the words are `ingest.<code>` in the catalogue
// (www/i18n/<lang>/ingest.js). English shows the core's own sentence. Used by
// sections/quality.js and sections/readback.js; the CLI words the same codes
// (src/bin/clientele/words.rs `ingest`).
import { t, has, currentLang } from './i18n.js';
import { warningText } from './dom.js';

/** A column role's name in the page's words (the role key when the catalogue lacks it). */
export const roleName = (role) => (has(`quality.role.${role}`) ? t(`quality.role.${role}`) : role);

/** A reader's message's parameters in the page's words: `role`, `order` (dmy / mdy), `group`
 *  (future / outliers) and `values` are codes.
 * @param {Record<string, any>} [p] */
function ingestParams(p = {}) {
  const out = { ...p };
  if (typeof p.role === 'string') out.role = roleName(p.role);
  if (p.order === 'dmy' || p.order === 'mdy') out.order = t(`quality.order.${p.order}`);
  if (p.group === 'future' || p.group === 'outliers') out.group = t(`quality.dates.${p.group}`);
  if (typeof p.values === 'string' && has(`ingest.values.${p.values}`)) out.values = t(`ingest.values.${p.values}`);
  return out;
}

/** The catalogue entry of a reader's message whose sentence depends on a parameter.
 * @param {any} m */
function ingestVariant(m) {
  const p = m.params ?? {};
  if ((m.code === 'amount_looks_like_count' || m.code === 'role_reason_amount_count') && p.times_price) return `${m.code}_price`;
  if (m.code === 'ragged' && p.header === false) return 'ragged_no_header';
  if (m.code === 'no_order_column' && p.column == null) return 'no_order_column_no_candidate';
  return m.code;
}

/** A message of the reader (`{ code, params, message }`: a warning, a date format phrase, a role
 *  reason or a candidate's why) in the page's language, worded from `ingest.<code>`; in English
 *  the core's own sentence. A code this catalogue lacks (a newer core) falls back to the
 *  sections' warnings, then to the core's English.
 * @param {any} m
 * @returns {string} */
export function ingestText(m) {
  if (m == null) return '';
  if (typeof m === 'string') return m;
  if (currentLang() === 'en' && m.message) return m.message;
  const key = `ingest.${ingestVariant(m)}`;
  if (m.code && has(key)) {
    const text = t(key, ingestParams(m.params));
    if (!/\{\w+(, *\w+)?\}/.test(text)) return text;
  }
  return warningText(m);
}

