// Which Latin-letter words may stay in Chinese text (issue 17): proper nouns of methods and
// formats, units, the identifiers a user types (option paths, CLI flags, column names the
// reader knows) and the values a response file may hold. Shared by the catalogue test and the
// page scan (i18n_page.test.mjs), so both hold the page to the same rule.

/** Words that stay as they are in Chinese text. */
export const ALLOWED_LATIN = new Set(
  `RFM R F M CLV ID IDs CSV TSV Excel OpenDocument BOM UTF UTF-8 AUC PR Brier BG NBD MBG
   Pareto Gamma k-means AOV KB MB GBK GB18030 Big5 Windows windows-1252 Shift_JIS XLSX ODS JSON PNG PDF
   LL BIC SKU ISO pandas rfm log1p ROC Beta Gamma-Gamma Hessian Holm Fisher Welch
   target treatment test holdout control true false
   CustomerID Email Date InvoiceDate MiB alpha frequency Clientele
   ECharts CRM WebAssembly Parquet UTC ASCII EUC-KR big5 gbk`.split(/\s+/),
);

/** ISO 4217 currency codes (CNY, USD, TWD): the page names the file's currency by its code. */
const CURRENCY_CODES = new Set(Intl.supportedValuesOf?.('currency') ?? []);

/** Text with the parts that are code, not words, taken out: calls (`rank(method="min")`,
 *  `P(alive)`), option paths (`clv.horizon_months`), snake_case identifiers, CLI flags, file
 *  names. */
export function stripCode(text) {
  return String(text)
    .replace(/[A-Za-z_.]+\((?:[^()]|\([^()]*\))*\)/g, ' ')
    // Currency symbols Intl writes with letters (CN¥, US$, HK$, NT$).
    .replace(/\b[A-Z]{1,3}(?=[¥$€£₩])/g, ' ')
    .replace(/\b[a-z_]+\.[a-z_]+\b/g, ' ')
    .replace(/--[a-z-]+|\b[a-z0-9]+_[a-z0-9_]+\b/g, ' ')
    .replace(/#[A-Z][A-Z/0-9!?]*/g, ' ')
    .replace(/\b[\w-]+\.(csv|tsv|txt|xlsx?|ods|js)\b/gi, ' ');
}

/** The English words left in `text` (a word: two or more Latin letters; one letter is a symbol
 *  such as r, k or the R in R5). */
export function englishWords(text) {
  const out = [];
  for (const w of stripCode(text).match(/[A-Za-z][A-Za-z_.\-0-9/]*/g) ?? []) {
    const word = w.replace(/[.\-/]+$/, '');
    if (ALLOWED_LATIN.has(word) || CURRENCY_CODES.has(word) || /^[A-Za-z]\d*$/.test(word)) continue;
    if (word.includes('/') && word.split('/').every((p) => ALLOWED_LATIN.has(p) || /^[A-Za-z]\d*$/.test(p))) continue;
    out.push(word);
  }
  return out;
}
