// The notes.txt that "Export notes" saves beside the per-customer CSV (issue 17): in English the
// core's own text (`report::export_notes`, the CLI's words too); in another language worded here
// from the page report's fields and the warnings' codes, line for line as the core writes them.
import { t, has, currentLang } from './i18n.js';
import { warningText } from './dom.js';

const MODEL = { bgnbd: 'BG/NBD', mbgnbd: 'MBG/NBD', pnbd: 'Pareto/NBD' };

/** A column of the export as the worded header names it. */
const col = (name) => (has(`export.col.${name}`) ? t(`export.col.${name}`) : name);
const cols = (names) => names.map(col).join(t('export.notes.sep'));

/** The sections whose warnings the notes repeat (those about a column of the export). */
const WARNED = ['clusters', 'propensity', 'clv', 'lifecycle', 'cross_sell', 'cohorts', 'migration'];

/**
 * The notes in the page's language; `coreNotes` (the core's English text, or null when it has
 * nothing to say) in English, and null whenever the core wrote none.
 * @param {any} report the page report
 * @param {string | null} coreNotes
 */
export function exportNotes(report, coreNotes) {
  if (!coreNotes || !report || currentLang() === 'en') return coreNotes;
  const lines = [];
  const s = report.summary ?? {};
  const rfm = report.rfm ?? {};
  const money = s.has_amount !== false;
  if ((s.customers ?? 0) > 0) {
    lines.push(t('export.notes.as_of', { date: report.as_of, column: col('recency_days') }));
    if (s.frequency_unit === 'purchase_days') lines.push(t('export.notes.purchase_days', { column: col('frequency') }));
    const scores = cols(money && rfm.has_monetary !== false ? ['r_score', 'f_score', 'm_score'] : ['r_score', 'f_score']);
    const rule = has(`rfm.tie_rule.${rfm.method}`) ? t(`rfm.tie_rule.${rfm.method}`) : (rfm.tie_rule ?? '');
    lines.push(t('export.notes.scores', { scores, method: rfm.method ?? '', bins: rfm.bins ?? '', rule }));
  }
  const clv = report.clv?.status === 'ok' ? report.clv : null;
  if (clv) {
    const choice = clv.model_choice ?? {};
    const c = choice.comparison;
    const why =
      choice.rule === 'requested'
        ? t('export.notes.why.requested')
        : choice.rule === 'lowest_holdout_error'
          ? c
            ? t('export.notes.why.lowest_holdout_error_dates', { start: c.calibration_end, end: c.holdout_end })
            : t('export.notes.why.lowest_holdout_error')
          : t('export.notes.why.default');
    const model = MODEL[clv.purchase_fit?.model] ?? MODEL[choice.chosen] ?? choice.chosen ?? '';
    lines.push(t('export.notes.clv_model', { column: col('clv_model'), columns: cols(['expected_purchases', 'p_alive', 'clv']), model, why }));
  }
  const unknown = [];
  if (!money) {
    unknown.push('monetary', 'm_score');
    if (clv) unknown.push('clv');
    lines.push(t('export.notes.unknown', { columns: cols(unknown) }));
  }
  const warnings = [...(rfm.warnings ?? [])];
  for (const name of WARNED) {
    const section = report[name];
    if (section?.status === 'ok') warnings.push(...(section.warnings ?? []));
  }
  for (const w of warnings) {
    const on = w.columns ?? [];
    if (!on.length || on.every((c) => unknown.includes(c))) continue;
    lines.push(t('export.notes.warning', { columns: cols(on), text: warningText(w) }));
  }
  return lines.length ? lines.join('\n') + '\n' : null;
}
