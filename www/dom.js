// Small DOM helpers shared by the element and its sections. Every value from the file goes
// into the page as a text node (never innerHTML), so a customer id like <img onerror=…>
// is shown, not run.
import { fmt, t, has, currentLang } from './i18n.js';

/** Creates an element: props are attributes (class, data-*, aria-*), `on*` listeners, or
 * `style` (an object); children are nodes or values rendered as text. */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style' && typeof v === 'object') Object.assign(e.style, v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** A table from column definitions `{ label, value: row => text|node, num?: bool }`;
 * `props.rowProps(row)` gives attributes for a row's <tr>. */
export function table(columns, rows, props = {}) {
  const { rowProps, ...tableProps } = props ?? {};
  return el(
    'table',
    tableProps,
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : null, title: c.title }, c.label)))),
    el(
      'tbody',
      {},
      rows.map((r, i) => el('tr', rowProps?.(r, i) ?? {}, columns.map((c) => el('td', { class: c.num ? 'num' : null }, c.value(r, i))))),
    ),
  );
}

/** Number, money, percentage and date formatting for the page's language (www/i18n.js); the
 *  figures themselves come from the core. */
export { fmt };

/**
 * The note shown for an optional analysis (a `Section`) without a result: switched off, or
 * unavailable with the core's reason (as text). `null` when the section has its result.
 */
export function missingSection(section, { off, unavailable, missing = t('common.no_result') }) {
  if (section?.status === 'ok') return null;
  const text = section?.status === 'skipped' ? off : t('common.unavailable', { what: unavailable, reason: reasonText(section) ?? missing });
  return el('p', { class: 'unavailable' }, text);
}

/** A warning's sentence: the core's `{ code, message, params?, columns? }` worded in the page's
 *  language from its code (catalogue key `warnings.<code>`), else its English message; or plain text. */
export function warningText(w) {
  if (w == null) return '';
  if (typeof w === 'string') return w;
  // English is the core's own sentence; other languages are worded from the code.
  if (currentLang() === 'en' && w.message) return w.message;
  const key = `warnings.${warningVariant(w)}`;
  if (w.code && has(key)) {
    const text = t(key, w.params ?? {});
    // A parameter the catalogue needs and this Report lacks (an older core): the core's words.
    if (!/\{\w+(, *\w+)?\}/.test(text)) return text;
  }
  return w.message ?? w.code ?? String(w);
}

/** The catalogue entry for a warning whose sentence depends on its parameters. */
function warningVariant(w) {
  const p = w.params ?? {};
  if (w.code === 'clv_penalised_fit') return p.model === 'gamma_gamma' ? 'clv_penalised_fit_spend' : p.max_p_alive_shift != null ? 'clv_penalised_fit_shift' : w.code;
  if (w.code === 'readback_without_response' && p.counted) return 'readback_without_response_counted';
  return w.code;
}

/** Why a section has no result, in the page's language: worded from the core's `code` and
 *  `params` when the catalogue knows it (`reasons.<code>`), else its English `reason`. */
export function reasonText(section) {
  if (currentLang() === 'en' && section?.reason) return section.reason;
  if (section?.code && has(`reasons.${section.code}`)) return t(`reasons.${section.code}`, section.params ?? {});
  return section?.reason ?? null;
}

/**
 * The core's warnings for one section, shown at its top: an alert block (role="status") with
 * an icon and the text of each warning, so the meaning never rests on colour alone. An empty
 * fragment when there is none (or the field is absent from an older Report), so
 * `host.append(sectionWarnings(…))` is always safe.
 */
export function sectionWarnings(warnings, title = null) {
  const list = Array.isArray(warnings) ? warnings : [];
  if (!list.length) return document.createDocumentFragment();
  return el(
    'div',
    { class: 'warnings section-warnings', role: 'status', 'data-warnings': 'section' },
    el('strong', {}, el('span', { class: 'warning-icon', 'aria-hidden': 'true' }, '⚠ '), title ? (list.length === 1 ? title : `${title} (${fmt.int(list.length)})`) : list.length === 1 ? t('common.warnings.title') : t('common.warnings.title_n', { n: list.length })),
    el(
      'ul',
      {},
      list.map((w) =>
        el(
          'li',
          { 'data-code': typeof w === 'object' ? w.code : null },
          el('span', { class: 'visually-hidden' }, t('common.warnings.prefix')),
          warningText(w),
          Array.isArray(w?.columns) && w.columns.length ? el('span', { class: 'muted small' }, columnsNote(w.columns)) : null,
        ),
      ),
    ),
  );
}

/** " (export columns: a, b)" with each column name as code, in the page's words. */
function columnsNote(columns) {
  const [before, after] = t('common.warnings.columns', { columns: '\u0000' }).split('\u0000');
  return [before, columns.map((c, i) => [i ? ', ' : '', el('code', {}, c)]), after];
}

/** The catalogue slug of a core name ("Can't Lose Them" → "can_t_lose_them"). */
export function slug(name) {
  return String(name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** An RFM segment's name in the page's language (the core's English name when unknown). */
export function segmentName(name) {
  const key = `segments.${slug(name)}.name`;
  return has(key) ? t(key) : name;
}

/** An RFM segment's description (R × F wording without amounts) and suggested action. */
export function segmentWords(seg, hasMonetary = true) {
  if (currentLang() === 'en' && seg?.description != null) return { description: seg.description, action: seg.action ?? '' };
  const base = `segments.${slug(seg?.name)}`;
  if (!has(`${base}.name`)) return { description: seg?.description ?? '', action: seg?.action ?? '' };
  return { description: t(`${base}.${hasMonetary ? 'description' : 'description_rf'}`), action: t(`${base}.action`) };
}
