// Top customers: the 100 biggest spenders from report.customers with their RFM segment, and
// cluster, purchase probability, P(alive) and lifetime value when those analyses ran. Ids
// are shown as text. Only the order (by monetary) is chosen here; every figure is the core's.
// A value the file cannot give (no amount: monetary, AOV, CLV) is shown as "—", never as 0.
export const id = 'customers';
export const title = 'Top customers';

const TOP = 100;

export function render(host, report, { el, table, fmt }) {
  const c = report.customers;
  const rfm = report.rfm;
  const money = report.summary.has_amount !== false && Array.isArray(c.monetary);
  const byDays = (report.summary.frequency_unit ?? report.quality?.frequency_unit) === 'purchase_days';
  const unknown = () => el('span', { class: 'muted', title: 'unknown: the file has no amount column' }, '—');
  const ok = (section) => section && section.status === 'ok';
  const propensity = ok(report.propensity) ? report.propensity : null;
  const clv = ok(report.clv) ? report.clv : null;
  const clusters = ok(report.clusters) && Array.isArray(report.clusters.label) ? report.clusters : null;

  // Stable order: by monetary (or frequency without amounts), ties in file order.
  const key = money ? c.monetary : c.frequency;
  const order = c.id.map((_, i) => i);
  order.sort((a, b) => key[b] - key[a] || a - b);
  const top = order.slice(0, TOP);

  const cols = [
    { label: '#', value: (_, k) => fmt.int(k + 1), num: true },
    { label: 'Customer', value: (i) => el('code', {}, c.id[i]) },
    { label: 'Segment', value: (i) => rfm.segments[rfm.segment[i]]?.name ?? '' },
    { label: 'Recency (days)', value: (i) => fmt.int(c.recency_days[i]), num: true },
    { label: byDays ? 'Purchase days' : 'Orders', value: (i) => fmt.int(c.frequency[i]), num: true },
    ...(money
      ? [
          { label: 'Monetary', value: (i) => fmt.money(c.monetary[i]), num: true },
          { label: 'AOV', title: 'Average order value', value: (i) => (Array.isArray(c.avg_order_value) ? fmt.money(c.avg_order_value[i]) : unknown()), num: true },
        ]
      : [
          { label: 'Monetary', title: 'unknown: the file has no amount column', value: unknown, num: true },
          { label: 'AOV', title: 'unknown: the file has no amount column', value: unknown, num: true },
        ]),
    { label: 'Last purchase', value: (i) => c.last_purchase[i] },
    ...(clusters ? [{ label: 'Cluster', value: (i) => fmt.int(clusters.label[i]), num: true }] : []),
    ...(propensity ? [{ label: 'P(buy)', title: `Probability of buying in the next ${propensity.params?.horizon_days ?? ''} days`, value: (i) => fmt.pct(propensity.p_buy[i]), num: true }] : []),
    ...(clv ? [{ label: 'P(alive)', value: (i) => fmt.pct(clv.p_alive[i]), num: true }] : []),
    ...(clv
      ? [
          Array.isArray(clv.clv)
            ? { label: 'CLV', title: `Lifetime value over ${clv.horizon_months} months`, value: (i) => fmt.money(clv.clv[i]), num: true }
            : { label: 'CLV', title: 'unknown: the file has no amount column', value: unknown, num: true },
        ]
      : []),
  ];

  host.append(
    el(
      'p',
      { class: 'muted small' },
      `The ${fmt.int(top.length)} ${money ? 'highest-spending' : 'most frequent'} of ${fmt.int(c.id.length)} customers. Export CSV for every customer with all scores.`,
    ),
    el('div', { class: 'table-wrap tall' }, table(cols, top, { class: 'data customers-table' })),
  );
}
