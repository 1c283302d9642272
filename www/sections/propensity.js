// Who will buy again: the propensity model's headline figures on held-out customers, the ROC
// and cumulative gains curves, buying rate by decile, calibration and coefficient tables.
// Every figure comes from report.propensity (PropensityReport); this
// file maps fields to marks and formats numbers, nothing else.
import { missingSection, sectionWarnings } from '../dom.js';
import { t, has, fmt as ifmt, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'propensity';
export const title = 'Who will buy again';

/** Tooltips are drawn as chart text (richText), never as HTML, so no value can become markup. */
const tooltip = (extra = {}) => ({ renderMode: 'richText', confine: true, ...extra });
const pctAxis = (name, extra = {}) => ({
  type: 'value',
  min: 0,
  max: 1,
  name,
  nameLocation: 'middle',
  axisLabel: { formatter: (v) => ifmt.pct0(v) },
  ...extra,
});

/** The day before an ISO date ('2024-03-01' → '2024-02-29'). */
function dayBefore(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** A model feature's name (the core's snake_case name). */
const featureName = (name) => (has(`propensity.feature.${name}`) ? t(`propensity.feature.${name}`) : String(name).replaceAll('_', ' '));

/** A coefficient in plain words, from its feature and sign (the core's sentence otherwise). */
function coefficientText(r) {
  if (currentLang() === 'en' && r.sentence) return r.sentence;
  const key = `propensity.phrase.${r.name}`;
  if (!has(`${key}.high`)) return r.sentence;
  if (Math.abs(r.coefficient) < 0.01) return t('propensity.sentence.none', { feature: featureName(r.name) });
  const odds = r.coefficient > 0 ? r.odds_ratio_per_sd : 1 / r.odds_ratio_per_sd;
  return t('propensity.sentence.some', { phrase: t(`${key}.${r.coefficient > 0 ? 'high' : 'low'}`), odds: ifmt.num2(odds) });
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, colors, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: t('sections.propensity'), ...opts });
  const section = report.propensity;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: t('propensity.off'),
        unavailable: t('propensity.unavailable'),
      }),
    );
    return;
  }
  const p = section;
  // The core's caveats (no skill, short history, customers newer than the cut) come first.
  host.append(sectionWarnings(p.warnings));
  const m = p.metrics;
  const c = p.counts;
  const horizon = p.params?.horizon_days;

  const stat = (label, value, note, attrs = {}) =>
    el(
      'div',
      { class: 'stat', ...attrs },
      el('div', { class: 'stat-value' }, value),
      el('div', { class: 'stat-label' }, label),
      note ? el('div', { class: 'stat-note' }, note) : null,
    );
  host.append(
    el(
      'p',
      { class: 'lead' },
      t('propensity.lead', { horizon, as_of: fmt.date(p.as_of), cut: fmt.date(p.cut) }),
    ),
    p.windows ? el('p', { class: 'muted small', 'data-windows': '' }, windowsText(p, fmt)) : '',
    el(
      'div',
      { class: 'stats headline' },
      stat(t('propensity.stat.horizon'), t('propensity.days', { n: horizon }), t('propensity.stat.after', { date: fmt.date(p.as_of) })),
      stat(t('propensity.stat.cut'), fmt.date(p.cut), t('propensity.stat.labels', { from: fmt.date(p.cut), to: fmt.date(p.as_of) })),
      stat(t('propensity.stat.as_of'), fmt.date(p.as_of), t('propensity.stat.as_of_note')),
      stat(t('propensity.stat.base_rate'), fmt.pct(m.base_rate), t('propensity.stat.base_rate_note')),
      stat('ROC AUC', fmt.num3(m.roc_auc), t('propensity.stat.roc_note'), { 'data-metric': 'roc_auc' }),
      stat('PR AUC', fmt.num3(m.pr_auc), t('propensity.stat.pr_note'), { 'data-metric': 'pr_auc' }),
      stat(t('propensity.stat.brier'), fmt.num3(m.brier), t('propensity.stat.brier_note'), { 'data-metric': 'brier' }),
      stat(t('propensity.stat.lift'), `×${fmt.num2(m.lift_top_decile)}`, t('propensity.stat.lift_note'), { 'data-metric': 'lift_top_decile' }),
      stat(
        t('propensity.stat.split'),
        `${fmt.int(c.train_customers)} / ${fmt.int(c.validation_customers)}`,
        t('propensity.stat.split_note', { train: fmt.int(c.train_buyers), validation: fmt.int(c.validation_buyers) }),
      ),
    ),
  );

  // Deciles 1–2 of the scored customers: the core's count of its decile labels.
  const top = p.top_two_deciles;
  host.append(
    el(
      'p',
      { class: 'hint', 'data-hint': 'top-deciles' },
      el('strong', {}, t('propensity.top.customers', { n: top })),
      t('propensity.top.text', { scored: c.scored_customers }),
    ),
  );
  if (c.new_after_cut > 0) {
    host.append(
      el(
        'p',
        { class: 'muted small' },
        t('propensity.new_after_cut', { n: c.new_after_cut, cut: fmt.date(p.cut) }),
      ),
    );
  }

  const roc = el('div', { class: 'panel' }, el('h3', {}, t('propensity.roc.title')), el('p', { class: 'muted small' }, t('propensity.roc.note', { auc: fmt.num3(m.roc_auc) })));
  const gains = el('div', { class: 'panel' }, el('h3', {}, t('propensity.gains.title')), el('p', { class: 'muted small' }, t('propensity.gains.note')));
  const MODEL = t('propensity.series.model');
  const RANDOM = t('propensity.series.random');
  host.append(el('div', { class: 'grid2' }, roc, gains));

  const diagonal = (name) => ({
    name,
    type: 'line',
    data: [
      [0, 0],
      [1, 1],
    ],
    symbol: 'none',
    silent: true,
    lineStyle: { type: 'dashed', color: colors.reference, width: 1.5 },
    itemStyle: { color: colors.reference },
  });
  const curveGrid = { left: 62, right: 18, top: 36, bottom: 52 };
  chart(roc, {
    grid: curveGrid,
    legend: { top: 0, data: [MODEL, RANDOM] },
    tooltip: tooltip({
      trigger: 'item',
      formatter: (q) => (q.seriesName === MODEL ? t('propensity.roc.tooltip', { fpr: fmt.pct(q.data[0]), tpr: fmt.pct(q.data[1]), threshold: fmt.num3(q.data[2]) }) : t('propensity.roc.random')),
    }),
    xAxis: pctAxis(t('propensity.roc.x'), { nameGap: 30 }),
    yAxis: pctAxis(t('propensity.roc.y'), { nameGap: 44 }),
    series: [
      {
        name: MODEL,
        type: 'line',
        data: p.roc_curve.map((r) => [r.fpr, r.tpr, r.threshold]),
        showSymbol: false,
        lineStyle: { width: 2.5, color: palette[0] },
        itemStyle: { color: palette[0] },
        areaStyle: { color: palette[0], opacity: 0.08 },
      },
      diagonal(RANDOM),
    ],
  });
  chart(gains, {
    grid: curveGrid,
    legend: { top: 0, data: [MODEL, RANDOM] },
    tooltip: tooltip({
      trigger: 'item',
      formatter: (q) => (q.seriesName === MODEL ? t('propensity.gains.tooltip', { contacted: fmt.pct(q.data[0]), reached: fmt.pct(q.data[1]) }) : t('propensity.gains.random')),
    }),
    xAxis: pctAxis(t('propensity.gains.x'), { nameGap: 30 }),
    yAxis: pctAxis(t('propensity.gains.y'), { nameGap: 44 }),
    series: [
      {
        name: MODEL,
        type: 'line',
        data: p.gains_curve.map((g) => [g.share_contacted, g.share_of_buyers]),
        showSymbol: false,
        lineStyle: { width: 2.5, color: palette[2] },
        itemStyle: { color: palette[2] },
        areaStyle: { color: palette[2], opacity: 0.08 },
      },
      diagonal(RANDOM),
    ],
  });

  const deciles = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('propensity.deciles.title')),
    el('p', { class: 'muted small' }, t('propensity.deciles.note', { base: fmt.pct(m.base_rate) })),
  );
  host.append(deciles);
  chart(
    deciles,
    {
      grid: { left: 62, right: 96, top: 28, bottom: 52 },
      tooltip: tooltip({
        trigger: 'item',
        formatter: (q) => {
          const d = p.deciles[q.dataIndex];
          return t('propensity.deciles.tooltip', {
            decile: d.decile,
            buyers: fmt.int(d.buyers),
            customers: fmt.int(d.customers),
            rate: fmt.pct(d.rate),
            lift: fmt.num2(d.lift),
            min: fmt.pct(d.min_p_buy),
            max: fmt.pct(d.max_p_buy),
          });
        },
      }),
      xAxis: { type: 'category', data: p.deciles.map((d) => String(d.decile)), name: t('propensity.deciles.x'), nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: t('propensity.deciles.y'), nameLocation: 'middle', nameGap: 46, axisLabel: { formatter: (v) => fmt.pct0(v) } },
      series: [
        {
          type: 'bar',
          data: p.deciles.map((d) => d.rate),
          barMaxWidth: 48,
          itemStyle: { color: palette[0], borderRadius: [3, 3, 0, 0] },
          label: { show: true, position: 'top', formatter: (q) => `×${fmt.num2(p.deciles[q.dataIndex].lift)}`, color: colors.text, fontSize: 11 },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: colors.reference },
            label: { formatter: t('propensity.deciles.base', { base: fmt.pct(m.base_rate) }), position: 'end', color: colors.muted },
            data: [{ yAxis: m.base_rate }],
          },
        },
      ],
    },
    { height: 300 },
  );

  const calibChart = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('propensity.calibration.title')),
    el('p', { class: 'muted small' }, t('propensity.calibration.note')),
  );
  const calib = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('propensity.calibration.table')),
    el('p', { class: 'muted small' }, t('propensity.calibration.table_note')),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('propensity.col.band'), value: (b) => `${fmt.pct(b.lower)}–${fmt.pct(b.upper)}` },
          { label: t('propensity.col.customers'), value: (b) => fmt.int(b.customers), num: true },
          { label: t('propensity.col.mean_predicted'), value: (b) => fmt.pct(b.mean_predicted), num: true },
          { label: t('propensity.col.actual'), value: (b) => fmt.pct(b.actual_rate), num: true },
        ],
        p.calibration,
        { class: 'data', 'data-table': 'calibration' },
      ),
    ),
  );
  const coef = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('propensity.coef.title')),
    el('p', { class: 'muted small' }, t('propensity.coef.note')),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('propensity.col.feature'), value: (r) => el('span', { class: 'nowrap' }, featureName(r.name)) },
          { label: t('propensity.col.coefficient'), value: (r) => signed(fmt, r.coefficient), num: true },
          { label: t('propensity.col.odds'), value: (r) => `×${fmt.num2(r.odds_ratio_per_sd)}`, num: true },
          { label: t('propensity.col.words'), value: (r) => coefficientText(r) },
        ],
        p.coefficients,
        { class: 'data', 'data-table': 'coefficients' },
      ),
    ),
  );
  host.append(el('div', { class: 'grid2' }, calibChart, calib), coef);
  chart(calibChart, {
    grid: curveGrid,
    legend: { top: 0, data: [MODEL, t('propensity.calibration.perfect')] },
    tooltip: tooltip({
      trigger: 'item',
      formatter: (q) => {
        const b = p.calibration[q.dataIndex];
        return q.seriesName === MODEL && b
          ? t('propensity.calibration.tooltip', { n: b.customers, predicted: fmt.pct(b.mean_predicted), actual: fmt.pct(b.actual_rate) })
          : t('propensity.calibration.perfect_lower');
      },
    }),
    xAxis: pctAxis(t('propensity.calibration.x'), { nameGap: 30 }),
    yAxis: pctAxis(t('propensity.calibration.y'), { nameGap: 44 }),
    series: [
      {
        name: MODEL,
        type: 'line',
        data: p.calibration.map((b) => [b.mean_predicted, b.actual_rate]),
        symbolSize: (v, q) => 6 + 10 * Math.sqrt((p.calibration[q.dataIndex]?.customers ?? 0) / Math.max(1, ...p.calibration.map((b) => b.customers))),
        lineStyle: { width: 2, color: palette[1] },
        itemStyle: { color: palette[1] },
      },
      diagonal(t('propensity.calibration.perfect')),
    ],
  });
}

/** The time split in one sentence (training, outcome and scoring windows), from the report's
 *  dates and parameters; the core's own sentence when one is missing. */
function windowsText(p, fmt) {
  if (currentLang() === 'en') return p.windows;
  const vs = p.params?.validation_share;
  if (!p.first_purchase || !p.cut || !p.as_of || vs == null || p.history_days == null) return p.windows;
  return t('propensity.windows', {
    first: fmt.date(p.first_purchase),
    cut_last: fmt.date(dayBefore(p.cut)),
    history_days: p.history_days,
    cut: fmt.date(p.cut),
    as_of_last: fmt.date(dayBefore(p.as_of)),
    horizon: p.params.horizon_days,
    train_share: Math.round(100 * (1 - vs)),
    known: p.counts?.customers_before_cut ?? 0,
    validation_share: Math.round(100 * vs),
    as_of: fmt.date(p.as_of),
  });
}

function signed(fmt, x) {
  return x > 0 ? `+${fmt.num3(x)}` : fmt.num3(x);
}

