// Test harness (served only by tests/e2e/sections.test.mjs): renders the chart sections from a
// Report the test passes in, the way <clientele-report> does (an open shadow root linking
// style.css and sections.css; per section a <section data-section=id>, its render, then its
// title), so the sections can be checked without the wasm core.
import { el, table, fmt } from '../dom.js';
import { chart, loadCharts, palette } from '../charts.js';
import { loadLang } from '../i18n.js';
import * as propensity from '../sections/propensity.js';
import * as clv from '../sections/clv.js';
import * as clusters from '../sections/clusters.js';

const SECTIONS = { propensity, clv, clusters };
let charts = [];

const shadow = document.getElementById('widget').attachShadow({ mode: 'open' });
const root = el('div', { class: 'sections', id: 'sections' });
shadow.append(
  el('link', { rel: 'stylesheet', href: new URL('../style.css', import.meta.url).href }),
  el('link', { rel: 'stylesheet', href: new URL('../sections.css', import.meta.url).href }),
  root,
);

/** The page's view of a full Report (the CLI's `--json`), as the core's `pageReport()` makes
 *  it for the fields these sections read: the count of deciles 1–2 and the likely-gone rows'
 *  expected purchases and CLV inline (the page never receives the per-customer arrays). */
function pageView(report) {
  const r = { ...report };
  const p = report.propensity;
  if (p?.status === 'ok' && Array.isArray(p.p_buy_decile)) {
    const { p_buy, p_buy_decile, ...rest } = p;
    r.propensity = { ...rest, top_two_deciles: p_buy_decile.filter((d) => d <= 2).length };
  }
  const v = report.clv;
  if (v?.status === 'ok' && Array.isArray(v.expected_purchases)) {
    const { repeat_purchases, recency, age, expected_purchases, p_alive, expected_spend, clv, likely_gone, ...rest } = v;
    r.clv = {
      ...rest,
      likely_gone: {
        ...likely_gone,
        customers: likely_gone.customers.map((c) => ({ ...c, expected_purchases: expected_purchases[c.row], clv: clv ? clv[c.row] : null })),
      },
    };
  }
  return r;
}

/** Renders the named sections (default all) of `report` (a full Report or a PageReport);
 *  returns what failed, by section id. */
window.renderSections = (full, names = Object.keys(SECTIONS)) => {
  const report = pageView(full);
  for (const c of charts) c.dispose?.();
  charts = [];
  root.replaceChildren();
  const ctx = {
    chart: (container, option, opts) => {
      const c = chart(container, option, opts);
      charts.push(c);
      return c;
    },
    palette,
    el,
    table,
    fmt,
  };
  const failures = {};
  for (const name of names) {
    const section = SECTIONS[name];
    const host = el('section', { class: 'section', 'data-section': section.id });
    root.append(host);
    try {
      section.render(host, report, ctx);
    } catch (e) {
      failures[section.id] = String(e?.stack ?? e);
      host.replaceChildren(el('p', { class: 'section-error' }, `This section could not be shown: ${e?.message ?? e}`));
    }
    host.prepend(el('h2', {}, section.title));
  }
  return failures;
};
// Ready once both style sheets and the chart library have loaded, so the first render is
// measured with them.
Promise.all([
  loadCharts(),
  // The sections' words (www/i18n/en), loaded on first use as the page does when a run starts.
  loadLang('en'),
  ...[...shadow.querySelectorAll('link')].map((l) => (l.sheet ? null : new Promise((ok) => l.addEventListener('load', ok, { once: true })))),
]).then(() => {
  window.harnessReady = true;
});
