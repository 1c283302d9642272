// The built page (dist/) served on a free local port and opened in Debian's Chromium through
// playwright-core, with the helpers the page tests share: upload a file, wait for the run,
// read the element's report. `openPage(name)` in a test file's `before`, `close()` in `after`.
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'test-results');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function serve() {
  return new Promise((ok) => {
    const s = http.createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST)) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

/** Serves dist/, opens the page in a fresh Chromium profile under a temp dir named after
 *  `name` (with the browser's `locale`, which the page takes its language from), and returns
 *  the page with its helpers and `close()`. */
export async function openPage(name, { locale = 'en-US' } = {}) {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  mkdirSync(SHOTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `clientele-e2e-${name}-`));
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    acceptDownloads: true,
    locale,
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(`${origin}/`);
  await page.locator('clientele-report .drop').waitFor();

  const section = (id) => page.locator(`clientele-report [data-section="${id}"]`);
  return {
    page,
    origin,
    work,
    consoleErrors,
    section,
    stat: (label) => section('rfm').locator('.stat').filter({ has: page.locator('.stat-label', { hasText: new RegExp(`^${label}$`) }) }),
    roleMenu: (header) =>
      section('quality').locator('table.columns-table tbody tr').filter({ has: page.locator('td code', { hasText: new RegExp(`^${header}$`) }) }).locator('select[data-control="role"]'),
    money: (cents) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100),
    tempFile(fileName, content) {
      const path = join(work, fileName);
      writeFileSync(path, content);
      return path;
    },
    async upload(path) {
      await page.locator('clientele-report input[type=file]').setInputFiles(path);
    },
    /** Waits for the run started by `action` to end; returns 'report' or the error detail. */
    async run(action, timeout = 90_000) {
      const outcome = page.evaluate(
        (ms) =>
          new Promise((ok) => {
            const w = document.querySelector('clientele-report');
            const done = (v) => {
              w.removeEventListener('clientele-report', onReport);
              w.removeEventListener('clientele-error', onError);
              ok(v);
            };
            const onReport = () => done('report');
            const onError = (e) => done({ ...e.detail });
            w.addEventListener('clientele-report', onReport);
            w.addEventListener('clientele-error', onError);
            setTimeout(() => done('timeout'), ms);
          }),
        timeout,
      );
      await page.waitForTimeout(20);
      await action();
      return outcome;
    },
    report: () => page.evaluate(() => document.querySelector('clientele-report').report),
    async close() {
      await context.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
