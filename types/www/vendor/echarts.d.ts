// dist/vendor/echarts.js (scripts/bundle-echarts.mjs from scripts/echarts-entry.js): the part of
// ECharts the page uses, with the declarations of `echarts/core`.
export { init } from 'echarts/core';
