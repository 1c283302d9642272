// Cross-sell: product pairs bought by the same customers (support, confidence, lift) above the
// minimum support, overall and per RFM segment, and the products most often recommended as a
// customer's next product, from report.cross_sell. Products are keyed by the product column
// (a code) and shown with their name from the product-name column when the file has one, both
// as the file writes them; which columns those are comes from report.quality.columns (the
// roles menu there changes them). The minimum support can be changed here (analyses again
// with cross_sell.min_support).
import { missingSection, sectionWarnings, segmentName } from '../dom.js';
import { t } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'cross_sell';
/** Where the product code goes in campaign.product's words (it is drawn as <code>). */
const CODE_MARK = '\u0001';
/** Where the product name goes (drawn as the file's own text, span.file-text). */
const NAME_MARK = '\u0002';
export const title = 'Cross-sell';

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { el, table, fmt, rerun } (sections/index.js)
 */
export function render(host, report, { el, table, fmt, rerun }) {
  /** A product: its name as written with its code after it (campaign.product orders the two);
   *  the code alone without a name. */
  const product = (code, name) => {
    if (!name) return el('code', {}, code);
    const [before, after = ''] = t('campaign.product', { name: NAME_MARK, code: CODE_MARK }).split(CODE_MARK);
    const named = (text) => text.split(NAME_MARK).flatMap((part, i) => (i ? [el('span', { class: 'file-text' }, name), part] : [part]));
    return el('span', { class: 'product' }, ...named(before), el('code', { class: 'muted small' }, code), ...named(after));
  };
  const missing = missingSection(report.cross_sell, { off: t('crosssell.off'), unavailable: t('crosssell.unavailable') });
  if (missing || report.cross_sell?.status !== 'ok') {
    host.append(missing ?? '');
    return;
  }
  const x = report.cross_sell;
  host.append(sectionWarnings(x.warnings));
  const input = el('input', { type: 'number', min: '0.001', max: '1', step: '0.001', value: String(x.params.min_support), 'aria-label': t('crosssell.min_support'), 'data-input': 'min-support', style: { width: '6em' } });
  host.append(
    el(
      'p',
      { class: 'muted' },
      t('crosssell.lead', {
        products: x.products_bought,
        customers: x.customers,
        min: x.min_customers,
        support: fmt.pct(x.params.min_support),
        frequent: x.frequent_products,
        pairs: x.pairs,
        recommended: x.recommended,
      }),
      ' ',
      productColumns(report.quality?.columns ?? []),
      t('campaign.cross_sell.min_support'),
      input,
      rerun ? el('button', { type: 'button', class: 'btn small', 'data-action': 'min-support', onclick: () => rerun({ cross_sell: { min_support: Number(input.value) } }) }, t('crosssell.apply')) : '',
    ),
  );
  const pairCols = [
    { label: t('crosssell.col.a'), value: (p) => product(p.a, p.a_name) },
    { label: t('crosssell.col.b'), value: (p) => product(p.b, p.b_name) },
    { label: t('crosssell.col.customers'), value: (p) => fmt.int(p.customers), num: true },
    { label: t('crosssell.col.support'), value: (p) => fmt.pct(p.support), num: true },
    { label: 'A → B', title: t('crosssell.col.a_to_b'), value: (p) => fmt.pct(p.confidence_a_to_b), num: true },
    { label: 'B → A', title: t('crosssell.col.b_to_a'), value: (p) => fmt.pct(p.confidence_b_to_a), num: true },
    { label: t('crosssell.col.lift'), title: t('crosssell.col.lift_title'), value: (p) => fmt.num2(p.lift), num: true },
  ];
  host.append(el('div', { class: 'panel' }, el('h3', {}, t('crosssell.pairs.title')), el('div', { class: 'table-wrap tall' }, table(pairCols, x.top_pairs, { class: 'data cross-sell-pairs' }))));
  const next = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('crosssell.next.title')),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('crosssell.col.product'), value: (p) => product(p.product, p.name) },
          { label: t('crosssell.col.customers'), value: (p) => fmt.int(p.customers), num: true },
        ],
        x.top_next_products,
        { class: 'data next-products' },
      ),
    ),
  );
  const seg = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('crosssell.segments.title')),
    x.by_segment.map((s) =>
      el(
        'details',
        { 'data-segment': s.segment },
        el(
          'summary',
          {},
          s.pairs.length
            ? t('crosssell.segments.shown', { segment: segmentName(s.segment), n: s.customers, pairs: s.pairs.length })
            : t('crosssell.segments.none', { segment: segmentName(s.segment), n: s.customers, min: s.min_customers }),
        ),
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
