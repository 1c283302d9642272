// The pages the e2e tests open in Debian's Chromium through playwright-core, each served on a
// free local port:
// - `openPage(name)`: the built page (dist/), with the helpers the page tests share: upload a
//   file, wait for the run, read the element's report;
// - `openHarness(name)`: tests/e2e/harness/sections.html, which renders the page's section
//   modules from a Report the test passes in (no wasm build needed), with `cliReports` to make
//   those Reports with the CLI (dev profile).
// Each in a test file's `before`, `close()` in `after`.
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const DIST = join(ROOT, 'dist');
const WWW = join(ROOT, 'www');
const HARNESS = join(ROOT, 'tests/e2e/harness');
export const SHOTS = join(ROOT, 'test-results');
export const DATA = resolve(ROOT, '../shared/data');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};

/** `p` under `base`, or null when it would leave it. */
function inside(base, p) {
  const file = normalize(join(base, p));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/** A file of the built page: dist/, a folder's index.html. */
function distFile(path) {
  let file = inside(DIST, path);
  if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return file && existsSync(file) ? file : null;
}

/** A file of the sections harness: the harness under /harness/, else www/ (the page's sources,
 *  always current), else dist/ (built files such as vendor/), else the npm package for the chart
 *  library, so the sections can be tested without the wasm build. */
function harnessFile(path) {
  const candidates = path.startsWith('/harness/')
    ? [inside(HARNESS, path.slice('/harness'.length))]
    : [inside(WWW, path), inside(DIST, path), path === '/vendor/echarts.js' ? join(ROOT, 'node_modules/echarts/dist/echarts.esm.min.js') : null];
  return candidates.find((c) => c && existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Serves the files `fileFor` resolves (404 for null) on a free port of 127.0.0.1. */
function serve(fileFor) {
  return new Promise((ok) => {
    const s = http.createServer((req, res) => {
      const file = fileFor(decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!file) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

/** Chromium in a fresh profile under `work` (with the browser's `locale`, which the page takes
 *  its language from), with its first page, its console errors and every URL it requested. */
async function launch(work, locale = 'en-US') {
  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    acceptDownloads: true,
    locale,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  return { context, page, consoleErrors, requests };
}

/** Serves dist/, opens the page in a fresh Chromium profile under a temp dir named after
 *  `name` (with the browser's `locale`, which the page takes its language from), and returns
 *  the page with its helpers and `close()`. */
export async function openPage(name, { locale = 'en-US' } = {}) {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: build it first (scripts/lib.sh build_site)');
  mkdirSync(SHOTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `clientele-e2e-${name}-`));
  const server = await serve(distFile);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { context, page, consoleErrors, requests } = await launch(work, locale);
  await page.goto(`${origin}/`);
  await page.locator('clientele-report .drop').waitFor();

  const section = (id) => page.locator(`clientele-report [data-section="${id}"]`);
  return {
    page,
    origin,
    work,
    consoleErrors,
    requests,
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

/** The CLI's path, built first (a no-op when it is up to date, so it matches the sources). The dev
 *  profile's binary, which the native test stage has just built: a Report's bytes do not depend
 *  on the optimisation level (no fast-math), and a cold release build (fat LTO) cost CI 2–3
 *  minutes. */
export function devCli() {
  const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
  const cli = join(target, 'debug', 'clientele');
  const build = spawnSync('cargo', ['build', '--quiet', '--bin', 'clientele'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(build.status, 0, 'cargo build --bin clientele failed');
  assert.ok(existsSync(cli), `${cli} is missing after the build`);
  return cli;
}

/** Analyses each of `files` ({ name: path }) with the CLI (`devCli`) into a full Report
 *  (`--json`) with `args`. */
export function cliReports(files, args = []) {
  const cli = devCli();
  const work = mkdtempSync(join(tmpdir(), 'clientele-reports-'));
  try {
    const reports = {};
    for (const [name, path] of Object.entries(files)) {
      const out = join(work, `${name}.json`);
      const r = spawnSync(cli, ['analyze', path, ...args, '--json', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, `clientele analyze ${path} failed:\n${r.stderr}`);
      reports[name] = JSON.parse(readFileSync(out, 'utf8'));
    }
    return reports;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Serves the sections harness (tests/e2e/harness/sections.html) and opens Chromium on it:
 *  `render(report, names?)` draws the named sections (all by default) of a Report and fails on
 *  any that threw; `section(id)` locates one; `assertClean()` checks for console errors and
 *  requests that left the origin; `reruns()` is what the sections asked to analyse again. */
export async function openHarness(name) {
  mkdirSync(SHOTS, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), `clientele-e2e-${name}-`));
  const server = await serve(harnessFile);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { context, page, consoleErrors, requests } = await launch(work);
  return {
    page,
    origin,
    consoleErrors,
    requests,
    section: (id) => page.locator(`section[data-section="${id}"]`),
    async render(report, names) {
      await page.goto(`${origin}/harness/sections.html`);
      await page.waitForFunction(() => window.harnessReady === true);
      const failures = await page.evaluate(([r, n]) => window.renderSections(r, n), [report, names]);
      assert.deepEqual(failures, {}, 'a section threw while rendering');
      // ECharts draws on the next frame.
      await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    },
    reruns: () => page.evaluate(() => window.reruns),
    assertClean() {
      assert.deepEqual(consoleErrors, [], 'console errors');
      const away = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
      assert.deepEqual(away, [], 'requests that left the origin');
    },
    async close() {
      await context.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
