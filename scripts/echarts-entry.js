// The part of Apache ECharts the page uses, bundled by scripts/bundle-echarts.mjs into
// dist/vendor/echarts.js (the whole library is 1.1 MB; this is about a third). A section that
// draws a new series type or option component (dataZoom, title, markArea, …) must register it
// here: ECharts ignores what is not registered, so the chart would silently lack it.
// In use today (grep www/sections for `type:` and the option keys): bar, line, scatter, sankey
// and heatmap series; grid axes, tooltips (with their axis pointer), plain and scrolling legends,
// the continuous visual map of the heatmaps, mark lines and mark points, the aria component's
// decal patterns; drawn as SVG.
import { use, init } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, SankeyChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

// Registered in the order of the full build (echarts/index.js): elements of equal z are drawn in
// registration order, so the same order draws the same SVG as the whole library did.
use([
  SVGRenderer,
  LineChart,
  BarChart,
  ScatterChart,
  SankeyChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  MarkPointComponent,
  MarkLineComponent,
  LegendComponent,
  VisualMapContinuousComponent,
  // Decal patterns on multi-series bar charts (www/chart-a11y.js): colour is not the only cue.
  AriaComponent,
]);

export { init };
