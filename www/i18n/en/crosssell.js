// The Cross-sell section (www/sections/crosssell.js): pairs, next products, per segment.
export default {
  'crosssell.off': 'Cross-sell was switched off.',
  'crosssell.unavailable': 'Cross-sell is unavailable',
  'crosssell.min_support': 'Minimum support',
  'crosssell.lead':
    "{products, int} products bought by {customers, int} customers. A pair counts when at least {min, int} customers bought both (minimum support {support}): {frequent, int} products qualify, {pairs, int} pairs. {recommended, int} customers have a next product (export column next_product). Products are the product column's values as the file writes them (codes, when it is a SKU column: choose a name column as the product under Data quality → Columns to see names). Minimum support: ",
  'crosssell.apply': 'Apply',
  'crosssell.col.a': 'Product A',
  'crosssell.col.b': 'Product B',
  'crosssell.col.customers': 'Customers',
  'crosssell.col.support': 'Support',
  'crosssell.col.a_to_b': 'Confidence: share of A’s buyers who bought B',
  'crosssell.col.b_to_a': 'Confidence: share of B’s buyers who bought A',
  'crosssell.col.lift': 'Lift',
  'crosssell.col.lift_title': 'How many times more often bought together than by chance',
  'crosssell.col.product': 'Product',
  'crosssell.pairs.title': 'Top pairs by lift',
  'crosssell.next.title': 'Most recommended next products',
  'crosssell.segments.title': 'Top pairs per segment',
  'crosssell.segments.shown': '{segment}: {n, int} customers, {pairs, int} pairs shown',
  'crosssell.segments.none': '{segment}: {n, int} customers, no pair bought by {min, int} or more',
};
