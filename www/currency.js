// The file's currency on the page: the fact in the Data quality section (the code, where the
// core found it and what else it could be: report.quality.currency), the Currency menu that
// reads the file again with `ingest.currency` (the core's option; the guess stays visible as
// an alternative); the core's two currency warnings are worded by code (ingest.js). Money
// itself is formatted by i18n.js `fmt.money` once `setCurrency(code)` is called.
// Words: www/i18n/<lang>/currency.js.
import { t, currentLocale } from './i18n.js';

/** Codes the menu always offers, after the file's own guess and its alternatives. */
const COMMON = ['CNY', 'USD', 'EUR', 'GBP', 'JPY', 'TWD', 'HKD', 'AUD', 'CAD', 'SGD', 'KRW', 'INR', 'CHF'];

/** A code with its name in the page's language ('CNY — 人民币'), from Intl. */
export function currencyName(/** @type {string} */ code) {
  try {
    const name = new Intl.DisplayNames(currentLocale(), { type: 'currency' }).of(code);
    return name && name !== code ? `${code} — ${name}` : code;
  } catch {
    return code;
  }
}

/** The marks of one kind of evidence, as written ('"￥", "元"'). */
function marks(/** @type {any} */ c, /** @type {string} */ source) {
  const seen = [...new Set((c.evidence ?? []).filter((e) => e.source === source).map((e) => e.written))];
  return seen.map((w) => `“${w}”`).join(t('common.list_sep'));
}

/**
 * The currency fact: the code (or unknown), where it came from and the alternatives.
 * @param {any} c report.quality.currency (absent: nothing in the file tells)
 */
export function currencyText(c) {
  if (!c) return t('currency.unknown_none');
  const head = c.code ? currencyName(c.code) : t('currency.unknown');
  const source =
    c.source === 'option'
      ? t('currency.source.option')
      : c.source === 'conflict'
        ? t('currency.source.conflict', { marks: (c.evidence ?? []).map((e) => `“${e.written}”`).join(t('common.list_sep')) })
        : c.source === 'column'
          ? t('currency.source.column', { column: c.evidence?.[0]?.column ?? '' })
          : t(`currency.source.${c.source === 'header' ? 'header' : 'cells'}`, { marks: marks(c, c.source) });
  const text = t('currency.fact_text', { code: head, source });
  return (c.alternatives ?? []).length ? t('currency.fact_alternatives', { text, alternatives: t('currency.alternatives', { codes: c.alternatives.join(t('common.list_sep')) }) }) : text;
}

/**
 * The Currency menu: '' reads the file with the guess, a code reads it with that currency.
 * @param {any} q report.quality
 * @param {(tag: string, attrs?: object, ...children: any[]) => HTMLElement} el
 * @param {(ingest: object) => void} reread
 */
export function currencyMenu(q, el, reread) {
  const c = q.currency;
  const chosen = c?.source === 'option' ? c.code : '';
  const codes = [...new Set([...(c?.code ? [c.code] : []), ...(c?.alternatives ?? []), ...COMMON])];
  const auto = c?.source === 'option' ? t('currency.menu.auto_again') : c?.code ? t('currency.menu.auto', { code: c.code }) : t('currency.menu.auto_unknown');
  const select = el(
    'select',
    { 'data-control': 'currency', onchange: (/** @type {any} */ e) => reread({ currency: e.target.value || null }) },
    el('option', { value: '', selected: chosen === '' }, auto),
    codes.map((code) => el('option', { value: code, selected: code === chosen }, currencyName(code))),
  );
  return el('label', {}, t('currency.menu.label'), ' ', select);
}

