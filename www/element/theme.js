// The charts' colours, read from the element's computed style when a report is drawn, so a
// host's --clientele-* custom properties (on the element or any ancestor, a dark theme
// included) reach the charts as they reach the rest of the widget. ECharts takes them as a
// theme object; the sections take the palette for their categories and `colors` for every other
// mark (heatmap ends, cell borders, reference lines, labels): no section names a colour itself
// (tests/e2e/package.test.mjs scans the dark instance's charts for light ones).

/** The default category palette (segments, clusters, deciles): --clientele-chart-1 … -8 replace
 *  its first eight colours. */
export const DEFAULT_PALETTE = [
  '#2f6fde', '#e8871e', '#2a9d8f', '#d1495b', '#8d6cc8', '#6b8f2c', '#c76fa6', '#4a5568',
  '#e0b21f', '#3aa0c8', '#9c5a3c', '#7a7a7a', '#1f9e62', '#b83280', '#5a67d8', '#dd6b20',
  '#319795', '#718096', '#d69e2e', '#38a169',
];

/**
 * Every colour a chart uses besides the palette, with the custom property that sets it and its
 * light default (docs/npm-package.md, "Theming"). `heatHigh` defaults to the accent.
 */
export const CHART_COLORS = {
  text: ['--clientele-text', '#1d2433'],
  muted: ['--clientele-muted', '#6b7280'],
  border: ['--clientele-border', '#e2e6ee'],
  surface: ['--clientele-surface', '#ffffff'],
  accent: ['--clientele-accent', '#2f6fde'],
  reference: ['--clientele-chart-reference', '#9aa3b2'],
  heatLow: ['--clientele-heat-low', '#eef3fc'],
  heatMid: ['--clientele-heat-mid', '#9cc0ef'],
  heatHigh: ['--clientele-heat-high', null],
  heatMax: ['--clientele-heat-max', '#173f86'],
  diverging1: ['--clientele-diverging-1', '#b83232'],
  diverging2: ['--clientele-diverging-2', '#f3d9a4'],
  diverging3: ['--clientele-diverging-3', '#f5f5f0'],
  diverging4: ['--clientele-diverging-4', '#8fcfa6'],
  diverging5: ['--clientele-diverging-5', '#1f7a4a'],
};

/**
 * @typedef {object} ChartColors
 * @property {string} text labels drawn on marks
 * @property {string} muted axes, ticks, axis labels, reference-line labels
 * @property {string} border split (grid) lines
 * @property {string} surface heatmap cell borders, tooltips, the background of chart images
 * @property {string} accent
 * @property {string} reference reference lines (a random model, a base rate, a cut date)
 * @property {string[]} heat sequential scale, low → high: [low, mid, high, max]
 * @property {string[]} diverging five stops, bad → good (P(alive))
 */

/**
 * @typedef {object} ChartTheme
 * @property {string[]} palette category colours
 * @property {ChartColors} colors every other colour of the charts
 * @property {object} echarts an ECharts theme object (text, axes, legend, tooltip)
 */

/**
 * The chart theme of this element as styled now.
 * @param {Element} host
 * @returns {ChartTheme}
 */
export function readTheme(host) {
  const style = getComputedStyle(host);
  const css = (/** @type {string} */ name, /** @type {string} */ fallback) => style.getPropertyValue(name).trim() || fallback;
  const palette = DEFAULT_PALETTE.map((c, i) => (i < 8 ? css(`--clientele-chart-${i + 1}`, c) : c));
  /** @type {Record<string, string>} */
  const c = {};
  for (const [key, [name, fallback]] of Object.entries(CHART_COLORS)) c[key] = css(name, fallback ?? c.accent);
  const { text, muted, border, surface } = c;
  const axis = {
    axisLine: { lineStyle: { color: muted } },
    axisTick: { lineStyle: { color: muted } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: border } },
    nameTextStyle: { color: muted },
  };
  return {
    palette,
    colors: {
      text,
      muted,
      border,
      surface,
      accent: c.accent,
      reference: c.reference,
      heat: [c.heatLow, c.heatMid, c.heatHigh, c.heatMax],
      diverging: [c.diverging1, c.diverging2, c.diverging3, c.diverging4, c.diverging5],
    },
    echarts: {
      color: palette,
      backgroundColor: 'transparent',
      textStyle: { color: text },
      legend: { textStyle: { color: text }, pageTextStyle: { color: muted }, inactiveColor: border, pageIconColor: muted, pageIconInactiveColor: border },
      tooltip: { backgroundColor: surface, borderColor: border, textStyle: { color: text } },
      categoryAxis: axis,
      valueAxis: axis,
      logAxis: axis,
      timeAxis: axis,
      visualMap: { textStyle: { color: text } },
      // Filled symbols: ECharts fills an empty circle's middle (and its legend icon) with a
      // fixed white that no theme reaches.
      line: { symbol: 'circle' },
    },
  };
}
