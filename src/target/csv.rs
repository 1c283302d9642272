//! The target list as CSV: two comment lines (what the list is; the recipe as JSON after
//! [`RECIPE_PREFIX`], so the list can be rebuilt and the read-back knows it), the column
//! header, then one row per listed customer in list order with its `group` (`target` or
//! `holdout`). Cells follow the per-customer export's rules ([`crate::export_cell`]: formula
//! neutralised, quoted when needed, CRLF rows); unknown values are empty cells.

use super::{TargetColumns, TargetList};
use std::fmt::Write;

/// The column header.
pub const LIST_CSV_HEADER: &str =
    "customer_id,group,rank,segment,cluster,lifecycle_stage,p_buy,p_buy_decile,p_alive,clv,expected_value,next_product,next_product_name";

/// What precedes the recipe's JSON on its comment line.
pub const RECIPE_PREFIX: &str = "# recipe: ";

/// The whole list as CSV (see the module doc); `as_of` is the Report's as-of date.
pub fn list_csv(cols: &TargetColumns, list: &TargetList, as_of: &str) -> String {
    list_csv_chunk(cols, list, as_of, 0, list.rows.len(), false)
}

/// Rows `start .. end` of [`list_csv`]; the comment lines and header (after the UTF-8 BOM
/// when `bom`) come with the chunk that starts at 0, so consecutive chunks concatenate to the
/// whole file.
pub fn list_csv_chunk(
    cols: &TargetColumns,
    list: &TargetList,
    as_of: &str,
    start: usize,
    end: usize,
    bom: bool,
) -> String {
    let n = list.rows.len();
    let (start, end) = (start.min(n), end.min(n).max(start.min(n)));
    let mut out = String::with_capacity(80 * (end - start + 4));
    if start == 0 {
        if bom {
            out.push_str(crate::report::UTF8_BOM);
        }
        let s = &list.summary;
        let _ = write!(
            out,
            "# clientele target list as of {as_of}: {} customers, {} target, {} holdout\r\n",
            s.listed, s.target.customers, s.holdout.customers
        );
        out.push_str(RECIPE_PREFIX);
        out.push_str(&serde_json::to_string(&s.recipe).unwrap_or_default());
        out.push_str("\r\n");
        out.push_str(LIST_CSV_HEADER);
        out.push_str("\r\n");
    }
    for pos in start..end {
        push_row(&mut out, cols, list, pos);
    }
    out
}

fn push_row(out: &mut String, cols: &TargetColumns, list: &TargetList, pos: usize) {
    let i = list.rows[pos] as usize;
    let text = |out: &mut String, s: &str| crate::export_cell::push_csv_text(out, s);
    text(out, &cols.id[i]);
    let _ = write!(out, ",{},{},", list.groups[pos].name(), pos + 1);
    text(out, cols.segment.get(i).copied().unwrap_or(""));
    out.push(',');
    if let Some(c) = cols.cluster.and_then(|c| c.get(i)) {
        let _ = write!(out, "{c}");
    }
    out.push(',');
    if let Some(s) = cols.lifecycle_stage.as_ref().and_then(|s| s.get(i)) {
        text(out, s);
    }
    out.push(',');
    if let (Some(p), Some(d)) = (
        cols.p_buy.and_then(|p| p.get(i)),
        cols.p_buy_decile.and_then(|d| d.get(i)),
    ) {
        let _ = write!(out, "{p:.6},{d}");
    } else {
        out.push(',');
    }
    out.push(',');
    if let Some(p) = cols.p_alive.and_then(|p| p.get(i)) {
        let _ = write!(out, "{p:.6}");
    }
    out.push(',');
    if let Some(c) = cols.clv.and_then(|c| c.get(i)) {
        let _ = write!(out, "{c:.2}");
    }
    out.push(',');
    if let Some(v) = cols.expected_value(i) {
        let _ = write!(out, "{v:.2}");
    }
    out.push(',');
    if let Some(Some(p)) = cols.next_product.as_ref().and_then(|n| n.get(i)) {
        text(out, p);
    }
    out.push(',');
    if let Some(Some(p)) = cols.next_product_name.as_ref().and_then(|n| n.get(i)) {
        text(out, p);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::super::{build, TargetRecipe};
    use super::*;

    #[test]
    fn the_csv_carries_groups_and_the_recipe() {
        let ids: Vec<String> = (0..10).map(|i| format!("=c{i}")).collect();
        let p: Vec<f64> = (0..10).map(|i| i as f64 / 10.0).collect();
        let cols = TargetColumns {
            id: &ids,
            segment: vec!["Champions"; 10],
            p_buy: Some(&p),
            ..Default::default()
        };
        let recipe = TargetRecipe {
            holdout_share: 0.2,
            ..Default::default()
        };
        let list = build(&cols, &recipe).unwrap();
        let csv = list_csv(&cols, &list, "2024-01-01");
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "# clientele target list as of 2024-01-01: 10 customers, 8 target, 2 holdout"
        );
        let json = lines[1].strip_prefix(RECIPE_PREFIX).unwrap();
        assert_eq!(TargetRecipe::from_json(json).unwrap(), recipe);
        assert_eq!(lines[2], LIST_CSV_HEADER);
        // Highest p_buy first; the id is neutralised against formulas.
        assert!(lines[3].starts_with("\"'=c9\","), "{}", lines[3]);
        assert_eq!(lines[3].split(',').count(), LIST_CSV_HEADER.split(',').count());
        assert_eq!(csv.matches(",holdout,").count(), 2);
        let chunks = list_csv_chunk(&cols, &list, "2024-01-01", 0, 4, false)
            + &list_csv_chunk(&cols, &list, "2024-01-01", 4, 100, false);
        assert_eq!(chunks, csv);
    }
}
