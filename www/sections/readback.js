// Campaign read-back: upload the response file of a campaign (customer id, group, converted,
// optional revenue) and read whether it worked: conversion per group with 95 % intervals,
// absolute and relative uplift, the z-test (Fisher's exact test for small groups), revenue per
// customer (Welch's t-test), the uplift by segment, and in words what is and is not
// significant. The list is the one built above, or a list CSV uploaded here. Every figure is
// the core's (readback::readback, in the worker); the columns it found are shown and can be
// changed.
import { sectionWarnings, segmentName } from '../dom.js';
import { ingestText } from '../ingest-text.js';
import { t, has, fmt as ifmt, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
/** @typedef {import('../pkg/clientele.js').ReadbackReport} ReadbackReport */
export const id = 'readback';
export const title = 'Campaign read-back';

const ROLES = ['customer', 'group', 'converted', 'revenue'];

const signedPoints = (x) => t('readback.points', { value: `${x >= 0 ? '+' : ''}${ifmt.num1(100 * x)}` });
const pText = (p) => (p < 0.001 ? 'p < 0.001' : `p = ${ifmt.num3(p)}`);

/** The read-out in words, from the report's figures (the core's sentences otherwise): conversion,
 *  revenue, then the breakdowns by segment and lifecycle stage. */
function findingText(f, r) {
  if (currentLang() === 'en' && f.message) return f.message;
  const c = r.conversion;
  const level = ifmt.pct0(r.params?.alpha ?? 0.05);
  const confidence = ifmt.pct0(1 - (r.params?.alpha ?? 0.05));
  if (f.code.startsWith('conversion_') && r.target.rate != null && r.holdout.rate != null && c.absolute_uplift != null && c.p_value != null) {
    const head = t('readback.finding.conversion', {
      target: ifmt.pct(r.target.rate),
      holdout: ifmt.pct(r.holdout.rate),
      uplift: signedPoints(c.absolute_uplift),
      interval: c.absolute_interval ? t('readback.finding.interval', { confidence, low: signedPoints(c.absolute_interval.low), high: signedPoints(c.absolute_interval.high) }) : '',
      relative: c.relative_uplift != null ? t('readback.finding.relative', { value: `${c.relative_uplift >= 0 ? '+' : ''}${ifmt.num1(100 * c.relative_uplift)}` }) : '',
    });
    const test = t(c.test === 'fisher_exact' ? 'readback.finding.test_fisher' : 'readback.finding.test_z');
    const consistent = c.absolute_interval ? t('readback.finding.consistent', { low: signedPoints(c.absolute_interval.low), high: signedPoints(c.absolute_interval.high) }) : '';
    if (!has(`readback.finding.${f.code}`)) return f.message;
    return t('readback.finding.join', { head, verdict: t(`readback.finding.${f.code}`, { level, test, p: pText(c.p_value), consistent }) });
  }
  if (f.code.startsWith('revenue_') && r.revenue && r.target.revenue_per_customer != null && r.holdout.revenue_per_customer != null) {
    const rev = r.revenue;
    const sign = (x) => `${x >= 0 ? '+' : ''}${ifmt.money(x)}`;
    const head = t('readback.finding.revenue', {
      target: ifmt.money(r.target.revenue_per_customer),
      holdout: ifmt.money(r.holdout.revenue_per_customer),
      difference: sign(rev.difference),
      confidence,
      low: sign(rev.interval.low),
      high: sign(rev.interval.high),
    });
    return t('readback.finding.join', { head, verdict: t(rev.significant ? 'readback.finding.revenue_significant' : 'readback.finding.revenue_not_significant', { level, p: pText(rev.p_value) }) });
  }
  const breakdown = { segment_breakdown: [r.by_segment, 'segment'], lifecycle_stage_breakdown: [r.by_lifecycle_stage, 'stage'] }[f.code];
  if (breakdown) {
    const [rows, what] = breakdown;
    const tested = rows.filter((x) => x.p_adjusted != null).length;
    const name = (x) => (what === 'segment' ? segmentName(x.name) : has(`lifecycle.stage.${x.name}`) ? t(`lifecycle.stage.${x.name}`) : x.name);
    const significant = rows.filter((x) => x.significant).map((x) => `${name(x)} (${x.absolute_uplift != null ? signedPoints(x.absolute_uplift) : ''})`);
    return significant.length
      ? t(`readback.finding.${what}_some`, { level, tested, list: significant.join(t('common.list_sep')) })
      : t(`readback.finding.${what}_none`, { level, tested });
  }
  return f.message;
}

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
  const responsesName = el('span', { class: 'muted small', 'data-file': 'responses' }, t('readback.no_file'));
  const listName = el('span', { class: 'muted small', 'data-file': 'list' }, t('readback.list_above'));
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
    t('readback.choose_responses'),
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
    t('readback.choose_list'),
  );
  const missing = el(
    'select',
    { 'data-control': 'missing', 'aria-label': t('readback.missing_label') },
    el('option', { value: 'not_converted' }, t('readback.missing.not_converted')),
    el('option', { value: 'exclude' }, t('readback.missing.exclude')),
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
      t('readback.lead'),
    ),
    el(
      'div',
      { class: 'target-form' },
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, t('readback.field.responses')), responses, ' ', responsesName),
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, t('readback.field.list')), listName, ' ', list),
      el('div', { class: 'field' }, el('span', { class: 'field-label' }, t('readback.field.missing')), missing),
    ),
    out,
  );

  async function run() {
    const file = responsesFile;
    if (!file) return;
    out.replaceChildren(el('p', { class: 'muted' }, t('readback.reading')));
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
    const points = (x) => (x == null ? '' : t('readback.points', { value: `${x >= 0 ? '+' : ''}${fmt.num2(100 * x)}` }));
    const pv = (x) => (x == null ? t('common.na') : x < 0.001 ? '< 0.001' : fmt.num3(x));
    const groupName = (name) => t(`readback.group.${name}`);
    const c = r.conversion;
    const roleMenu = (col) =>
      el(
        'select',
        {
          'data-control': 'response-role',
          'data-column': col.header,
          'aria-label': t('readback.role_of', { column: col.header }),
          onchange: (e) => {
            const role = e.target.value;
            roles = roles.filter(([, h]) => h !== col.header);
            if (role) roles = roles.filter(([r0]) => r0 !== role).concat([[role, col.header]]);
            else if (col.role) roles = roles.filter(([r0]) => r0 !== col.role).concat([[col.role, '']]);
            run();
          },
        },
        el('option', { value: '' }, t('readback.not_used')),
        ROLES.map((role) => el('option', { value: role, selected: col.role === role }, t(`readback.role.${role}`))),
      );
    out.replaceChildren(
      el(
        'div',
        { class: 'findings', 'data-findings': '' },
        r.findings.map((f) => el('p', { class: f.code.includes('not_significant') ? 'finding' : 'finding strong', 'data-code': f.code }, findingText(f, r))),
      ),
      sectionWarnings(r.warnings, t('readback.warnings_title')),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: t('readback.col.group'), value: (g) => groupName(g.name) },
            { label: t('readback.col.customers'), value: (g) => fmt.int(g.customers), num: true },
            { label: t('readback.col.converted'), value: (g) => fmt.int(g.converted), num: true },
            { label: t('readback.col.conversion'), value: (g) => fmt.pct(g.rate), num: true },
            { label: t('readback.col.interval'), value: (g) => interval(g.rate_interval) },
            { label: t('readback.col.revenue'), value: (g) => (g.revenue_per_customer == null ? '—' : fmt.money(g.revenue_per_customer)), num: true },
          ],
          [group('target', r.target), group('holdout', r.holdout)],
          { class: 'data', 'data-table': 'readback-groups' },
        ),
      ),
      el(
        'dl',
        { class: 'readback-tests', 'data-tests': '' },
        el('dt', {}, t('readback.test.absolute')),
        el('dd', { 'data-figure': 'absolute_uplift' }, t('readback.test.absolute_value', { uplift: points(c.absolute_uplift), low: points(c.absolute_interval?.low), high: points(c.absolute_interval?.high) })),
        el('dt', {}, t('readback.test.relative')),
        el(
          'dd',
          { 'data-figure': 'relative_uplift' },
          c.relative_uplift == null ? t('readback.test.relative_na') : t('readback.test.relative_value', { uplift: fmt.pct(c.relative_uplift), interval: interval(c.relative_interval) }),
        ),
        el('dt', {}, t('readback.test.z')),
        el('dd', { 'data-figure': 'z_test' }, c.z == null ? t('common.na') : `z = ${fmt.num3(c.z)}, p ${c.z_p_value < 0.001 ? '' : '= '}${pv(c.z_p_value)}`),
        el('dt', {}, t('readback.test.fisher')),
        el('dd', { 'data-figure': 'fisher' }, `p ${c.fisher_p_value < 0.001 ? '' : '= '}${pv(c.fisher_p_value)}`, c.test === 'fisher_exact' ? t('readback.test.fisher_used') : ''),
        r.revenue ? el('dt', {}, t('readback.test.revenue')) : '',
        r.revenue
          ? el(
              'dd',
              { 'data-figure': 'revenue' },
              t('readback.test.revenue_value', {
                difference: fmt.money(r.revenue.difference),
                low: fmt.money(r.revenue.interval.low),
                high: fmt.money(r.revenue.interval.high),
                t: fmt.num3(r.revenue.t),
              }),
              `, p ${r.revenue.p_value < 0.001 ? '' : '= '}${pv(r.revenue.p_value)}`,
            )
          : '',
      ),
      ...[
        [t('readback.by_segment'), r.by_segment, 'segment'],
        [t('readback.by_stage'), r.by_lifecycle_stage, 'lifecycle'],
      ].map(([label, rows, key]) =>
        rows.length
          ? el(
              'div',
              { class: 'table-wrap' },
              el('h3', {}, label),
              table(
                [
                  {
                    label: t('readback.col.name'),
                    value: (s) => (key === 'segment' ? segmentName(s.name) : has(`lifecycle.stage.${s.name}`) ? t(`lifecycle.stage.${s.name}`) : s.name),
                  },
                  { label: groupName('target'), value: (s) => `${fmt.int(s.target.converted)} / ${fmt.int(s.target.customers)} (${fmt.pct(s.target.rate)})`, num: true },
                  { label: groupName('holdout'), value: (s) => `${fmt.int(s.holdout.converted)} / ${fmt.int(s.holdout.customers)} (${fmt.pct(s.holdout.rate)})`, num: true },
                  { label: t('readback.col.uplift'), value: (s) => points(s.absolute_uplift), num: true },
                  { label: t('readback.col.p_holm'), value: (s) => (s.p_adjusted == null ? t('common.na') : `${pv(s.p_value)} (${pv(s.p_adjusted)})`), num: true },
                  { label: t('readback.col.significant'), value: (s) => (s.significant ? t('readback.yes') : t('readback.no')) },
                ],
                rows,
                { class: 'data', 'data-table': `readback-${key}` },
              ),
            )
          : '',
      ),
      el('h3', {}, t('readback.how_read')),
      el(
        'p',
        { class: 'muted small', 'data-readback': 'quality' },
        t('readback.quality', {
          file: q.file_name ?? t('readback.responses'),
          n: q.rows_read,
          read: q.rows_read,
          used: q.rows_used,
          encoding: q.encoding,
          delimiter: q.delimiter === '\t' ? t('quality.delimiter.tab') : q.delimiter,
        }),
        r.list
          ? t('readback.list', {
              n: r.list.customers,
              customers: r.list.customers,
              target: r.list.target,
              holdout: r.list.holdout,
              without: r.list.without_response,
              not_on_list: r.list.not_on_list,
            })
          : '',
      ),
      q.skipped.length
        ? el(
            'ul',
            { class: 'muted small', 'data-readback': 'skipped' },
            q.skipped.map((s) =>
              el(
                'li',
                { 'data-reason': s.reason },
                t('readback.skipped', {
                  n: s.rows,
                  reason: currentLang() !== 'en' && has(`readback.skip.${s.reason}`) ? t(`readback.skip.${s.reason}`) : s.description,
                  rows: s.example_rows.join(', '),
                }),
              ),
            ),
          )
        : '',
      q.notes.map((n) => el('p', { class: 'muted small', 'data-code': n?.code ?? null }, ingestText(n))),
      el(
        'div',
        { class: 'table-wrap' },
        table(
          [
            { label: t('quality.columns.column'), value: (col) => el('code', {}, col.header) },
            { label: t('quality.columns.role'), value: (col) => roleMenu(col) },
            { label: t('readback.col.how'), value: (col) => (has(`quality.detected.${col.detected_by}`) ? t(`quality.detected.${col.detected_by}`) : col.detected_by) },
            { label: t('quality.columns.samples'), value: (col) => col.samples.join(', ') },
            { label: t('readback.col.could_be'), value: (col) => col.could_be.map((x) => (has(`readback.role.${x}`) ? t(`readback.role.${x}`) : x)).join(t('common.list_sep')) },
          ],
          q.columns,
          { class: 'data', 'data-table': 'readback-columns' },
        ),
      ),
    );
  }
}
