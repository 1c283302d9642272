// Segment migration: each customer's RFM segment at an earlier as-of date (the as-of date minus
// migration.days_before) against today's, from report.migration: a transition matrix (customers,
// and on hover what they spent between the two dates) and a Sankey of the same flows. Clicking a
// cell or a flow lists its customers ("Champions who slipped to At Risk"), paged from the
// worker (ctx.migrationRows): the page never holds every customer.
import { count } from './words.js';
import { missingSection, sectionWarnings } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'migration';
export const title = 'Segment migration';

const PAGE = 50;
const NEW = 'Not yet a customer';

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, migrationRows } (sections/index.js)
 */
export function render(host, report, { chart, palette, el, table, fmt, migrationRows }) {
  const missing = missingSection(report.migration, { off: 'Segment migration was switched off.', unavailable: 'Segment migration is unavailable' });
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
      `RFM segments on ${m.earlier_as_of} (${fmt.int(m.params.days_before)} days before the as-of date, option migration.days_before) against ${m.as_of}: ` +
        `${count(fmt, m.stayed, 'customer', 'customers')} stayed in their segment, ${fmt.int(m.moved)} moved, ${fmt.int(m.new_customers)} ${m.new_customers === 1 ? 'is' : 'are'} new since. Click a cell or a flow for its customers.`,
    ),
  );
  const segs = m.segments;
  const fromName = (f) => (f == null ? NEW : segs[f]);
  const cell = new Map(m.cells.map((c) => [`${c.from ?? 'n'}:${c.to}`, c]));
  const list = el('div', { class: 'panel', 'data-migration-list': '', hidden: true });

  async function open(from, to, offset = 0) {
    const c = cell.get(`${from ?? 'n'}:${to}`);
    if (!c) return;
    list.hidden = false;
    const heading = el('h3', {}, `${fromName(from)} → ${segs[to]}: ${count(fmt, c.customers, 'customer', 'customers')}`);
    list.replaceChildren(heading, el('p', { class: 'muted small' }, 'Loading…'));
    if (!migrationRows) return;
    const { rows, total } = await migrationRows(from, to, offset, PAGE);
    const cols = [
      { label: 'Customer', value: (r) => el('code', {}, r.id) },
      { label: 'Segment now', value: (r) => r.segment },
      { label: 'Recency (days)', value: (r) => fmt.int(r.recency_days), num: true },
      { label: 'Frequency', value: (r) => fmt.int(r.frequency), num: true },
      { label: 'Monetary', value: (r) => (r.monetary == null ? '—' : fmt.money(r.monetary)), num: true },
      { label: 'Lifecycle', value: (r) => (r.lifecycle_stage ?? '').replace('_', ' ') },
    ];
    const prev = el('button', { type: 'button', class: 'btn', disabled: offset === 0, onclick: () => open(from, to, offset - PAGE) }, `Previous ${PAGE}`);
    const next = el('button', { type: 'button', class: 'btn', disabled: offset + rows.length >= total, onclick: () => open(from, to, offset + PAGE) }, `Next ${PAGE}`);
    list.replaceChildren(
      heading,
      el('p', { class: 'muted small' }, `Customers ${fmt.int(rows.length ? offset + 1 : 0)}–${fmt.int(offset + rows.length)} of ${fmt.int(total)}, highest spending first.`),
      el('div', { class: 'table-wrap' }, table(cols, rows, { class: 'data migration-customers' })),
      el('div', { class: 'pager' }, prev, next),
    );
  }

  const froms = [...segs.map((_, i) => i), null].filter((f) => m.cells.some((c) => (c.from ?? null) === f));
  const tos = segs.map((_, i) => i).filter((t) => m.cells.some((c) => c.to === t));
  const cols = [
    { label: 'Then ↓ / now →', value: (f) => el('strong', {}, fromName(f)) },
    ...tos.map((t) => ({
      label: segs[t],
      num: true,
      value: (f) => {
        const c = cell.get(`${f ?? 'n'}:${t}`);
        if (!c) return '';
        const tip = money && c.revenue != null ? `${fmt.money(c.revenue)} spent between the dates` : null;
        return el(
          'button',
          { type: 'button', class: f === t ? 'linklike stayed' : 'linklike', title: tip, 'data-cell': `${f ?? 'new'}:${t}`, onclick: () => open(f, t) },
          fmt.int(c.customers),
        );
      },
    })),
  ];
  host.append(el('div', { class: 'panel' }, el('h3', {}, 'Transition matrix (customers)'), el('div', { class: 'table-wrap' }, table(cols, froms, { class: 'data migration-matrix' }))));

  const sankey = el('div', { class: 'panel' }, el('h3', {}, 'Flows between segments'));
  host.append(sankey, list);
  const nodes = [...froms.map((f) => `${fromName(f)} (then)`), ...tos.map((t) => `${segs[t]} (now)`)];
  const links = m.cells.map((c) => ({ source: `${fromName(c.from)} (then)`, target: `${segs[c.to]} (now)`, value: c.customers, from: c.from ?? null, to: c.to, revenue: c.revenue }));
  const s = chart(
    sankey,
    {
      tooltip: {
        formatter: (p) =>
          p.dataType === 'edge'
            ? `${escapeText(p.data.source)} → ${escapeText(p.data.target)}: ${count(fmt, p.data.value, 'customer', 'customers')}${money && p.data.revenue != null ? `, ${fmt.money(p.data.revenue)} spent` : ''}`
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
