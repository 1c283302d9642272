// Where the page's main thread spends the `render` stage (the result message → every chart
// drawn): Chromium's sampling CPU profiler (DevTools protocol) on the page while FILE is
// analysed, with the page's own per-section times. Prints the sections' times and the top
// functions by self time in the main thread, grouped by script.
//
// usage: node benches/browser/render_profile.mjs FILE [TOP]   (dist/ built first)
import { openPage } from '../../tests/e2e/harness/browser.js';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const h = await openPage('render-profile');
try {
  const { page } = h;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const done = page.evaluate(
    () =>
      new Promise((ok) => {
        const w = document.querySelector('clientele-report');
        w.addEventListener('clientele-report', () => requestAnimationFrame(() => requestAnimationFrame(() => ok(performance.now()))), { once: true });
      }),
  );
  await cdp.send('Profiler.start');
  await h.upload(file);
  await done;
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const url = f.url.split('/').at(-1) || '(native)';
    const key = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byScript = new Map();
  for (const [k, v] of self) {
    const s = k.split(' ').at(-1).split(':')[0];
    byScript.set(s, (byScript.get(s) ?? 0) + v);
  }
  const ms = (us) => (us / 1000).toFixed(1);
  console.log(`profile ${ms(total)} ms of samples`);
  for (const [s, v] of [...byScript].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${ms(v).padStart(8)} ms  ${s}`);
  console.log('top functions by self time:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(v).padStart(8)} ms  ${k}`);
} finally {
  await h.close();
}
