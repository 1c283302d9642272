// Charts: Apache ECharts (vendored from npm into vendor/ by the build, never a CDN). One
// library that draws every mark we need (heatmap, bars, lines, scatter) from a declarative
// option object, as an ES module with no further imports. Sections describe data + marks;
// nothing here computes analytics.
import * as echarts from './vendor/echarts.esm.min.js';

/** Draws `option` into a new box inside `container`; resizes with it. Returns the chart. */
export function chart(container, option, { height = 320 } = {}) {
  const box = document.createElement('div');
  box.className = 'chart';
  box.style.height = `${height}px`;
  container.append(box);
  const c = echarts.init(box, null, { renderer: 'svg' });
  c.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
  new ResizeObserver(() => c.resize()).observe(box);
  return c;
}

/** The palette used for categories (segments, clusters, deciles). */
export const palette = [
  '#2f6fde', '#e8871e', '#2a9d8f', '#d1495b', '#8d6cc8', '#6b8f2c', '#c76fa6', '#4a5568',
  '#e0b21f', '#3aa0c8', '#9c5a3c', '#7a7a7a', '#1f9e62', '#b83280', '#5a67d8', '#dd6b20',
  '#319795', '#718096', '#d69e2e', '#38a169',
];
