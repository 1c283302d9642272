// Test harness (served by tests/e2e/harness/browser.js `openHarness`): renders the page's
// section modules (propensity, lifetime value, clusters; lifecycle, cohorts, migration,
// cross-sell) from a full Report the test passes in, the way <clientele-report> does (an open
// shadow root linking style.css and sections.css; per section a <section data-section=id>, its
// render, then its title), so the sections can be checked without the wasm core. The page's
// view drops the per-customer arrays as the core's pageReport() does; a migration cell's
// customers are paged here from the full Report (the page asks the worker), highest spend first
// as the core orders them; what a section asks to analyse again is kept in window.reruns.
import { el, table, fmt } from '../dom.js';
import { chart, loadCharts } from '../charts.js';
import { readTheme } from '../element/theme.js';
import { loadLang } from '../i18n.js';
import * as propensity from '../sections/propensity.js';
import * as clv from '../sections/clv.js';
import * as clusters from '../sections/clusters.js';
import * as lifecycle from '../sections/lifecycle.js';
import * as cohorts from '../sections/cohorts.js';
import * as migration from '../sections/migration.js';
import * as crossSell from '../sections/crosssell.js';

const SECTIONS = { propensity, clv, clusters, lifecycle, cohorts, migration, cross_sell: crossSell };
let charts = [];
window.reruns = [];

const shadow = document.getElementById('widget').attachShadow({ mode: 'open' });
const root = el('div', { class: 'sections', id: 'sections' });
shadow.append(
  el('link', { rel: 'stylesheet', href: new URL('../style.css', import.meta.url).href }),
  el('link', { rel: 'stylesheet', href: new URL('../sections.css', import.meta.url).href }),
  root,
);

/** The page's view of a full Report (the CLI's `--json`), as the core's `pageReport()` makes
 *  it for the fields these sections read: no per-customer arrays; the count of deciles 1–2 and
 *  the likely-gone rows' expected purchases and CLV inline. A PageReport passes through. */
function pageView(report) {
  const r = { ...report };
  delete r.customers;
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
  if (report.migration?.status === 'ok') {
    const { from_segment, ...rest } = report.migration;
    r.migration = rest;
  }
  if (report.cross_sell?.status === 'ok') {
    const { products, product_names, ...rest } = report.cross_sell;
    r.cross_sell = rest;
  }
  return r;
}

/** A migration cell's customers, paged from the full Report as the worker pages them. */
function migrationRows(full) {
  const c = full.customers;
  if (!c || !full.migration?.from_segment) return async () => ({ rows: [], total: 0 });
  const key = c.monetary ?? c.frequency;
  const order = c.id.map((_, i) => i).sort((a, b) => key[b] - key[a] || a - b);
  return async (from, to, offset, limit) => {
    const inCell = order.filter((i) => (full.migration.from_segment[i] ?? null) === from && full.rfm.segment[i] === to);
    const rows = inCell.slice(offset, offset + limit).map((i) => ({
      row: i,
      id: c.id[i],
      recency_days: c.recency_days[i],
      frequency: c.frequency[i],
      monetary: c.monetary?.[i] ?? null,
      segment: full.rfm.segments[full.rfm.segment[i]].name,
      lifecycle_stage: c.lifecycle_stage?.[i] ?? null,
    }));
    return { rows, total: inCell.length };
  };
}

/** Renders the named sections (default all) of `full` (a full Report or a PageReport);
 *  returns what failed, by section id. */
window.renderSections = (full, names = Object.keys(SECTIONS)) => {
  const report = pageView(full);
  for (const c of charts) c.dispose?.();
  charts = [];
  root.replaceChildren();
  // The colours as the element reads them (element/theme.js): the defaults, no host theme here.
  const theme = readTheme(root);
  const ctx = {
    chart: (container, option, opts) => {
      const c = chart(container, option, { theme: theme.echarts, background: theme.colors.surface, ...opts });
      charts.push(c);
      return c;
    },
    palette: theme.palette,
    colors: theme.colors,
    el,
    table,
    fmt,
    migrationRows: migrationRows(full),
    rerun: (over) => window.reruns.push(over),
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
// Ready once both style sheets and the chart library (loaded on demand, as the page does when a
// run starts) have loaded, so the first render is measured with them. The English words load
// too (beyond the page's chrome they load on first use, as the page does when a run starts):
// without them every label is its ⟦key⟧.
Promise.all([
  loadCharts(),
  loadLang('en'),
  ...[...shadow.querySelectorAll('link')].map((l) => (l.sheet ? null : new Promise((ok) => l.addEventListener('load', ok, { once: true })))),
]).then(() => {
  window.harnessReady = true;
});
