// Why an analysis has no result (Section.code / a data error's code, with its params): shown
// where the section would be (dom.js reasonText) or in the error banner.
export default {
  'reasons.not_requested': 'this section was not asked for (the sections option), so it was not computed.',
  'reasons.needs_purchases': 'this file is a per-customer summary (one row per customer with the statistics the models need), not the purchases themselves: this analysis needs each purchase (a transaction export).',
  'reasons.needs_transactions':
    'this file has one row per customer (a customer-level table), not the purchases themselves: this model learns from the dates of each purchase, so it needs a transaction export (one row per order or order line).',
  'reasons.no_product_column':
    'the file has no product column (a SKU, item or product name per purchase line): choose one as the product in the Columns table to see which products sell together.',
  'reasons.horizon_beyond_history':
    'the {horizon_days, int}-day horizon is longer than the history: the training cut ({cut, date}) falls on or before the first purchase ({first_purchase, date}); choose a horizon shorter than {max_days, int} days',
  'reasons.too_few_customers_at_cut':
    'only {n, int} customers bought before the training cut {cut, date}; at least {min, int} are needed (try a shorter horizon or a longer history)',
  'reasons.nobody_bought_again':
    'all {n, int} customers known at the cut {cut, date} did not buy again in the {horizon_days, int} days after it, so there is nothing to tell apart; try a different horizon',
  'reasons.everybody_bought_again':
    'all {n, int} customers known at the cut {cut, date} bought again in the {horizon_days, int} days after it, so there is nothing to tell apart; try a different horizon',
  'reasons.too_few_per_class':
    'too few customers of one kind to learn from: {positives, int} bought again and {negatives, int} did not in the {horizon_days, int} days after {cut, date}; at least {min, int} of each are needed',
  'reasons.model_diverged': 'the logistic regression diverged (the classes may be perfectly separable); try a larger alpha',
  'reasons.validation_one_class': 'the validation set lacks buyers or non-buyers',
  'reasons.too_few_customers': 'at least {min, int} customers with a purchase are needed',
  'reasons.no_repeat_customers': 'no customer bought on two different days in the fitted period; the purchase model needs repeat customers',
  'reasons.no_history_to_learn': 'every customer first bought on the last day of the fitted period; there is no history to learn from',
  'reasons.no_features_left': 'no feature is left to cluster on: the file has no amounts; add recency_days or frequency',
  'reasons.constant_feature': '{feature} is the same for every customer, so it cannot separate them; leave it out',
  'reasons.too_few_customers_for_k': '{k} clusters need at least {k} customers; the file has {n, int}',
  'reasons.too_few_distinct_for_k': '{k} clusters need at least {k} customers who differ; only {distinct, int} distinct feature combinations found; choose a smaller k',
  'reasons.too_few_distinct': 'clusters need at least {min} customers who differ; found {distinct, int} distinct feature combination(s)',
  'reasons.nobody_before': 'no customer had bought before {cut, date} ({days, int} days before the as-of date): choose a shorter span.',
  'reasons.no_purchases_before_as_of': 'no purchases before the as-of date {as_of, date}',
  'reasons.no_target_responses': 'the read-back compares the target group with the holdout, and the target group has no customer in the response file.',
  'reasons.no_holdout_responses': 'the read-back compares the target group with the holdout, and the holdout group has no customer in the response file.',
  'reasons.no_group_column':
    'the response file has no group column (target / holdout): give the target list it belongs to, or add the group to the file.',
};
