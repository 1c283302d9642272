// The words and tables www/chart-a11y.js makes from a chart's option (no browser needed): a
// heatmap becomes a matrix, category charts one row per category and a column per series,
// flows a from / to / value list, points on two value axes one row per point; the description
// names the values (or their range) and the largest cell or flow; several series get patterns.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { accessibleOption, chartDescription, chartTable, fileName } from '../../www/chart-a11y.js';
import { loadLang } from '../../www/i18n.js';

// The page's English words beyond its chrome load on first use.
before(() => loadLang('en'));

test('a heatmap is a matrix with the largest cell named', () => {
  const opt = {
    xAxis: [{ type: 'category', name: 'Frequency score', data: ['F1', 'F2'] }],
    yAxis: [{ type: 'category', name: 'Recency score', data: ['R1', 'R2'] }],
    series: [{ type: 'heatmap', data: [[0, 0, 5], [1, 0, 7], [0, 1, 12], [1, 1, 0]] }],
  };
  const tab = chartTable(opt, 'en-US');
  assert.deepEqual(tab.columns, ['Recency score \\ Frequency score', 'F1', 'F2']);
  assert.deepEqual(tab.rows, [['R1', '5', '7'], ['R2', '12', '0']]);
  const d = chartDescription('Recency × frequency', opt, 'en-US');
  assert.match(d, /^Recency × frequency: heatmap\./);
  assert.match(d, /The largest, 12, is at R2, F1\./);
});

test('category charts: a row per category, a column per series, values as the tooltip formats them', () => {
  const opt = {
    tooltip: [{ valueFormatter: (v) => `${(v * 100).toFixed(1)}%` }],
    xAxis: [{ type: 'value' }],
    yAxis: [{ type: 'category', data: ['Champions', 'Lost'] }],
    series: [
      { type: 'bar', name: 'Customers', data: [0.25, 0.75] },
      { type: 'bar', name: 'Revenue', data: [{ value: 0.6 }, 0.4] },
    ],
  };
  const tab = chartTable(opt, 'en-US');
  assert.deepEqual(tab.columns, ['Category', 'Customers', 'Revenue']);
  assert.deepEqual(tab.rows, [['Champions', '25.0%', '60.0%'], ['Lost', '75.0%', '40.0%']]);
  assert.match(chartDescription('Segments', opt, 'en-US'), /Customers: Champions 25\.0%; Lost 75\.0%\. Revenue: Champions 60\.0%; Lost 40\.0%\./);
});

test('long series are summarised by range, highest and lowest', () => {
  const data = Array.from({ length: 30 }, (_, i) => (i === 7 ? 99 : i));
  const opt = { xAxis: [{ type: 'category', data: data.map((_, i) => `w${i}`) }], yAxis: [{ type: 'value' }], series: [{ type: 'line', name: 'Actual', data }] };
  assert.match(chartDescription('Tracking', opt, 'en-US'), /Actual, 30 values from w0 0 to w29 29; highest w7 99, lowest w0 0\./);
});

test('flows and points', () => {
  const sankey = { series: [{ type: 'sankey', links: [{ source: 'A (then)', target: 'B (now)', value: 3 }, { source: 'A (then)', target: 'A (now)', value: 9 }] }] };
  assert.deepEqual(chartTable(sankey, 'en-US').rows[1], ['A (then)', 'A (now)', '9']);
  assert.match(chartDescription('Flows', sankey, 'en-US'), /2 flows\. The largest: A \(then\) to A \(now\), 9\./);
  const scatter = { xAxis: [{ type: 'value', name: 'Recency' }], yAxis: [{ type: 'value', name: 'Monetary' }], series: [{ type: 'scatter', name: 'Cluster 1', data: [[1, 2.5], [3, 4]] }] };
  const tab = chartTable(scatter, 'en-US');
  assert.deepEqual(tab.columns, ['Series', 'Recency', 'Monetary']);
  assert.deepEqual(tab.rows[0], ['Cluster 1', '1', '2.5']);
});

test('several series get a second cue besides colour; one series is left alone; fonts lose double quotes', () => {
  const bars = accessibleOption({ series: [{ type: 'bar' }, { type: 'bar' }] });
  assert.equal(bars.aria.decal.show, true);
  assert.equal(bars.animation, false);
  const lines = accessibleOption({ series: [{ type: 'line' }, { type: 'line', lineStyle: { type: 'dashed' } }, { type: 'line' }] });
  assert.deepEqual(lines.series.map((s) => s.lineStyle.type), ['solid', 'dashed', 'dashed']);
  const one = accessibleOption({ series: [{ type: 'bar' }] });
  assert.equal(one.aria, undefined);
  assert.equal(accessibleOption({ textStyle: { fontFamily: 'system-ui, "Segoe UI"' } }).textStyle.fontFamily, "system-ui, 'Segoe UI'");
  assert.equal(fileName('Recency × frequency'), 'clientele-recency-frequency.png');
});
