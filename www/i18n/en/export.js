// The per-customer export's column names as the page's Export buttons and the CLI's
// --customers-csv --lang write them (issue 17): English keeps the machine names; a money
// column is followed by its currency (export.with_currency) when the file's currency is known.
export default {
  'export.with_currency': '{column} ({currency})',
  'export.col.customer_id': 'customer_id',
  'export.col.recency_days': 'recency_days',
  'export.col.frequency': 'frequency',
  'export.col.monetary': 'monetary',
  'export.col.r_score': 'r_score',
  'export.col.f_score': 'f_score',
  'export.col.m_score': 'm_score',
  'export.col.segment': 'segment',
  'export.col.cluster': 'cluster',
  'export.col.p_buy': 'p_buy',
  'export.col.p_buy_decile': 'p_buy_decile',
  'export.col.expected_purchases': 'expected_purchases',
  'export.col.p_alive': 'p_alive',
  'export.col.clv': 'clv',
  'export.col.clv_model': 'clv_model',
  'export.col.lifecycle_stage': 'lifecycle_stage',
  'export.col.next_product': 'next_product',
  'export.col.next_product_name': 'next_product_name',
  // notes.txt beside the export (www/export-notes.js; English is the core's own text, these
  // entries keep the catalogues complete and word the same lines).
  'export.notes.sep': ', ',
  'export.notes.as_of': 'as of {date}: {column} counts the days from each customer\'s last purchase to this date.',
  'export.notes.purchase_days': '{column}: counts purchase days (distinct days with a purchase), not orders: the file has no order column.',
  'export.notes.scores': '{scores} ({method}, {bins} bins): {rule}',
  'export.notes.clv_model': '{column}: {columns} come from {model} ({why}).',
  'export.notes.why.requested': 'as requested (clv.model)',
  'export.notes.why.lowest_holdout_error_dates': 'the lowest holdout error of the three models (holdout {start} to {end})',
  'export.notes.why.lowest_holdout_error': 'the lowest holdout error',
  'export.notes.why.default': 'the default, as the models could not be compared on a holdout',
  'export.notes.unknown': '{columns}: unknown — the file has no amount column (these cells are empty, not 0).',
  'export.notes.warning': '{columns}: {text}',
};
