// Lifecycle stages: how many customers are new, active, reactivated, at risk or lapsed at the
// as-of date, with their revenue and the one-time / repeat split, from report.lifecycle. The
// windows are a guess (multiples of the file's median gap between purchase days) unless set:
// the section says so and lists the alternatives with the stage counts each would give, and
// "Use these" analyses again with those windows (options lifecycle.*).
import { missingSection, sectionWarnings } from '../dom.js';
import { t, has, currentLang } from '../i18n.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'lifecycle';
export const title = 'Lifecycle stages';

const stageName = (stage) => (has(`lifecycle.stage.${stage}`) ? t(`lifecycle.stage.${stage}`) : stage);

/** An alternative's label ("2x/4x median gap", "90/180 days", "options"), worded from its form. */
function altLabel(label) {
  if (currentLang() === 'en') return label;
  const m = /^([\d.]+)x\/([\d.]+)x median gap$/.exec(label ?? '');
  if (m) return t('lifecycle.alt.gap', { a: m[1], l: m[2] });
  const d = /^(\d+)\/(\d+) days$/.exec(label ?? '');
  if (d) return t('lifecycle.alt.days', { a: d[1], l: d[2] });
  if (label === 'options') return t('lifecycle.alt.options');
  return label;
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, rerun } (sections/index.js)
 */
export function render(host, report, { chart, palette, el, table, fmt, rerun }) {
  const missing = missingSection(report.lifecycle, { off: t('lifecycle.off'), unavailable: t('lifecycle.unavailable') });
  if (missing || report.lifecycle?.status !== 'ok') {
    host.append(missing ?? '');
    return;
  }
  const l = report.lifecycle;
  const money = report.summary.has_amount !== false;
  host.append(sectionWarnings(l.warnings));
  const w = l.windows;
  const how =
    w.source === 'median_gap'
      ? t('lifecycle.how.median_gap', { gap: fmt.num1(l.median_gap_days), gaps: l.gaps })
      : w.source === 'options'
        ? t('lifecycle.how.options')
        : t('lifecycle.how.fixed');
  host.append(
    el(
      'p',
      { class: 'muted', 'data-windows': '' },
      t('lifecycle.windows', { new_days: w.new_days, active_days: w.active_days, lapsed_days: w.lapsed_days, risk_from: w.active_days + 1, how }),
    ),
  );
  const stages = l.stages;
  const names = stages.map((s) => stageName(s.stage));
  const ONE_TIME = t('lifecycle.one_time');
  const REPEAT = t('lifecycle.repeat');
  const bars = el('div', { class: 'panel' }, el('h3', {}, t('lifecycle.bars.title')));
  const tablePanel = el('div', { class: 'panel' }, el('h3', {}, t('lifecycle.table.title')));
  host.append(el('div', { class: 'grid2' }, bars, tablePanel));
  chart(
    bars,
    {
      grid: { left: 96, right: 24, top: 32, bottom: 24 },
      legend: { top: 0, data: [ONE_TIME, REPEAT] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.int(v) },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: ONE_TIME, type: 'bar', stack: 'c', data: stages.map((s) => s.one_time), itemStyle: { color: palette[1] } },
        { name: REPEAT, type: 'bar', stack: 'c', data: stages.map((s) => s.repeat), itemStyle: { color: palette[0] } },
      ],
    },
    { height: 260 },
  );
  const cols = [
    { label: t('lifecycle.col.stage'), value: (s) => stageName(s.stage) },
    { label: t('lifecycle.col.customers'), value: (s) => fmt.int(s.customers), num: true },
    { label: t('lifecycle.col.share'), value: (s) => fmt.pct(s.share), num: true },
    { label: ONE_TIME, value: (s) => fmt.int(s.one_time), num: true },
    { label: REPEAT, value: (s) => fmt.int(s.repeat), num: true },
    { label: t('lifecycle.col.revenue'), value: (s) => (money && s.revenue != null ? fmt.money(s.revenue) : t('common.na')), num: true },
    { label: t('lifecycle.col.revenue_share'), value: (s) => (money && s.revenue_share != null ? fmt.pct(s.revenue_share) : t('common.na')), num: true },
  ];
  tablePanel.append(el('div', { class: 'table-wrap' }, table(cols, stages, { class: 'data lifecycle-stages', rowProps: (s) => ({ 'data-stage': s.stage }) })));

  const altCols = [
    { label: t('lifecycle.col.windows'), value: (a) => el('span', {}, altLabel(a.label), a.chosen ? el('strong', {}, t('lifecycle.in_use')) : '') },
    { label: t('lifecycle.col.active_lapsed'), value: (a) => `${fmt.int(a.windows.active_days)} / ${fmt.int(a.windows.lapsed_days)}`, num: true },
    ...stages.map((s, k) => ({ label: stageName(s.stage), value: (a) => fmt.int(a.customers[k]), num: true })),
    {
      label: '',
      value: (a) =>
        a.chosen || !rerun
          ? ''
          : el(
              'button',
              {
                type: 'button',
                class: 'btn small',
                'data-action': 'lifecycle-use',
                onclick: () => rerun({ lifecycle: { new_days: a.windows.new_days, active_days: a.windows.active_days, lapsed_days: a.windows.lapsed_days } }),
              },
              t('lifecycle.use'),
            ),
    },
  ];
  host.append(
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, t('lifecycle.other.title')),
      el('p', { class: 'muted small' }, t('lifecycle.other.note')),
      el('div', { class: 'table-wrap' }, table(altCols, l.alternatives, { class: 'data lifecycle-alternatives' })),
    ),
  );
}
