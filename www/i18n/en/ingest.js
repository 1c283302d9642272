// The reader's messages by code (QualityReport.warnings, coded_date_format, candidates'
// coded_reason and coded_why: src/ingest/messages.rs CODES), with their params. English shows
// the core's own sentence; these are the other languages' source and the fallback. The page
// (sections/quality.js) and the CLI (src/bin/clientele/words.rs) fill `role`, `order`, `group`
// and `values` with their own words first. Variants: `_price` (the amount is quantity × unit
// price), `_no_header` (a file without a header row).
export default {
  'ingest.currency_mixed': 'The currency column "{column}" holds several currencies (rows: {counts}): amounts are added as written, with no conversion; money is shown in {code}, the most common. To analyse one currency, filter the file to its rows; to show another, choose it in the Currency menu.',
  'ingest.currency_conflict': 'The file\'s money marks disagree ({marks}): the currency is left unknown and money is shown as plain numbers. Choose the currency in the Currency menu.',
  'ingest.sheets': 'The workbook has {count, int} sheets ("{names}"): "{sheet}" was read; to read another, choose it in the Sheet menu, or pass --sheet NAME.',
  'ingest.error_cells': '{cells, int} cells of the sheet hold spreadsheet errors (#N/A, #DIV/0!, …) and were read as empty.',
  'ingest.parquet_utc': 'The Parquet column "{column}" holds instants in UTC: its dates are UTC calendar days (write local timestamps to count days in local time).',
  'ingest.encoding_switched':
    'The file starts as plain ASCII (read as UTF-8) but from byte {byte, int} it has bytes that are not UTF-8: the encoding was decided again there and the file read as {encoding}. If names look wrong, choose the encoding in the Encoding menu, or pass --encoding.',
  'ingest.replaced_bytes': "Some bytes were not valid {encoding} and were replaced by �: if names or amounts look wrong, choose the file's encoding in the Encoding menu, or pass --encoding.",
  'ingest.encoding_guess':
    'The file is not UTF-8: it was read as {encoding} (its text is made of common characters in that encoding); {others} could also decode the bytes. If names look garbled, choose another encoding in the Encoding menu, or pass --encoding {option}.',
  'ingest.merged_ids':
    'Customers may have been merged: {rows, int} rows (the first is row {row, int}) have customer ids with bytes that are not valid {encoding}, which gives {ids, int} ids such as "{example}"; ids that differ only in those letters count as one customer. Choose the file\'s real encoding in the Encoding menu, or pass --encoding, to keep them apart.',
  'ingest.header_quote': 'The header row has a quote (") that never closes: it was read as text without the quote (the columns are "{columns}"); check the column roles.',
  'ingest.unterminated_quote':
    'Rows with a quote (") that opens a cell and never closes (within {max_lines, int} lines and {max_mib, int} MiB, or before the end of the file): {rows, int}, e.g. rows {examples}. They were skipped and the lines after them read as rows of their own; to use them, remove the stray quote or close it in the file.',
  'ingest.ragged': '{rows, int} rows have a different number of fields than the header and were skipped.',
  'ingest.ragged_no_header': '{rows, int} rows have a different number of fields than the first rows and were skipped.',
  'ingest.no_amount_column': 'The file has no amount column (nor quantity and unit price): monetary figures (spend, lifetime value) are unavailable; recency and frequency still work.',
  'ingest.no_order_column':
    'No order column: frequency counts distinct purchase days per customer, not orders (to change it, choose the order column in the Columns table or pass --column order="{column}").',
  'ingest.twin_columns':
    '{count, int} columns are named "{column}": column {index, int} was used as the {role}; to use another, choose its role in the Columns table, or pass --column with the column index {other}.',
  'ingest.role_from_values': 'Column "{column}" was taken as the {role} from its values (its name is not one Clientele knows); to change it, choose its role in the Columns table.',
  'ingest.amount_looks_like_count':
    'Column "{column}" is named like an amount but holds small whole numbers (at most {max}), like an item count: the amount is "{money_column}"; to change it, choose its role in the Columns table.',
  'ingest.amount_looks_like_count_price':
    'Column "{column}" is named like an amount but holds small whole numbers (at most {max}), like an item count: it is read as the quantity and the amount is quantity × "{money_column}"; to change it, choose its role in the Columns table.',
  'ingest.bad_quantity': '{rows, int} purchase rows have a quantity that is not a number; it was read as 0.',
  'ingest.dates_undecided':
    'The dates in column "{column}" could be day/month or month/day (no number above 12 decides it): read as {order}. If that is wrong, choose the date order on the page or pass --date-order.',
  'ingest.date_order_conflict':
    'The dates in column "{column}" were read as {order}: {agree, int} rows can only be read that way, but {contradict, int} rows can only be read the other way (e.g. rows {examples}); those rows are not used, and the dates that fit both orders were read that way too. If the file means the other order, choose it on the page or pass --date-order; if only those rows are wrong, fix them.',
  'ingest.dates_kept': '{rows, int} purchase dates set apart as "{group}" ({from, date} to {to, date}, e.g. row {row, int}) were kept as purchases: they move the as-of date and every recency.',
  'ingest.customer_table':
    'This file has one row per customer (a customer-level table), so it is scored as it is, as of {as_of, date}; propensity and lifetime value need the purchase history and are unavailable.',
  'ingest.as_of_from_file':
    'As-of date {file_date, date} taken from the file itself: "{last_column}" + "{days_column}" gives that date on {rows, int} of {of, int} rows, so recency equals the file\'s own days since the last order (give an as-of date to measure to another day).',
  'ingest.as_of_differs':
    'The file counts "{days_column}" to {file_date, date} ("{last_column}" + days gives that date on {rows, int} of {of, int} rows), but the as-of date given is {as_of, date}: recency differs from the file\'s own count by {days, int} days.',
  'ingest.no_first_order': 'No first-order date: tenure is taken equal to recency (first order = last order).',
  'ingest.bad_first_order': '{rows, int} first-order dates could not be read (first at row {row, int}): tenure = recency for those customers.',
  'ingest.summary_table':
    'This file is a per-customer summary as of {as_of, date}: RFM, clusters, propensity and lifetime value run on it; lifecycle, cohorts, migration and cross-sell need the purchases themselves.',
  'ingest.summary_unused_columns': 'Columns not in the summary contract, not used: "{columns}".',
  'ingest.revenue_as_converted': 'The file has no converted column: a customer with revenue above 0 in "{column}" counts as converted.',
  'ingest.date_format_ymd': 'year-month-day (e.g. "{example}")',
  'ingest.date_format_read': '{order} (e.g. "{example}")',
  'ingest.date_format_chosen': '{order} (e.g. "{example}"), from the date order you chose',
  'ingest.date_format_assumed': '{order} assumed (e.g. "{example}"): no day or month above 12 tells the order; choose the date order if the file means the other',
  'ingest.role_reason_option': '"{column}" was chosen in the Columns table or with --column',
  'ingest.role_reason_header': '"{column}" is the first column whose name is a known name for this role (exact names before partial ones)',
  'ingest.role_reason_values': '"{column}" was chosen from its values',
  'ingest.role_reason_suppressed': 'the Columns table or --column says no column has this role',
  'ingest.role_reason_unused': 'no column was used for this role',
  'ingest.role_reason_amount_values': 'no column is named like an amount; "{column}" holds {values}',
  'ingest.role_reason_amount_count': '"{column}" is named like an amount but holds small whole numbers (e.g. {example}, at most {max}), like an item count; "{money_column}" holds money',
  'ingest.role_reason_amount_count_price':
    '"{column}" is named like an amount but holds small whole numbers (e.g. {example}, at most {max}), like an item count; quantity × "{money_column}" is the money',
  'ingest.values.decimals': 'decimal numbers',
  'ingest.values.money': 'numbers written as money',
  'ingest.values.whole': 'whole numbers with many distinct values, the right-most such column',
  'ingest.change': '; to change it, choose another role for a column in the Columns table or pass --column (e.g. "{change_column}")',
  'ingest.why_known_name': 'its name "{name}" is a known name for this role',
  'ingest.why_name_word': 'its name "{name}" contains a word for this role',
  'ingest.why_dates': 'its values are dates',
  'ingest.why_decimals': 'its values are decimal numbers (up to {max})',
  'ingest.why_money': 'its values are written as money (currency sign or thousands separators)',
  'ingest.why_chosen': 'chosen as this role',
  'ingest.why_and': ', and ',
  'ingest.cli.by_option': 'columns set by --column: {columns}',
  'ingest.cli.used': '{role}: used {column} ({reason})',
  'ingest.cli.used_plain': '{role}: used {column}',
  'ingest.cli.also': '    also possible: {column} (samples {samples}): {why}; use it with --column {role_key}="{header}"',
  'ingest.cli.no_column': 'no column',
  'ingest.cli.column_n': 'column {n}',
  'ingest.cli.dates': 'dates: {from, date} to {to, date}',
  'ingest.cli.group': 'dates {group}: {rows, int} rows, {min, date} to {max, date} ({examples}), {fate}',
  'ingest.cli.example_row': 'row {row}: {date, date}',
  'ingest.cli.kept': 'kept (--keep-outlier-dates)',
  'ingest.cli.skipped': 'skipped',
  'ingest.amount_column': 'amount column "{column}"',
  'ingest.amount_price_only': 'amount column "{column}" (a price without quantities)',
  'ingest.amount_qty_price': 'quantity × unit price ("{quantity}" × "{price}")',
  'ingest.amount_total_spent': 'customer-level table: total spent per customer ("{column}")',
  'ingest.date_outlier_rule': 'a purchase date is an outlier when an empty stretch of more than {days, int} days and more than {times} times the interquartile range of the purchase dates separates it from the bulk of the file, with at most {share}% of the rows beyond that stretch',
  'ingest.no_order_column_no_candidate': 'No order column: frequency counts distinct purchase days per customer, not orders (to change it, choose the order column in the Columns table or pass --column order="<column name>").',
};
