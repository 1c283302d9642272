// Lifetime value: which purchase model (BG/NBD, MBG/NBD, Pareto/NBD) was used and the holdout
// comparison that chose it (table and tracking chart, with a control to pick another), how the
// purchase and Gamma-Gamma (spend) fits went, their parameters with standard errors, the frequency × recency maps of expected purchases and
// P(alive), a check of the model against data (holdout or repeat-purchase counts), the CLV
// distribution, totals, warnings and the valuable customers who are probably gone. Everything
// comes from report.clv (ClvReport); this file only maps it to marks and formats it.
import { missingSection, sectionWarnings } from '../dom.js';
import { t, has, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'clv';
export const title = 'Lifetime value';

/** Tooltips are drawn as chart text (richText), never as HTML, so no value can become markup. */
const tooltip = (extra = {}) => ({ renderMode: 'richText', confine: true, ...extra });

const SYMBOL = { r: 'r', alpha: 'α', a: 'a', b: 'b', s: 's', beta: 'β', p: 'p', q: 'q', gamma: 'γ', v: 'γ' };
const MODEL_LABEL = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', pnbd: 'Pareto/NBD' };
const splitRule = (rule) => (has(`clv.split.${rule}`) ? t(`clv.split.${rule}`) : rule);
const meaning = (name) => (has(`clv.meaning.${name}`) ? t(`clv.meaning.${name}`) : '');

/** A coded message of the section (`{ code, params, message }`: fit status parts, why there is
 *  no comparison or no spend model, the likely-gone rule) in the page's words from
 *  `clv.message.<code>`; in English the core's sentence.
 * @param {any} m
 * @param {Record<string, any>} [extra] parameters worded by the caller (model names, money) */
function clvText(m, extra = {}) {
  if (!m) return null;
  if (currentLang() === 'en' && m.message) return m.message;
  const key = `clv.message.${m.code}`;
  // A parameter whose value is a word (a fit problem's `side`, `hint`, `parameter`): `{side_word}`,
  // the catalogue's word for it or the value itself.
  const words = {};
  for (const [name, value] of Object.entries(m.params ?? {})) {
    if (typeof value === 'string') words[`${name}_word`] = has(`clv.word.${name}.${value}`) ? t(`clv.word.${name}.${value}`) : value;
  }
  return has(key) ? t(key, { ...m.params, ...words, ...extra }) : m.message;
}

/** A fit's status in words: its coded parts (the outcome, why the plain fit was not trusted,
 *  then what the penalty moved). */
function fitText(status, model) {
  if (currentLang() === 'en' && status.message) return status.message;
  if (status.coded?.length) return status.coded.map((m) => clvText(m, { model })).join(' ');
  // A Report from before the codes: the outcome from ok / penalty_used.
  const code = !status.ok ? 'fit_doubtful' : status.penalty_used > 0 ? 'fit_penalised' : 'fit_plain';
  return t(`clv.message.${code}`, { model, penalty: status.penalty_used });
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, reread, rows } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { palette, colors, el, table, fmt } = ctx;
  const chart = (box, option, opts) => ctx.chart(box, option, { label: t('sections.clv'), ...opts });
  const section = report.clv;
  if (section?.status !== 'ok') {
    host.append(
      missingSection(section, {
        off: t('clv.off'),
        unavailable: t('clv.unavailable'),
      }),
    );
    return;
  }
  const v = section;
  // The core's caveats (horizon beyond the history, penalised fit, no spend) come first.
  host.append(sectionWarnings(v.warnings));
  const unit = t(v.time_unit === 'days' ? 'clv.unit.days' : 'clv.unit.weeks');
  const money = v.total_clv != null && v.gamma_gamma != null;
  const purchase = v.purchase_fit;
  const status = purchase.fit_status;
  const label = MODEL_LABEL[purchase.model] ?? purchase.model;

  // 1. Fit status first, in plain words.
  const state = !status.ok ? 'failed' : status.penalty_used > 0 ? 'penalised' : 'ok';
  const headline = t(`clv.fit.${state}`, { model: label, penalty: fmt.num3(status.penalty_used) });
  host.append(
    el(
      'div',
      { class: `fit-status fit-${state}`, 'data-fit': state, role: 'status' },
      el('strong', {}, headline),
      ' ',
      el('span', {}, fitText(status, label)),
    ),
  );
  host.append(modelChoice(v, ctx, unit));
  if (v.gamma_gamma == null) {
    host.append(
      el(
        'p',
        { class: 'unavailable', 'data-unavailable': 'spend' },
        t('clv.spend.unavailable', { reason: clvText(v.coded_gamma_gamma_message) ?? t('clv.spend.not_fitted') }),
      ),
    );
  } else if (!v.gamma_gamma.fit_status.ok || v.gamma_gamma.fit_status.penalty_used > 0) {
    host.append(
      el(
        'p',
        { class: 'fit-status fit-penalised' },
        el('strong', {}, t('clv.spend.model')),
        el('span', {}, fitText(v.gamma_gamma.fit_status, 'Gamma-Gamma')),
      ),
    );
  }

  // 2. Totals.
  const stat = (label, value, note) =>
    el('div', { class: 'stat' }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
  const horizon = t('clv.horizon', { months: v.horizon_months });
  // The 90 % interval of a total from the seeded parametric bootstrap, when there is one.
  const ti = v.totals_interval;
  const range = (/** @type {number[] | null | undefined} */ b, /** @type {(x: number) => string} */ f) =>
    b ? el('div', { class: 'stat-note', 'data-interval': '' }, t('clv.interval', { level: fmt.pct(ti.level), lo: f(b[0]), hi: f(b[1]) })) : null;
  host.append(
    el(
      'div',
      { class: 'stats headline' },
      withNote(stat(t('clv.stat.expected'), fmt.num1(v.total_expected_purchases), t('clv.stat.expected_note', { horizon })), range(ti?.expected_purchases, fmt.num1)),
      money
        ? withNote(
            stat(
              t('clv.stat.total'),
              fmt.money(v.total_clv),
              t('clv.stat.total_note', { horizon, rate: fmt.pct(v.discount_rate) }) + (v.margin < 1 ? t('clv.stat.margin', { margin: fmt.pct(v.margin) }) : ''),
            ),
            range(ti?.clv, fmt.money),
          )
        : stat(t('clv.stat.total'), '—', t('clv.stat.no_spend')),
      stat(t('clv.stat.fitted'), fmt.int(purchase.customers), t('clv.stat.fitted_note', { n: purchase.repeat_buyers })),
      stat(t('clv.stat.observed'), fmt.date(v.observation_end), v.calibration_end ? t('clv.stat.fitted_to', { date: fmt.date(v.calibration_end) }) : t('clv.stat.as_of', { date: fmt.date(v.as_of) })),
      stat(t('clv.stat.gone'), fmt.int(v.likely_gone.total), t('clv.stat.gone_note')),
    ),
  );

  if (ti) {
    host.append(
      el(
        'p',
        { class: 'muted small', 'data-note': 'interval' },
        t(ti.patterns_used < ti.patterns ? 'clv.intervals_sampled' : 'clv.intervals', { draws: ti.draws, model: label, seed: String(ti.seed), used: ti.patterns_used, patterns: ti.patterns }),
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
        t(Math.abs(r) > 0.3 ? 'clv.spend_check_above' : 'clv.spend_check_within', { r: fmt.num2(r) }),
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
    el('h3', {}, t('clv.params.title')),
    el('p', { class: 'muted small' }, t('clv.params.note', { unit })),
    el(
      'div',
      { class: 'table-wrap' },
      table(
        [
          { label: t('clv.col.model'), value: (r) => el('span', { class: 'nowrap' }, r.model) },
          { label: t('clv.col.parameter'), value: (r) => SYMBOL[r.name] ?? r.name },
          { label: t('clv.col.estimate'), value: (r) => fmt.num3(r.value), num: true },
          { label: t('clv.col.std_error'), value: (r) => (r.std_error == null ? '—' : fmt.num3(r.std_error)), num: true },
          { label: t('clv.col.meaning'), value: (r) => meaning(r.name) },
        ],
        rows,
        { class: 'data', 'data-table': 'parameters' },
      ),
    ),
    el(
      'p',
      { class: 'muted small' },
      t('clv.params.ll', { model: label, ll: fmt.num1(purchase.log_likelihood) }),
      v.gamma_gamma
        ? t('clv.params.gg', { ll: fmt.num1(v.gamma_gamma.log_likelihood), n: v.gamma_gamma.customers, spend: fmt.money(v.gamma_gamma.population_mean_spend) })
        : '',
      t('clv.params.end'),
    ),
  );

  // 4. Model check: holdout when there is one, else repeat-purchase counts.
  const check = el('div', { class: 'panel' });
  const ho = v.calibration_holdout;
  if (ho) {
    check.append(
      el('h3', {}, t('clv.holdout.title')),
      el('p', { class: 'muted small' }, t('clv.holdout.note', { cal: fmt.date(ho.calibration_end), end: fmt.date(ho.holdout_end), duration: fmt.num1(ho.duration), unit })),
    );
    chart(check, {
      grid: { left: 60, right: 18, top: 36, bottom: 52 },
      legend: { top: 0 },
      tooltip: tooltip({ trigger: 'axis' }),
      xAxis: { type: 'category', data: ho.rows.map((r) => r.calibration_frequency), name: t('clv.holdout.x'), nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: t('clv.holdout.y'), nameLocation: 'middle', nameGap: 42 },
      series: [
        { name: t('clv.series.actual'), type: 'line', data: ho.rows.map((r) => r.actual), color: palette[0], symbolSize: 7, lineStyle: { width: 2.5 } },
        { name: t('clv.series.model'), type: 'line', data: ho.rows.map((r) => r.predicted), color: palette[1], symbolSize: 7, lineStyle: { width: 2.5, type: 'dashed' } },
      ],
    });
  } else {
    check.append(
      el('h3', {}, t('clv.repeat.title')),
      el('p', { class: 'muted small' }, t('clv.repeat.note')),
    );
    const fit = v.repeat_purchase_fit;
    chart(check, {
      grid: { left: 64, right: 18, top: 36, bottom: 52 },
      legend: { top: 0 },
      tooltip: tooltip({ trigger: 'axis', valueFormatter: (x) => fmt.int(x) }),
      xAxis: { type: 'category', data: fit.map((r) => r.repeat_purchases), name: t('clv.repeat.x'), nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', min: 0, name: t('clv.customers'), nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
      series: [
        { name: t('clv.series.actual'), type: 'bar', data: fit.map((r) => r.actual), color: palette[0], barGap: '10%', barMaxWidth: 34 },
        { name: t('clv.series.model'), type: 'bar', data: fit.map((r) => r.expected), color: palette[1], barMaxWidth: 34 },
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
        tooltip: tooltip({ formatter: (q) => t('clv.map.tooltip', { n: fmt.int(fr.frequency[q.data[1]]), at: fmt.num1(fr.recency[q.data[0]]), unit, name, value: format(q.data[2]) }) }),
        xAxis: { type: 'category', data: fr.recency.map((x) => fmt.int(x)), name: t('clv.map.x', { unit }), nameLocation: 'middle', nameGap: 30, axisTick: { show: false }, axisLabel: { interval: every(fr.recency.length, 9) } },
        yAxis: { type: 'category', inverse: true, data: fr.frequency.map(String), name: t('clv.map.y'), nameLocation: 'middle', nameGap: 38, axisTick: { show: false }, axisLabel: { interval: every(fr.frequency.length, 10) } },
        visualMap: { min: 0, max, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 180, itemWidth: 12, text: [format(max), format(0)], inRange: { color: colors }, textStyle: { fontSize: 11 } },
        series: [{ type: 'heatmap', data, progressive: 0 }],
      },
      { height: 360 },
    );
  };
  const maxExpected = Math.max(0, ...fr.expected_purchases.flat());
  const expectedBox = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('clv.map.expected_title', { period: fmt.num1(fr.period), unit })),
    el('p', { class: 'muted small' }, t('clv.map.expected_note', { age: fmt.num1(fr.age), unit })),
  );
  const aliveBox = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('clv.map.alive_title')),
    el('p', { class: 'muted small' }, t('clv.map.alive_note'), fr.frequency_capped ? t('clv.map.capped') : ''),
  );
  host.append(el('div', { class: 'grid2' }, expectedBox, aliveBox));
  heat(expectedBox, fr.expected_purchases, { name: t('clv.map.expected_name'), max: maxExpected, format: (x) => fmt.num2(x), colors: colors.heat });
  heat(aliveBox, fr.p_alive, { name: 'P(alive)', max: 1, format: (x) => fmt.pct(x), colors: colors.diverging });

  // 6. CLV distribution.
  const hist = v.clv_histogram;
  const dist = el('div', { class: 'panel' }, el('h3', {}, t('clv.dist.title', { horizon })));
  if (hist && money) {
    const labels = hist.counts.map((_, i) => `${fmt.money0(hist.edges[i])}–${fmt.money0(hist.edges[i + 1])}`);
    const counts = [...hist.counts];
    if (hist.overflow > 0) {
      labels.push(`≥ ${fmt.money0(hist.edges[hist.edges.length - 1])}`);
      counts.push(hist.overflow);
    }
    dist.append(el('p', { class: 'muted small' }, t('clv.dist.note'), hist.overflow > 0 ? t('clv.dist.overflow') : ''));
    chart(
      dist,
      {
        grid: { left: 64, right: 18, top: 16, bottom: 84 },
        tooltip: tooltip({ trigger: 'axis', valueFormatter: (x) => t('clv.n_customers', { n: x }) }),
        xAxis: { type: 'category', data: labels, name: t('clv.dist.x'), nameLocation: 'middle', nameGap: 62, axisLabel: { rotate: 35, fontSize: 11, interval: 0 } },
        yAxis: { type: 'value', name: t('clv.customers'), nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
        series: [{ type: 'bar', data: counts, barCategoryGap: '8%', color: palette[2] }],
      },
      { height: 320 },
    );
  } else {
    dist.append(el('p', { class: 'unavailable', 'data-unavailable': 'clv-histogram' }, t('clv.dist.unavailable', { reason: clvText(v.coded_gamma_gamma_message) ?? t('clv.dist.no_spend') })));
  }
  host.append(dist);

  // 7. Valuable but likely gone.
  const lg = v.likely_gone;
  const bySpend = money || report.summary?.has_amount;
  const valueLabel = t(bySpend ? 'clv.gone.spend' : 'clv.gone.purchases');
  const gone = el(
    'div',
    { class: 'panel' },
    el('h3', {}, t('clv.gone.title')),
    el('p', { class: 'muted small' }, goneRule(lg, bySpend, fmt), lg.total > lg.customers.length ? t('clv.gone.match_listed', { n: lg.total, listed: lg.customers.length }) : t('clv.gone.match', { n: lg.total })),
  );
  if (lg.customers.length) {
    gone.append(
      el(
        'div',
        { class: 'table-wrap tall' },
        table(
          [
            { label: t('clv.gone.customer'), value: (c) => c.id },
            { label: valueLabel, value: (c) => (bySpend ? fmt.money(c.value) : fmt.int(c.value)), num: true },
            { label: 'P(alive)', value: (c) => el('span', { class: 'p-alive', style: { '--p': String(c.p_alive) } }, fmt.pct(c.p_alive)), num: true },
            { label: t('clv.stat.expected'), value: (c) => fmt.num2(c.expected_purchases), num: true },
            money ? { label: 'CLV', value: (c) => fmt.money(c.clv), num: true } : null,
          ].filter(Boolean),
          lg.customers,
          { class: 'data likely-gone', 'data-table': 'likely-gone' },
        ),
      ),
    );
  } else {
    gone.append(el('p', {}, t('clv.gone.none')));
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
  const { el, table, fmt, palette, colors } = ctx;
  const choice = v.model_choice;
  const chosen = MODEL_LABEL[choice.chosen] ?? choice.chosen;
  const panel = el('div', { class: 'panel', 'data-panel': 'model-choice', 'data-chosen': choice.chosen }, el('h3', {}, t('clv.choice.title')));
  const why = has(`clv.choice.${choice.rule}`) ? t(`clv.choice.${choice.rule}`, { model: chosen, message: clvText(choice.coded_comparison_message) ?? '' }) : '';
  panel.append(el('p', { 'data-rule': choice.rule }, why));
  if (choice.refit_rejected.length) {
    const names = choice.refit_rejected.map((m) => MODEL_LABEL[m] ?? m).join(t('clv.and'));
    panel.append(el('p', { class: 'muted small', 'data-refit-rejected': choice.refit_rejected.join(' ') }, t('clv.choice.refit_rejected', { names, model: chosen })));
  }
  const cmp = choice.comparison;
  if (cmp) {
    panel.append(
      el(
        'p',
        { class: 'muted small' },
        t('clv.choice.compared', {
          cal: fmt.date(cmp.calibration_end),
          customers: cmp.customers,
          end: fmt.date(cmp.holdout_end),
          periods: fmt.num1(cmp.holdout_periods),
          unit,
          actual: cmp.holdout_actual,
          split: splitRule(cmp.split_rule),
        }),
      ),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: t('clv.col.model'), value: (r) => el('span', { class: 'nowrap' }, MODEL_LABEL[r.model] ?? r.model, r.model === choice.chosen ? t('clv.choice.used_mark') : '') },
            { label: t('clv.col.holdout_mae'), value: (r) => fmt.num3(r.holdout_mae), num: true },
            { label: t('clv.col.holdout_predicted'), value: (r) => fmt.int(r.holdout_predicted), num: true },
            { label: t('clv.col.calibration_ll'), value: (r) => fmt.num1(r.fit.log_likelihood), num: true },
            { label: 'BIC', value: (r) => fmt.num1(r.fit.bic), num: true },
            {
              label: t('clv.col.fit'),
              value: (r) => t(r.fit.fit_status.ok ? (r.fit.fit_status.penalty_used > 0 ? 'clv.fit_word.penalised' : 'clv.fit_word.ok') : 'clv.fit_word.doubtful'),
            },
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
        xAxis: { type: 'category', data: tr.period_end, name: t('clv.tracking.x'), nameLocation: 'middle', nameGap: 30 },
        yAxis: { type: 'value', min: 0, name: t('clv.tracking.y'), nameLocation: 'middle', nameGap: 50, axisLabel: { formatter: (x) => fmt.int(x) } },
        series: [
          {
            name: t('clv.series.actual'),
            type: 'line',
            data: tr.actual,
            color: palette[0],
            showSymbol: false,
            lineStyle: { width: 2.5 },
            markLine: cut >= 0 ? { symbol: 'none', silent: true, label: { formatter: t('clv.tracking.cut') }, lineStyle: { color: colors.reference, type: 'dotted' }, data: [{ xAxis: cut }] } : undefined,
          },
          ...tr.models.map((m, i) => ({
            name: `${MODEL_LABEL[m] ?? m}${m === choice.chosen ? t('clv.tracking.used') : ''}`,
            type: 'line',
            data: tr.predicted[i],
            color: palette[i + 1],
            showSymbol: false,
            lineStyle: { width: m === choice.chosen ? 2.5 : 1.5, type: 'dashed' },
          })),
        ],
      },
      { label: t('clv.tracking.label'), height: 320 },
    );
  }
  const select = el(
    'select',
    {
      'data-control': 'clv-model',
      disabled: !ctx.reanalyze,
      onchange: (/** @type {Event} */ e) => ctx.reanalyze?.({ clv: { model: /** @type {HTMLSelectElement} */ (e.target).value } }),
    },
    ['auto', 'bgnbd', 'mbgnbd', 'pnbd'].map((m) => el('option', { value: m, selected: m === choice.requested }, m === 'auto' ? t('clv.choice.auto') : MODEL_LABEL[m])),
  );
  panel.append(el('div', { class: 'chart-controls' }, el('label', {}, t('clv.choice.label'), ' ', select)));
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

/** Who counts as valuable but likely gone: the core's `coded_rule` (`likely_gone_spend` /
 *  `likely_gone_purchases`), the threshold as money or a count. */
function goneRule(lg, bySpend, fmt) {
  if (currentLang() === 'en') return `${lg.rule ? lg.rule[0].toUpperCase() + lg.rule.slice(1) : ''}. `;
  return clvText(lg.coded_rule, { threshold: bySpend ? fmt.money(lg.value_threshold) : fmt.num2(lg.value_threshold) });
}
