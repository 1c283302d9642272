// Customer clusters: a scatter of the core's seeded customer sample coloured by cluster (any two
// of the features it carries, linear or log axes), the elbow and silhouette curves with the
// chosen k marked, and the cluster profiles (size, revenue share, centroid in original units,
// dominant RFM segments). Everything comes from report.clusters (ClusterReport); this file maps
// it to marks and formats numbers, nothing else.
import { missingSection, sectionWarnings } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'clusters';
export const title = 'Customer clusters';

/** Tooltips are drawn as chart text (richText), never as HTML, so no value can become markup. */
const tooltip = (extra = {}) => ({ renderMode: 'richText', confine: true, ...extra });

const FEATURES = {
  recency_days: { label: 'Recency', unit: 'days since last purchase', kind: 'days' },
  recency: { label: 'Recency', unit: 'days since last purchase', kind: 'days' },
  frequency: { label: 'Frequency', unit: 'orders', kind: 'count' },
  monetary: { label: 'Monetary', unit: 'total spend', kind: 'money' },
  avg_order_value: { label: 'Average order value', unit: 'spend per order', kind: 'money' },
  tenure_days: { label: 'Tenure', unit: 'days since first purchase', kind: 'days' },
  tenure: { label: 'Tenure', unit: 'days since first purchase', kind: 'days' },
  mean_days_between_purchases: { label: 'Days between purchases', unit: 'mean gap in days', kind: 'days' },
  inter_purchase_days: { label: 'Days between purchases', unit: 'mean gap in days', kind: 'days' },
};
const info = (f) => FEATURES[f] ?? { label: String(f).replaceAll('_', ' '), unit: '', kind: 'num' };

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: title, ...opts });
  const section = report.clusters;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: 'Clustering was switched off for this run.',
        unavailable: 'Customer clusters are unavailable',
        missing: 'this report has no cluster analysis.',
      }),
    );
    return;
  }
  const cr = section;
  host.append(sectionWarnings(cr.warnings));
  const features = cr.features.map((f) => (typeof f === 'string' ? f : f.feature));
  const format = (f, x) => {
    const kind = info(f).kind;
    if (kind === 'money') return fmt.money(x);
    if (kind === 'count') return fmt.num1(x);
    return fmt.int(x);
  };
  const color = (label) => palette[(label - 1) % palette.length];
  const name = (label) => cr.profiles.find((p) => p.label === label)?.name ?? `Cluster ${label}`;

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'p',
      { class: 'lead' },
      `Customers grouped by k-means on ${features.map((f) => info(f).label.toLowerCase()).join(', ')} (log1p, standardised). `,
      cr.chosen_by === 'fixed'
        ? `k = ${cr.k} was fixed in the options.`
        : `k = ${cr.k} was chosen by the rule: the best mean silhouette on a seeded sample of ${fmt.int(cr.silhouette_sample)} customers among k = ${cr.k_curve.map((p) => p.k).join(', ')}, leaving no cluster under 2 % of the customers.`,
    ),
    el(
      'div',
      { class: 'chart-controls' },
      el(
        'label',
        {},
        'Number of clusters ',
        el(
          'select',
          {
            'data-control': 'cluster-k',
            disabled: !ctx.reanalyze,
            onchange: (/** @type {Event} */ e) => {
              const v = /** @type {HTMLSelectElement} */ (e.target).value;
              ctx.reanalyze?.({ cluster: { k: v === 'auto' ? null : Number(v) } });
            },
          },
          el('option', { value: 'auto', selected: cr.chosen_by !== 'fixed' }, 'automatic (3–8, silhouette)'),
          Array.from({ length: 11 }, (_, i) => i + 2).map((k) => el('option', { value: String(k), selected: cr.chosen_by === 'fixed' && cr.k === k }, `k = ${k}`)),
        ),
      ),
    ),
    el(
      'div',
      { class: 'stats headline' },
      stat('Clusters', fmt.int(cr.k), cr.chosen_by === 'fixed' ? 'fixed' : 'chosen by silhouette'),
      stat('Silhouette', fmt.num3(cr.silhouette), `mean${cr.silhouette_sample ? ` on ${fmt.int(cr.silhouette_sample)} customers` : ''}; −1 to 1, higher = better separated`),
      stat('Inertia', fmt.num1(cr.inertia), 'squared distances, standardised units'),
      stat('Seed', String(cr.seed), 'same seed, same clusters'),
    ),
  );
  if (cr.notes?.length) host.append(el('div', { class: 'warnings' }, el('strong', {}, 'Notes'), el('ul', {}, cr.notes.map((n) => el('li', {}, n)))));

  // Scatter of the sample: columns by feature, in original units.
  const sample = cr.scatter;
  const columns = sample.columns.map((c) => ({ feature: c.feature, values: c.values }));
  const scatterBox = el('div', { class: 'panel' }, el('h3', {}, 'Customers by cluster'));
  const controls = el('div', { class: 'chart-controls' });
  const pick = (labelText, selected, key) =>
    el(
      'label',
      {},
      `${labelText} `,
      el(
        'select',
        { 'data-axis': key, onchange: draw },
        columns.map((c, i) => el('option', { value: String(i), selected: i === selected }, info(c.feature).label)),
      ),
    );
  const xi = Math.max(0, columns.findIndex((c) => /^recency/.test(c.feature)));
  const yi = Math.max(0, columns.findIndex((c) => c.feature === 'monetary') >= 0 ? columns.findIndex((c) => c.feature === 'monetary') : columns.findIndex((c) => c.feature === 'frequency'));
  const xSelect = pick('x', xi, 'x');
  const ySelect = pick('y', yi === xi ? (xi + 1) % columns.length : yi, 'y');
  const logBox = el('input', { type: 'checkbox', checked: true, 'data-axis': 'log', onchange: draw });
  controls.append(xSelect, ySelect, el('label', {}, logBox, ' log scale'));
  const note = el('p', { class: 'muted small', 'data-note': 'scatter' });
  scatterBox.append(controls, note);
  host.append(scatterBox);
  const scatterChart = chart(scatterBox, {}, { height: 420 });

  function draw() {
    const x = columns[Number(xSelect.querySelector('select').value)];
    const y = columns[Number(ySelect.querySelector('select').value)];
    const log = logBox.checked;
    let hidden = 0;
    const byLabel = new Map(cr.profiles.map((p) => [p.label, []]));
    sample.label.forEach((label, i) => {
      const xv = x.values[i];
      const yv = y.values[i];
      // A log axis cannot place zero or negative values: leave them out and say how many.
      if (log && (!(xv > 0) || !(yv > 0))) {
        hidden += 1;
        return;
      }
      if (!byLabel.has(label)) byLabel.set(label, []);
      byLabel.get(label).push([xv, yv]);
    });
    note.textContent =
      `A seeded sample of ${fmt.int(sample.label.length)} customers. ` +
      (hidden === 1 ? '1 customer with a zero value is not shown on the log scale.' : hidden ? `${fmt.int(hidden)} customers with a zero value are not shown on the log scale.` : '');
    const axis = (c, nameGap) => ({
      type: log ? 'log' : 'value',
      name: `${info(c.feature).label} (${info(c.feature).unit})`,
      nameLocation: 'middle',
      nameGap,
      scale: true,
      // Room around the data so points at the minimum (one-order customers on a log axis) are
      // not drawn on the axis line.
      boundaryGap: ['4%', '4%'],
      min: log ? (e) => e.min / 1.5 : undefined,
      max: log ? (e) => e.max * 1.5 : undefined,
      axisLabel: { showMinLabel: !log, showMaxLabel: !log, formatter: (v) => (Number.isInteger(v) ? fmt.int(v) : format(c.feature, v)) },
      splitLine: { lineStyle: { color: '#eef0f4' } },
    });
    scatterChart.setOption(
      {
        animation: false,
        // The redraw replaces the option, so it restates the font charts.js chose.
        textStyle: { fontFamily: getComputedStyle(host).fontFamily || 'system-ui, sans-serif' },
        grid: { left: 78, right: 20, top: 40, bottom: 56 },
        legend: { top: 0, type: 'scroll' },
        tooltip: tooltip({
          trigger: 'item',
          formatter: (q) => `${q.seriesName}\n${info(x.feature).label}: ${format(x.feature, q.data[0])}\n${info(y.feature).label}: ${format(y.feature, q.data[1])}`,
        }),
        xAxis: axis(x, 32),
        yAxis: axis(y, 60),
        series: [...byLabel.entries()].map(([label, points]) => ({
          name: `${label} · ${name(label)}`,
          type: 'scatter',
          data: points,
          symbolSize: 5,
          itemStyle: { color: color(label), opacity: 0.6 },
          large: points.length > 2000,
        })),
      },
      { notMerge: true },
    );
  }
  draw();

  // Elbow and silhouette, with the chosen k marked.
  const curve = cr.k_curve;
  const kChart = (box, field, yName, digits) => {
    const chosen = curve.find((p) => p.k === cr.k);
    chart(
      box,
      {
        grid: { left: 70, right: 24, top: 40, bottom: 52 },
        tooltip: tooltip({ trigger: 'axis', valueFormatter: (v) => digits(v) }),
        xAxis: { type: 'category', data: curve.map((p) => String(p.k)), name: 'Number of clusters k', nameLocation: 'middle', nameGap: 30, boundaryGap: false },
        yAxis: { type: 'value', scale: true, name: yName, nameLocation: 'middle', nameGap: 52, axisLabel: { formatter: (v) => digits(v) } },
        series: [
          {
            name: yName,
            type: 'line',
            data: curve.map((p) => p[field]),
            color: palette[0],
            symbolSize: 7,
            lineStyle: { width: 2.5 },
            markPoint: chosen
              ? {
                  symbol: 'circle',
                  symbolSize: 16,
                  itemStyle: { color: palette[3] },
                  label: { show: true, position: 'right', distance: 8, formatter: `chosen k = ${cr.k}`, color: '#1d2433', fontWeight: 600 },
                  data: [{ coord: [String(chosen.k), chosen[field]] }],
                }
              : undefined,
            markLine: chosen ? { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: palette[3] }, label: { show: false }, data: [{ xAxis: String(chosen.k) }] } : undefined,
          },
        ],
      },
      { height: 280 },
    );
  };
  const elbow = el('div', { class: 'panel' }, el('h3', {}, 'Elbow: inertia by k'), el('p', { class: 'muted small' }, 'Within-cluster spread; look for the bend where adding clusters stops helping much.'));
  const silhouette = el('div', { class: 'panel' }, el('h3', {}, 'Silhouette by k'), el('p', { class: 'muted small' }, 'How well customers sit in their own cluster rather than the next one (higher is better).'));
  host.append(el('div', { class: 'grid2' }, elbow, silhouette));
  kChart(elbow, 'inertia', 'Inertia', (v) => fmt.int(v));
  kChart(silhouette, 'silhouette', 'Mean silhouette', (v) => fmt.num2(v));

  // Profiles.
  const profiles = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Cluster profiles'),
    el('p', { class: 'muted small' }, 'Centroid = a typical member, in original units. Segments: the most common RFM segments among the members.'),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: 'Cluster', value: (p) => el('span', { class: 'cluster-label' }, el('span', { class: 'swatch', style: { background: color(p.label) } }), String(p.label)) },
          { label: 'Name', value: (p) => p.name },
          { label: 'Customers', value: (p) => fmt.int(p.size), num: true },
          { label: 'Share', value: (p) => fmt.pct(p.share), num: true },
          { label: 'Revenue share', value: (p) => (report.summary?.has_amount === false ? '—' : fmt.pct(p.revenue_share)), num: true },
          ...features.map((f, i) => ({ label: info(f).label, title: `Centroid: ${info(f).unit}`, value: (p) => format(f, p.centroid[i]), num: true })),
          {
            label: 'Dominant RFM segments',
            value: (p) => (p.top_segments?.length ? p.top_segments.map((s) => `${s.segment} (${fmt.int(s.customers)})`).join(', ') : '—'),
          },
        ],
        cr.profiles,
        { class: 'data', 'data-table': 'profiles' },
      ),
    ),
  );
  host.append(profiles);
}
