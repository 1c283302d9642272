// Data quality: what the reader made of the file. Rows read, used and skipped per reason
// (with example row numbers), returns, zero amounts, duplicates, the detected dialect and the
// column mapping, with the core's warnings on top. Every figure is from report.quality.
// The Columns table is editable: a role menu per column; changing one reads the same file again
// with `ingest.roles` = the whole mapping as the menus show it (ctx.reread). Columns that could
// play the same role (quality.candidates) are marked, with the core's reason and sample values.
// The facts give the dates' range and quartiles; the Purchase dates panel shows the dates the core set
// apart (quality.dates: after today, far outside the bulk), with controls to keep them or to
// choose the day/month order (ctx.reread with keep_outlier_dates / date_order).
// Words: www/i18n/<lang>/quality.js; the reader's warnings, date formats and role reasons
// (`{ code, params, message }`) from www/i18n/<lang>/ingest.js by code; skip reasons by code.
import { t, has, currentLang } from '../i18n.js';
import { ingestText, roleName } from '../ingest-text.js';
import { currencyText, currencyMenu } from '../currency.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'quality';
export const title = 'Data quality';

const TRANSACTION_ROLES = ['customer', 'order', 'date', 'amount', 'quantity', 'unit_price', 'product', 'product_name'];
const CUSTOMER_ROLES = ['customer', 'order_count', 'total_spent', 'last_order', 'days_since_last_order', 'first_order'];

const TABLE_KINDS = ['transactions', 'customers', 'summary'];
const tableKind = (kind) => t(`quality.table.${kind === 'customers' || kind === 'summary' ? kind : 'transactions'}`);
const detectedBy = (how) => (how === 'none' || !how ? '' : has(`quality.detected.${how}`) ? t(`quality.detected.${how}`) : how);

function delimiterName(d) {
  if (d === ',') return t('quality.delimiter.comma');
  if (d === ';') return t('quality.delimiter.semicolon');
  if (d === '\t') return t('quality.delimiter.tab');
  if (d === '|') return t('quality.delimiter.pipe');
  if (d === 'whitespace' || d === ' ') return t('quality.delimiter.whitespace');
  return d;
}

/** A skip reason's words, from its code (the core's English description otherwise). */
const skipText = (k) => (currentLang() === 'en' ? k.description : has(`quality.skip.${k.reason}`) ? t(`quality.skip.${k.reason}`) : k.description);

/** How the dates were read: the core's `coded_date_format` phrases, worded from their codes
 *  (`date_format` as the core wrote it from an older Report). */
function dateFormatText(q) {
  const coded = q.coded_date_format ?? [];
  if (currentLang() === 'en' || !coded.length) return q.date_format ?? '—';
  return coded.map(ingestText).join('; ');
}

/** The day/month order the dates were read in (`dmy` / `mdy`), when the file has slash dates. */
function slashOrder(q) {
  const coded = (q.coded_date_format ?? []).find((m) => m.params?.order);
  if (coded) return coded.params.order;
  const m = /day\/month\/year|month\/day\/year/.exec(q.date_format ?? '')?.[0];
  return m ? (m.startsWith('day') ? 'dmy' : 'mdy') : null;
}

/** Where the amounts came from: the core's `coded_amount_source` (`amount_column`,
 *  `amount_qty_price`, …) worded from its code, the column names as the Columns table shows them. */
function amountText(q) {
  const m = q.coded_amount_source;
  if (!m) return q.amount_source ?? t('quality.amount.none');
  const p = { ...m.params };
  for (const k of ['column', 'quantity', 'price']) if (typeof p[k] === 'string') p[k] = columnLabel({ header: p[k] });
  return ingestText({ ...m, params: p });
}

/** The outlier rule: the core's `coded_rule` (`date_outlier_rule` with its three figures). */
const ruleText = (d) => t('quality.dates.rule', { rule: d.coded_rule?.code ? ingestText(d.coded_rule) : d.rule });

/** Whether the page shows the core's English for a message (to mark it lang="en"). */
const inEnglish = (m, text) => currentLang() !== 'en' && text === (typeof m === 'string' ? m : m?.message);

/** @typedef {import('../pkg/clientele.js').QualityReport} QualityReport */

/**
 * Controls to read the same file again another way: another sheet, or the other table kind.
 * @param {QualityReport} q
 */
function rereadControls(q, el, reread) {
  if (!reread) return null;
  const controls = [];
  if ((q.sheets?.length ?? 0) > 1) {
    const select = el(
      'select',
      { 'data-control': 'sheet', onchange: (e) => reread({ sheet: e.target.value, roles: [] }) },
      q.sheets.map((name) => el('option', { value: name, selected: name === q.sheet }, name)),
    );
    controls.push(el('label', {}, t('quality.sheet_label'), ' ', select));
  }
  const kind = el(
    'select',
    { 'data-control': 'table', onchange: (e) => reread({ table: e.target.value, roles: [] }) },
    TABLE_KINDS.map((value) => el('option', { value, selected: value === (q.table ?? 'transactions') }, tableKind(value))),
  );
  controls.push(el('label', {}, t('quality.read_as'), ' ', kind));
  controls.push(currencyMenu(q, el, reread));
  return el('div', { class: 'chart-controls reread', role: 'group', 'aria-label': t('quality.read_again') }, controls);
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, { el, table, fmt, reread }) {
  const q = report.quality;
  const skippedRows = (q.skipped ?? []).reduce((s, k) => s + k.rows, 0);

  if (q.warnings?.length) {
    host.append(
      el(
        'div',
        { class: 'warnings', role: 'note' },
        el('strong', {}, t('quality.warnings', { n: q.warnings.length })),
        el(
          'ul',
          {},
          q.warnings.map((w) => {
            const text = ingestText(w);
            return el('li', { 'data-code': /** @type {any} */ (w)?.code ?? null, lang: inEnglish(w, text) ? 'en' : null }, text);
          }),
        ),
      ),
    );
  }

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'div',
      { class: 'stats' },
      stat(t('quality.stat.rows_read'), fmt.int(q.rows_read)),
      stat(t('quality.stat.rows_used'), fmt.int(q.rows_used), q.rows_read ? t('quality.stat.of_rows', { share: fmt.pct(q.rows_used / q.rows_read) }) : null),
      stat(t('quality.stat.rows_skipped'), fmt.int(skippedRows)),
      stat(t('quality.stat.returns'), fmt.money(q.returns_amount), t('quality.stat.returns_note')),
      stat(
        t('quality.stat.zero_amount'),
        fmt.int(q.zero_amount_rows),
        (q.skipped ?? []).some((k) => k.reason === 'zero_amount' && k.rows > 0) ? t('quality.stat.zero_skipped') : t('quality.stat.zero_kept'),
      ),
      stat(t('quality.stat.duplicates'), fmt.int(q.exact_duplicates), t('quality.stat.duplicates_note')),
    ),
  );

  const facts = [
    [t('quality.fact.file'), q.file_name ?? '—'],
    [t('quality.fact.table'), tableKind(q.table)],
    ...(q.sheet ? [[t('quality.fact.sheet'), q.sheets?.length > 1 ? t('quality.fact.sheet_of', { sheet: q.sheet, n: q.sheets.length }) : q.sheet]] : []),
    [t('quality.fact.encoding'), q.encoding],
    [t('quality.fact.delimiter'), delimiterName(q.delimiter)],
    [t('quality.fact.header'), q.has_header ? t('quality.yes') : t('quality.no')],
    [t('quality.fact.date_format'), dateFormatText(q)],
    [t('quality.fact.date_range'), q.first_date ? t('quality.range', { from: fmt.date(q.first_date), to: fmt.date(q.last_date) }) : '—'],
    ...(q.dates?.quartiles ? [[t('quality.fact.quartiles'), q.dates.quartiles.map((d) => fmt.date(d)).join(' · ')]] : []),
    ...(q.dates ? [[t('quality.fact.today'), q.dates.today ? fmt.date(q.dates.today) : t('quality.fact.today_none')]] : []),
    [t('quality.fact.amount'), amountText(q)],
    [t('currency.fact'), el('span', { 'data-fact': 'currency' }, currencyText(q.currency))],
  ];
  const left = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('quality.how_read')),
    el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    rereadControls(q, el, reread),
  );

  const skipped = (q.skipped ?? []).filter((k) => k.rows > 0);
  // How the file was read beside what was skipped; the Columns table below, full width, for
  // its role menus and sample values.
  host.append(
    el(
      'div',
      { class: 'grid2' },
      left,
      el(
        'div',
        { class: 'panel' },
        el('h3', {}, t('quality.skipped.title')),
        skipped.length
          ? table(
              [
                { label: t('quality.skipped.reason'), value: (k) => el('span', { 'data-reason': k.reason }, skipText(k)) },
                { label: t('quality.skipped.rows'), value: (k) => fmt.int(k.rows), num: true },
                { label: t('quality.skipped.share'), value: (k) => (q.rows_read ? fmt.pct(k.rows / q.rows_read) : ''), num: true },
                { label: t('quality.skipped.examples'), value: (k) => k.example_rows.map((r) => fmt.int(r)).join(t('common.list_sep')) },
              ],
              skipped,
              { class: 'data skipped-table' },
            )
          : el('p', { class: 'muted' }, t('quality.skipped.none')),
      ),
    ),
    datesPanel(q, { el, table, fmt, reread }),
    columnMapping(q, { el, table, fmt, reread }),
  );
}

const DATE_GROUPS = [
  ['future', 'quality.dates.future', 'future_date'],
  ['outliers', 'quality.dates.outliers', 'date_outlier'],
];

/**
 * The purchase dates set apart (range and quartiles are in the facts), with their controls.
 * @param {QualityReport} q
 */
function datesPanel(q, { el, table, fmt, reread }) {
  const d = q.dates;
  if (!d) return null;
  const groups = DATE_GROUPS.map(([key, label, reason]) => ({ key, label: t(label), reason, ...d[key] })).filter((g) => g.rows > 0);
  const examples = (g) => (g.example_rows ?? []).map((r, i) => t('quality.dates.example', { row: fmt.int(r), date: g.example_dates?.[i] ?? '' })).join(t('common.list_sep'));
  const controls = [];
  if (reread && (groups.length || d.kept)) {
    controls.push(
      el(
        'label',
        {},
        el('input', { type: 'checkbox', 'data-control': 'keep-outlier-dates', checked: !!d.kept, onchange: (e) => reread({ keep_outlier_dates: e.target.checked }) }),
        ' ',
        t('quality.dates.keep'),
      ),
    );
  }
  const order = slashOrder(q);
  if (reread && order) {
    controls.push(
      el(
        'label',
        {},
        t('common.date_order.label'),
        ' ',
        el(
          'select',
          { 'data-control': 'date-order', onchange: (e) => reread({ date_order: e.target.value }) },
          ['dmy', 'mdy'].map((value) => el('option', { value, selected: value === order }, t(`quality.order.${value}`))),
        ),
      ),
    );
  }
  return el(
    'div',
    { class: 'panel', 'data-panel': 'dates' },
    el('h3', {}, t('quality.dates.title')),
    groups.length
      ? [
          table(
            [
              { label: t('quality.dates.set_apart'), value: (g) => g.label },
              { label: t('quality.skipped.rows'), value: (g) => fmt.int(g.rows), num: true },
              { label: t('quality.dates.from'), value: (g) => fmt.date(g.min ?? '') },
              { label: t('quality.dates.to'), value: (g) => fmt.date(g.max ?? '') },
              { label: t('quality.dates.examples'), value: examples },
              { label: '', value: (g) => (d.kept ? t('quality.dates.kept') : t('quality.dates.skipped', { reason: currentLang() === 'en' ? g.reason : t(`quality.skip.${g.reason}`) })) },
            ],
            groups,
            { class: 'data dates-table' },
          ),
          el('p', { class: 'muted small' }, ruleText(d)),
        ]
      : el('p', { class: 'muted' }, d.first ? t('quality.dates.none_range', { from: fmt.date(d.first), to: fmt.date(d.last) }) : t('quality.dates.none')),
    controls.length ? el('div', { class: 'chart-controls reread', role: 'group', 'aria-label': t('quality.dates.title') }, controls) : null,
  );
}

/** A column's name: its header, or for a file without a header row the core's "column N" in the
 *  page's words. */
const columnLabel = (c) => {
  const m = /^column (\d+)$/.exec(c?.header ?? '');
  if (m && currentLang() !== 'en') return t('quality.column_n', { n: Number(m[1]) });
  return c?.header || t('quality.column_n', { n: (c?.index ?? 0) + 1 });
};
const sampleText = (samples) => (Array.isArray(samples) && samples.length ? samples.join(', ') : '');

/** Why a column could play a role: the core's `coded_why` parts, worded from their codes. */
function whyText(o) {
  const coded = o.coded_why ?? [];
  if (currentLang() === 'en' || !coded.length) return o.why ?? '';
  return coded.map(ingestText).join(t('ingest.why_and'));
}

/** Why the column used was chosen: the core's `coded_reason`, worded from its code, with the
 *  page's own hint on how to change it (English: the core's sentence). */
function reasonText(cand) {
  const coded = cand.coded_reason;
  if (currentLang() === 'en' || !coded?.code) return cand.reason ?? '';
  const text = ingestText(coded);
  return coded.params?.change_column != null ? `${text}${t('quality.reason.change')}` : text;
}

/**
 * The Columns table with a role menu per column, the candidates note above it and a reset
 * control. `reread` is null when there is no file to read again: the menus are then shown
 * disabled.
 * @param {QualityReport} q
 */
function columnMapping(q, { el, table, fmt, reread }) {
  const cols = q.columns ?? [];
  const roles = q.table === 'customers' ? CUSTOMER_ROLES : TRANSACTION_ROLES;
  // An entry lists the columns that could play its role (the one used may be among them).
  const candidates = (q.candidates ?? []).filter((c) => Array.isArray(c.columns) && c.columns.some((o) => o.index !== c.used));
  // Column index → the candidate entries it appears in (as used or as an alternative).
  const candidateOf = new Map();
  for (const cand of candidates) {
    for (const c of cand.columns) {
      if (!candidateOf.has(c.index)) candidateOf.set(c.index, []);
      candidateOf.get(c.index).push(cand);
    }
  }
  const selects = [];

  // Every role a menu shows → its column index; every role no menu shows → "" (so detection
  // does not bring it back). Choosing a role another column had takes it from that column.
  const apply = (changed) => {
    if (changed) {
      for (const s of selects) if (s !== changed && s.value && s.value === changed.value) s.value = '';
    }
    const chosen = new Map();
    for (const s of selects) if (s.value) chosen.set(s.value, s.dataset.column);
    reread?.({ roles: roles.map((role) => [role, chosen.get(role) ?? '']) });
  };
  const useColumn = (role, index) => {
    const target = selects.find((s) => s.dataset.column === String(index));
    if (!target) return;
    target.value = role;
    apply(target);
  };

  const roleMenu = (c) => {
    const current = c.role && !roles.includes(c.role) ? [c.role] : [];
    const select = el(
      'select',
      {
        'data-control': 'role',
        'data-column': String(c.index),
        'aria-label': t('quality.columns.role_of', { column: columnLabel(c) }),
        disabled: !reread,
        onchange: (e) => apply(e.target),
      },
      el('option', { value: '', selected: !c.role }, t('quality.columns.none')),
      [...roles, ...current].map((role) => el('option', { value: role, selected: role === c.role }, roleName(role))),
    );
    selects.push(select);
    const marks = (candidateOf.get(c.index) ?? []).map((cand) =>
      el(
        'div',
        { class: 'candidate-mark small', 'data-candidate': cand.role },
        el('span', { 'aria-hidden': 'true' }, '◆ '),
        cand.used === c.index ? t('quality.candidates.used_as', { role: roleName(cand.role) }) : t('quality.candidates.could_be', { role: roleName(cand.role) }),
      ),
    );
    return el('div', {}, select, marks);
  };

  const note = candidates.length
    ? el(
        'div',
        { class: 'warnings candidates', role: 'note', 'data-candidates': '' },
        el('strong', {}, el('span', { 'aria-hidden': 'true' }, '◆ '), t('quality.candidates.title', { n: candidates.length })),
        el(
          'ul',
          {},
          candidates.map((cand) => {
            const used = cols.find((c) => c.index === cand.used) ?? cand.columns.find((c) => c.index === cand.used);
            const others = cand.columns.filter((c) => c.index !== cand.used);
            return el(
              'li',
              { 'data-candidate': cand.role },
              el('strong', {}, t('quality.candidates.role', { role: roleName(cand.role) })),
              used ? t('quality.candidates.used', { column: columnLabel(used) }) : t('quality.candidates.none_used'),
              cand.reason ? t('quality.candidates.because', { reason: reasonText(cand) }) : '',
              t('quality.candidates.also'),
              others.map((o, i) => [
                i ? t('quality.candidates.sep') : '',
                el('code', {}, columnLabel(o)),
                sampleText(o.samples) ? t('quality.candidates.samples', { samples: sampleText(o.samples) }) : '',
                o.why ? t('quality.candidates.why', { why: whyText(o) }) : '',
                reread
                  ? [
                      ' ',
                      el(
                        'button',
                        { type: 'button', class: 'btn small', 'data-action': 'use-candidate', onclick: () => useColumn(cand.role, o.index) },
                        t('quality.candidates.use', { column: columnLabel(o), role: roleName(cand.role) }),
                      ),
                    ]
                  : null,
              ]),
              t('quality.candidates.end'),
            );
          }),
        ),
      )
    : null;

  const byOption = cols.some((c) => c.detected_by === 'option');
  const reset = reread
    ? el(
        'button',
        { type: 'button', class: 'btn', 'data-action': 'reset-roles', title: t('quality.columns.reset_title'), onclick: () => reread({ roles: [] }) },
        t('quality.columns.reset'),
      )
    : null;

  return el(
    'div',
    { class: 'panel', 'data-panel': 'columns' },
    el('h3', {}, t('quality.columns.title')),
    el('p', { class: 'muted small' }, reread ? t('quality.columns.hint') : t('quality.columns.detected'), byOption ? t('quality.columns.by_you') : ''),
    note,
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: '#', value: (c) => fmt.int(c.index + 1), num: true },
          { label: t('quality.columns.column'), value: (c) => el('code', {}, c.header && !/^column \d+$/.test(c.header) ? c.header : `(${columnLabel(c)})`) },
          { label: t('quality.columns.samples'), value: (c) => el('span', { class: 'muted samples' }, sampleText(c.samples)) },
          { label: t('quality.columns.role'), value: roleMenu },
          { label: t('quality.columns.detected_by'), value: (c) => detectedBy(c.detected_by) },
        ],
        cols,
        {
          class: 'data columns-table',
          rowProps: (c) => (candidateOf.has(c.index) ? { class: 'candidate-row', 'data-candidate': candidateOf.get(c.index).map((x) => x.role).join(' ') } : {}),
        },
      ),
    ),
    reset ? el('div', { class: 'chart-controls reset-roles' }, reset) : null,
  );
}
