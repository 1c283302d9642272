// Summary: the three findings a reader should take away first, worded from the Report's own
// figures: how much of the revenue the Champions bring, how many customers are At Risk and what
// they have spent, and how much better than average the propensity model's top decile buys.
// Every number is read from report.rfm.segments and report.propensity.metrics; nothing is
// recomputed here. A figure the file cannot give (no amounts, no model) is said to be missing.
import { t } from '../i18n.js';
import { reasonText } from '../dom.js';
/** @typedef {import('../pkg/clientele.js').PageReport} PageReport */
export const id = 'summary';
export const title = 'Summary';
/** The heading in the page's language. */
export const heading = () => t('summary.title');

/** A segment of the fixed RFM map by its code (newer Reports) or its English name. */
function segment(report, code, name) {
  return report.rfm?.segments?.find((g) => g.code === code || g.name === name) ?? null;
}

/**
 * @param {HTMLElement} host the section's empty element
 * @param {PageReport} report the page's report
 * @param {any} ctx { el, fmt, ... } (sections/index.js)
 */
export function render(host, report, { el, fmt }) {
  const money = report.summary?.has_amount !== false && report.summary?.revenue != null && report.rfm?.has_monetary !== false;
  const finding = (key, headline, text, target) =>
    el(
      'li',
      { class: 'key-finding', 'data-finding': key },
      el('strong', { class: 'finding-figure' }, headline),
      el('span', { class: 'finding-text' }, text),
      // Worded and wired by the section navigation (report-nav.js), which knows the headings.
      target ? el('a', { class: 'finding-link small', href: `#section-${target}`, 'data-goto': target }) : null,
    );

  const items = [];
  const champions = segment(report, 'champions', 'Champions');
  if (champions && money) {
    items.push(
      finding(
        'champions',
        fmt.pct(champions.revenue_share),
        t('summary.champions', { revenue_share: fmt.pct(champions.revenue_share), share: fmt.pct(champions.share), customers: fmt.int(champions.customers), revenue: fmt.money(champions.revenue) }),
        'rfm',
      ),
    );
  } else if (champions) {
    items.push(finding('champions', fmt.pct(champions.share), t('summary.champions_no_amount', { share: fmt.pct(champions.share), customers: fmt.int(champions.customers) }), 'rfm'));
  }

  const atRisk = segment(report, 'at_risk', 'At Risk');
  if (atRisk) {
    items.push(
      finding(
        'at_risk',
        fmt.int(atRisk.customers),
        money
          ? t('summary.at_risk', { customers: fmt.int(atRisk.customers), share: fmt.pct(atRisk.share), revenue: fmt.money(atRisk.revenue), revenue_share: fmt.pct(atRisk.revenue_share) })
          : t('summary.at_risk_no_amount', { customers: fmt.int(atRisk.customers), share: fmt.pct(atRisk.share) }),
        'rfm',
      ),
    );
  }

  const p = report.propensity;
  if (p?.status === 'ok') {
    const m = p.metrics;
    const weak = m.roc_auc < 0.6;
    // Decile 1 holds the customers the model ranks most likely to buy.
    const top = p.deciles?.find((d) => d.decile === 1);
    items.push(
      finding(
        'lift',
        `×${fmt.num2(m.lift_top_decile)}`,
        [
          t('summary.lift', { lift: fmt.num2(m.lift_top_decile), base_rate: fmt.pct(m.base_rate), top_rate: fmt.pct(top?.rate), horizon: fmt.int(p.params?.horizon_days), auc: fmt.num3(m.roc_auc) }),
          weak ? ` ${t('summary.lift_weak', { auc: fmt.num3(m.roc_auc) })}` : '',
        ].join(''),
        'propensity',
      ),
    );
  } else {
    const reason = p?.status === 'unavailable' ? reasonText(p) : t('summary.no_model_off');
    items.push(finding('lift', '—', t('summary.no_model', { reason }), 'propensity'));
  }

  host.append(el('p', { class: 'lead muted' }, t('summary.lead', { customers: fmt.int(report.summary?.customers), as_of: report.as_of })), el('ul', { class: 'key-findings' }, items));
}
