// Customer clusters: a scatter of the core's seeded customer sample coloured by cluster (any two
// of the features it carries, linear or log axes), the elbow and silhouette curves with the
// chosen k marked, and the cluster profiles (size, revenue share, centroid in original units,
// dominant RFM segments). Everything comes from report.clusters (ClusterReport); this file maps
// it to marks and formats numbers, nothing else.
import { missingSection, sectionWarnings, segmentName } from '../dom.js';
import { t, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'clusters';
export const title = 'Customer clusters';

/** Tooltips are drawn as chart text (richText), never as HTML, so no value can become markup. */
const tooltip = (extra = {}) => ({ renderMode: 'richText', confine: true, ...extra });

/** Each feature's catalogue key (clusters.feature.<key>.label / .unit) and kind of value. */
const FEATURES = {
  recency_days: ['recency', 'days'],
  recency: ['recency', 'days'],
  frequency: ['frequency', 'count'],
  monetary: ['monetary', 'money'],
  avg_order_value: ['aov', 'money'],
  tenure_days: ['tenure', 'days'],
  tenure: ['tenure', 'days'],
  mean_days_between_purchases: ['gap', 'days'],
  inter_purchase_days: ['gap', 'days'],
};
const info = (f) => {
  const known = FEATURES[f];
  if (!known) return { label: String(f).replaceAll('_', ' '), unit: '', kind: 'num' };
  const [key, kind] = known;
  return { label: t(`clusters.feature.${key}.label`), unit: t(`clusters.feature.${key}.unit`), kind };
};

/** A cluster's name (a profile of the Report) in the page's words, from its parts
 *  (`coded_name`: when, what, suffix and tier); in English the core's name.
 * @param {any} p */
export function clusterName(p) {
  const n = p?.coded_name;
  if (currentLang() === 'en' || !n) return p?.name ?? '';
  const base = t('clusters.name.base', { when: t(`clusters.name.when.${n.when}`), what: t(`clusters.name.what.${n.what}`) });
  if (!n.suffix) return base;
  const [i, of] = n.tier ?? [0, 0];
  return t('clusters.name.with_suffix', { name: base, suffix: t(`clusters.name.suffix.${n.suffix}`, { i, n: of }) });
}

/** A note of the core on a feature left out (`coded_notes`: `feature_zero_spend`,
 *  `feature_no_amounts`), worded from its code. */
const noteText = (n) => (currentLang() === 'en' || !n.code ? n.message : t(`clusters.note.${n.code}`, { feature: info(n.params?.feature).label }));

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, colors, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: t('sections.clusters'), ...opts });
  const section = report.clusters;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: t('clusters.off'),
        unavailable: t('clusters.unavailable'),
        missing: t('clusters.missing'),
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
  const name = (label) => {
    const p = cr.profiles.find((x) => x.label === label);
    return p ? clusterName(p) : t('clusters.cluster_n', { n: label });
  };

  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  host.append(
    el(
      'p',
      { class: 'lead' },
      t('clusters.lead', { features: features.map((f) => info(f).label.toLowerCase()).join(t('common.list_sep')) }),
      cr.chosen_by === 'fixed'
        ? t('clusters.k_fixed', { k: cr.k })
        : t('clusters.k_rule', { k: cr.k, sample: cr.silhouette_sample, ks: cr.k_curve.map((p) => p.k).join(', ') }),
    ),
    el(
      'div',
      { class: 'chart-controls' },
      el(
        'label',
        {},
        t('clusters.k_label'),
        ' ',
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
          el('option', { value: 'auto', selected: cr.chosen_by !== 'fixed' }, t('clusters.k_auto')),
          Array.from({ length: 11 }, (_, i) => i + 2).map((k) => el('option', { value: String(k), selected: cr.chosen_by === 'fixed' && cr.k === k }, `k = ${k}`)),
        ),
      ),
    ),
    el(
      'div',
      { class: 'stats headline' },
      stat(t('clusters.stat.clusters'), fmt.int(cr.k), cr.chosen_by === 'fixed' ? t('clusters.stat.fixed') : t('clusters.stat.by_silhouette')),
      stat(t('clusters.stat.silhouette'), fmt.num3(cr.silhouette), cr.silhouette_sample ? t('clusters.stat.silhouette_note_n', { n: cr.silhouette_sample }) : t('clusters.stat.silhouette_note')),
      stat(t('clusters.stat.inertia'), fmt.num1(cr.inertia), t('clusters.stat.inertia_note')),
      stat(t('clusters.stat.seed'), String(cr.seed), t('clusters.stat.seed_note')),
    ),
  );
  // (A Report from before the codes has only the English `notes`.)
  const notes = cr.coded_notes ?? (cr.notes ?? []).map((message) => ({ code: null, message }));
  if (notes.length) host.append(el('div', { class: 'warnings' }, el('strong', {}, t('clusters.notes')), el('ul', {}, notes.map((n) => el('li', { 'data-code': n.code, lang: n.code ? null : 'en' }, noteText(n))))));

  // Scatter of the sample: columns by feature, in original units.
  const sample = cr.scatter;
  const columns = sample.columns.map((c) => ({ feature: c.feature, values: c.values }));
  const scatterBox = el('div', { class: 'panel' }, el('h3', {}, t('clusters.scatter.title')));
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
  const xSelect = pick(t('clusters.scatter.x'), xi, 'x');
  const ySelect = pick(t('clusters.scatter.y'), yi === xi ? (xi + 1) % columns.length : yi, 'y');
  const logBox = el('input', { type: 'checkbox', checked: true, 'data-axis': 'log', onchange: draw });
  controls.append(xSelect, ySelect, el('label', {}, logBox, ' ', t('clusters.scatter.log')));
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
    note.textContent = t('clusters.scatter.sample', { n: sample.label.length }) + (hidden ? t('clusters.scatter.hidden', { n: hidden }) : '');
    const axis = (c, nameGap) => ({
      type: log ? 'log' : 'value',
      name: t('clusters.axis', { label: info(c.feature).label, unit: info(c.feature).unit }),
      nameLocation: 'middle',
      nameGap,
      scale: true,
      // Room around the data so points at the minimum (one-order customers on a log axis) are
      // not drawn on the axis line.
      boundaryGap: ['4%', '4%'],
      min: log ? (e) => e.min / 1.5 : undefined,
      max: log ? (e) => e.max * 1.5 : undefined,
      axisLabel: { showMinLabel: !log, showMaxLabel: !log, formatter: (v) => (info(c.feature).kind === 'money' ? (Number.isInteger(v) ? fmt.money0(v) : fmt.money(v)) : Number.isInteger(v) ? fmt.int(v) : format(c.feature, v)) },
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
        xAxis: { type: 'category', data: curve.map((p) => String(p.k)), name: t('clusters.k_axis'), nameLocation: 'middle', nameGap: 30, boundaryGap: false },
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
                  label: { show: true, position: 'right', distance: 8, formatter: t('clusters.chosen_k', { k: cr.k }), color: colors.text, fontWeight: 600 },
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
  const elbow = el('div', { class: 'panel' }, el('h3', {}, t('clusters.elbow.title')), el('p', { class: 'muted small' }, t('clusters.elbow.note')));
  const silhouette = el('div', { class: 'panel' }, el('h3', {}, t('clusters.silhouette.title')), el('p', { class: 'muted small' }, t('clusters.silhouette.note')));
  host.append(el('div', { class: 'grid2' }, elbow, silhouette));
  kChart(elbow, 'inertia', t('clusters.stat.inertia'), (v) => fmt.int(v));
  kChart(silhouette, 'silhouette', t('clusters.silhouette.axis'), (v) => fmt.num2(v));

  // Profiles.
  const profiles = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('clusters.profiles.title')),
    el('p', { class: 'muted small' }, t('clusters.profiles.note')),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('clusters.col.cluster'), value: (p) => el('span', { class: 'cluster-label' }, el('span', { class: 'swatch', style: { background: color(p.label) } }), String(p.label)) },
          { label: t('clusters.col.name'), value: (p) => clusterName(p) },
          { label: t('clusters.col.customers'), value: (p) => fmt.int(p.size), num: true },
          { label: t('clusters.col.share'), value: (p) => fmt.pct(p.share), num: true },
          { label: t('clusters.col.revenue_share'), value: (p) => (report.summary?.has_amount === false ? '—' : fmt.pct(p.revenue_share)), num: true },
          ...features.map((f, i) => ({ label: info(f).label, title: t('clusters.col.centroid', { unit: info(f).unit }), value: (p) => format(f, p.centroid[i]), num: true })),
          {
            label: t('clusters.col.segments'),
            value: (p) => (p.top_segments?.length ? p.top_segments.map((s) => t('clusters.col.segment_n', { segment: segmentName(s.segment), n: s.customers })).join(t('common.list_sep')) : '—'),
          },
        ],
        cr.profiles,
        { class: 'data', 'data-table': 'profiles' },
      ),
    ),
  );
  host.append(profiles);
}
