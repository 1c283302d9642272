// The core's warnings (Warning.code, with Warning.params), by code: what the page shows at the
// top of a section (dom.js warningText). A code missing here is shown in the core's English.
export default {
  'warnings.rfm_no_monetary': 'The file has no amount, so there is no monetary value and no M score: scores and segments use recency and frequency only.',
  'warnings.rfm_few_customers':
    'Only {customers, int} customers for {bins} scores (fewer than two per score): the scores are coarse, and one customer more or less can move the others.',
  'warnings.cluster_no_monetary': 'The file has no amount: the clusters are on recency and frequency only, and their revenue and spend figures are unknown, not 0.',
  'warnings.cluster_fit_on_patterns':
    '{customers, int} customers: k-means was fitted on their {patterns, int} distinct feature patterns, each weighted by the customers who share it (the same centroids as on every customer).',
  'warnings.cluster_fit_on_sample':
    '{customers, int} customers with more than 2,000,000 distinct feature patterns: k-means was fitted on a seeded sample of {sample, int} customers ({patterns, int} distinct patterns, weighted) and every customer labelled by the nearest centroid; another seed draws another sample.',
  'warnings.propensity_no_skill':
    'Validation AUC is {auc, num2}, no better than chance: p_buy and its deciles do not rank customers better than a coin toss, so do not use them to pick targets; try another horizon (--horizon-days {other_horizon_days}) or a file with more history.',
  'warnings.propensity_weak':
    'Validation AUC is {auc, num2}, only a little better than chance: p_buy and its deciles rank customers weakly, so use them with care; try another horizon (--horizon-days {other_horizon_days}) or a file with more history.',
  'warnings.propensity_short_history':
    'The model learned from only {history_days, int} days of purchases before the cut {cut, date}, less than the {horizon_days, int}-day horizon it predicts, so p_buy rests on little behaviour; use a shorter horizon (--horizon-days {suggested_horizon_days}).',
  'warnings.propensity_new_customers':
    '{count, int} of the {scored_customers, int} scored customers ({share, pct}) first bought on or after the training cut {cut, date}, so the model never saw them in training and their p_buy is an extrapolation from customers who were new at the cut; treat it as rough, or use a shorter horizon (--horizon-days {shorter_horizon_days}) so fewer customers fall after the cut.',
  'warnings.clv_spend_frequency_correlation':
    'Spend per purchase is correlated with how often customers buy (r = {correlation, num2}) while the Gamma-Gamma model assumes they are independent, so expected spend and clv may be biased; rank customers by expected purchases if in doubt.',
  'warnings.clv_no_spend':
    'The file has no amount column, so spend per purchase and clv cannot be estimated and are left empty (not 0); expected_purchases and p_alive still apply, and a file with amounts gives lifetime value in money.',
  'warnings.clv_horizon_beyond_history':
    'Expected purchases are projected {horizon_months, int} months ahead from only {history_days, int} days of purchases, so they extrapolate beyond anything the file shows; choose a shorter horizon (clv.horizon_months) or use a file with more history.',
  'warnings.clv_penalised_fit':
    'The purchase model could not be fitted plainly and was refitted with a penalty ({penalty}), so read p_alive, expected_purchases and clv as approximate and prefer a longer history or calibration period.',
  'warnings.clv_penalised_fit_shift':
    "The purchase model could not be fitted plainly and was refitted with a penalty ({penalty}), which moves p_alive by up to {max_p_alive_shift, num2} ({mean_p_alive_shift, num3} on average over the {customers, int} customers) from the plain fit's last estimate, so read p_alive, expected_purchases and clv as approximate and prefer a longer history or calibration period.",
  'warnings.clv_penalised_fit_spend':
    'The spend model (Gamma-Gamma) could not be fitted plainly and was refitted with a penalty ({penalty}), which puts the average spend per purchase at {mean_spend, num2}, so read expected_spend and clv as approximate.',
  'warnings.lifecycle_fixed_windows':
    'No customer bought on two different days, so the file has no gap between purchases to size the windows from: lifecycle stages use fixed windows of {active_days, int} and {lapsed_days, int} days.',
  'warnings.lifecycle_new_covers_history':
    "The new-customer window ({new_days, int} days) reaches back to the file's first purchase ({history_days, int} days before the as-of date): every customer counts as new.",
  'warnings.cohorts_partial_month': 'The last month runs only to {last_day, date} (the day before the as-of date): its column is not a whole month.',
  'warnings.migration_few_earlier': 'Only {customers, int} customers had bought before {cut, date}: their earlier segments rest on very few customers.',
  'warnings.cross_sell_no_pairs':
    'No two products were bought by {min_customers, int} or more of the {customers, int} customers (minimum support {min_support, pct}): lower the minimum support to see pairs.',
  'warnings.target_budget_above_eligible': 'The budget is {budget, int} customers but only {eligible, int} pass the filters: every one of them is on the list.',
  'warnings.target_empty': 'No customer passes every filter: loosen a filter to get a list.',
  'warnings.target_no_holdout':
    'The list is too short for its holdout share to hold out even one customer: the campaign cannot be measured against a holdout.',
  'warnings.planner_list_too_small':
    'The list is too small to detect an uplift of {min_uplift, pct} on a base rate of {base_rate, pct} with {power, pct} power: that needs at least {min_list_size, int} customers; this list has {list_size, int}.',
  'warnings.planner_holdout_too_small':
    'A holdout of {holdout, int} customers gives only {power_at_holdout, pct} power to detect an uplift of {min_uplift, pct}: hold out at least {holdout_needed, int}.',
  'warnings.readback_not_on_list': '{rows, int} response rows name customers who are not on the list (rows {examples}): they were left out.',
  'warnings.readback_without_response': '{customers, int} listed customers have no row in the response file: they were left out of every figure.',
  'warnings.readback_without_response_counted':
    '{customers, int} listed customers have no row in the response file: counted as not converted (the file is read as listing the buyers); choose "leave them out" if the file should cover everyone.',
  'warnings.readback_group_differs': "{rows, int} response rows give another group than the list: the list's group was used.",
  'warnings.readback_repeated_customers':
    '{rows, int} rows repeat a customer already seen: their revenue was added up, and the customer counts as converted if any row says so.',
  'warnings.readback_rows_skipped': '{rows, int} rows of the response file could not be used (see the reasons below).',
  'warnings.readback_small_groups': 'The smaller group has only {customers, int} customers: only a large effect can show as significant.',
};
