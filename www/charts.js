// Charts: Apache ECharts (bundled from npm into vendor/echarts.js by the build, never a CDN:
// `echarts/core` with only the series and components the sections use, listed in
// scripts/echarts-entry.js; a new series type or option component must be added there). One
// library that draws every mark we need (heatmap, bars, lines, scatter) from a declarative
// option object, as an ES module with no further imports. Sections describe data + marks;
// nothing here computes analytics.
// Loaded when first needed: the element asks for it when a run starts, so it arrives while the
// core works, and draws once it is here; opening the page does not load it.

/** @type {typeof import('./vendor/echarts.js') | null} */
let echarts = null;
/** @type {Promise<void> | null} */
let loading = null;

/** Loads the chart library (once); `chart()` can draw when this resolves. */
export function loadCharts() {
  loading ??= import('./vendor/echarts.js').then(
    (lib) => {
      echarts = lib;
    },
    (e) => {
      loading = null; // a later run may try again
      throw e;
    },
  );
  return loading;
}

/** Draws `option` into a new box inside `container`; resizes with it. Returns the chart.
 * Screen readers get the container's `<h3>` (or `label`) as the chart's name.
 * @param {HTMLElement} container
 * @param {object} option an ECharts option object
 * @param {{ height?: number, label?: string }} [size] */
export function chart(container, option, { height = 320, label } = {}) {
  if (!echarts) throw new Error('the chart library could not be loaded');
  const box = document.createElement('div');
  box.className = 'chart';
  box.style.height = `${height}px`;
  container.append(box);
  const c = echarts.init(box, null, { renderer: 'svg' });
  // ECharts measures text with this font; 'inherit' would measure with a default one and
  // crowd legends.
  const fontFamily = getComputedStyle(container).fontFamily || 'system-ui, sans-serif';
  c.setOption({ animation: false, ...option, textStyle: { fontFamily, ...(option.textStyle ?? {}) } });
  const name = container.querySelector('h3')?.textContent ?? label;
  if (name) {
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', name);
  }
  // A ResizeObserver reports every box once when it starts observing, and ECharts' resize()
  // lays the whole chart out and draws it again even at the same size: resize only when the box
  // really differs from the size the chart was drawn at (each chart used to be drawn twice).
  new ResizeObserver(([entry]) => {
    const { width, height } = entry.contentRect;
    if (Math.abs(width - c.getWidth()) >= 1 || Math.abs(height - c.getHeight()) >= 1) c.resize();
  }).observe(box);
  return c;
}

/** The palette used for categories (segments, clusters, deciles). */
export const palette = [
  '#2f6fde', '#e8871e', '#2a9d8f', '#d1495b', '#8d6cc8', '#6b8f2c', '#c76fa6', '#4a5568',
  '#e0b21f', '#3aa0c8', '#9c5a3c', '#7a7a7a', '#1f9e62', '#b83280', '#5a67d8', '#dd6b20',
  '#319795', '#718096', '#d69e2e', '#38a169',
];
