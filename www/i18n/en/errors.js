// Errors by code (the core's error kind or data-error code, the worker's own): the sentence
// in the error banner; the core's English message, with its details, is kept beside it.
export default {
  'errors.empty': 'The file is empty (no bytes, or only blanks).',
  'errors.not_text': 'This is not a text table: it looks like binary data. Save it from Excel as CSV, or drop the workbook itself.',
  'errors.header_only': 'The file has a header row and nothing below it.',
  'errors.no_customer_column':
    'No column identifies the customer. Name one CustomerID, customer_id, Email or 客户ID, or choose it in the Columns table.',
  'errors.no_date_column': 'No column holds the purchase date. Name one Date or InvoiceDate (订单日期), or choose it in the Columns table.',
  'errors.bad_dates': 'Most dates in the date column could not be read.',
  'errors.bad_amounts': 'Most amounts could not be read as numbers.',
  'errors.ambiguous_dates': 'The dates could be day/month or month/day, and the file does not say which: choose the order below.',
  'errors.ragged': 'Most rows have a different number of fields than the header: check the delimiter or the quotes.',
  'errors.no_usable_rows': 'Every row was skipped: no row has a customer, a date and an amount that can be read.',
  'errors.line_too_long': 'A line is longer than 16 MiB: the file lost its line breaks, or is not a table.',
  'errors.invalid_option': 'An option is invalid: {path}.',
  'errors.io': 'The file could not be read.',
  'errors.cancelled': 'The analysis was cancelled.',
  'errors.crash':
    'The analysis engine stopped on this file. It may be damaged or too large for this browser: save it again from Excel or as CSV and retry, or use the command-line tool for very large files. Other files can be analysed as usual.',
  'errors.too_many_customers': 'The file has more customers than this browser can hold ({customers, int}; the limit is {limit, int}): use the command-line tool.',
  'errors.result_too_large': 'The result is too large to show in this browser: use the command-line tool.',
  'errors.workbook_core_needed': 'Workbook support is loading.',
  'errors.original': 'Details (English)',
};
