// Data quality: what the reader made of the file. Rows read, used and skipped per reason
// (with example row numbers), returns, zero amounts, duplicates, the detected dialect and the
// column mapping, with the core's warnings on top. Every figure is from report.quality.
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
  order_count: 'Number of orders',
  total_spent: 'Total spent',
  last_order: 'Last order date',
  days_since_last_order: 'Days since last order',
  first_order: 'First order date',
};

const TABLE_KINDS = {
  transactions: 'one row per purchase (transactions)',
  customers: 'one row per customer (customer-level table)',
};

const DETECTED_BY = {
  header: 'from the header name',
  values: 'from the values',
  option: 'set in the options',
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

/** Controls to read the same file again another way: another sheet, or the other table kind. */
function rereadControls(q, el, reread) {
  if (!reread) return null;
  const controls = [];
  if ((q.sheets?.length ?? 0) > 1) {
    const select = el(
      'select',
      { 'data-control': 'sheet', onchange: (e) => reread({ sheet: e.target.value }) },
      q.sheets.map((name) => el('option', { value: name, selected: name === q.sheet }, name)),
    );
    controls.push(el('label', {}, 'Sheet ', select));
  }
  const kind = el(
    'select',
    { 'data-control': 'table', onchange: (e) => reread({ table: e.target.value }) },
    Object.entries(TABLE_KINDS).map(([value, label]) => el('option', { value, selected: value === (q.table ?? 'transactions') }, label)),
  );
  controls.push(el('label', {}, 'Read as ', kind));
  return el('div', { class: 'chart-controls reread', role: 'group', 'aria-label': 'Read the file again' }, controls);
}

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
      stat('Zero-amount rows', fmt.int(q.zero_amount_rows), 'kept as purchases'),
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
    ['Amount', q.amount_source ?? '—'],
  ];
  const left = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'How the file was read'),
    el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    rereadControls(q, el, reread),
  );

  const columns = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Column mapping'),
    table(
      [
        { label: '#', value: (c) => fmt.int(c.index + 1), num: true },
        { label: 'Column', value: (c) => el('code', {}, c.header || `(column ${c.index + 1})`) },
        { label: 'Used as', value: (c) => (c.role ? ROLE_NAMES[c.role] ?? c.role : el('span', { class: 'muted' }, 'not used')) },
        { label: 'Detected', value: (c) => DETECTED_BY[c.detected_by] ?? c.detected_by },
      ],
      q.columns ?? [],
      { class: 'data columns-table' },
    ),
  );
  host.append(el('div', { class: 'grid2' }, left, columns));

  const skipped = (q.skipped ?? []).filter((k) => k.rows > 0);
  host.append(
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
  );
}
