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
 * Screen readers get the container's `<h3>` (or `label`) as the chart's name. `theme`: an
 * ECharts theme object (www/element/theme.js, read from the element's computed style).
 * @param {HTMLElement} container
 * @param {object} option an ECharts option object
 * @param {{ height?: number, label?: string, theme?: object }} [size] */
export function chart(container, option, { height = 320, label, theme } = {}) {
  if (!echarts) throw new Error('the chart library could not be loaded');
  const box = document.createElement('div');
  box.className = 'chart';
  box.setAttribute('part', 'chart');
  box.style.height = `${height}px`;
  container.append(box);
  const c = echarts.init(box, theme ?? null, { renderer: 'svg' });
  // ECharts measures text with this font; 'inherit' would measure with a default one and
  // crowd legends.
  const fontFamily = getComputedStyle(container).fontFamily || 'system-ui, sans-serif';
  c.setOption({ animation: false, ...option, textStyle: { fontFamily, ...(option.textStyle ?? {}) } });
  const name = container.querySelector('h3')?.textContent ?? label;
  if (name) {
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', name);
  }
  new ResizeObserver(() => c.resize()).observe(box);
  return c;
}

/** The default palette for categories (segments, clusters, deciles); the element passes the
 *  one its host's CSS sets (www/element/theme.js). */
export { DEFAULT_PALETTE as palette } from './element/theme.js';
