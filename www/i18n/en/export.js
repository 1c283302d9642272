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
};
