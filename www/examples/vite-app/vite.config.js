// The package loads its wasm with `new URL('./pkg/….wasm', import.meta.url)` and its
// embedded-bytes fallback and chart library with `import('./…')`: Vite copies and rewrites
// both in a build. Its dev server pre-bundles dependencies into one file, which would break
// those relative URLs, hence the exclusion.
import { defineConfig } from 'vite';

export default defineConfig({
  optimizeDeps: { exclude: ['clientele'] },
  // The embedded wasm bytes (for pages that forbid fetch) are one large module.
  build: { chunkSizeWarningLimit: 2500 },
});
