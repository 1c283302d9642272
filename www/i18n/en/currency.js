// The file's currency: the Data quality fact, the Currency menu (www/currency.js); the core's currency warnings are in ingest.js.
export default {
  'currency.fact': 'Currency',
  'currency.unknown_none': 'unknown: nothing in the file names it (money is shown as plain numbers)',
  'currency.fact_text': '{code} ({source})',
  'currency.fact_alternatives': '{text}; {alternatives}',
  'currency.unknown': 'unknown',
  'currency.source.option': 'chosen in the Currency menu or by the currency option',
  'currency.source.cells': 'from the money cells: {marks}',
  'currency.source.header': 'from the column name {marks}',
  'currency.source.column': 'from the currency column “{column}”',
  'currency.source.conflict': 'the money marks disagree: {marks}',
  'currency.alternatives': 'could also be {codes}',
  'currency.menu.label': 'Currency',
  'currency.menu.auto': 'As detected ({code})',
  'currency.menu.auto_unknown': 'As detected (unknown)',
  'currency.menu.auto_again': 'Detect from the file',
};
