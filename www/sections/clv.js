// Lifetime value: which purchase model (BG/NBD, MBG/NBD, Pareto/NBD) was used and the holdout
// comparison that chose it (table and tracking chart, with a control to pick another), how the
// purchase and Gamma-Gamma (spend) fits went, their parameters with standard errors, the frequency × recency maps of expected purchases and
// P(alive), a check of the model against data (holdout or repeat-purchase counts), the CLV
// distribution, totals, warnings and the valuable customers who are probably gone. Everything
// comes from report.clv (ClvReport); this file only maps it to marks and formats it.
import { missingSection, sectionWarnings } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'clv';
export const title = 'Lifetime value';

/** Tooltips are drawn as chart text (richText), never as HTML, so no value can become markup. */
const tooltip = (extra = {}) => ({ renderMode: 'richText', confine: true, ...extra });

const SYMBOL = { r: 'r', alpha: 'α', a: 'a', b: 'b', s: 's', beta: 'β', p: 'p', q: 'q', gamma: 'γ', v: 'γ' };
const MODEL_LABEL = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', pnbd: 'Pareto/NBD' };
const SPLIT_RULE = {
  last_third: 'the last third of the history (at least 8 weeks)',
  holdout_days: 'the holdout length set in the options (clv.holdout_days)',
  calibration_end: 'the calibration end set in the options (clv.calibration_end)',
};
const MEANING = {
  r: 'shape of purchase-rate heterogeneity',
  alpha: 'scale of purchase rates (time units)',
  a: 'drop-out: Beta shape a',
  b: 'drop-out: Beta shape b',
  s: 'drop-out: shape of drop-out-rate heterogeneity',
  beta: 'drop-out: scale of drop-out rates (time units)',
  p: 'shape of spend per purchase',
  q: 'shape of spend heterogeneity',
  gamma: 'scale of spend heterogeneity',
  v: 'scale of spend heterogeneity',
};

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: title, ...opts });
  const section = report.clv;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: 'Lifetime value was switched off for this run.',
        unavailable: 'Lifetime value is unavailable',
      }),
    );
    return;
  }
  const v = section;
  // The core's caveats (horizon beyond the history, penalised fit, no spend) come first.
  host.append(sectionWarnings(v.warnings));
  const unit = v.time_unit === 'days' ? 'days' : 'weeks';
  const money = v.total_clv != null && v.gamma_gamma != null;
  const purchase = v.purchase_fit;
  const status = purchase.fit_status;
  const label = MODEL_LABEL[purchase.model] ?? purchase.model;

  // 1. Fit status first, in plain words.
  const state = !status.ok ? 'failed' : status.penalty_used > 0 ? 'penalised' : 'ok';
  const headline = {
    ok: `The purchase model (${label}) fitted normally.`,
    penalised: `The purchase model (${label}) was refitted with a small penalty (λ = ${fmt.num3(status.penalty_used)}) because the plain fit ran to the edge.`,
    failed: `The purchase model (${label}) did not fit cleanly: treat its figures with care.`,
  }[state];
  host.append(
    el(
      'div',
      { class: `fit-status fit-${state}`, 'data-fit': state, role: 'status' },
      el('strong', {}, headline),
      ' ',
      el('span', {}, status.message),
    ),
  );
  host.append(modelChoice(v, ctx, unit));
  if (v.gamma_gamma == null) {
    host.append(
      el(
        'p',
        { class: 'unavailable', 'data-unavailable': 'spend' },
        `Spend and lifetime value in money are unavailable: ${v.gamma_gamma_message ?? 'the spend model could not be fitted.'} Expected purchases and P(alive) below still apply.`,
      ),
    );
  } else if (!v.gamma_gamma.fit_status.ok || v.gamma_gamma.fit_status.penalty_used > 0) {
    host.append(el('p', { class: 'fit-status fit-penalised' }, el('strong', {}, 'Spend model (Gamma-Gamma): '), v.gamma_gamma.fit_status.message));
  }

  // 2. Totals.
  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  const horizon = `next ${fmt.int(v.horizon_months)} months`;
  // The 90 % interval of a total from the seeded parametric bootstrap, when there is one.
  const ti = v.totals_interval;
  const range = (/** @type {number[] | null | undefined} */ b, /** @type {(x: number) => string} */ f) =>
    b ? el('div', { class: 'stat-note', 'data-interval': '' }, `${fmt.pct(ti.level)} interval ${f(b[0])} – ${f(b[1])}`) : null;
  host.append(
    el(
      'div',
      { class: 'stats headline' },
      withNote(stat('Expected purchases', fmt.num1(v.total_expected_purchases), `all customers, ${horizon}`), range(ti?.expected_purchases, fmt.num1)),
      money ? withNote(stat('Total CLV', fmt.money(v.total_clv), `${horizon}, discounted ${fmt.pct(v.discount_rate)}/month${v.margin < 1 ? `, margin ${fmt.pct(v.margin)}` : ''}`), range(ti?.clv, fmt.money)) : stat('Total CLV', '—', 'no spend model'),
      stat('Customers fitted', fmt.int(purchase.customers), `${fmt.int(purchase.repeat_buyers)} with repeat purchases`),
      stat('Observed until', v.observation_end, v.calibration_end ? `fitted up to ${v.calibration_end}` : `as of ${v.as_of}`),
      stat('Likely gone', fmt.int(v.likely_gone.total), 'valuable, P(alive) < 0.5'),
    ),
  );

  if (ti) {
    host.append(
      el(
        'p',
        { class: 'muted small', 'data-note': 'interval' },
        `Intervals: ${fmt.int(ti.draws)} draws of the ${label} parameters from their estimated uncertainty (seed ${ti.seed}), totals recomputed for each${ti.patterns_used < ti.patterns ? ` on a sample of ${fmt.int(ti.patterns_used)} of the ${fmt.int(ti.patterns)} customer patterns` : ''}; spend per purchase is held at its estimate.`,
      ),
    );
  }

  // Gamma-Gamma assumes spend per purchase does not depend on how often a customer buys: the
  // correlation is shown either way (a warning above the section flags |r| > 0.3).
  const gg = v.gamma_gamma;
  if (gg) {
    const r = gg.frequency_spend_correlation;
    host.append(
      el(
        'p',
        { class: 'muted small', 'data-note': 'spend-frequency' },
        `Spend model check: correlation between repeat purchases and mean spend r = ${fmt.num2(r)} (Gamma-Gamma assumes none; ${Math.abs(r) > 0.3 ? 'above' : 'within'} the 0.3 bound).`,
      ),
    );
  }

  // 3. Parameters with standard errors.
  const rows = [
    ...purchase.estimates.map((e) => ({ model: label, ...e })),
    ...(v.gamma_gamma?.estimates ?? []).map((e) => ({ model: 'Gamma-Gamma', ...e })),
  ];
  const params = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Model parameters'),
    el('p', { class: 'muted small' }, `Maximum-likelihood estimates (time in ${unit}); standard errors from the Hessian, “—” when it is not positive definite.`),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: 'Model', value: (r) => el('span', { class: 'nowrap' }, r.model) },
          { label: 'Parameter', value: (r) => SYMBOL[r.name] ?? r.name },
          { label: 'Estimate', value: (r) => fmt.num3(r.value), num: true },
          { label: 'Std. error', value: (r) => (r.std_error == null ? '—' : fmt.num3(r.std_error)), num: true },
          { label: 'Meaning', value: (r) => MEANING[r.name] ?? '' },
        ],
        rows,
        { class: 'data', 'data-table': 'parameters' },
      ),
    ),
    el(
      'p',
      { class: 'muted small' },
      `${label} log-likelihood ${fmt.num1(purchase.log_likelihood)}`,
      v.gamma_gamma ? `; Gamma-Gamma log-likelihood ${fmt.num1(v.gamma_gamma.log_likelihood)} on ${fmt.int(v.gamma_gamma.customers)} repeat buyers, mean spend per purchase of a new customer ${fmt.money(v.gamma_gamma.population_mean_spend)}` : '',
      '.',
    ),
  );

  // 4. Model check: holdout when there is one, else repeat-purchase counts.
  const check = el('div', { class: 'panel' });
  const ho = v.calibration_holdout;
  if (ho) {
    check.append(
      el('h3', {}, 'Predicted vs actual in the holdout period'),
      el('p', { class: 'muted small' }, `Fitted on purchases up to ${ho.calibration_end}; mean repeat purchases from then to ${ho.holdout_end} (${fmt.num1(ho.duration)} ${unit}), by repeat purchases during calibration.`),
    );
    chart(check, {
      grid: { left: 60, right: 18, top: 36, bottom: 52 },
      legend: { top: 0 },
      tooltip: tooltip({ trigger: 'axis' }),
      xAxis: { type: 'category', data: ho.rows.map((r) => r.calibration_frequency), name: 'Repeat purchases in calibration period', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: 'Mean purchases in holdout', nameLocation: 'middle', nameGap: 42 },
      series: [
        { name: 'Actual', type: 'line', data: ho.rows.map((r) => r.actual), color: palette[0], symbolSize: 7, lineStyle: { width: 2.5 } },
        { name: 'Model', type: 'line', data: ho.rows.map((r) => r.predicted), color: palette[1], symbolSize: 7, lineStyle: { width: 2.5, type: 'dashed' } },
      ],
    });
  } else {
    check.append(
      el('h3', {}, 'Does the model reproduce repeat buying?'),
      el('p', { class: 'muted small' }, 'Customers by number of repeat purchases in the fitted period: observed, and as the fitted model expects.'),
    );
    const fit = v.repeat_purchase_fit;
    chart(check, {
      grid: { left: 64, right: 18, top: 36, bottom: 52 },
      legend: { top: 0 },
      tooltip: tooltip({ trigger: 'axis', valueFormatter: (x) => fmt.int(x) }),
      xAxis: { type: 'category', data: fit.map((r) => r.repeat_purchases), name: 'Repeat purchases', nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: 'Customers', nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
      series: [
        { name: 'Actual', type: 'bar', data: fit.map((r) => r.actual), color: palette[0], barGap: '10%', barMaxWidth: 34 },
        { name: 'Model', type: 'bar', data: fit.map((r) => r.expected), color: palette[1], barMaxWidth: 34 },
      ],
    });
  }
  host.append(el('div', { class: 'grid2' }, params, check));

  // 5. Frequency × recency maps.
  const fr = v.frequency_recency;
  const heat = (container, values, { name, max, format, colors }) => {
    const data = [];
    values.forEach((row, i) => row.forEach((x, j) => data.push([j, i, x])));
    chart(
      container,
      {
        grid: { left: 60, right: 74, top: 24, bottom: 52 },
        tooltip: tooltip({ formatter: (q) => `${fmt.int(fr.frequency[q.data[1]])} repeat purchases, last at ${fmt.num1(fr.recency[q.data[0]])} ${unit}\n${name}: ${format(q.data[2])}` }),
        xAxis: { type: 'category', data: fr.recency.map((x) => fmt.int(x)), name: `Recency (age at last purchase, ${unit})`, nameLocation: 'middle', nameGap: 30, axisTick: { show: false }, axisLabel: { interval: every(fr.recency.length, 9) } },
        yAxis: { type: 'category', inverse: true, data: fr.frequency.map(String), name: 'Frequency (repeat purchases)', nameLocation: 'middle', nameGap: 38, axisTick: { show: false }, axisLabel: { interval: every(fr.frequency.length, 10) } },
        visualMap: { min: 0, max, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 180, itemWidth: 12, text: [format(max), format(0)], inRange: { color: colors }, textStyle: { fontSize: 11 } },
        series: [{ type: 'heatmap', data, progressive: 0 }],
      },
      { height: 360 },
    );
  };
  const maxExpected = Math.max(0, ...fr.expected_purchases.flat());
  const expectedBox = el('div', { class: 'panel' }, el('h3', {}, `Expected purchases in the next ${fmt.num1(fr.period)} ${unit}`), el('p', { class: 'muted small' }, `For a customer ${fmt.num1(fr.age)} ${unit} old, by repeat purchases and when the last one was; frequent, recent buyers are bottom right.`));
  const aliveBox = el('div', { class: 'panel' }, el('h3', {}, 'Probability of still being a customer, P(alive)'), el('p', { class: 'muted small' }, `Same customers: frequent buyers who stopped long ago (bottom left) are probably gone.${fr.frequency_capped ? ' Frequencies beyond the grid are not shown.' : ''}`));
  host.append(el('div', { class: 'grid2' }, expectedBox, aliveBox));
  heat(expectedBox, fr.expected_purchases, { name: 'expected purchases', max: maxExpected, format: (x) => fmt.num2(x), colors: ['#f3f7fd', '#9cc0ef', '#2f6fde', '#173f86'] });
  heat(aliveBox, fr.p_alive, { name: 'P(alive)', max: 1, format: (x) => fmt.pct(x), colors: ['#b83232', '#f3d9a4', '#f5f5f0', '#8fcfa6', '#1f7a4a'] });

  // 6. CLV distribution.
  const hist = v.clv_histogram;
  const dist = el('div', { class: 'panel' }, el('h3', {}, `Lifetime value of customers, ${horizon}`));
  if (hist && money) {
    const labels = hist.counts.map((_, i) => `${fmt.int(hist.edges[i])}–${fmt.int(hist.edges[i + 1])}`);
    const counts = [...hist.counts];
    if (hist.overflow > 0) {
      labels.push(`≥ ${fmt.int(hist.edges[hist.edges.length - 1])}`);
      counts.push(hist.overflow);
    }
    dist.append(el('p', { class: 'muted small' }, `Customers by predicted CLV (money, discounted).${hist.overflow > 0 ? ' The last bar collects everyone above the range.' : ''}`));
    chart(
      dist,
      {
        grid: { left: 64, right: 18, top: 16, bottom: 84 },
        tooltip: tooltip({ trigger: 'axis', valueFormatter: (x) => `${fmt.int(x)} customers` }),
        xAxis: { type: 'category', data: labels, name: 'Predicted CLV', nameLocation: 'middle', nameGap: 62, axisLabel: { rotate: 35, fontSize: 11, interval: 0 } },
        yAxis: { type: 'value', name: 'Customers', nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
        series: [{ type: 'bar', data: counts, barCategoryGap: '8%', color: palette[2] }],
      },
      { height: 320 },
    );
  } else {
    dist.append(el('p', { class: 'unavailable', 'data-unavailable': 'clv-histogram' }, `The CLV distribution is unavailable: ${v.gamma_gamma_message ?? 'there is no spend model for this file.'}`));
  }
  host.append(dist);

  // 7. Valuable but likely gone.
  const lg = v.likely_gone;
  const valueLabel = money || report.summary?.has_amount ? 'Spend' : 'Purchases';
  const gone = el(
    'div',
    { class: 'panel' },
    el('h3', {}, 'Valuable but likely gone'),
    el('p', { class: 'muted small' }, `${capitalise(lg.rule)}. ${fmt.int(lg.total)} customers match${lg.total > lg.customers.length ? `, the first ${fmt.int(lg.customers.length)} are listed` : ''}.`),
  );
  if (lg.customers.length) {
    gone.append(
      el(
        'div',
        { class: 'table-wrap tall' },
        table(
          [
            { label: 'Customer', value: (c) => c.id },
            { label: valueLabel, value: (c) => (valueLabel === 'Spend' ? fmt.money(c.value) : fmt.int(c.value)), num: true },
            { label: 'P(alive)', value: (c) => el('span', { class: 'p-alive', style: { '--p': String(c.p_alive) } }, fmt.pct(c.p_alive)), num: true },
            { label: 'Expected purchases', value: (c) => fmt.num2(c.expected_purchases), num: true },
            money ? { label: 'CLV', value: (c) => fmt.money(c.clv), num: true } : null,
          ].filter(Boolean),
          lg.customers,
          { class: 'data likely-gone', 'data-table': 'likely-gone' },
        ),
      ),
    );
  } else {
    gone.append(el('p', {}, 'No valuable customer looks gone.'));
  }
  host.append(gone);
}

/**
 * Which purchase model the figures use and why: the holdout comparison (table and the weekly
 * cumulative repeat-purchase tracking chart, chosen model marked) and a control to use another.
 * @param {any} v report.clv
 * @param {any} ctx the sections' context
 * @param {string} unit 'weeks' or 'days'
 */
function modelChoice(v, ctx, unit) {
  const { el, table, fmt, palette } = ctx;
  const choice = v.model_choice;
  const chosen = MODEL_LABEL[choice.chosen] ?? choice.chosen;
  const panel = el('div', { class: 'panel', 'data-panel': 'model-choice', 'data-chosen': choice.chosen }, el('h3', {}, 'Which purchase model'));
  const why = {
    lowest_holdout_error: `${chosen} was chosen automatically: of the three models fitted on the calibration period, it predicted each customer's holdout purchases best (lowest mean absolute error), and it was then refitted on the whole history.`,
    requested: `${chosen} was chosen in the options (clv.model).`,
    no_comparison: `${chosen} is used by default. ${choice.comparison_message ?? ''}`,
  }[choice.rule] ?? '';
  panel.append(el('p', { 'data-rule': choice.rule }, why));
  if (choice.refit_rejected.length) {
    const names = choice.refit_rejected.map((m) => MODEL_LABEL[m] ?? m).join(' and ');
    panel.append(el('p', { class: 'muted small', 'data-refit-rejected': choice.refit_rejected.join(' ') }, `${names} predicted the holdout better but could not be refitted on the whole history without a penalty (a parameter ran to the edge), so ${chosen} is used; pick it below to see it anyway.`));
  }
  const cmp = choice.comparison;
  if (cmp) {
    panel.append(
      el(
        'p',
        { class: 'muted small' },
        `Fitted on purchases up to ${cmp.calibration_end} (${fmt.int(cmp.customers)} customers), checked on ${cmp.calibration_end} – ${cmp.holdout_end} (${fmt.num1(cmp.holdout_periods)} ${unit}), when they made ${fmt.int(cmp.holdout_actual)} repeat purchases. The split is ${SPLIT_RULE[cmp.split_rule] ?? cmp.split_rule}. Lower error and BIC are better.`,
      ),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: 'Model', value: (r) => el('span', { class: 'nowrap' }, MODEL_LABEL[r.model] ?? r.model, r.model === choice.chosen ? ' ✓ used' : '') },
            { label: 'Holdout error per customer', value: (r) => fmt.num3(r.holdout_mae), num: true },
            { label: 'Predicted holdout purchases', value: (r) => fmt.int(r.holdout_predicted), num: true },
            { label: 'Calibration log-likelihood', value: (r) => fmt.num1(r.fit.log_likelihood), num: true },
            { label: 'BIC', value: (r) => fmt.num1(r.fit.bic), num: true },
            { label: 'Fit', value: (r) => (r.fit.fit_status.ok ? (r.fit.fit_status.penalty_used > 0 ? 'penalised' : 'ok') : 'doubtful') },
          ],
          cmp.rows,
          { class: 'data', 'data-table': 'model-comparison', rowProps: (r) => ({ 'data-model': r.model, class: r.model === choice.chosen ? 'chosen' : null }) },
        ),
      ),
    );
    const tr = cmp.tracking;
    const cut = tr.period_end.findIndex((d) => d >= cmp.calibration_end);
    ctx.chart(
      panel,
      {
        grid: { left: 64, right: 18, top: 36, bottom: 52 },
        legend: { top: 0 },
        tooltip: tooltip({ trigger: 'axis', valueFormatter: (x) => fmt.int(x) }),
        xAxis: { type: 'category', data: tr.period_end, name: 'Week ending', nameLocation: 'middle', nameGap: 30 },
        yAxis: { type: 'value', min: 0, name: 'Cumulative repeat purchases', nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
        series: [
          {
            name: 'Actual',
            type: 'line',
            data: tr.actual,
            color: palette[0],
            showSymbol: false,
            lineStyle: { width: 2.5 },
            markLine: cut >= 0 ? { symbol: 'none', silent: true, label: { formatter: 'calibration end' }, lineStyle: { color: '#888', type: 'dotted' }, data: [{ xAxis: cut }] } : undefined,
          },
          ...tr.models.map((m, i) => ({
            name: `${MODEL_LABEL[m] ?? m}${m === choice.chosen ? ' (used)' : ''}`,
            type: 'line',
            data: tr.predicted[i],
            color: palette[i + 1],
            showSymbol: false,
            lineStyle: { width: m === choice.chosen ? 2.5 : 1.5, type: 'dashed' },
          })),
        ],
      },
      { label: 'Tracking cumulative repeat purchases', height: 320 },
    );
  }
  const select = el(
    'select',
    {
      'data-control': 'clv-model',
      disabled: !ctx.reanalyze,
      onchange: (/** @type {Event} */ e) => ctx.reanalyze?.({ clv: { model: /** @type {HTMLSelectElement} */ (e.target).value } }),
    },
    ['auto', 'bgnbd', 'mbgnbd', 'pnbd'].map((m) => el('option', { value: m, selected: m === choice.requested }, m === 'auto' ? 'automatic (lowest holdout error)' : MODEL_LABEL[m])),
  );
  panel.append(el('div', { class: 'chart-controls' }, el('label', {}, 'Purchase model ', select)));
  return panel;
}

/** Appends a note (or nothing) to a stat box. */
function withNote(/** @type {HTMLElement} */ box, /** @type {HTMLElement | null} */ note) {
  if (note) box.append(note);
  return box;
}

/** Label interval so that about `shown` of `n` category labels are drawn. */
function every(n, shown) {
  return Math.max(0, Math.ceil(n / shown) - 1);
}

function capitalise(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
