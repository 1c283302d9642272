// The per-customer export's header for people (issue 17): the page's Export buttons write the
// column names in the page's language (`export.col.<name>` in www/i18n/<lang>/export.js;
// English keeps the machine names) and name the currency after each money column when the
// file's currency is known (`monetary (EUR)`, `消费金额 (EUR)`). The rows are the core's bytes,
// untouched. The element's csv() / targetList() API keeps the core's machine header unless
// asked ({ header: 'words' }): programs read the columns by name. The CLI does the same with
// --csv-header words (src/bin/clientele/words.rs `export_header`).
import { t, has } from './i18n.js';

/** The export's money columns (src/report.rs EXPORT_MONEY_COLUMNS). */
export const MONEY_COLUMNS = ['monetary', 'clv'];

/** One column's name in the page's words, with the currency for a money column.
 * @param {string} name the machine name
 * @param {string | null | undefined} currency ISO 4217 code, or null when unknown */
export function columnWord(name, currency) {
  const word = has(`export.col.${name}`) ? t(`export.col.${name}`) : name;
  return currency && MONEY_COLUMNS.includes(name) ? t('export.with_currency', { column: word, currency }) : word;
}

/** The export `blob` (the core's bytes: optional UTF-8 BOM, the machine header, CRLF, rows) with
 *  its header line worded; the rest of the bytes as they are.
 * @param {Blob} blob
 * @param {string | null | undefined} currency */
export async function withWordedHeader(blob, currency) {
  const head = await blob.slice(0, 4096).text();
  const bom = head.startsWith('\uFEFF');
  const start = bom ? 1 : 0;
  const end = head.indexOf('\r\n');
  if (end < 0) return blob;
  const line = head.slice(start, end);
  // The machine header is ASCII: one byte per character, after the BOM's three bytes.
  const rest = blob.slice((bom ? 3 : 0) + line.length);
  const worded = line
    .split(',')
    .map((name) => columnWord(name, currency))
    .join(',');
  return new Blob([bom ? '\uFEFF' : '', worded, rest], { type: blob.type || 'text/csv;charset=utf-8' });
}
