//! The reader's messages as codes: every warning, detected date format, role reason and
//! candidate "why" that reaches the [`super::QualityReport`] is a [`Warning`] with one of
//! [`CODES`], its parameters, and the English sentence kept for the CLI and logs. The page and
//! the CLI word them from `ingest.<code>` in the catalogue of the reader's language
//! (`www/i18n/<lang>/ingest.js`); a test checks that every code has an entry in every language.

use crate::warning::Warning;

/// Every code the reader can put in a [`super::QualityReport`] (warnings, `coded_date_format`,
/// `coded_amount_source`, `dates.coded_rule`, `coded_reason`, `coded_why`). A test reads the ingest sources and fails on a code used there
/// and missing here.
pub const CODES: &[&str] = &[
    // Warnings: the file's currency (currency.rs).
    "currency_mixed",
    "currency_conflict",
    // Warnings: the file and its text.
    "sheets",
    "error_cells",
    "parquet_utc",
    "encoding_switched",
    "replaced_bytes",
    "encoding_guess",
    "merged_ids",
    "header_quote",
    "unterminated_quote",
    "ragged",
    // Warnings: columns and roles.
    "no_amount_column",
    "no_order_column",
    "twin_columns",
    "role_from_values",
    "amount_looks_like_count",
    "bad_quantity",
    // Warnings: dates.
    "dates_undecided",
    "date_order_conflict",
    "dates_kept",
    // Warnings: customer-level tables and summaries.
    "customer_table",
    "as_of_from_file",
    "as_of_differs",
    "no_first_order",
    "bad_first_order",
    "summary_table",
    "summary_unused_columns",
    // Response files (campaign read-back).
    "revenue_as_converted",
    // How the dates were read (`coded_date_format`).
    "date_format_ymd",
    "date_format_read",
    "date_format_chosen",
    "date_format_assumed",
    // Why a role's column was used (`coded_reason`).
    "role_reason_option",
    "role_reason_header",
    "role_reason_values",
    "role_reason_suppressed",
    "role_reason_unused",
    "role_reason_amount_values",
    "role_reason_amount_count",
    // Where the amounts come from (`coded_amount_source`).
    "amount_column",
    "amount_price_only",
    "amount_qty_price",
    "amount_total_spent",
    // The rule setting purchase dates apart (`dates.coded_rule`).
    "date_outlier_rule",
    // Why a column could play a role (`coded_why`).
    "why_known_name",
    "why_name_word",
    "why_dates",
    "why_decimals",
    "why_money",
    "why_chosen",
];

/// A message of the reader: `code` (one of [`CODES`]) and its English sentence.
pub(crate) fn msg(code: &'static str, english: impl Into<String>) -> Warning {
    debug_assert!(CODES.contains(&code), "{code} is not in ingest::messages::CODES");
    Warning::new(code, english)
}

/// `"dmy"` or `"mdy"`: the day/month order as the `order` parameter.
pub(crate) fn order_key(dmy: bool) -> &'static str {
    if dmy {
        "dmy"
    } else {
        "mdy"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `msg("code", …)` in the reader's sources (src/ingest, src/customers.rs) names a code of [`CODES`], and every
    /// code of [`CODES`] is used somewhere.
    #[test]
    fn codes_list_every_code_the_reader_uses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut used = std::collections::BTreeSet::new();
        let files = std::fs::read_dir(format!("{dir}/ingest"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .chain([format!("{dir}/customers.rs").into()]);
        for path in files {
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("messages.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            for part in src.split("msg(").skip(1) {
                if let Some(code) = part.trim_start().strip_prefix('"') {
                    used.insert(code.split('"').next().unwrap().to_string());
                }
            }
        }
        let listed: std::collections::BTreeSet<String> = CODES.iter().map(|c| c.to_string()).collect();
        assert_eq!(used, listed);
    }
}
