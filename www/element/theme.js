// The charts' colours, read from the element's computed style when a report is drawn, so a
// host's --clientele-* custom properties (on the element or any ancestor, a dark theme
// included) reach the charts as they reach the rest of the widget. ECharts takes them as a
// theme object; the sections take the palette for their categories.

/** The default category palette (segments, clusters, deciles): --clientele-chart-1 … -8 replace
 *  its first eight colours. */
export const DEFAULT_PALETTE = [
  '#2f6fde', '#e8871e', '#2a9d8f', '#d1495b', '#8d6cc8', '#6b8f2c', '#c76fa6', '#4a5568',
  '#e0b21f', '#3aa0c8', '#9c5a3c', '#7a7a7a', '#1f9e62', '#b83280', '#5a67d8', '#dd6b20',
  '#319795', '#718096', '#d69e2e', '#38a169',
];

/**
 * @typedef {object} ChartTheme
 * @property {string[]} palette category colours
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
  const text = css('--clientele-text', '#1d2433');
  const muted = css('--clientele-muted', '#6b7280');
  const border = css('--clientele-border', '#e2e6ee');
  const surface = css('--clientele-surface', '#ffffff');
  const axis = {
    axisLine: { lineStyle: { color: muted } },
    axisTick: { lineStyle: { color: muted } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: border } },
    nameTextStyle: { color: muted },
  };
  return {
    palette,
    echarts: {
      color: palette,
      backgroundColor: 'transparent',
      textStyle: { color: text },
      legend: { textStyle: { color: text }, pageTextStyle: { color: muted } },
      tooltip: { backgroundColor: surface, borderColor: border, textStyle: { color: text } },
      categoryAxis: axis,
      valueAxis: axis,
      logAxis: axis,
      timeAxis: axis,
      visualMap: { textStyle: { color: text } },
    },
  };
}
