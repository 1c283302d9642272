// Lifecycle stages: how many customers are new, active, reactivated, at risk or lapsed at the
// as-of date, with their revenue and the one-time / repeat split, from report.lifecycle. The
// windows are a guess (multiples of the file's median gap between purchase days) unless set:
// the section says so and lists the alternatives with the stage counts each would give, and
// "Use these" analyses again with those windows (options lifecycle.*).
import { missingSection, sectionWarnings } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'lifecycle';
export const title = 'Lifecycle stages';

export const LABELS = { new: 'New', active: 'Active', reactivated: 'Reactivated', at_risk: 'At risk', lapsed: 'Lapsed' };

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { chart, palette, el, table, fmt, rerun } (sections/index.js)
 */
export function render(host, report, { chart, palette, el, table, fmt, rerun }) {
  const missing = missingSection(report.lifecycle, { off: 'Lifecycle stages were switched off.', unavailable: 'Lifecycle stages are unavailable' });
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
      ? `a guess: the median gap between a customer's purchase days is ${fmt.num1(l.median_gap_days)} days (over ${fmt.int(l.gaps)} gaps); active = 2×, lapsed = 4× that.`
      : w.source === 'options'
        ? 'as set in the options.'
        : 'fixed at a quarter and half a year: no customer bought on two different days, so there is no gap to size them from.';
  host.append(
    el(
      'p',
      { class: 'muted', 'data-windows': '' },
      `New: first purchase in the last ${fmt.int(w.new_days)} days. Active: bought in the last ${fmt.int(w.active_days)} days ` +
        `(reactivated: that came after a gap of more than ${fmt.int(w.lapsed_days)} days). At risk: last purchase ${fmt.int(w.active_days + 1)}–${fmt.int(w.lapsed_days)} days ago. ` +
        `Lapsed: more than ${fmt.int(w.lapsed_days)} days. Windows ${how}`,
    ),
  );
  const stages = l.stages;
  const names = stages.map((s) => LABELS[s.stage] ?? s.stage);
  const bars = el('div', { class: 'panel' }, el('h3', {}, 'Customers per stage: one-time and repeat'));
  const tablePanel = el('div', { class: 'panel' }, el('h3', {}, 'Stages'));
  host.append(el('div', { class: 'grid2' }, bars, tablePanel));
  chart(
    bars,
    {
      grid: { left: 96, right: 24, top: 32, bottom: 24 },
      legend: { top: 0, data: ['One-time', 'Repeat'] },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.int(v) },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [
        { name: 'One-time', type: 'bar', stack: 'c', data: stages.map((s) => s.one_time), itemStyle: { color: palette[1] } },
        { name: 'Repeat', type: 'bar', stack: 'c', data: stages.map((s) => s.repeat), itemStyle: { color: palette[0] } },
      ],
    },
    { height: 260 },
  );
  const cols = [
    { label: 'Stage', value: (s) => LABELS[s.stage] ?? s.stage },
    { label: 'Customers', value: (s) => fmt.int(s.customers), num: true },
    { label: 'Share', value: (s) => fmt.pct(s.share), num: true },
    { label: 'One-time', value: (s) => fmt.int(s.one_time), num: true },
    { label: 'Repeat', value: (s) => fmt.int(s.repeat), num: true },
    { label: 'Revenue', value: (s) => (money && s.revenue != null ? fmt.money(s.revenue) : 'n/a'), num: true },
    { label: 'Revenue share', value: (s) => (money && s.revenue_share != null ? fmt.pct(s.revenue_share) : 'n/a'), num: true },
  ];
  tablePanel.append(el('div', { class: 'table-wrap' }, table(cols, stages, { class: 'data lifecycle-stages', rowProps: (s) => ({ 'data-stage': s.stage }) })));

  const altCols = [
    { label: 'Windows', value: (a) => el('span', {}, a.label, a.chosen ? el('strong', {}, ' (in use)') : '') },
    { label: 'Active / lapsed (days)', value: (a) => `${fmt.int(a.windows.active_days)} / ${fmt.int(a.windows.lapsed_days)}`, num: true },
    ...stages.map((s, k) => ({ label: LABELS[s.stage] ?? s.stage, value: (a) => fmt.int(a.customers[k]), num: true })),
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
              'Use these',
            ),
    },
  ];
  host.append(
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Other windows'),
      el('p', { class: 'muted small' }, 'The same customers with other windows (options lifecycle.new_days, active_days, lapsed_days; CLI --lifecycle-active-days …).'),
      el('div', { class: 'table-wrap' }, table(altCols, l.alternatives, { class: 'data lifecycle-alternatives' })),
    ),
  );
}
