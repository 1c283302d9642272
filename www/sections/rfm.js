// RFM: headline figures, the recency × frequency heatmap, each segment's share of customers
// and of revenue, and the segment table with what to do about each. Figures come from
// report.summary and report.rfm (segments, grid, score ranges); this file only maps them.
// What the file cannot tell is shown as unknown: revenue n/a without an amount column, no M
// score (segments on R×F only), and "purchase days" when there is no order column.
import { sectionWarnings, segmentName, segmentWords } from '../dom.js';
import { t, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'rfm';
export const title = 'RFM segments';

/** A score's range of values with its unit ('days', 'orders', 'purchase_days'). */
function range(r, unit, fmtValue) {
  if (!r || r.min == null) return t('rfm.nobody');
  const lo = fmtValue(r.min);
  const hi = fmtValue(r.max);
  return lo === hi ? t(`rfm.unit.${unit}`, { value: lo }) : t(`rfm.unit.${unit}_range`, { lo, hi });
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, colors, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, { chart, palette, colors, el, table, fmt }) {
  const s = report.summary;
  const rfm = report.rfm;
  const money = s.has_amount !== false && rfm.has_monetary !== false && s.revenue != null;
  // Without an order column the core counts distinct purchase days per customer.
  const unit = s.frequency_unit ?? report.quality?.frequency_unit ?? (report.quality?.columns?.some((c) => c.role === 'order') ? 'orders' : 'purchase_days');
  const byDays = unit === 'purchase_days';
  const unitKey = byDays ? 'purchase_days' : 'orders';
  const unitWord = t(`rfm.unit_word.${unitKey}`);

  host.append(sectionWarnings(rfm.warnings));

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'div',
      { class: 'stats headline' },
      stat(t('rfm.stat.customers'), fmt.int(s.customers)),
      byDays
        ? stat(t('rfm.stat.purchase_days'), fmt.int(s.orders), t('rfm.stat.purchase_days_note'))
        : stat(t('rfm.stat.orders'), fmt.int(s.orders)),
      money ? stat(t('rfm.stat.revenue'), fmt.money(s.revenue)) : stat(t('rfm.stat.revenue'), t('common.na'), t('rfm.stat.revenue_unknown')),
      stat(t('rfm.stat.from'), s.first_purchase ? fmt.date(s.first_purchase) : '—', s.last_purchase ? t('rfm.stat.to', { date: fmt.date(s.last_purchase) }) : null),
      stat(t('rfm.stat.as_of'), fmt.date(report.as_of), t('rfm.stat.as_of_note')),
    ),
  );

  const bins = rfm.bins;
  const scores = Array.from({ length: bins }, (_, i) => i + 1);
  const fLabels = scores.map((f) => `F${f}`);
  const rLabels = scores.map((r) => `R${r}`);
  const cells = rfm.grid.map((c) => [c.f - 1, c.r - 1, c.customers, c.mean_monetary]);
  const maxCell = Math.max(1, ...rfm.grid.map((c) => c.customers));
  const heat = el('div', { class: 'panel' }, el('h3', {}, t('rfm.heat.title')), el('p', { class: 'muted small' }, t('rfm.heat.note')));
  const bars = el('div', { class: 'panel' }, el('h3', {}, t('rfm.bars.title')));
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
            `R${ri + 1} (${range(r, 'days', days)}) · F${fi + 1} (${range(f, unitKey, orders)})`,
            t('rfm.heat.customers', { n }),
            money ? t('rfm.heat.mean_monetary', { value: fmt.money(mean) }) : null,
          ]
            .filter(Boolean)
            .map(escapeText)
            .join('<br>');
        },
      },
      xAxis: { type: 'category', data: fLabels, name: t('rfm.axis.frequency'), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'category', data: rLabels, name: t('rfm.axis.recency'), nameLocation: 'middle', nameGap: 40 },
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
        inRange: { color: [colors.heat[0], colors.heat[2]] },
      },
      series: [
        {
          type: 'heatmap',
          data: cells,
          label: { show: true, formatter: (p) => fmt.int(p.data[2]) },
          itemStyle: { borderColor: colors.surface, borderWidth: 2, borderRadius: 3 },
          emphasis: { itemStyle: { borderColor: colors.text, borderWidth: 1 } },
        },
      ],
    },
    { height: 340 },
  );

  const segs = rfm.segments;
  const names = segs.map((g) => segmentName(g.name));
  const seriesCustomers = t('rfm.series.customers');
  const seriesRevenue = t('rfm.series.revenue');
  chart(
    bars,
    {
      grid: { left: 130, right: 24, top: 32, bottom: 24 },
      legend: { top: 0, data: money ? [seriesCustomers, seriesRevenue] : [seriesCustomers] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.pct(v) },
      xAxis: { type: 'value', axisLabel: { formatter: (v) => fmt.pct0(v) } },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: seriesCustomers, type: 'bar', data: segs.map((g) => g.share), itemStyle: { color: palette[0] } },
        ...(money ? [{ name: seriesRevenue, type: 'bar', data: segs.map((g) => g.revenue_share), itemStyle: { color: palette[1] } }] : []),
      ],
    },
    { height: 340 },
  );

  const cols = [
    {
      label: t('rfm.col.segment'),
      value: (g) => {
        const words = segmentWords(g, money);
        return el(
          'div',
          { class: 'segment-cell', 'data-segment': g.name },
          el('strong', {}, segmentName(g.name)),
          el('div', { class: 'muted small' }, words.description),
          el('div', { class: 'action small' }, words.action),
        );
      },
    },
    { label: t('rfm.col.customers'), value: (g) => fmt.int(g.customers), num: true },
    { label: t('rfm.col.share'), value: (g) => fmt.pct(g.share), num: true },
    ...(money
      ? [
          { label: t('rfm.col.revenue'), value: (g) => fmt.money(g.revenue), num: true },
          { label: t('rfm.col.revenue_share'), value: (g) => fmt.pct(g.revenue_share), num: true },
        ]
      : []),
    { label: t('rfm.col.recency'), title: t('rfm.col.recency_title'), value: (g) => fmt.num1(g.mean_recency_days), num: true },
    { label: t('rfm.col.frequency'), title: t('rfm.col.frequency_title', { unit: unitWord }), value: (g) => fmt.num1(g.mean_frequency), num: true },
    ...(money
      ? [
          { label: t('rfm.col.monetary'), title: t('rfm.col.monetary_title'), value: (g) => fmt.money(g.mean_monetary), num: true },
          { label: t('rfm.col.aov'), title: t('rfm.col.aov_title'), value: (g) => fmt.money(g.avg_order_value), num: true },
        ]
      : []),
  ];
  host.append(
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, t('rfm.table.title')),
      el('div', { class: 'table-wrap' }, table(cols, segs, { class: 'data segments' })),
      el(
        'p',
        { class: 'muted small', 'data-footnote': 'rfm' },
        t(rfm.method === 'r_quantile' ? 'rfm.footnote.quantile' : 'rfm.footnote.rank', {
          bins,
          recent: range(rfm.recency_ranges[bins - 1], 'days', days),
          unit: unitWord,
          frequent: range(rfm.frequency_ranges[bins - 1], unitKey, orders),
        }),
        rfm.has_monetary === false || !money ? t('rfm.footnote.rf_only') : '',
        rfm.tie_rule ? el('span', { 'data-tie-rule': rfm.method ?? '' }, t('rfm.footnote.ties', { rule: tieRuleText(rfm) })) : '',
      ),
    ),
  );
}

/** The tie rule: worded from the method when the catalogue knows it, else the core's sentence. */
function tieRuleText(rfm) {
  if (currentLang() === 'en' && rfm.tie_rule) return rfm.tie_rule;
  const key = `rfm.tie_rule.${rfm.method}`;
  const text = t(key);
  return text.startsWith('⟦') ? rfm.tie_rule : text;
}

/** Tooltips are HTML in ECharts: escape every text that reaches them. */
function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
