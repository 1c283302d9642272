// Cohort retention: customers by the month of their first purchase (rows) and months since
// (columns), as the share still buying in that month or the revenue per cohort customer, from
// report.cohorts. A heatmap with the figure in each cell and on hover, and the same numbers as
// a table behind it.
import { missingSection, sectionWarnings } from '../dom.js';
import { t, currentLocale, currentLang } from '../i18n.js';

/** A cohort month ('2024-03') in the page's language: as is in English, 2024年3月 in Chinese. */
function monthName(month) {
  const m = /^(\d{4})-(\d{2})$/.exec(month ?? '');
  if (!m || currentLang() === 'en') return month;
  return new Intl.DateTimeFormat(currentLocale(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(+m[1], +m[2] - 1, 1)));
}

/** Tooltips are HTML in ECharts: escape every text that reaches them. */
function escapeText(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'cohorts';
export const title = 'Cohort retention';

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, colors, el, table, fmt } (sections/index.js)
 */
export function render(host, report, { chart, colors, el, table, fmt }) {
  const missing = missingSection(report.cohorts, { off: t('cohorts.off'), unavailable: t('cohorts.unavailable') });
  if (missing || report.cohorts?.status !== 'ok') {
    host.append(missing ?? '');
    return;
  }
  const c = report.cohorts;
  const money = report.summary.has_amount !== false;
  host.append(sectionWarnings(c.warnings));
  const cohorts = c.cohorts;
  const width = Math.max(1, ...cohorts.map((k) => k.share.length));
  const months = Array.from({ length: width }, (_, m) => String(m));
  const panel = el('div', { class: 'panel' }, el('h3', {}, t('cohorts.title')));
  const modes = money ? ['share', 'revenue'] : ['share'];
  let mode = 'share';
  const buttons = modes.map((m) =>
    el('button', { type: 'button', class: 'btn small', 'data-cohort-mode': m, onclick: () => draw(m) }, m === 'share' ? t('cohorts.mode.share') : t('cohorts.mode.revenue')),
  );
  panel.append(el('div', { class: 'pager' }, buttons));
  host.append(panel);
  const value = (k, m) => (mode === 'share' ? k.share[m] : k.revenue_per_customer?.[m]);
  const label = (v) => (v == null ? '' : mode === 'share' ? fmt.pct(v) : fmt.money(v));
  const cells = () =>
    cohorts.flatMap((k, y) => k.share.map((_, m) => [m, y, value(k, m) ?? 0, k.active[m], k.customers]));
  const max = () => Math.max(1e-9, ...cohorts.flatMap((k) => k.share.map((_, m) => (m === 0 && mode === 'share' ? 0 : value(k, m) ?? 0))));
  const option = () => ({
    grid: { left: 72, right: 16, top: 8, bottom: 72 },
    tooltip: {
      formatter: (p) => {
        const [m, y, v, active, n] = p.data;
        return escapeText(t('cohorts.tooltip', { cohort: monthName(cohorts[y].month), m, value: label(v), active, n })).replace('\n', '<br>');
      },
    },
    xAxis: { type: 'category', data: months, name: t('cohorts.x'), nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'category', data: cohorts.map((k) => monthName(k.month)), inverse: true },
    visualMap: { dimension: 2, min: 0, max: max(), calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, itemWidth: 10, inRange: { color: [colors.heat[0], colors.heat[2]] }, text: [label(max()), '0'] },
    series: [{ type: 'heatmap', data: cells(), label: { show: true, fontSize: 9, formatter: (p) => label(p.data[2]) }, itemStyle: { borderColor: colors.surface, borderWidth: 1 } }],
  });
  const box = el('div', {});
  panel.append(box);
  const c1 = chart(box, option(), { height: Math.max(240, 26 * cohorts.length + 90) });
  const tableWrap = el('div', { class: 'table-wrap' });
  const details = el('details', { class: 'panel' }, el('summary', {}, t('cohorts.as_table')), tableWrap);
  host.append(details);
  const drawTable = () => {
    const cols = [
      { label: t('cohorts.col.cohort'), value: (k) => monthName(k.month) },
      { label: t('cohorts.col.customers'), value: (k) => fmt.int(k.customers), num: true },
      ...months.map((m) => ({ label: `+${m}`, value: (k) => label(value(k, Number(m))), num: true })),
    ];
    tableWrap.replaceChildren(table(cols, cohorts, { class: 'data cohorts-table' }));
  };
  function draw(m) {
    mode = m;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.cohortMode === m));
    c1.setOption(option(), { replaceMerge: ['series', 'visualMap'] });
    drawTable();
  }
  draw('share');
  host.append(
    el(
      'p',
      { class: 'muted small' },
      t('cohorts.footer', { n: cohorts.length }),
      c.earlier_customers ? t('cohorts.earlier', { n: c.earlier_customers }) : t('cohorts.end'),
    ),
  );
}
