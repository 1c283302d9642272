// Top customers: the customer table in the core's order (highest spend first, or most
// frequent without amounts; ties in file order), 100 rows a page, with their RFM segment, and
// cluster, purchase probability, P(alive) and lifetime value when those analyses ran. The
// first page comes with the report (`top_customers`); next and previous pages are asked of the
// worker (ctx.rows), which holds every customer: the page never holds them all. Ids are shown
// as text. A value the file cannot give (no amount: monetary, AOV, CLV) is shown as "—", never 0.
import { segmentName } from '../dom.js';
import { t } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'customers';
export const title = 'Top customers';

const PAGE = 100;

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, { el, table, fmt, rows: fetchRows }) {
  const money = report.summary.has_amount !== false && (report.customer_order ?? 'monetary') === 'monetary';
  const byDays = (report.summary.frequency_unit ?? report.quality?.frequency_unit) === 'purchase_days';
  const noAmount = t('customers.no_amount');
  const unknown = () => el('span', { class: 'muted', title: noAmount }, '—');
  const propensity = report.propensity?.status === 'ok' ? report.propensity : null;
  const clv = report.clv?.status === 'ok' ? report.clv : null;
  const clusters = report.clusters?.status === 'ok' ? report.clusters : null;
  const total = report.summary.customers;

  const cols = [
    { label: '#', value: (_, k) => fmt.int(offset + k + 1), num: true },
    { label: t('customers.col.customer'), value: (r) => el('code', {}, r.id) },
    { label: t('customers.col.segment'), value: (r) => segmentName(r.segment) },
    { label: t('customers.col.recency'), value: (r) => fmt.int(r.recency_days), num: true },
    { label: t(byDays ? 'customers.col.purchase_days' : 'customers.col.orders'), value: (r) => fmt.int(r.frequency), num: true },
    ...(money
      ? [
          { label: t('customers.col.monetary'), value: (r) => fmt.money(r.monetary), num: true },
          { label: t('customers.col.aov'), title: t('customers.col.aov_title'), value: (r) => (r.avg_order_value == null ? unknown() : fmt.money(r.avg_order_value)), num: true },
        ]
      : [
          { label: t('customers.col.monetary'), title: noAmount, value: unknown, num: true },
          { label: t('customers.col.aov'), title: noAmount, value: unknown, num: true },
        ]),
    { label: t('customers.col.last_purchase'), value: (r) => fmt.date(r.last_purchase) },
    ...(clusters ? [{ label: t('customers.col.cluster'), value: (r) => fmt.int(r.cluster), num: true }] : []),
    ...(propensity ? [{ label: 'P(buy)', title: t('customers.col.p_buy_title', { days: propensity.params?.horizon_days ?? '' }), value: (r) => fmt.pct(r.p_buy), num: true }] : []),
    ...(clv ? [{ label: 'P(alive)', value: (r) => fmt.pct(r.p_alive), num: true }] : []),
    ...(clv
      ? [
          clv.total_clv != null
            ? { label: 'CLV', title: t('customers.col.clv_title', { months: clv.horizon_months }), value: (r) => (r.clv == null ? unknown() : fmt.money(r.clv)), num: true }
            : { label: 'CLV', title: noAmount, value: unknown, num: true },
        ]
      : []),
  ];

  let offset = 0;
  const caption = el('p', { class: 'muted small', 'data-caption': 'customers' });
  const wrap = el('div', { class: 'table-wrap tall' });
  const prev = el('button', { type: 'button', class: 'btn', 'data-action': 'customers-prev', onclick: () => go(offset - PAGE) }, t('customers.prev', { n: PAGE }));
  const next = el('button', { type: 'button', class: 'btn', 'data-action': 'customers-next', onclick: () => go(offset + PAGE) }, t('customers.next', { n: PAGE }));
  const status = el('span', { class: 'muted small', role: 'status', 'aria-live': 'polite' });
  const pager = el('div', { class: 'pager', 'data-pager': 'customers' }, prev, next, status);

  const show = (rows) => {
    const end = offset + rows.length;
    caption.textContent = t(money ? 'customers.caption_spend' : 'customers.caption_frequent', { from: rows.length ? offset + 1 : 0, to: end, total });
    wrap.replaceChildren(table(cols, rows, { class: 'data customers-table', 'data-offset': String(offset) }));
    prev.disabled = offset === 0 || !fetchRows;
    next.disabled = end >= total || !fetchRows;
  };

  async function go(to) {
    if (!fetchRows || to < 0 || to >= total) return;
    prev.disabled = next.disabled = true;
    status.textContent = t('customers.loading');
    try {
      const { rows } = await fetchRows(to, PAGE);
      offset = to;
      status.textContent = '';
      show(rows);
    } catch (e) {
      status.textContent = t('customers.load_failed', { message: e?.message ?? e });
      show([]);
    }
  }

  host.append(caption, wrap, pager);
  show(report.top_customers ?? []);
}
