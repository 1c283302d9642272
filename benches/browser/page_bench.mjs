// The page itself, timed as a user meets it: the built site (dist/) opened in Debian's headless
// Chromium through the e2e harness, FILE set on the widget's file input, and the clock stopped
// when the `clientele-report` event has fired and every chart box holds a drawn chart. Each run
// opens a fresh page (a fresh worker, so the wasm memory of one run does not carry into the next).
// Prints one JSON line per run.
//
// Stage times come from inside the worker: before the run, the bench evaluates a hook in the
// worker (Playwright's worker handle) that timestamps the worker's own postMessage calls
// (progress stages, result) and its onmessage, without changing what the page receives. The
// wasm linear memory is read through the same hook: the `buffer` getter of WebAssembly.Memory,
// which wasm-bindgen's glue calls whenever memory has grown, keeps the Memory object, whose
// size after the run is the run's peak (linear memory never shrinks). Nothing in www/ knows
// about the bench.
//
// usage: [BENCH_WORKERS=N|auto] node benches/browser/page_bench.mjs FILE [RUNS] [TIMEOUT_S]
//   BENCH_WORKERS sets the widget's `limits.workers` (how many workers read a file of 8 MiB or
//   more; not set: the page's default, 'auto'). `readers` in the output says how many did. The
//   wasm memory is the first worker's: chunk workers' memories are not counted.
//   (dist/ must be built: bash -c 'source scripts/lib.sh; build_site')
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { openPage } from '../../tests/e2e/harness/browser.js';

const [file, runsArg, timeoutArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node benches/browser/page_bench.mjs FILE [RUNS] [TIMEOUT_S]');
  process.exit(2);
}
const runs = Number(runsArg ?? 1);
const timeoutMs = 1000 * Number(timeoutArg ?? 1800);
const bytes = statSync(file).size;

/** CPU seconds (user + system) used so far by Chromium: every live process descended from
 *  this one (browser, renderer with the worker, GPU and utility processes), from /proc. A
 *  load-independent companion to the wall time on a shared machine. */
function browserCpuSeconds() {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, p] of procs) {
    if (pid === process.pid) continue;
    for (let q = p.ppid, hops = 0; q > 1 && hops < 64; q = procs.get(q)?.ppid ?? 0, hops++) {
      if (q === process.pid) {
        ticks += p.ticks;
        break;
      }
    }
  }
  return ticks / 100; // USER_HZ
}

/** Evaluated inside the page's worker before the run. */
function workerHook() {
  if (self.__bench) return true;
  if (typeof self.onmessage !== 'function') return false; // the module has not finished loading
  const now = () => performance.timeOrigin + performance.now();
  const bench = { marks: [], memory: null, seen: 0 };
  self.__bench = bench;
  const desc = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer');
  Object.defineProperty(WebAssembly.Memory.prototype, 'buffer', {
    configurable: true,
    get() {
      const b = desc.get.call(this);
      bench.memory = this;
      bench.seen = Math.max(bench.seen, b.byteLength);
      return b;
    },
  });
  // Glue that kept a view of memory from before the hook decodes strings through it: its
  // buffer's size counts too.
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (view, ...rest) {
    if (view?.buffer) bench.seen = Math.max(bench.seen, view.buffer.byteLength);
    return decode.call(this, view, ...rest);
  };
  const post = self.postMessage.bind(self);
  self.postMessage = (msg, ...rest) => {
    if (msg?.type === 'progress' || msg?.type === 'result' || msg?.type === 'error') {
      bench.marks.push({ type: msg.type, stage: msg.progress?.stage, t: now(), rows: msg.progress?.rows_read });
    }
    return post(msg, ...rest);
  };
  const onmessage = self.onmessage;
  self.onmessage = function (event) {
    if (event.data?.blob) bench.marks.push({ type: 'start', t: now() });
    return onmessage.call(this, event);
  };
  return true;
}

/** Evaluated in the page: resolves when the run's report is shown with every chart drawn. */
function waitDrawn(ms) {
  const now = () => performance.timeOrigin + performance.now();
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  return new Promise((ok) => {
    const w = document.querySelector('clientele-report');
    const root = w.shadowRoot ?? w;
    const timer = setTimeout(() => ok({ error: 'timeout' }), ms);
    w.addEventListener(
      'clientele-error',
      (e) => {
        clearTimeout(timer);
        ok({ error: e.detail?.message ?? 'error' });
      },
      { once: true },
    );
    w.addEventListener(
      'clientele-report',
      async () => {
        const report = now();
        // A chart is drawn when its box holds a rendered SVG or canvas (ECharts' renderers).
        const drawn = (b) => b.querySelector('svg *, canvas');
        let boxes = [];
        for (let i = 0; i < 1000; i++) {
          boxes = [...root.querySelectorAll('.chart')];
          if (boxes.length && boxes.every(drawn)) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        await frame();
        await frame();
        clearTimeout(timer);
        ok({ report, drawn: now(), charts: boxes.length, charts_drawn: boxes.filter(drawn).length });
      },
      { once: true },
    );
  });
}

async function once() {
  const h = await openPage('bench');
  try {
    const { page } = h;
    const worker = page.workers()[0] ?? (await page.waitForEvent('worker'));
    for (let i = 0; !(await worker.evaluate(workerHook)); i++) {
      if (i > 600) throw new Error('the worker did not finish loading');
      await new Promise((r) => setTimeout(r, 50));
    }
    if (process.env.BENCH_WORKERS) {
      const w = process.env.BENCH_WORKERS === 'auto' ? 'auto' : Number(process.env.BENCH_WORKERS);
      await page.evaluate((workers) => {
        document.querySelector('clientele-report').limits = { workers };
      }, w);
    }
    const outcome = page.evaluate(waitDrawn, timeoutMs);
    const cpuBefore = browserCpuSeconds();
    const start = await page.evaluate(() => performance.timeOrigin + performance.now());
    await h.upload(file);
    const end = await outcome;
    const cpu = browserCpuSeconds() - cpuBefore;
    if (end.error) return { error: end.error };
    const inWorker = await worker.evaluate(() => ({
      marks: self.__bench.marks,
      memory: Math.max(self.__bench.seen, self.__bench.memory?.buffer.byteLength ?? 0),
    }));
    const report = await h.report();
    const readers = await page.evaluate(() => document.querySelector('clientele-report').readers);
    // Stage = from its first progress message to the next stage's; `reading` starts when the
    // worker receives the file; `page_report` is from the core's `done` to the result message
    // (the bounded page report built and posted); `render` from there to every chart drawn.
    const marks = inWorker.marks;
    const begin = marks.find((m) => m.type === 'start')?.t ?? start;
    const bounds = [];
    for (const m of marks) {
      if (m.type !== 'progress' || bounds.at(-1)?.stage === m.stage) continue;
      bounds.push({ stage: m.stage, t: bounds.length ? m.t : begin });
    }
    const result = marks.find((m) => m.type === 'result')?.t ?? end.report;
    // `handoff`: from setting the input to the worker receiving the File (the page's side).
    const stages = { handoff: +((begin - start) / 1000).toFixed(4) };
    bounds.forEach((b, i) => {
      const next = bounds[i + 1]?.t ?? result;
      stages[b.stage === 'done' ? 'page_report' : b.stage] = +((next - b.t) / 1000).toFixed(4);
    });
    stages.render = +((end.drawn - result) / 1000).toFixed(4);
    return {
      file: file.split('/').at(-1),
      bytes,
      total_s: +((end.drawn - start) / 1000).toFixed(4),
      to_report_event_s: +((end.report - start) / 1000).toFixed(4),
      cpu_s: +cpu.toFixed(2),
      stages_s: stages,
      readers,
      wasm_memory_mib: +(inWorker.memory / 2 ** 20).toFixed(1),
      rows_read: report?.quality?.rows_read,
      customers: report?.summary?.customers,
      charts: end.charts,
      charts_drawn: end.charts_drawn,
      console_errors: h.consoleErrors.length,
    };
  } finally {
    await h.close();
  }
}

for (let i = 0; i < runs; i++) {
  const r = await once().catch((e) => ({ error: String(e?.message ?? e) }));
  console.log(JSON.stringify(r));
  if (r.error) process.exitCode = 1;
}
