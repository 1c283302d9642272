// Charts: Apache ECharts (bundled from npm into vendor/echarts.js by the build, never a CDN:
// `echarts/core` with only the series and components the sections use, listed in
// scripts/echarts-entry.js; a new series type or option component must be added there). One
// library that draws every mark we need (heatmap, bars, lines, scatter) from a declarative
// option object, as an ES module with no further imports. Sections describe data + marks;
// nothing here computes analytics.
// Loaded when first needed: the element asks for it when a run starts, so it arrives while the
// core works, and draws once it is here; opening the page does not load it.

import { el } from './dom.js';
import { t, currentLocale } from './i18n.js';
import { CHART_COLORS } from './element/theme.js';

/** @type {typeof import('./vendor/echarts.js') | null} */
let echarts = null;
/** What each chart carries besides its picture; loaded with the library, not with the page.
 *  @type {typeof import('./chart-a11y.js') | null} */
let a11y = null;
/** @type {Promise<void> | null} */
let loading = null;

/** Loads the chart library (once); `chart()` can draw when this resolves. */
export function loadCharts() {
  loading ??= Promise.all([import('./vendor/echarts.js'), import('./chart-a11y.js')]).then(
    ([lib, words]) => {
      echarts = lib;
      a11y = words;
    },
    (e) => {
      loading = null; // a later run may try again
      throw e;
    },
  );
  return loading;
}

/** Charts drawn and not yet disposed, for the print images (see `refreshPrintImages`). */
const live = new Set();
let chartSeq = 0;

/** Draws `option` into a new box inside `container`; resizes with it. Returns the chart.
 * Screen readers get the container's `<h3>` (or `label`) as the chart's name and a description
 * worded from its numbers; below it, a "show as table" toggle and a PNG download (chart-a11y.js);
 * for print, an image of the chart replaces the live one. `theme`: an ECharts theme object
 * (www/element/theme.js, read from the element's computed style); `background`: the colour the
 * PNG and print images are drawn on (the theme's surface).
 * @param {HTMLElement} container
 * @param {object} option an ECharts option object
 * @param {{ height?: number, label?: string, theme?: object, background?: string }} [size] */
export function chart(container, option, { height = 320, label, theme, background = CHART_COLORS.surface[1] } = {}) {
  if (!echarts || !a11y) throw new Error('the chart library could not be loaded');
  const { accessibleOption } = a11y;
  const n = ++chartSeq;
  const box = document.createElement('div');
  box.className = 'chart';
  box.setAttribute('part', 'chart');
  box.style.height = `${height}px`;
  container.append(box);
  const c = echarts.init(box, theme ?? null, { renderer: 'svg' });
  // ECharts measures text with this font; 'inherit' would measure with a default one and
  // crowd legends.
  const fontFamily = getComputedStyle(container).fontFamily || 'system-ui, sans-serif';
  const name = container.querySelector('h3')?.textContent ?? label ?? '';
  const parts = chartParts(container, box, c, name, n, background);
  const setOption = c.setOption.bind(c);
  // Every option a section gives, now or later, is drawn with the accessible defaults.
  c.setOption = (opt, ...rest) => {
    setOption(accessibleOption(opt ?? {}), ...rest);
    parts.dirty();
  };
  c.setOption({ ...option, textStyle: { fontFamily, ...(option.textStyle ?? {}) } });
  // A ResizeObserver reports every box once when it starts observing, and ECharts' resize()
  // lays the whole chart out and draws it again even at the same size: resize only when the box
  // really differs from the size the chart was drawn at (each chart used to be drawn twice).
  new ResizeObserver(([entry]) => {
    // Hidden (a closed panel) or laid out for print, where the image stands in: keep the size
    // drawn on screen, so the print image is not redrawn at zero width.
    if (!box.clientWidth || !box.clientHeight || matchMedia('print').matches) return;
    const { width, height } = entry.contentRect;
    if (Math.abs(width - c.getWidth()) < 1 && Math.abs(height - c.getHeight()) < 1) return;
    c.resize();
    parts.dirty();
  }).observe(box);
  return c;
}

/** The description, table toggle, PNG button and print image of one chart. */
function chartParts(container, box, c, name, n, background) {
  const { chartDescription, chartTable, fileName, pngBlob, svgDataUrl } = a11y;
  const descId = `chart-desc-${n}`;
  const tableId = `chart-table-${n}`;
  box.setAttribute('role', 'img');
  box.setAttribute('aria-label', name || t('a11y.kind.chart'));
  box.setAttribute('aria-describedby', descId);
  const desc = el('p', { id: descId, class: 'visually-hidden chart-desc' });
  const print = el('img', { class: 'chart-print', alt: '', 'aria-hidden': 'true' });
  const tableBox = el('div', { id: tableId, class: 'chart-table table-wrap', hidden: true, tabindex: '0', role: 'region', 'aria-label': t('a11y.table.region', { title: name }) });
  const toggle = el('button', {
    type: 'button',
    class: 'btn small',
    'data-action': 'chart-table',
    'aria-expanded': 'false',
    'aria-controls': tableId,
    onclick: () => {
      const open = tableBox.hidden;
      tableBox.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? t('a11y.table.hide') : t('a11y.table.show');
      if (open) drawTable();
    },
  }, t('a11y.table.show'));
  const png = el('button', {
    type: 'button',
    class: 'btn small',
    'data-action': 'chart-png',
    'aria-label': t('a11y.png.label', { title: name }),
    onclick: () =>
      pngBlob(c, background).then(
        (blob) => save(blob, fileName(name), container),
        (e) => console.warn('<clientele-report>: the PNG could not be made', e),
      ),
  }, t('a11y.png.button'));
  box.after(desc, print, el('div', { class: 'chart-tools' }, toggle, png), tableBox);
  const lang = () => currentLocale();
  function drawTable() {
    const tab = chartTable(c.getOption(), lang());
    const rows = tab.rows.map((r) => el('tr', {}, r.map((v, i) => (i === 0 ? el('th', { scope: 'row' }, v) : el('td', { class: 'num' }, v)))));
    tableBox.replaceChildren(
      el('table', { class: 'data chart-data' }, el('caption', { class: 'visually-hidden' }, name), el('thead', {}, el('tr', {}, tab.columns.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, rows)),
      tab.total > tab.rows.length ? el('p', { class: 'muted small' }, t('a11y.table.cut', { shown: tab.rows.length, total: tab.total })) : null,
    );
  }
  const entry = { c, print, refresh: null };
  let dirty = true;
  let timer = 0;
  entry.refresh = () => {
    if (c.isDisposed?.()) {
      live.delete(entry);
      return;
    }
    if (!dirty) return;
    dirty = false;
    const opt = c.getOption();
    desc.textContent = chartDescription(name, opt, lang());
    print.src = svgDataUrl(c, background);
    if (!tableBox.hidden) drawTable();
  };
  live.add(entry);
  c.on('finished', () => {
    clearTimeout(timer);
    timer = setTimeout(entry.refresh, 120);
  });
  return {
    dirty: () => {
      dirty = true;
    },
  };
}

/** Brings every chart's print image up to date (before printing). */
export function refreshPrintImages() {
  for (const entry of [...live]) entry.refresh();
}
if (typeof window !== 'undefined') window.addEventListener('beforeprint', refreshPrintImages);

function save(blob, name, near) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  near.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The default palette for categories (segments, clusters, deciles); the element passes the
 *  one its host's CSS sets (www/element/theme.js). */
export { DEFAULT_PALETTE as palette } from './element/theme.js';
