// Test harness (served only by tests/e2e/campaign.test.mjs): renders the campaign sections
// (lifecycle, cohorts, migration, cross-sell) from a full Report the test passes in, the way
// <clientele-report> does (an open shadow root with the page's style sheets; per section a
// <section data-section=id>, its render, then its title). The page's view drops the per-customer
// arrays as the core's pageReport() does; a migration cell's customers are paged here from the
// full Report (the page asks the worker), highest spend first as the core orders them.
import { el, table, fmt } from '../dom.js';
import { chart, loadCharts, palette } from '../charts.js';
import { loadLang } from '../i18n.js';
import * as lifecycle from '../sections/lifecycle.js';
import * as cohorts from '../sections/cohorts.js';
import * as migration from '../sections/migration.js';
import * as crossSell from '../sections/crosssell.js';

const SECTIONS = { lifecycle, cohorts, migration, cross_sell: crossSell };
let charts = [];
window.reruns = [];

const shadow = document.getElementById('widget').attachShadow({ mode: 'open' });
const root = el('div', { class: 'sections', id: 'sections' });
shadow.append(
  el('link', { rel: 'stylesheet', href: new URL('../style.css', import.meta.url).href }),
  el('link', { rel: 'stylesheet', href: new URL('../sections.css', import.meta.url).href }),
  root,
);

function pageView(report) {
  const r = { ...report };
  delete r.customers;
  if (report.migration?.status === 'ok') {
    const { from_segment, ...rest } = report.migration;
    r.migration = rest;
  }
  if (report.cross_sell?.status === 'ok') {
    const { products, ...rest } = report.cross_sell;
    r.cross_sell = rest;
  }
  return r;
}

function migrationRows(full) {
  const c = full.customers;
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

/** Renders the campaign sections of `full` (a full Report); returns what failed, by section id. */
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
    }
    host.prepend(el('h2', {}, section.title));
  }
  return failures;
};
// Ready once both style sheets and the chart library (loaded on demand, as the page does when a
// run starts) have loaded.
Promise.all([
  loadCharts(),
  // The sections' words (www/i18n/en), loaded on first use as the page does when a run starts.
  loadLang('en'),
  ...[...shadow.querySelectorAll('link')].map((l) => (l.sheet ? null : new Promise((ok) => l.addEventListener('load', ok, { once: true })))),
]).then(() => {
  window.harnessReady = true;
});
