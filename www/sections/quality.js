// Data quality: what the reader made of the file. Rows read, used and skipped per reason
// (with example row numbers), returns, zero amounts, duplicates, the detected dialect and the
// column mapping, with the core's warnings on top. Every figure is from report.quality.
// The Columns table is editable: a role menu per column; changing one reads the same file again
// with `ingest.roles` = the whole mapping as the menus show it (ctx.reread). Columns that could
// play the same role (quality.candidates) are marked, with the core's reason and sample values.
// The facts give the dates' range and quartiles; the Purchase dates panel shows the dates the core set
// apart (quality.dates: after today, far outside the bulk), with controls to keep them or to
// choose the day/month order (ctx.reread with keep_outlier_dates / date_order).
import { t } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'quality';
export const title = 'Data quality';

const ROLE_NAMES = {
  customer: 'Customer id',
  order: 'Order / invoice',
  date: 'Date',
  amount: 'Amount',
  quantity: 'Quantity',
  unit_price: 'Unit price',
  product: 'Product',
  get product_name() {
    return t('campaign.role.product_name');
  },
  order_count: 'Number of orders',
  total_spent: 'Total spent',
  last_order: 'Last order date',
  days_since_last_order: 'Days since last order',
  first_order: 'First order date',
};

const TRANSACTION_ROLES = ['customer', 'order', 'date', 'amount', 'quantity', 'unit_price', 'product', 'product_name'];
const CUSTOMER_ROLES = ['customer', 'order_count', 'total_spent', 'last_order', 'days_since_last_order', 'first_order'];

const TABLE_KINDS = {
  transactions: 'one row per purchase (transactions)',
  customers: 'one row per customer (customer-level table)',
};

const DETECTED_BY = {
  header: 'from the header name',
  values: 'from the values',
  option: 'chosen by you',
  none: '',
};

function delimiterName(d) {
  if (d === ',') return 'comma';
  if (d === ';') return 'semicolon';
  if (d === '\t') return 'tab';
  if (d === '|') return 'pipe';
  if (d === 'whitespace' || d === ' ') return 'whitespace (aligned columns)';
  return d;
}

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
    controls.push(el('label', {}, 'Sheet ', select));
  }
  const kind = el(
    'select',
    { 'data-control': 'table', onchange: (e) => reread({ table: e.target.value, roles: [] }) },
    Object.entries(TABLE_KINDS).map(([value, label]) => el('option', { value, selected: value === (q.table ?? 'transactions') }, label)),
  );
  controls.push(el('label', {}, 'Read as ', kind));
  return el('div', { class: 'chart-controls reread', role: 'group', 'aria-label': 'Read the file again' }, controls);
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
        el('strong', {}, q.warnings.length === 1 ? 'Warning' : `${q.warnings.length} warnings`),
        el('ul', {}, q.warnings.map((w) => el('li', {}, w))),
      ),
    );
  }

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'div',
      { class: 'stats' },
      stat('Rows read', fmt.int(q.rows_read)),
      stat('Rows used', fmt.int(q.rows_used), q.rows_read ? `${fmt.pct(q.rows_used / q.rows_read)} of rows` : null),
      stat('Rows skipped', fmt.int(skippedRows)),
      stat('Returns amount', fmt.money(q.returns_amount), 'kept apart, not netted'),
      stat(
        'Zero-amount rows',
        fmt.int(q.zero_amount_rows),
        (q.skipped ?? []).some((k) => k.reason === 'zero_amount' && k.rows > 0) ? 'skipped: not purchases' : 'kept as purchases',
      ),
      stat('Exact duplicates', fmt.int(q.exact_duplicates), 'counted, kept'),
    ),
  );

  const facts = [
    ['File', q.file_name ?? '—'],
    ['Table', TABLE_KINDS[q.table] ?? TABLE_KINDS.transactions],
    ...(q.sheet ? [['Sheet', q.sheets?.length > 1 ? `${q.sheet} (of ${q.sheets.length})` : q.sheet]] : []),
    ['Encoding', q.encoding],
    ['Delimiter', delimiterName(q.delimiter)],
    ['Header row', q.has_header ? 'yes' : 'no'],
    ['Date format', q.date_format ?? '—'],
    ['Date range', q.first_date ? `${q.first_date} to ${q.last_date}` : '—'],
    ...(q.dates?.quartiles ? [['Date quartiles', q.dates.quartiles.join(' · ')]] : []),
    ...(q.dates ? [['Today', q.dates.today ?? 'not given: no date counts as in the future']] : []),
    ['Amount', q.amount_source ?? '—'],
  ];
  const left = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'How the file was read'),
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
        el('h3', {}, 'Skipped rows'),
        skipped.length
          ? table(
              [
                { label: 'Reason', value: (k) => k.description },
                { label: 'Rows', value: (k) => fmt.int(k.rows), num: true },
                { label: 'Share', value: (k) => (q.rows_read ? fmt.pct(k.rows / q.rows_read) : ''), num: true },
                { label: 'Example rows', value: (k) => k.example_rows.map((r) => fmt.int(r)).join(', ') },
              ],
              skipped,
              { class: 'data skipped-table' },
            )
          : el('p', { class: 'muted' }, 'No row was skipped.'),
      ),
    ),
    datesPanel(q, { el, table, fmt, reread }),
    columnMapping(q, { el, table, fmt, reread }),
  );
}

const DATE_GROUPS = [
  ['future', 'After today', 'future_date'],
  ['outliers', 'Far outside the bulk', 'date_outlier'],
];

/**
 * The purchase dates set apart (range and quartiles are in the facts), with their controls.
 * @param {QualityReport} q
 */
function datesPanel(q, { el, table, fmt, reread }) {
  const d = q.dates;
  if (!d) return null;
  const groups = DATE_GROUPS.map(([key, label, reason]) => ({ key, label, reason, ...d[key] })).filter((g) => g.rows > 0);
  const examples = (g) => (g.example_rows ?? []).map((r, i) => `row ${fmt.int(r)}: ${g.example_dates?.[i] ?? ''}`).join(', ');
  const controls = [];
  if (reread && (groups.length || d.kept)) {
    controls.push(
      el(
        'label',
        {},
        el('input', { type: 'checkbox', 'data-control': 'keep-outlier-dates', checked: !!d.kept, onchange: (e) => reread({ keep_outlier_dates: e.target.checked }) }),
        ' Keep these dates as purchases',
      ),
    );
  }
  const slashOrder = /day\/month\/year|month\/day\/year/.exec(q.date_format ?? '')?.[0];
  if (reread && slashOrder) {
    controls.push(
      el(
        'label',
        {},
        'Date order ',
        el(
          'select',
          { 'data-control': 'date-order', onchange: (e) => reread({ date_order: e.target.value }) },
          [
            ['dmy', 'day/month/year'],
            ['mdy', 'month/day/year'],
          ].map(([value, label]) => el('option', { value, selected: label === slashOrder }, label)),
        ),
      ),
    );
  }
  return el(
    'div',
    { class: 'panel', 'data-panel': 'dates' },
    el('h3', {}, 'Purchase dates'),
    groups.length
      ? [
          table(
            [
              { label: 'Set apart', value: (g) => g.label },
              { label: 'Rows', value: (g) => fmt.int(g.rows), num: true },
              { label: 'From', value: (g) => g.min ?? '' },
              { label: 'To', value: (g) => g.max ?? '' },
              { label: 'Examples', value: examples },
              { label: '', value: (g) => (d.kept ? 'kept as purchases' : `skipped (${g.reason})`) },
            ],
            groups,
            { class: 'data dates-table' },
          ),
          el('p', { class: 'muted small' }, `Rule: ${d.rule}.`),
        ]
      : el('p', { class: 'muted' }, `No date was set apart (none after today, none far outside the bulk${d.first ? `: ${d.first} to ${d.last}` : ''}).`),
    controls.length ? el('div', { class: 'chart-controls reread', role: 'group', 'aria-label': 'Purchase dates' }, controls) : null,
  );
}

const roleName = (role) => ROLE_NAMES[role] ?? role;
const columnLabel = (c) => c?.header || `column ${(c?.index ?? 0) + 1}`;
const sampleText = (samples) => (Array.isArray(samples) && samples.length ? samples.join(', ') : '');

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
        'aria-label': `Role of column ${columnLabel(c)}`,
        disabled: !reread,
        onchange: (e) => apply(e.target),
      },
      el('option', { value: '', selected: !c.role }, '— none —'),
      [...roles, ...current].map((role) => el('option', { value: role, selected: role === c.role }, roleName(role))),
    );
    selects.push(select);
    const marks = (candidateOf.get(c.index) ?? []).map((cand) =>
      el(
        'div',
        { class: 'candidate-mark small', 'data-candidate': cand.role },
        el('span', { 'aria-hidden': 'true' }, '◆ '),
        cand.used === c.index ? `used as ${roleName(cand.role)}; another column could be it (see above)` : `could also be ${roleName(cand.role)}`,
      ),
    );
    return el('div', {}, select, marks);
  };

  const note = candidates.length
    ? el(
        'div',
        { class: 'warnings candidates', role: 'note', 'data-candidates': '' },
        el('strong', {}, el('span', { 'aria-hidden': 'true' }, '◆ '), candidates.length === 1 ? 'A role two columns could play' : `${candidates.length} roles more than one column could play`),
        el(
          'ul',
          {},
          candidates.map((cand) => {
            const used = cols.find((c) => c.index === cand.used) ?? cand.columns.find((c) => c.index === cand.used);
            const others = cand.columns.filter((c) => c.index !== cand.used);
            return el(
              'li',
              { 'data-candidate': cand.role },
              el('strong', {}, `${roleName(cand.role)}: `),
              used ? `used ${columnLabel(used)}` : 'no column used',
              cand.reason ? ` because ${cand.reason}` : '',
              '; also possible: ',
              others.map((o, i) => [
                i ? '; ' : '',
                el('code', {}, columnLabel(o)),
                sampleText(o.samples) ? ` (samples ${sampleText(o.samples)})` : '',
                o.why ? `: ${o.why}` : '',
                reread
                  ? [' ', el('button', { type: 'button', class: 'btn small', 'data-action': 'use-candidate', onclick: () => useColumn(cand.role, o.index) }, `Use ${columnLabel(o)} as ${roleName(cand.role)}`)]
                  : null,
              ]),
              '.',
            );
          }),
        ),
      )
    : null;

  const byOption = cols.some((c) => c.detected_by === 'option');
  const reset = reread
    ? el(
        'button',
        { type: 'button', class: 'btn', 'data-action': 'reset-roles', title: 'Forget the roles chosen here and detect them from the file again', onclick: () => reread({ roles: [] }) },
        'Reset to detected',
      )
    : null;

  return el(
    'div',
    { class: 'panel', 'data-panel': 'columns' },
    el('h3', {}, 'Columns'),
    el(
      'p',
      { class: 'muted small' },
      reread
        ? 'Choose another role for a column to correct the reading; the file is analysed again in your browser.'
        : 'Roles as detected.',
      byOption ? ' Some roles were chosen by you.' : '',
    ),
    note,
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: '#', value: (c) => fmt.int(c.index + 1), num: true },
          { label: 'Column', value: (c) => el('code', {}, c.header || `(column ${c.index + 1})`) },
          { label: 'Samples', value: (c) => el('span', { class: 'muted samples' }, sampleText(c.samples)) },
          { label: 'Role', value: roleMenu },
          { label: 'Detected', value: (c) => DETECTED_BY[c.detected_by] ?? c.detected_by },
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
