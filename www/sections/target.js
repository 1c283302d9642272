// Target list: who to contact in a campaign and who to hold out. The marketer combines filters
// (segment, cluster, lifecycle stage, p_buy decile, P(alive), CLV, next product — each when
// the file supports it), an optional budget (top N by expected value, CLV or p_buy), a holdout share
// and its seed; the worker builds the list (the core's target::build) and answers with a
// bounded view: counts per group, the planner's holdout size for the uplift that matters, the
// first rows. The recipe is shown as JSON and can be pasted back to rebuild a list exactly;
// the export is the core's CSV (group column, recipe in the header).
import { sectionWarnings, segmentName, reasonText } from '../dom.js';
import { clusterName } from './clusters.js';
import { t, has, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
/** @typedef {import('../pkg/clientele.js').TargetView} TargetView */
export const id = 'target';
export const title = 'Target list';

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { el, table, fmt, campaign } (sections/index.js)
 */
export function render(host, report, ctx) {
  const { el, table, fmt, campaign } = ctx;
  if (!campaign) return;
  const segments = (report.rfm?.segments ?? []).filter((s) => s.customers > 0).map((s) => s.name);
  const clusters = report.clusters?.status === 'ok' ? report.clusters.profiles : [];
  const hasP = report.propensity?.status === 'ok';
  const hasClv = report.clv?.status === 'ok';
  const stages = report.lifecycle?.status === 'ok' ? report.lifecycle.stages.filter((s) => s.customers > 0).map((s) => s.stage) : [];
  const hasCrossSell = report.cross_sell?.status === 'ok';

  const checks = (name, values, label = (v) => String(v)) =>
    el(
      'div',
      { class: 'checks', 'data-filter': name },
      values.map((v) => el('label', { class: 'check' }, el('input', { type: 'checkbox', value: String(v), 'data-value': String(v) }), ` ${label(v)}`)),
    );
  const num = (attrs) => el('input', { type: 'number', class: 'num-input', ...attrs });
  /** Why the planner has no plan (the core's error), worded when it is the missing base rate. */
  const planError = (message) => {
    if (currentLang() === 'en' || !message) return message ?? '';
    return /planner\.base_rate/.test(message) ? t('target.plan.no_base_rate') : message;
  };
  /** A filter's column in words, and why it cannot be used: the reason of the section behind
   *  it, worded from its code (the core's sentence otherwise). */
  const filterName = (k) => (has(`target.filter.${k}`) ? t(`target.filter.${k}`) : k.replaceAll('_', ' '));
  const SECTION_OF = { next_product: 'cross_sell', p_buy: 'propensity', p_buy_decile: 'propensity', clv: 'clv', p_alive: 'clv', expected_value: 'propensity', cluster: 'clusters', lifecycle_stage: 'lifecycle' };
  const filterWhy = (k, why) => {
    const section = report[SECTION_OF[k]];
    if (currentLang() === 'en') return why;
    // A column missing from a section that ran (clv without amounts) or from none (order value).
    if (!section || section.status === 'ok') return has(`target.why.${k}`) ? t(`target.why.${k}`) : why;
    if (section.status === 'skipped') return t('target.switched_off');
    return reasonText(section) ?? why;
  };
  const stageName = (s) => (has(`lifecycle.stage.${s}`) ? t(`lifecycle.stage.${s}`) : s.replaceAll('_', ' '));
  const segmentBox = checks('segment', segments, segmentName);
  const clusterBox = checks('cluster', clusters.map((c) => c.label), (l) => `${l}: ${clusterName(clusters.find((c) => c.label === l))}`);
  const stageBox = checks('lifecycle_stage', stages, stageName);
  const nextProduct = el('input', { type: 'text', class: 'text-input', placeholder: t('target.next_product_placeholder'), 'data-control': 'next-product', 'aria-label': t('target.field.next_product') });
  const decileMin = num({ min: 1, max: 10, placeholder: '1', 'data-control': 'decile-min', 'aria-label': t('target.decile_from') });
  const decileMax = num({ min: 1, max: 10, placeholder: '10', 'data-control': 'decile-max', 'aria-label': t('target.decile_to') });
  const aliveMin = num({ min: 0, max: 1, step: 0.05, placeholder: t('target.any'), 'data-control': 'p-alive-min', 'aria-label': t('target.field.p_alive') });
  const clvMin = num({ step: 10, placeholder: t('target.any'), 'data-control': 'clv-min', 'aria-label': t('target.field.clv') });
  const budget = num({ min: 1, step: 1, placeholder: t('target.everyone'), 'data-control': 'budget', 'aria-label': t('target.budget_label') });
  const rankBy = el(
    'select',
    { 'data-control': 'rank-by', 'aria-label': t('target.rank_by') },
    el('option', { value: '' }, t('target.rank.default')),
    el('option', { value: 'expected_value' }, t('target.rank.expected_value')),
    el('option', { value: 'clv' }, t('target.rank.clv')),
    el('option', { value: 'p_buy' }, 'p_buy'),
  );
  const holdout = num({ min: 0, max: 90, step: 1, value: '10', 'data-control': 'holdout', 'aria-label': t('target.field.holdout') });
  const seed = num({ min: 0, step: 1, value: '42', 'data-control': 'seed', 'aria-label': t('target.seed_label') });
  const baseRate = num({ min: 0, max: 100, step: 0.1, placeholder: t('target.mean_p_buy'), 'data-control': 'base-rate', 'aria-label': t('target.base_rate_label') });
  const uplift = num({ min: 0.1, max: 50, step: 0.1, value: '2', 'data-control': 'min-uplift', 'aria-label': t('target.uplift_label') });
  const pending = el('p', { class: 'muted small', 'data-filters-unavailable': '' });
  const field = (label, ...controls) => el('div', { class: 'field' }, el('span', { class: 'field-label' }, label), ...controls);

  const recipeBox = el('textarea', { class: 'recipe', rows: 3, spellcheck: 'false', 'data-control': 'recipe', 'aria-label': t('target.recipe_label') });
  const out = el('div', { class: 'target-out', 'data-target': 'result', role: 'status', 'aria-live': 'polite' });
  const build = el('button', { type: 'button', class: 'btn primary', 'data-action': 'build-target', onclick: () => run(fromForm()) }, t('target.build'));
  const apply = el(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-action': 'apply-recipe',
      onclick: () => {
        try {
          run(JSON.parse(recipeBox.value || '{}'));
        } catch (e) {
          out.replaceChildren(el('p', { class: 'section-error' }, t('target.recipe_not_json', { message: e?.message ?? e })));
        }
      },
    },
    t('target.rebuild'),
  );
  const exportBtn = el('button', { type: 'button', class: 'btn', 'data-action': 'export-campaign', disabled: true, onclick: () => campaign.exportList(false) }, t('target.export'));

  host.append(
    el(
      'p',
      { class: 'lead' },
      t('target.lead'),
    ),
    el(
      'div',
      { class: 'target-form' },
      segments.length ? field(t('target.field.segment'), segmentBox) : null,
      clusters.length ? field(t('target.field.cluster'), clusterBox) : null,
      stages.length ? field(t('target.field.stage'), stageBox) : null,
      hasCrossSell ? field(t('target.field.next_product'), nextProduct) : null,
      hasP ? field(t('target.field.decile'), decileMin, t('target.to'), decileMax) : null,
      hasClv ? field(t('target.field.p_alive'), aliveMin) : null,
      hasClv ? field(t('target.field.clv'), clvMin) : null,
      field(t('target.field.budget'), budget, t('target.by'), rankBy),
      field(t('target.field.holdout'), holdout, t('target.seed'), seed),
      field(t('target.field.planner'), baseRate, t('target.uplift'), uplift),
      pending,
      el('div', { class: 'chart-controls' }, build, exportBtn),
    ),
    out,
    el('details', { class: 'recipe-box' }, el('summary', {}, t('target.recipe_summary')), recipeBox, el('div', {}, apply)),
  );

  function fromForm() {
    const picked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);
    const filters = [];
    if (picked(segmentBox).length) filters.push({ kind: 'segment', any_of: picked(segmentBox) });
    if (picked(clusterBox).length) filters.push({ kind: 'cluster', any_of: picked(clusterBox).map(Number) });
    if (picked(stageBox).length) filters.push({ kind: 'lifecycle_stage', any_of: picked(stageBox) });
    const products = nextProduct.value.split(',').map((v) => v.trim()).filter(Boolean);
    if (products.length) filters.push({ kind: 'next_product', any_of: products });
    if (decileMin.value || decileMax.value) filters.push({ kind: 'p_buy_decile', min: Number(decileMin.value || 1), max: Number(decileMax.value || 10) });
    if (aliveMin.value) filters.push({ kind: 'p_alive', min: Number(aliveMin.value) });
    if (clvMin.value) filters.push({ kind: 'clv', min: Number(clvMin.value) });
    /** @type {any} */
    const recipe = { filters, holdout_share: Number(holdout.value || 0) / 100, seed: Number(seed.value || 0) };
    if (budget.value) recipe.budget = { size: Number(budget.value) };
    if (rankBy.value) recipe.rank_by = rankBy.value;
    return recipe;
  }

  function planner() {
    /** @type {any} */
    const p = { min_uplift: Number(uplift.value || 2) / 100 };
    if (baseRate.value) p.base_rate = Number(baseRate.value) / 100;
    return p;
  }

  async function run(recipe) {
    build.disabled = true;
    out.replaceChildren(el('p', { class: 'muted' }, t('target.building')));
    try {
      const view = await campaign.build(recipe, planner());
      show(view);
      exportBtn.disabled = false;
    } catch (e) {
      out.replaceChildren(el('p', { class: 'section-error', 'data-target': 'error' }, e?.message ?? String(e)));
      exportBtn.disabled = true;
    } finally {
      build.disabled = false;
    }
  }

  /** @param {TargetView} view */
  function show(view) {
    const s = view.summary;
    recipeBox.value = JSON.stringify(s.recipe);
    pending.textContent = view.filters_unavailable.length
      ? t('target.unavailable', { list: view.filters_unavailable.map(([k, why]) => t('target.unavailable_item', { name: filterName(k), why: filterWhy(k, why) })).join(t('target.sep')) })
      : '';
    const stat = (label, value, note, attrs = {}) =>
      el('div', { class: 'stat', ...attrs }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
    const warnings = [...(s.warnings ?? []), ...(view.plan?.warnings ?? [])];
    const p = view.plan;
    out.replaceChildren(
      el(
        'div',
        { class: 'stats headline' },
        stat(t('target.stat.eligible'), fmt.int(s.eligible), t('target.stat.of', { n: s.customers }), { 'data-stat': 'eligible' }),
        stat(
          t('target.stat.listed'),
          fmt.int(s.listed),
          s.ranked_by ? t('target.stat.ranked_by', { rank: has(`target.rank_name.${s.ranked_by}`) ? t(`target.rank_name.${s.ranked_by}`) : s.ranked_by.replaceAll('_', ' ') }) : t('target.stat.file_order'),
          { 'data-stat': 'listed' },
        ),
        stat(t('target.stat.target'), fmt.int(s.target.customers), s.target.mean_p_buy != null ? t('target.stat.mean_p_buy', { value: fmt.pct(s.target.mean_p_buy) }) : null, { 'data-stat': 'target' }),
        stat(t('target.stat.holdout'), fmt.int(s.holdout.customers), s.holdout.mean_p_buy != null ? t('target.stat.mean_p_buy', { value: fmt.pct(s.holdout.mean_p_buy) }) : null, { 'data-stat': 'holdout' }),
        s.target.expected_value != null ? stat(t('target.stat.expected_value'), fmt.money(s.target.expected_value), t('target.stat.expected_value_note')) : null,
      ),
      sectionWarnings(warnings, t('target.warnings_title')),
      p
        ? el(
            'p',
            { class: 'hint', 'data-planner': '' },
            t(p.base_rate_source === 'mean_p_buy' ? 'target.plan.intro_mean' : 'target.plan.intro', {
              uplift: fmt.num1(100 * p.min_uplift),
              base: fmt.pct(p.base_rate),
              power: fmt.pct(p.power),
              alpha: fmt.pct(p.alpha),
              per_group: Math.ceil(p.per_group_equal),
            }),
            p.holdout_needed != null
              ? t('target.plan.needed', { n: p.holdout_needed, needed: p.holdout_needed, holdout: p.holdout, power: fmt.pct(p.power_at_holdout) })
              : t('target.plan.too_small', { size: p.list_size, min: p.min_list_size }),
            p.detectable_uplift != null ? t('target.plan.detectable', { power: fmt.pct(p.power), uplift: fmt.num1(100 * p.detectable_uplift) }) : '',
          )
        : el('p', { class: 'muted small' }, t('target.plan.error', { message: planError(view.plan_error) })),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: '#', value: (r) => fmt.int(r.rank), num: true },
            { label: t('target.col.customer'), value: (r) => el('code', {}, r.id) },
            { label: t('target.col.group'), value: (r) => (has(`target.group.${r.group}`) ? t(`target.group.${r.group}`) : r.group) },
            { label: t('target.col.segment'), value: (r) => segmentName(r.segment) },
            { label: 'P(buy)', value: (r) => fmt.pct(r.p_buy), num: true },
            { label: 'CLV', value: (r) => fmt.money(r.clv), num: true },
            { label: t('target.col.expected_value'), value: (r) => fmt.money(r.expected_value), num: true },
          ],
          view.preview,
          { class: 'data', 'data-table': 'target-preview' },
        ),
      ),
      el('p', { class: 'muted small' }, t('target.preview_note', { n: view.preview.length, listed: s.listed })),
    );
  }

  run({});
}
