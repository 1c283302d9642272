// Small DOM helpers shared by the element and its sections. Every value from the file goes
// into the page as a text node (never innerHTML), so a customer id like <img onerror=…>
// is shown, not run.

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

const nf = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const nf3 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3, minimumFractionDigits: 3 });

/** Number formatting only: the figures themselves come from the core. */
export const fmt = {
  int: (x) => (x == null ? '' : nf.format(x)),
  num1: (x) => (x == null ? '' : nf1.format(x)),
  num2: (x) => (x == null ? '' : nf2.format(x)),
  num3: (x) => (x == null ? '' : nf3.format(x)),
  money: (x) => (x == null ? '' : nf2.format(x)),
  pct: (x) => (x == null ? '' : `${nf1.format(100 * x)}%`),
  bytes: (x) => (x < 1 << 20 ? `${nf1.format(x / 1024)} KB` : `${nf1.format(x / (1 << 20))} MB`),
};

/**
 * The note shown for an optional analysis (a `Section`) without a result: switched off, or
 * unavailable with the core's reason (as text). `null` when the section has its result.
 */
export function missingSection(section, { off, unavailable, missing = 'no result in this report.' }) {
  if (section?.status === 'ok') return null;
  const text = section?.status === 'skipped' ? off : `${unavailable}: ${section?.reason ?? missing}`;
  return el('p', { class: 'unavailable' }, text);
}

/** A warning's sentence: the core's `{ code, message, params?, columns? }`, or plain text. */
export function warningText(w) {
  if (w == null) return '';
  if (typeof w === 'string') return w;
  return w.message ?? w.code ?? String(w);
}

/**
 * The core's warnings for one section, shown at its top: an alert block (role="status") with
 * an icon and the text of each warning, so the meaning never rests on colour alone. An empty
 * fragment when there is none (or the field is absent from an older Report), so
 * `host.append(sectionWarnings(…))` is always safe.
 */
export function sectionWarnings(warnings, title = 'Read this before using these figures') {
  const list = Array.isArray(warnings) ? warnings : [];
  if (!list.length) return document.createDocumentFragment();
  return el(
    'div',
    { class: 'warnings section-warnings', role: 'status', 'data-warnings': 'section' },
    el('strong', {}, el('span', { class: 'warning-icon', 'aria-hidden': 'true' }, '⚠ '), list.length === 1 ? title : `${title} (${list.length} warnings)`),
    el(
      'ul',
      {},
      list.map((w) =>
        el(
          'li',
          { 'data-code': typeof w === 'object' ? w.code : null },
          el('span', { class: 'visually-hidden' }, 'Warning: '),
          warningText(w),
          Array.isArray(w?.columns) && w.columns.length ? el('span', { class: 'muted small' }, ` (export columns: ${w.columns.join(', ')})`) : null,
        ),
      ),
    ),
  );
}
