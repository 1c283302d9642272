// Campaign read-back: upload the response file of a campaign (customer id, group, converted,
// optional revenue) and read whether it worked: conversion per group with 95 % intervals,
// absolute and relative uplift, the z-test (Fisher's exact test for small groups), revenue per
// customer (Welch's t-test), the uplift by segment, and in words what is and is not
// significant. The list is the one built above, or a list CSV uploaded here. Every figure is
// the core's (readback::readback, in the worker); the columns it found are shown and can be
// changed.
import { count } from './words.js';
import { sectionWarnings } from '../dom.js';
import { t } from '../i18n.js';
import { LABELS as STAGE_LABELS } from './lifecycle.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
/** @typedef {import('../pkg/clientele.js').ReadbackReport} ReadbackReport */
export const id = 'readback';
export const title = 'Campaign read-back';

const ROLES = ['customer', 'group', 'converted', 'revenue'];

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} _report the page's report
 * @param {any} ctx { el, table, fmt, campaign } (sections/index.js)
 */
export function render(host, _report, ctx) {
  const { el, table, fmt, campaign } = ctx;
  if (!campaign) return;
  let roles = [];
  /** @type {File | null} */
  let responsesFile = null;
  /** @type {File | null} */
  let listFile = null;
  // The file inputs are made on demand and never attached: the widget's own drop zone keeps
  // the only <input type=file> in its tree.
  const pick = (accept, done) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => {
      const f = input.files?.[0];
      if (f) done(f);
    });
    input.click();
  };
  const responsesName = el('span', { class: 'muted small', 'data-file': 'responses' }, 'no file chosen');
  const listName = el('span', { class: 'muted small', 'data-file': 'list' }, 'the list built above');
  const responses = el(
    'button',
    {
      type: 'button',
      class: 'btn primary',
      'data-action': 'choose-responses',
      onclick: () =>
        pick('.csv,.tsv,.txt,.xlsx,.xls,.ods', (f) => {
          responsesFile = f;
          responsesName.textContent = f.name;
          go();
        }),
    },
    'Choose the response file',
  );
  const list = el(
    'button',
    {
      type: 'button',
      class: 'btn',
      'data-action': 'choose-list',
      onclick: () =>
        pick('.csv,.txt', (f) => {
          listFile = f;
          listName.textContent = f.name;
          go();
        }),
    },
    'Use a list CSV instead',
  );
  const missing = el(
    'select',
    { 'data-control': 'missing', 'aria-label': 'Listed customers without a response row' },
    el('option', { value: 'not_converted' }, 'count as not converted'),
    el('option', { value: 'exclude' }, 'leave them out'),
  );
  const out = el('div', { class: 'readback-out', 'data-readback': 'result', role: 'status', 'aria-live': 'polite' });
  const go = () => {
    roles = [];
    run();
  };
  missing.addEventListener('change', () => run());
  host.append(
    el(
      'p',
      { class: 'lead' },
      'Upload the campaign\'s response file: one row per customer with the customer id, the group (target / holdout) and whether they converted (1/0, yes/no), optionally the revenue. Customers of the list built above are matched by id; or upload the list CSV the campaign used.',
    ),
    el(
      'div',
      { class: 'target-form' },
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, 'Response file'), responses, ' ', responsesName),
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, 'Target list'), listName, ' ', list),
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, 'Listed customers without a row'), missing),
    ),
    out,
  );

  async function run() {
    const file = responsesFile;
    if (!file) return;
    out.replaceChildren(el('p', { class: 'muted' }, 'Reading the responses…'));
    try {
      const r = await campaign.readback(file, listFile, { responses: { roles }, params: { missing: missing.value } });
      show(r);
    } catch (e) {
      // The core's message already says where (file, row, column).
      out.replaceChildren(el('p', { class: 'section-error', 'data-readback': 'error', 'data-kind': e?.kind ?? null }, String(e?.message ?? e)));
    }
  }

  /** @param {ReadbackReport} r */
  function show(r) {
    const q = r.quality;
    const group = (name, g) => ({ name, ...g });
    const interval = (i) => (i ? `${fmt.pct(i.low)} – ${fmt.pct(i.high)}` : '');
    const points = (x) => (x == null ? '' : `${x >= 0 ? '+' : ''}${fmt.num2(100 * x)} points`);
    const pv = (x) => (x == null ? 'n/a' : x < 0.001 ? '< 0.001' : fmt.num3(x));
    const c = r.conversion;
    const roleMenu = (col) =>
      el(
        'select',
        {
          'data-control': 'response-role',
          'data-column': col.header,
          'aria-label': `Role of column ${col.header}`,
          onchange: (e) => {
            const role = e.target.value;
            roles = roles.filter(([, h]) => h !== col.header);
            if (role) roles = roles.filter(([r0]) => r0 !== role).concat([[role, col.header]]);
            else if (col.role) roles = roles.filter(([r0]) => r0 !== col.role).concat([[col.role, '']]);
            run();
          },
        },
        el('option', { value: '' }, '(not used)'),
        ROLES.map((role) => el('option', { value: role, selected: col.role === role }, role)),
      );
    out.replaceChildren(
      el(
        'div',
        { class: 'findings', 'data-findings': '' },
        r.findings.map((f) => el('p', { class: f.code.includes('not_significant') ? 'finding' : 'finding strong', 'data-code': f.code }, f.message)),
      ),
      sectionWarnings(r.warnings, 'Read this before trusting the read-out'),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: 'Group', value: (g) => g.name },
            { label: 'Customers', value: (g) => fmt.int(g.customers), num: true },
            { label: 'Converted', value: (g) => fmt.int(g.converted), num: true },
            { label: 'Conversion', value: (g) => fmt.pct(g.rate), num: true },
            { label: '95 % interval', value: (g) => interval(g.rate_interval) },
            { label: 'Revenue per customer', value: (g) => (g.revenue_per_customer == null ? '—' : fmt.money(g.revenue_per_customer)), num: true },
          ],
          [group('target', r.target), group('holdout', r.holdout)],
          { class: 'data', 'data-table': 'readback-groups' },
        ),
      ),
      el(
        'dl',
        { class: 'readback-tests', 'data-tests': '' },
        el('dt', {}, 'Absolute uplift'),
        el('dd', { 'data-figure': 'absolute_uplift' }, `${points(c.absolute_uplift)} (95 % interval ${points(c.absolute_interval?.low)} to ${points(c.absolute_interval?.high)})`),
        el('dt', {}, 'Relative uplift'),
        el('dd', { 'data-figure': 'relative_uplift' }, c.relative_uplift == null ? 'n/a (no holdout customer converted)' : `${fmt.pct(c.relative_uplift)} (95 % interval ${interval(c.relative_interval)})`),
        el('dt', {}, 'Two-proportion z-test'),
        el('dd', { 'data-figure': 'z_test' }, c.z == null ? 'n/a' : `z = ${fmt.num3(c.z)}, p ${c.z_p_value < 0.001 ? '' : '= '}${pv(c.z_p_value)}`),
        el('dt', {}, "Fisher's exact test"),
        el('dd', { 'data-figure': 'fisher' }, `p ${c.fisher_p_value < 0.001 ? '' : '= '}${pv(c.fisher_p_value)}${c.test === 'fisher_exact' ? ' (used: some expected counts are below 5)' : ''}`),
        r.revenue ? el('dt', {}, "Revenue (Welch's t-test)") : '',
        r.revenue ? el('dd', { 'data-figure': 'revenue' }, `difference ${fmt.money(r.revenue.difference)} per customer (95 % interval ${fmt.money(r.revenue.interval.low)} to ${fmt.money(r.revenue.interval.high)}), t = ${fmt.num3(r.revenue.t)}, p ${r.revenue.p_value < 0.001 ? '' : '= '}${pv(r.revenue.p_value)}`) : '',
      ),
      ...[
        ['By segment', r.by_segment, 'segment'],
        ['By lifecycle stage', r.by_lifecycle_stage, 'lifecycle'],
      ].map(([label, rows, key]) =>
        rows.length
          ? el(
              'div',
              { class: 'table-wrap' },
              el('h3', {}, label),
              table(
                [
                  { label: 'Name', value: (s) => (key === 'lifecycle' ? (STAGE_LABELS[s.name] ?? s.name) : s.name) },
                  { label: 'Target', value: (s) => `${fmt.int(s.target.converted)} / ${fmt.int(s.target.customers)} (${fmt.pct(s.target.rate)})`, num: true },
                  { label: 'Holdout', value: (s) => `${fmt.int(s.holdout.converted)} / ${fmt.int(s.holdout.customers)} (${fmt.pct(s.holdout.rate)})`, num: true },
                  { label: 'Uplift', value: (s) => points(s.absolute_uplift), num: true },
                  { label: 'p (Holm-adjusted)', value: (s) => (s.p_adjusted == null ? 'n/a' : `${pv(s.p_value)} (${pv(s.p_adjusted)})`), num: true },
                  { label: 'Significant', value: (s) => (s.significant ? 'yes' : 'no') },
                ],
                rows,
                { class: 'data', 'data-table': `readback-${key}` },
              ),
            )
          : '',
      ),
      el('h3', {}, 'How the file was read'),
      el(
        'p',
        { class: 'muted small', 'data-readback': 'quality' },
        `${q.file_name ?? 'responses'}: ${count(fmt, q.rows_read, 'row', 'rows')} read, ${fmt.int(q.rows_used)} used (${q.encoding}, delimiter "${q.delimiter === '\t' ? 'tab' : q.delimiter}").`,
        r.list ? ` List: ${count(fmt, r.list.customers, 'customer', 'customers')} (${fmt.int(r.list.target)} target, ${fmt.int(r.list.holdout)} holdout), ${fmt.int(r.list.without_response)} without a response row, ${count(fmt, r.list.not_on_list, 'response row', 'response rows')} not on the list.` : '',
      ),
      q.skipped.length
        ? el('ul', { class: 'muted small', 'data-readback': 'skipped' }, q.skipped.map((s) => el('li', { 'data-reason': s.reason }, t('campaign.readback.skipped', { n: s.rows, reason: s.description, rows: s.example_rows.join(', ') }))))
        : '',
      q.notes.map((n) => el('p', { class: 'muted small' }, n)),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: 'Column', value: (col) => el('code', {}, col.header) },
            { label: 'Role', value: (col) => roleMenu(col) },
            { label: 'How', value: (col) => col.detected_by },
            { label: 'Samples', value: (col) => col.samples.join(', ') },
            { label: 'Could also be', value: (col) => col.could_be.join(', ') },
          ],
          q.columns,
          { class: 'data', 'data-table': 'readback-columns' },
        ),
      ),
    );
  }
}
