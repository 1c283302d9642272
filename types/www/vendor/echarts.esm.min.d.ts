// dist/vendor/echarts.esm.min.js is node_modules/echarts' ESM build: its own declarations.
export * from 'echarts';
