// Target list: who to contact in a campaign and who to hold out. The marketer combines filters
// (segment, cluster, lifecycle stage, p_buy decile, P(alive), CLV, next product — each when
// the file supports it), an optional budget (top N by expected value, CLV or p_buy), a holdout share
// and its seed; the worker builds the list (the core's target::build) and answers with a
// bounded view: counts per group, the planner's holdout size for the uplift that matters, the
// first rows. The recipe is shown as JSON and can be pasted back to rebuild a list exactly;
// the export is the core's CSV (group column, recipe in the header).
import { count } from './words.js';
import { sectionWarnings } from '../dom.js';
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
  const segmentBox = checks('segment', segments);
  const clusterBox = checks('cluster', clusters.map((c) => c.label), (l) => `${l}: ${clusters.find((c) => c.label === l)?.name ?? ''}`);
  const stageBox = checks('lifecycle_stage', stages, (s) => s.replaceAll('_', ' '));
  const nextProduct = el('input', { type: 'text', class: 'text-input', placeholder: 'product names, comma-separated', 'data-control': 'next-product', 'aria-label': 'Next product is one of' });
  const decileMin = num({ min: 1, max: 10, placeholder: '1', 'data-control': 'decile-min', 'aria-label': 'p_buy decile from' });
  const decileMax = num({ min: 1, max: 10, placeholder: '10', 'data-control': 'decile-max', 'aria-label': 'p_buy decile to' });
  const aliveMin = num({ min: 0, max: 1, step: 0.05, placeholder: 'any', 'data-control': 'p-alive-min', 'aria-label': 'P(alive) at least' });
  const clvMin = num({ step: 10, placeholder: 'any', 'data-control': 'clv-min', 'aria-label': 'CLV at least' });
  const budget = num({ min: 1, step: 1, placeholder: 'everyone', 'data-control': 'budget', 'aria-label': 'Budget (customers)' });
  const rankBy = el(
    'select',
    { 'data-control': 'rank-by', 'aria-label': 'Rank by' },
    el('option', { value: '' }, 'default (expected value)'),
    el('option', { value: 'expected_value' }, 'expected value (p_buy × order value)'),
    el('option', { value: 'clv' }, 'lifetime value'),
    el('option', { value: 'p_buy' }, 'p_buy'),
  );
  const holdout = num({ min: 0, max: 90, step: 1, value: '10', 'data-control': 'holdout', 'aria-label': 'Holdout share (%)' });
  const seed = num({ min: 0, step: 1, value: '42', 'data-control': 'seed', 'aria-label': 'Seed' });
  const baseRate = num({ min: 0, max: 100, step: 0.1, placeholder: 'mean p_buy', 'data-control': 'base-rate', 'aria-label': 'Base rate (%)' });
  const uplift = num({ min: 0.1, max: 50, step: 0.1, value: '2', 'data-control': 'min-uplift', 'aria-label': 'Smallest uplift worth detecting (points)' });
  const pending = el('p', { class: 'muted small', 'data-filters-unavailable': '' });
  const field = (label, ...controls) => el('div', { class: 'field' }, el('span', { class: 'field-label' }, label), ...controls);

  const recipeBox = el('textarea', { class: 'recipe', rows: 3, spellcheck: 'false', 'data-control': 'recipe', 'aria-label': 'Recipe (JSON)' });
  const out = el('div', { class: 'target-out', 'data-target': 'result', role: 'status', 'aria-live': 'polite' });
  const build = el('button', { type: 'button', class: 'btn primary', 'data-action': 'build-target', onclick: () => run(fromForm()) }, 'Build the list');
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
          out.replaceChildren(el('p', { class: 'section-error' }, `The recipe is not JSON: ${e?.message ?? e}`));
        }
      },
    },
    'Rebuild from this recipe',
  );
  const exportBtn = el('button', { type: 'button', class: 'btn', 'data-action': 'export-campaign', disabled: true, onclick: () => campaign.exportList(false) }, 'Export the list (CSV)');

  host.append(
    el(
      'p',
      { class: 'lead' },
      'Choose who to contact: every filter must hold (none = every customer). A random, seeded share of the list is held out and not contacted, so the campaign can be measured against it in the read-back below.',
    ),
    el(
      'div',
      { class: 'target-form' },
      segments.length ? field('Segment', segmentBox) : null,
      clusters.length ? field('Cluster', clusterBox) : null,
      stages.length ? field('Lifecycle stage', stageBox) : null,
      hasCrossSell ? field('Next product is one of', nextProduct) : null,
      hasP ? field('p_buy decile (1 = most likely)', decileMin, ' to ', decileMax) : null,
      hasClv ? field('P(alive) at least', aliveMin) : null,
      hasClv ? field('CLV at least', clvMin) : null,
      field('Budget: top N', budget, ' by ', rankBy),
      field('Holdout share (%)', holdout, ' seed ', seed),
      field('Planner: base rate (%)', baseRate, ' smallest uplift worth detecting (points) ', uplift),
      pending,
      el('div', { class: 'chart-controls' }, build, exportBtn),
    ),
    out,
    el('details', { class: 'recipe-box' }, el('summary', {}, 'Recipe (JSON): copy it to rebuild this list, or paste one'), recipeBox, el('div', {}, apply)),
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
    out.replaceChildren(el('p', { class: 'muted' }, 'Building the list…'));
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
      ? `Not available for this file: ${view.filters_unavailable.map(([k, why]) => `${k.replaceAll('_', ' ')} (${why})`).join('; ')}`
      : '';
    const stat = (label, value, note, attrs = {}) =>
      el('div', { class: 'stat', ...attrs }, el('div', { class: 'stat-value' }, value), el('div', { class: 'stat-label' }, label), note ? el('div', { class: 'stat-note' }, note) : null);
    const warnings = [...(s.warnings ?? []), ...(view.plan?.warnings ?? [])];
    const p = view.plan;
    out.replaceChildren(
      el(
        'div',
        { class: 'stats headline' },
        stat('Pass the filters', fmt.int(s.eligible), `of ${count(fmt, s.customers, 'customer', 'customers')}`, { 'data-stat': 'eligible' }),
        stat('On the list', fmt.int(s.listed), s.ranked_by ? `ranked by ${s.ranked_by.replaceAll('_', ' ')}` : 'file order', { 'data-stat': 'listed' }),
        stat('Target (contact)', fmt.int(s.target.customers), s.target.mean_p_buy != null ? `mean p_buy ${fmt.pct(s.target.mean_p_buy)}` : null, { 'data-stat': 'target' }),
        stat('Holdout', fmt.int(s.holdout.customers), s.holdout.mean_p_buy != null ? `mean p_buy ${fmt.pct(s.holdout.mean_p_buy)}` : null, { 'data-stat': 'holdout' }),
        s.target.expected_value != null ? stat('Expected value (target)', fmt.money(s.target.expected_value), 'Σ p_buy × order value') : null,
      ),
      sectionWarnings(warnings, 'Read this before using the list'),
      p
        ? el(
            'p',
            { class: 'hint', 'data-planner': '' },
            `Planner: to detect ${fmt.num1(100 * p.min_uplift)} points of uplift on a base rate of ${fmt.pct(p.base_rate)}${p.base_rate_source === 'mean_p_buy' ? ' (the list\'s mean p_buy)' : ''} with ${fmt.pct(p.power)} power at ${fmt.pct(p.alpha)} significance, two equal groups need ${fmt.int(Math.ceil(p.per_group_equal))} customers each. `,
            p.holdout_needed != null
              ? `For this list the holdout needs at least ${count(fmt, p.holdout_needed, 'customer', 'customers')}; it has ${fmt.int(p.holdout)} (power ${fmt.pct(p.power_at_holdout)}).`
              : `This list (${fmt.int(p.list_size)}) is too small for that: it needs at least ${fmt.int(p.min_list_size)} customers.`,
            p.detectable_uplift != null ? ` With this split the smallest uplift detected with ${fmt.pct(p.power)} power is ${fmt.num1(100 * p.detectable_uplift)} points.` : '',
          )
        : el('p', { class: 'muted small' }, `Planner: ${view.plan_error ?? ''}`),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: '#', value: (r) => fmt.int(r.rank), num: true },
            { label: 'Customer', value: (r) => el('code', {}, r.id) },
            { label: 'Group', value: (r) => r.group },
            { label: 'Segment', value: (r) => r.segment },
            { label: 'P(buy)', value: (r) => fmt.pct(r.p_buy), num: true },
            { label: 'CLV', value: (r) => fmt.money(r.clv), num: true },
            { label: 'Expected value', value: (r) => fmt.money(r.expected_value), num: true },
          ],
          view.preview,
          { class: 'data', 'data-table': 'target-preview' },
        ),
      ),
      el('p', { class: 'muted small' }, `The first ${fmt.int(view.preview.length)} of ${fmt.int(s.listed)}; the export has every listed customer with its group.`),
    );
  }

  run({});
}
