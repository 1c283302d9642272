// Cross-sell: product pairs bought by the same customers (support, confidence, lift) above the
// minimum support, overall and per RFM segment, and the products most often recommended as a
// customer's next product, from report.cross_sell. Products are keyed by the product column
// (a code) and shown with their name from the product-name column when the file has one, both
// as the file writes them; which columns those are comes from report.quality.columns (the
// roles menu there changes them). The minimum support can be changed here (analyses again
// with cross_sell.min_support).
import { count } from './words.js';
import { missingSection, sectionWarnings } from '../dom.js';
import { t } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'cross_sell';
export const title = 'Cross-sell';

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { el, table, fmt, rerun } (sections/index.js)
 */
export function render(host, report, { el, table, fmt, rerun }) {
  /** A product: its name as written, with its code after it; the code alone without a name. */
  const product = (code, name) => (name ? el('span', { class: 'product' }, name, ' ', el('code', { class: 'muted small' }, code)) : el('code', {}, code));
  const missing = missingSection(report.cross_sell, { off: 'Cross-sell was switched off.', unavailable: 'Cross-sell is unavailable' });
  if (missing || report.cross_sell?.status !== 'ok') {
    host.append(missing ?? '');
    return;
  }
  const x = report.cross_sell;
  host.append(sectionWarnings(x.warnings));
  const input = el('input', { type: 'number', min: '0.001', max: '1', step: '0.001', value: String(x.params.min_support), 'aria-label': 'Minimum support', 'data-input': 'min-support', style: { width: '6em' } });
  host.append(
    el(
      'p',
      { class: 'muted' },
      `${count(fmt, x.products_bought, 'product', 'products')} bought by ${count(fmt, x.customers, 'customer', 'customers')}. A pair counts when at least ${fmt.int(x.min_customers)} customers bought both ` +
        `(minimum support ${fmt.pct(x.params.min_support)}): ${count(fmt, x.frequent_products, 'product qualifies', 'products qualify')}, ${count(fmt, x.pairs, 'pair', 'pairs')}. ` +
        `${count(fmt, x.recommended, 'customer has', 'customers have')} a next product (export column next_product). `,
      productColumns(report.quality?.columns ?? []),
      ' Minimum support: ',
      input,
      rerun ? el('button', { type: 'button', class: 'btn small', 'data-action': 'min-support', onclick: () => rerun({ cross_sell: { min_support: Number(input.value) } }) }, 'Apply') : '',
    ),
  );
  const pairCols = [
    { label: 'Product A', value: (p) => product(p.a, p.a_name) },
    { label: 'Product B', value: (p) => product(p.b, p.b_name) },
    { label: 'Customers', value: (p) => fmt.int(p.customers), num: true },
    { label: 'Support', value: (p) => fmt.pct(p.support), num: true },
    { label: 'A → B', title: 'Confidence: share of A’s buyers who bought B', value: (p) => fmt.pct(p.confidence_a_to_b), num: true },
    { label: 'B → A', title: 'Confidence: share of B’s buyers who bought A', value: (p) => fmt.pct(p.confidence_b_to_a), num: true },
    { label: 'Lift', title: 'How many times more often bought together than by chance', value: (p) => fmt.num2(p.lift), num: true },
  ];
  host.append(el('div', { class: 'panel' }, el('h3', {}, 'Top pairs by lift'), el('div', { class: 'table-wrap tall' }, table(pairCols, x.top_pairs, { class: 'data cross-sell-pairs' }))));
  const next = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Most recommended next products'),
    el('div', { class: 'table-wrap' }, table([{ label: 'Product', value: (p) => product(p.product, p.name) }, { label: 'Customers', value: (p) => fmt.int(p.customers), num: true }], x.top_next_products, { class: 'data next-products' })),
  );
  const seg = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Top pairs per segment'),
    x.by_segment.map((s) =>
      el(
        'details',
        { 'data-segment': s.segment },
        el('summary', {}, `${s.segment}: ${count(fmt, s.customers, 'customer', 'customers')}, ${s.pairs.length ? `${count(fmt, s.pairs.length, 'pair', 'pairs')} shown` : `no pair bought by ${fmt.int(s.min_customers)} or more`}`),
        s.pairs.length ? el('div', { class: 'table-wrap' }, table(pairCols, s.pairs, { class: 'data' })) : '',
      ),
    ),
  );
  host.append(el('div', { class: 'grid2' }, next, seg));
}

/** Which columns the products and their names come from, in words. */
function productColumns(columns) {
  const code = columns.find((c) => c.role === 'product')?.header;
  const name = columns.find((c) => c.role === 'product_name')?.header;
  if (code && name) return t('campaign.cross_sell.names', { code, name });
  if (code) return t('campaign.cross_sell.codes', { code });
  return name ? t('campaign.cross_sell.names_only', { name }) : '';
}
