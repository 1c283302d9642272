// What every chart carries besides its picture, so that no reader depends on seeing it: a text
// alternative worded from the chart's own numbers, a "show as table" toggle with the same
// numbers, patterns or line styles so series differ by more than colour, a PNG download, and
// an image of the chart for print. All of it is read back from the option the section gave
// ECharts (`chart.getOption()`): nothing here computes analytics, it only re-presents marks.
import { t } from './i18n.js';

/** Most rows a chart's table shows (a scatter sample can hold thousands of points). */
const MAX_TABLE_ROWS = 500;
/** Most values named one by one in a text alternative before it summarises. */
const MAX_SPOKEN = 12;
const DASHES = ['solid', 'dashed', 'dotted', [10, 4, 2, 4], [2, 6]];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'pin', 'arrow', 'roundRect'];

/** True when the reader asked the system for less motion. */
export function reducedMotion() {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * The option as drawn: animation off (always under reduced motion; a section may opt in
 * otherwise), fonts that survive export, and when several series share a chart, a second carrier besides colour: decal
 * patterns on bars, dash styles on lines, symbol shapes on scatter points.
 * @param {any} option an ECharts option object, as a section wrote it
 */
export function accessibleOption(option) {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  const count = (type) => series.filter((s) => s?.type === type).length;
  const out = { ...option, animation: reducedMotion() ? false : (option.animation ?? false) };
  // ECharts writes the font into a double-quoted SVG attribute: a double quote inside (a computed
  // font list names "Segoe UI") makes the exported image (PNG, print) unreadable.
  const font = option.textStyle?.fontFamily;
  if (typeof font === 'string' && font.includes('"')) out.textStyle = { ...option.textStyle, fontFamily: font.replace(/"/g, "'") };
  if (count('bar') > 1) out.aria = { enabled: true, label: { enabled: false }, decal: { show: true }, ...(option.aria ?? {}) };
  if (count('line') > 1 || count('scatter') > 1) {
    let line = 0;
    let dot = 0;
    out.series = series.map((s) => {
      if (s?.type === 'line' && !s.lineStyle?.type) return { ...s, lineStyle: { ...(s.lineStyle ?? {}), type: DASHES[line++ % DASHES.length] } };
      if (s?.type === 'scatter' && !s.symbol) return { ...s, symbol: SYMBOLS[dot++ % SYMBOLS.length] };
      return s;
    });
  }
  return out;
}

// ---- reading the drawn option back --------------------------------------------------------

const num = (x) => (typeof x === 'number' ? x : Array.isArray(x) ? x : x?.value);
const first = (a) => (Array.isArray(a) ? a[0] : a);

/** A number as text: integers whole, others with up to three significant decimals. */
function numberText(x, lang) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x == null ? '' : String(x);
  const abs = Math.abs(x);
  const digits = Number.isInteger(x) ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(x);
}

/** Formats a series value the way the chart's tooltip does, when it says how. */
function valueFormatter(opt, lang) {
  const f = first(opt.tooltip)?.valueFormatter;
  return (v) => {
    if (typeof f === 'function' && typeof v === 'number') {
      try {
        return String(f(v));
      } catch {
        // fall through to the plain number
      }
    }
    return numberText(v, lang);
  };
}

function axisName(axis, fallback) {
  return axis?.name ? String(axis.name) : fallback;
}

/**
 * The chart's numbers as a table: `{ columns: string[], rows: string[][], total }` (rows beyond
 * MAX_TABLE_ROWS left out, `total` says how many there were).
 * @param {any} opt `chart.getOption()`
 * @param {string} [lang]
 */
export function chartTable(opt, lang) {
  const series = (opt.series ?? []).filter((s) => s && s.type);
  const value = valueFormatter(opt, lang);
  const x = first(opt.xAxis);
  const y = first(opt.yAxis);
  const out = (columns, rows) => ({ columns, rows: rows.slice(0, MAX_TABLE_ROWS), total: rows.length });
  const heat = series.find((s) => s.type === 'heatmap');
  if (heat && x?.data && y?.data) {
    // A matrix: one row per y category, one column per x category.
    const cells = new Map();
    for (const d of heat.data ?? []) {
      const v = num(d);
      if (Array.isArray(v)) cells.set(`${v[0]},${v[1]}`, v[2]);
    }
    const xs = x.data.map((c) => String(c?.value ?? c));
    const rows = y.data.map((c, yi) => [String(c?.value ?? c), ...xs.map((_, xi) => numberText(cells.get(`${xi},${yi}`), lang))]);
    return out([`${axisName(y, '')} \\ ${axisName(x, '')}`.trim(), ...xs], rows);
  }
  const sankey = series.find((s) => s.type === 'sankey');
  if (sankey) {
    const links = sankey.links ?? sankey.edges ?? [];
    return out(
      [t('a11y.table.from'), t('a11y.table.to'), t('a11y.table.value')],
      links.map((l) => [String(l.source), String(l.target), numberText(l.value, lang)]),
    );
  }
  const catAxis = x?.type === 'category' ? x : y?.type === 'category' ? y : null;
  if (catAxis?.data) {
    // One row per category, one column per series.
    const cats = catAxis.data.map((c) => String(c?.value ?? c));
    const plotted = series.filter((s) => s.type === 'bar' || s.type === 'line' || s.type === 'scatter');
    const rows = cats.map((c, i) => [
      c,
      ...plotted.map((s) => {
        const d = num(s.data?.[i]);
        return value(Array.isArray(d) ? d[catAxis === x ? 1 : 0] : d);
      }),
    ]);
    return out([axisName(catAxis, t('a11y.table.category')), ...plotted.map((s, i) => s.name || t('a11y.table.series', { n: i + 1 }))], rows);
  }
  // Points on two value axes: one row per point, with its series.
  const rows = [];
  for (const [i, s] of series.entries()) {
    for (const d of s.data ?? []) {
      const v = num(d);
      if (!Array.isArray(v)) continue;
      rows.push([s.name || t('a11y.table.series', { n: i + 1 }), numberText(v[0], lang), numberText(v[1], lang)]);
    }
  }
  return out([t('a11y.table.series_column'), axisName(x, 'x'), axisName(y, 'y')], rows);
}

/**
 * A sentence or two that say what the chart shows, from its numbers: per series the values
 * (all of them when few, else the range and where the extremes are).
 * @param {string} title the chart's heading
 * @param {any} opt `chart.getOption()`
 * @param {string} [lang]
 */
export function chartDescription(title, opt, lang) {
  const tab = chartTable(opt, lang);
  const series = (opt.series ?? []).filter((s) => s && s.type);
  const kinds = [...new Set(series.map((s) => t(`a11y.kind.${s.type}`)))].join(', ');
  const parts = [t('a11y.chart.intro', { title: title || t('a11y.chart.untitled'), kind: kinds || t('a11y.kind.chart') })];
  if (!tab.total) {
    parts.push(t('a11y.chart.empty'));
    return parts.join(' ');
  }
  const heat = series.some((s) => s.type === 'heatmap');
  const cats = tab.columns.length > 2 || !heat;
  if (heat) {
    parts.push(t('a11y.chart.matrix', { rows: tab.rows.length, columns: tab.columns.length - 1 }));
    const best = bestCell(tab);
    if (best) parts.push(t('a11y.chart.largest_cell', { value: best.value, row: best.row, column: best.column }));
  } else if (series.some((s) => s.type === 'sankey')) {
    parts.push(t('a11y.chart.flows', { n: tab.total }));
    const top = [...tab.rows].sort((a, b) => parseNumber(b[2]) - parseNumber(a[2]))[0];
    if (top) parts.push(t('a11y.chart.largest_flow', { from: top[0], to: top[1], value: top[2] }));
  } else if (tab.columns[0] === t('a11y.table.series_column')) {
    const bySeries = new Map();
    for (const r of tab.rows) bySeries.set(r[0], (bySeries.get(r[0]) ?? 0) + 1);
    parts.push(t('a11y.chart.points', { n: tab.total, series: [...bySeries.keys()].join(', ') }));
  } else if (cats) {
    tab.columns.slice(1).forEach((name, si) => {
      const pairs = tab.rows.map((r) => `${r[0]} ${r[si + 1]}`);
      if (pairs.length <= MAX_SPOKEN) parts.push(t('a11y.chart.series_values', { series: name, values: pairs.join('; ') }));
      else {
        const vals = tab.rows.map((r) => parseNumber(r[si + 1]));
        const hi = vals.indexOf(Math.max(...vals.filter(Number.isFinite)));
        const lo = vals.indexOf(Math.min(...vals.filter(Number.isFinite)));
        parts.push(
          t('a11y.chart.series_range', {
            series: name,
            n: pairs.length,
            first: pairs[0],
            last: pairs[pairs.length - 1],
            max: hi >= 0 ? pairs[hi] : '',
            min: lo >= 0 ? pairs[lo] : '',
          }),
        );
      }
    });
  }
  parts.push(t('a11y.chart.see_table'));
  return parts.join(' ');
}

/** A formatted number back to a number, for ordering only (never shown). */
function parseNumber(text) {
  const n = Number(String(text).replace(/[^\d.eE+-]/g, ''));
  return Number.isFinite(n) ? n : NaN;
}

function bestCell(tab) {
  let best = null;
  for (const r of tab.rows) {
    for (let j = 1; j < r.length; j++) {
      const v = parseNumber(r[j]);
      if (Number.isFinite(v) && (!best || v > best.n)) best = { n: v, value: r[j], row: r[0], column: tab.columns[j] };
    }
  }
  return best;
}

// ---- images ---------------------------------------------------------------------------------

/** The chart as an SVG data URL (the page draws charts as SVG), on `background` (the theme's
 *  surface: the chart's own colours are read for it). */
export function svgDataUrl(c, background) {
  return c.getDataURL({ type: 'svg', backgroundColor: background });
}

/**
 * The chart as a PNG Blob: ECharts' SVG image drawn on a canvas at twice the size, on
 * `background` (the theme's surface).
 * @param {any} c an ECharts instance
 * @param {string} background
 * @returns {Promise<Blob>}
 */
export async function pngBlob(c, background, scale = 2) {
  const img = new Image();
  img.src = svgDataUrl(c, background);
  await img.decode();
  const w = c.getWidth();
  const h = c.getHeight();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const g = canvas.getContext('2d');
  g.fillStyle = background;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('no PNG'))), 'image/png'));
}

/** A file name from a chart's title: letters, digits and dashes. */
export function fileName(title) {
  const base = String(title || 'chart')
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return `clientele-${base || 'chart'}.png`;
}
