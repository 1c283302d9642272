// RFM: headline figures, the recency × frequency heatmap, each segment's share of customers
// and of revenue, and the segment table with what to do about each. Figures come from
// report.summary and report.rfm (segments, grid, score ranges); this file only maps them.
// What the file cannot tell is shown as unknown: revenue n/a without an amount column, no M
// score (segments on R×F only), and "purchase days" when there is no order column.
import { sectionWarnings } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'rfm';
export const title = 'RFM segments';

function accent(host) {
  const v = getComputedStyle(host).getPropertyValue('--clientele-accent').trim();
  return v || '#2f6fde';
}

function range(r, unit, fmtValue) {
  if (!r || r.min == null) return 'nobody';
  const lo = fmtValue(r.min);
  const hi = fmtValue(r.max);
  return lo === hi ? `${lo} ${unit}` : `${lo}–${hi} ${unit}`;
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, { chart, palette, el, table, fmt }) {
  const s = report.summary;
  const rfm = report.rfm;
  const money = s.has_amount !== false && rfm.has_monetary !== false && s.revenue != null;
  // Without an order column the core counts distinct purchase days per customer.
  const unit = s.frequency_unit ?? report.quality?.frequency_unit ?? (report.quality?.columns?.some((c) => c.role === 'order') ? 'orders' : 'purchase_days');
  const byDays = unit === 'purchase_days';
  const unitWord = byDays ? 'purchase days' : 'orders';

  host.append(sectionWarnings(rfm.warnings));

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'div',
      { class: 'stats headline' },
      stat('Customers', fmt.int(s.customers)),
      byDays
        ? stat('Purchase days', fmt.int(s.orders), 'no order column: purchases on one day count once')
        : stat('Orders', fmt.int(s.orders)),
      money ? stat('Revenue', fmt.money(s.revenue)) : stat('Revenue', 'n/a', 'unknown: the file has no amount column'),
      stat('Purchases from', s.first_purchase ?? '—', s.last_purchase ? `to ${s.last_purchase}` : null),
      stat('As of', report.as_of, 'recency is counted from this day'),
    ),
  );

  const bins = rfm.bins;
  const scores = Array.from({ length: bins }, (_, i) => i + 1);
  const fLabels = scores.map((f) => `F${f}`);
  const rLabels = scores.map((r) => `R${r}`);
  const cells = rfm.grid.map((c) => [c.f - 1, c.r - 1, c.customers, c.mean_monetary]);
  const maxCell = Math.max(1, ...rfm.grid.map((c) => c.customers));
  const heat = el('div', { class: 'panel' }, el('h3', {}, 'Recency × frequency'), el('p', { class: 'muted small' }, 'Customers per cell; top right = recent and frequent.'));
  const bars = el('div', { class: 'panel' }, el('h3', {}, 'Segments: share of customers and of revenue'));
  host.append(el('div', { class: 'grid2' }, heat, bars));

  const days = (x) => fmt.int(x);
  const orders = (x) => fmt.int(x);
  chart(
    heat,
    {
      grid: { left: 64, right: 16, top: 8, bottom: 80 },
      tooltip: {
        formatter: (p) => {
          const [fi, ri, n, mean] = p.data;
          const r = rfm.recency_ranges[ri];
          const f = rfm.frequency_ranges[fi];
          return [
            `R${ri + 1} (${range(r, 'days', days)}) · F${fi + 1} (${range(f, unitWord, orders)})`,
            `${fmt.int(n)} customers`,
            money ? `mean monetary ${fmt.money(mean)}` : null,
          ]
            .filter(Boolean)
            .map(escapeText)
            .join('<br>');
        },
      },
      xAxis: { type: 'category', data: fLabels, name: 'Frequency score', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: rLabels, name: 'Recency score', nameLocation: 'middle', nameGap: 40 },
      visualMap: {
        dimension: 2, // customers; the default (the last value) would be mean monetary
        min: 0,
        max: maxCell,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        itemWidth: 10,
        text: [fmt.int(maxCell), '0'],
        inRange: { color: ['#eef3fc', accent(host)] },
      },
      series: [
        {
          type: 'heatmap',
          data: cells,
          label: { show: true, formatter: (p) => fmt.int(p.data[2]) },
          itemStyle: { borderColor: '#fff', borderWidth: 2, borderRadius: 3 },
          emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } },
        },
      ],
    },
    { height: 340 },
  );

  const segs = rfm.segments;
  const names = segs.map((g) => g.name);
  chart(
    bars,
    {
      grid: { left: 130, right: 24, top: 32, bottom: 24 },
      legend: { top: 0, data: money ? ['Customers', 'Revenue'] : ['Customers'] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.pct(v) },
      xAxis: { type: 'value', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: 'Customers', type: 'bar', data: segs.map((g) => g.share), itemStyle: { color: palette[0] } },
        ...(money ? [{ name: 'Revenue', type: 'bar', data: segs.map((g) => g.revenue_share), itemStyle: { color: palette[1] } }] : []),
      ],
    },
    { height: 340 },
  );

  const cols = [
    {
      label: 'Segment',
      value: (g) =>
        el('div', { class: 'segment-cell' }, el('strong', {}, g.name), el('div', { class: 'muted small' }, g.description), el('div', { class: 'action small' }, g.action)),
    },
    { label: 'Customers', value: (g) => fmt.int(g.customers), num: true },
    { label: 'Share', value: (g) => fmt.pct(g.share), num: true },
    ...(money
      ? [
          { label: 'Revenue', value: (g) => fmt.money(g.revenue), num: true },
          { label: 'Revenue share', value: (g) => fmt.pct(g.revenue_share), num: true },
        ]
      : []),
    { label: 'Recency (days)', title: 'Mean days since the last purchase', value: (g) => fmt.num1(g.mean_recency_days), num: true },
    { label: 'Frequency', title: `Mean number of ${unitWord}`, value: (g) => fmt.num1(g.mean_frequency), num: true },
    ...(money
      ? [
          { label: 'Monetary', title: 'Mean spend per customer', value: (g) => fmt.money(g.mean_monetary), num: true },
          { label: 'AOV', title: 'Average order value: revenue / orders', value: (g) => fmt.money(g.avg_order_value), num: true },
        ]
      : []),
  ];
  host.append(
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Segments'),
      el('div', { class: 'table-wrap' }, table(cols, segs, { class: 'data segments' })),
      el(
        'p',
        { class: 'muted small', 'data-footnote': 'rfm' },
        `Scores 1–${bins} by ${rfm.method === 'r_quantile' ? 'quantile' : 'rank'}; R${bins} = bought most recently (${range(rfm.recency_ranges[bins - 1], 'days', days)}), F${bins} = most ${unitWord} (${range(rfm.frequency_ranges[bins - 1], unitWord, orders)}).`,
        rfm.has_monetary === false || !money ? ' Segments use recency × frequency only (R×F): the file has no amount, so there is no M score.' : '',
        rfm.tie_rule ? el('span', { 'data-tie-rule': '' }, ` Ties: ${rfm.tie_rule}`) : '',
      ),
    ),
  );
}

/** Tooltips are HTML in ECharts: escape every text that reaches them. */
function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
