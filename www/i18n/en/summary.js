// The summary at the top of the report (www/sections/summary.js): three findings from the numbers.
export default {
  'summary.title': 'Summary',
  'summary.lead': 'The three findings that matter most, for {customers} customers as of {as_of}.',
  'summary.champions': 'of revenue comes from Champions: {customers} customers ({share} of all) who spent {revenue}.',
  'summary.champions_no_amount': 'of customers are Champions ({customers}); their share of revenue is unknown: the file has no amounts.',
  'summary.at_risk': 'customers are At Risk ({share} of all): they have spent {revenue} ({revenue_share} of revenue) but not bought for a long time.',
  'summary.at_risk_no_amount': 'customers are At Risk ({share} of all): they bought often but not for a long time.',
  'summary.lift': 'lift: the tenth of customers the propensity model ranks highest bought at {top_rate} in {horizon} days, against {base_rate} for all (ROC AUC {auc}).',
  'summary.lift_weak': 'The model is weak (AUC {auc}): use its ranking with care.',
  'summary.no_model': 'No propensity model: {reason}',
  'summary.no_model_off': 'it was switched off for this run.',
};
