// Bundles the part of ECharts the page uses (scripts/echarts-entry.js: `echarts/core` and the
// registered charts and components) into one minified ES module with esbuild, the bundler
// already pinned for the worker (scripts/bundle-worker.mjs). The library's own licence
// comments are kept in the file (legalComments: 'inline'); build_site copies its LICENSE and
// NOTICE beside it.
//
//   node scripts/bundle-echarts.mjs OUT.js
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [, , output] = process.argv;
if (!output) {
  console.error('usage: node scripts/bundle-echarts.mjs OUT.js');
  process.exit(2);
}
const result = await build({
  entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'echarts-entry.js')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // ECharts checks `__DEV__` for its development warnings; the npm builds define it false.
  define: { __DEV__: 'false' },
  legalComments: 'inline',
  outfile: output,
  logLevel: 'error',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs)[0].bytes;
console.error(`bundle-echarts: ${bytes} bytes -> ${output}`);
