// Who will buy again: the propensity model's headline figures on held-out customers, the ROC
// and cumulative gains curves, buying rate by decile, calibration and coefficient tables.
// Every figure comes from report.propensity (PropensityReport); this
// file maps fields to marks and formats numbers, nothing else.
import { missingSection, sectionWarnings } from '../dom.js';
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
  axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` },
  ...extra,
});

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: title, ...opts });
  const section = report.propensity;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: 'The repeat-purchase model was switched off for this run.',
        unavailable: 'The repeat-purchase model is unavailable',
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
      `Chance that each customer buys at least once in the ${fmt.int(horizon)} days after ${p.as_of}. `,
      `The model learned from behaviour before ${p.cut} and whether customers bought between ${p.cut} and ${p.as_of}; `,
      `the figures below are measured on customers it did not see while fitting.`,
    ),
    p.windows ? el('p', { class: 'muted small', 'data-windows': '' }, p.windows) : '',
    el(
      'div',
      { class: 'stats headline' },
      stat('Horizon', `${fmt.int(horizon)} days`, `after ${p.as_of}`),
      stat('Training cut', p.cut, `labels: ${p.cut} to ${p.as_of}`),
      stat('As of', p.as_of, 'scores are for this day'),
      stat('Base rate', fmt.pct(m.base_rate), 'validation customers who bought'),
      stat('ROC AUC', fmt.num3(m.roc_auc), '0.5 = chance, 1 = perfect', { 'data-metric': 'roc_auc' }),
      stat('PR AUC', fmt.num3(m.pr_auc), 'average precision', { 'data-metric': 'pr_auc' }),
      stat('Brier score', fmt.num3(m.brier), 'lower is better', { 'data-metric': 'brier' }),
      stat('Top-decile lift', `×${fmt.num2(m.lift_top_decile)}`, 'buying rate vs base rate', { 'data-metric': 'lift_top_decile' }),
      stat(
        'Train / validation',
        `${fmt.int(c.train_customers)} / ${fmt.int(c.validation_customers)}`,
        `${fmt.int(c.train_buyers)} / ${fmt.int(c.validation_buyers)} buyers`,
      ),
    ),
  );

  // Deciles 1–2 of the scored customers: the core's count of its decile labels.
  const top = p.top_two_deciles;
  host.append(
    el(
      'p',
      { class: 'hint', 'data-hint': 'top-deciles' },
      el('strong', {}, `${fmt.int(top)} customers`),
      ` are in deciles 1–2 (the most likely fifth of ${fmt.int(c.scored_customers)} scored customers): `,
      `the customers most worth a reminder or a cross-sell offer now. Every customer's p_buy and decile are in the CSV export.`,
    ),
  );
  if (c.new_after_cut > 0) {
    host.append(
      el(
        'p',
        { class: 'muted small' },
        `${fmt.int(c.new_after_cut)} customers first bought after ${p.cut}: they were not used to fit the model but are scored.`,
      ),
    );
  }

  const roc = el('div', { class: 'panel' }, el('h3', {}, 'ROC curve (validation customers)'), el('p', { class: 'muted small' }, `Area under the curve ${fmt.num3(m.roc_auc)}; the dashed diagonal is a random guess.`));
  const gains = el('div', { class: 'panel' }, el('h3', {}, 'Cumulative gains'), el('p', { class: 'muted small' }, 'Share of the buyers reached when contacting the top-scored share of customers.'));
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
    lineStyle: { type: 'dashed', color: '#9aa3b2', width: 1.5 },
    itemStyle: { color: '#9aa3b2' },
  });
  const curveGrid = { left: 62, right: 18, top: 36, bottom: 52 };
  chart(roc, {
    grid: curveGrid,
    legend: { top: 0, data: ['Model', 'Random'] },
    tooltip: tooltip({ trigger: 'item', formatter: (q) => (q.seriesName === 'Model' ? `false positives ${fmt.pct(q.data[0])}\ntrue positives ${fmt.pct(q.data[1])}\nthreshold p ≥ ${fmt.num3(q.data[2])}` : 'random guess') }),
    xAxis: pctAxis('False positive rate (non-buyers flagged)', { nameGap: 30 }),
    yAxis: pctAxis('True positive rate (buyers found)', { nameGap: 44 }),
    series: [
      {
        name: 'Model',
        type: 'line',
        data: p.roc_curve.map((r) => [r.fpr, r.tpr, r.threshold]),
        showSymbol: false,
        lineStyle: { width: 2.5, color: palette[0] },
        itemStyle: { color: palette[0] },
        areaStyle: { color: palette[0], opacity: 0.08 },
      },
      diagonal('Random'),
    ],
  });
  chart(gains, {
    grid: curveGrid,
    legend: { top: 0, data: ['Model', 'Random'] },
    tooltip: tooltip({ trigger: 'item', formatter: (q) => (q.seriesName === 'Model' ? `contact top ${fmt.pct(q.data[0])}\nreach ${fmt.pct(q.data[1])} of buyers` : 'random order') }),
    xAxis: pctAxis('Customers contacted (highest score first)', { nameGap: 30 }),
    yAxis: pctAxis('Share of all buyers reached', { nameGap: 44 }),
    series: [
      {
        name: 'Model',
        type: 'line',
        data: p.gains_curve.map((g) => [g.share_contacted, g.share_of_buyers]),
        showSymbol: false,
        lineStyle: { width: 2.5, color: palette[2] },
        itemStyle: { color: palette[2] },
        areaStyle: { color: palette[2], opacity: 0.08 },
      },
      diagonal('Random'),
    ],
  });

  const deciles = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Actual buying rate by decile of predicted chance'),
    el('p', { class: 'muted small' }, `Validation customers split into tenths by score (1 = most likely). Labels: lift over the base rate of ${fmt.pct(m.base_rate)} (dashed line).`),
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
          return `decile ${d.decile}: ${fmt.int(d.buyers)} of ${fmt.int(d.customers)} bought (${fmt.pct(d.rate)})\nlift ×${fmt.num2(d.lift)}\npredicted ${fmt.pct(d.min_p_buy)}–${fmt.pct(d.max_p_buy)}`;
        },
      }),
      xAxis: { type: 'category', data: p.deciles.map((d) => String(d.decile)), name: 'Decile of predicted chance (1 = highest)', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: 'Bought in the window', nameLocation: 'middle', nameGap: 46, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
      series: [
        {
          type: 'bar',
          data: p.deciles.map((d) => d.rate),
          barMaxWidth: 48,
          itemStyle: { color: palette[0], borderRadius: [3, 3, 0, 0] },
          label: { show: true, position: 'top', formatter: (q) => `×${fmt.num2(p.deciles[q.dataIndex].lift)}`, color: '#1d2433', fontSize: 11 },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#6b7280' },
            label: { formatter: `base ${fmt.pct(m.base_rate)}`, position: 'end', color: '#4a5568' },
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
    el('h3', {}, 'Calibration'),
    el('p', { class: 'muted small' }, 'Validation customers grouped by predicted chance: a well calibrated model has its points on the dashed diagonal (point size = customers).'),
  );
  const calib = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Calibration table'),
    el('p', { class: 'muted small' }, 'Mean predicted chance against the actual buying rate, per band of predicted chance.'),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: 'Predicted chance', value: (b) => `${fmt.pct(b.lower)}–${fmt.pct(b.upper)}` },
          { label: 'Customers', value: (b) => fmt.int(b.customers), num: true },
          { label: 'Mean predicted', value: (b) => fmt.pct(b.mean_predicted), num: true },
          { label: 'Actual rate', value: (b) => fmt.pct(b.actual_rate), num: true },
        ],
        p.calibration,
        { class: 'data', 'data-table': 'calibration' },
      ),
    ),
  );
  const coef = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'What drives the score'),
    el('p', { class: 'muted small' }, 'Coefficients of the final model on standardised features (log1p first for counts and money); odds ratio = change in the odds of buying per one standard deviation more.'),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: 'Feature', value: (r) => el('span', { class: 'nowrap' }, r.name.replaceAll('_', ' ')) },
          { label: 'Coefficient', value: (r) => signed(fmt, r.coefficient), num: true },
          { label: 'Odds ratio / SD', value: (r) => `×${fmt.num2(r.odds_ratio_per_sd)}`, num: true },
          { label: 'In plain words', value: (r) => r.sentence },
        ],
        p.coefficients,
        { class: 'data', 'data-table': 'coefficients' },
      ),
    ),
  );
  host.append(el('div', { class: 'grid2' }, calibChart, calib), coef);
  chart(calibChart, {
    grid: curveGrid,
    legend: { top: 0, data: ['Model', 'Perfect calibration'] },
    tooltip: tooltip({
      trigger: 'item',
      formatter: (q) => {
        const b = p.calibration[q.dataIndex];
        return q.seriesName === 'Model' && b ? `${fmt.int(b.customers)} customers\npredicted ${fmt.pct(b.mean_predicted)}\nactual ${fmt.pct(b.actual_rate)}` : 'perfect calibration';
      },
    }),
    xAxis: pctAxis('Mean predicted chance', { nameGap: 30 }),
    yAxis: pctAxis('Actual buying rate', { nameGap: 44 }),
    series: [
      {
        name: 'Model',
        type: 'line',
        data: p.calibration.map((b) => [b.mean_predicted, b.actual_rate]),
        symbolSize: (v, q) => 6 + 10 * Math.sqrt((p.calibration[q.dataIndex]?.customers ?? 0) / Math.max(1, ...p.calibration.map((b) => b.customers))),
        lineStyle: { width: 2, color: palette[1] },
        itemStyle: { color: palette[1] },
      },
      diagonal('Perfect calibration'),
    ],
  });
}

function signed(fmt, x) {
  return x > 0 ? `+${fmt.num3(x)}` : fmt.num3(x);
}

