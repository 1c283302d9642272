// Segment migration: each customer's RFM segment at an earlier as-of date (the as-of date minus
// migration.days_before) against today's, from report.migration: a transition matrix (customers,
// and on hover what they spent between the two dates) and a Sankey of the same flows. Clicking a
// cell or a flow lists its customers ("Champions who slipped to At Risk"), paged from the
// worker (ctx.migrationRows): the page never holds every customer.
import { missingSection, sectionWarnings, segmentName } from '../dom.js';
import { t, has } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'migration';
export const title = 'Segment migration';

const PAGE = 50;

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, migrationRows } (sections/index.js)
 */
export function render(host, report, { chart, palette, el, table, fmt, migrationRows }) {
  const missing = missingSection(report.migration, { off: t('migration.off'), unavailable: t('migration.unavailable') });
  if (missing || report.migration?.status !== 'ok') {
    host.append(missing ?? '');
    return;
  }
  const m = report.migration;
  const money = report.summary.has_amount !== false;
  host.append(sectionWarnings(m.warnings));
  host.append(
    el(
      'p',
      { class: 'muted' },
      t('migration.lead', {
        earlier: fmt.date(m.earlier_as_of),
        days: m.params.days_before,
        as_of: fmt.date(m.as_of),
        stayed: m.stayed,
        moved: m.moved,
        new_customers: m.new_customers,
      }),
    ),
  );
  const segs = m.segments.map((name) => segmentName(name));
  const fromName = (f) => (f == null ? t('migration.not_yet') : segs[f]);
  const cell = new Map(m.cells.map((c) => [`${c.from ?? 'n'}:${c.to}`, c]));
  const list = el('div', { class: 'panel', 'data-migration-list': '', hidden: true });

  async function open(from, to, offset = 0) {
    const c = cell.get(`${from ?? 'n'}:${to}`);
    if (!c) return;
    list.hidden = false;
    const heading = el('h3', {}, t('migration.cell', { from: fromName(from), to: segs[to], n: c.customers }));
    list.replaceChildren(heading, el('p', { class: 'muted small' }, t('migration.loading')));
    if (!migrationRows) return;
    const { rows, total } = await migrationRows(from, to, offset, PAGE);
    const cols = [
      { label: t('migration.col.customer'), value: (r) => el('code', {}, r.id) },
      { label: t('migration.col.segment_now'), value: (r) => segmentName(r.segment) },
      { label: t('migration.col.recency'), value: (r) => fmt.int(r.recency_days), num: true },
      { label: t('migration.col.frequency'), value: (r) => fmt.int(r.frequency), num: true },
      { label: t('migration.col.monetary'), value: (r) => (r.monetary == null ? '—' : fmt.money(r.monetary)), num: true },
      {
        label: t('migration.col.lifecycle'),
        value: (r) => (r.lifecycle_stage && has(`lifecycle.stage.${r.lifecycle_stage}`) ? t(`lifecycle.stage.${r.lifecycle_stage}`) : (r.lifecycle_stage ?? '').replace('_', ' ')),
      },
    ];
    const prev = el('button', { type: 'button', class: 'btn', disabled: offset === 0, onclick: () => open(from, to, offset - PAGE) }, t('customers.prev', { n: PAGE }));
    const next = el('button', { type: 'button', class: 'btn', disabled: offset + rows.length >= total, onclick: () => open(from, to, offset + PAGE) }, t('customers.next', { n: PAGE }));
    list.replaceChildren(
      heading,
      el('p', { class: 'muted small' }, t('migration.rows', { from: rows.length ? offset + 1 : 0, to: offset + rows.length, total })),
      el('div', { class: 'table-wrap' }, table(cols, rows, { class: 'data migration-customers' })),
      el('div', { class: 'pager' }, prev, next),
    );
  }

  const froms = [...segs.map((_, i) => i), null].filter((f) => m.cells.some((c) => (c.from ?? null) === f));
  const tos = segs.map((_, i) => i).filter((k) => m.cells.some((c) => c.to === k));
  const cols = [
    { label: t('migration.matrix.corner'), value: (f) => el('strong', {}, fromName(f)) },
    ...tos.map((k) => ({
      label: segs[k],
      num: true,
      value: (f) => {
        const c = cell.get(`${f ?? 'n'}:${k}`);
        if (!c) return '';
        const tip = money && c.revenue != null ? t('migration.spent', { value: fmt.money(c.revenue) }) : null;
        return el(
          'button',
          { type: 'button', class: f === k ? 'linklike stayed' : 'linklike', title: tip, 'data-cell': `${f ?? 'new'}:${k}`, onclick: () => open(f, k) },
          fmt.int(c.customers),
        );
      },
    })),
  ];
  host.append(el('div', { class: 'panel' }, el('h3', {}, t('migration.matrix.title')), el('div', { class: 'table-wrap' }, table(cols, froms, { class: 'data migration-matrix' }))));

  const sankey = el('div', { class: 'panel' }, el('h3', {}, t('migration.sankey.title')));
  host.append(sankey, list);
  const then = (name) => t('migration.then', { name });
  const now = (name) => t('migration.now', { name });
  const nodes = [...froms.map((f) => then(fromName(f))), ...tos.map((k) => now(segs[k]))];
  const links = m.cells.map((c) => ({ source: then(fromName(c.from)), target: now(segs[c.to]), value: c.customers, from: c.from ?? null, to: c.to, revenue: c.revenue }));
  const s = chart(
    sankey,
    {
      tooltip: {
        formatter: (p) =>
          p.dataType === 'edge'
            ? escapeText(
                t(money && p.data.revenue != null ? 'migration.flow_spent' : 'migration.flow', {
                  from: p.data.source,
                  to: p.data.target,
                  n: p.data.value,
                  value: p.data.revenue != null ? fmt.money(p.data.revenue) : '',
                }),
              )
            : escapeText(p.name),
      },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 150,
          nodeGap: 6,
          data: nodes.map((name, i) => ({ name, itemStyle: { color: palette[i % palette.length] } })),
          links,
          lineStyle: { color: 'gradient', opacity: 0.35 },
          label: { fontSize: 11 },
        },
      ],
    },
    { height: 460 },
  );
  s.on?.('click', (p) => {
    if (p.dataType === 'edge') open(p.data.from, p.data.to);
  });
}

/** Tooltips are HTML in ECharts: escape every text that reaches them. */
function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
