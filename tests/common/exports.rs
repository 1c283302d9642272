//! The export corpus (`tests/fixtures/exports/`, made by `make_exports.py`) and the comparison
//! of a Report, as JSON, with the figures pandas computed from the generator's own data model.
//! Shared by `tests/exports_corpus.rs` (native) and `tests/wasm_exports.rs` (headless Chromium),
//! so both hold the core to the same expectations. The Report is read as `serde_json::Value`:
//! fields of issue 11's new behaviour (`summary.revenue` null, `frequency_unit`, …) are checked
//! by name, whether or not the structs of this branch have them yet.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write;

include!("../fixtures/exports/files.rs");

/// `expected.json`: one entry per file (see `make_exports.py` for the rules).
pub const EXPECTED_JSON: &str = include_str!("../fixtures/exports/expected.json");

/// Money compares to this (the expected figures are exact sums rounded to 6 decimals).
const MONEY_TOLERANCE: f64 = 1e-6;

/// Per file, at most this many customer lines are printed (the count of the rest follows).
const MAX_CUSTOMER_LINES: usize = 12;

/// The expected entry of one file.
pub fn expected(file: &str) -> Value {
    let all: Value = serde_json::from_str(EXPECTED_JSON).expect("expected.json parses");
    all["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|e| e["file"] == file)
        .unwrap_or_else(|| panic!("{file} has no entry in expected.json"))
        .clone()
}

/// The bytes of one corpus file.
pub fn bytes(file: &str) -> &'static [u8] {
    EXPORT_FILES
        .iter()
        .find(|(name, _)| *name == file)
        .unwrap_or_else(|| panic!("{file} is not in files.rs"))
        .1
}

/// The options every run uses: the defaults, with the file's name (messages name it).
pub fn options_json(file: &str) -> String {
    format!("{{\"ingest\":{{\"file_name\":{}}}}}", Value::from(file))
}

/// What one file gave.
#[derive(Debug)]
pub enum Outcome {
    /// Every checked figure is as expected.
    Pass,
    /// The file's documented `known_gap` (something issue 11 does not demand) explains the
    /// differences: the figures are the gap's own (`gap_figures`), or the gap has none.
    KnownGap { reason: String, diffs: Vec<String> },
    /// The differences, one readable line each.
    Fail { diffs: Vec<String> },
}

/// Compares a Report (as JSON) or the error `analyze` returned with the file's expectations.
pub fn check(file: &str, report: Result<Value, String>) -> Outcome {
    let exp = expected(file);
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            return Outcome::Fail {
                diffs: vec![format!("{file}: analyze failed: {e}")],
            }
        }
    };
    let mut diffs = Vec::new();
    check_reading(file, &exp, &report, &mut diffs);
    check_candidates(file, &exp, &report, &mut diffs);
    let figure_diffs = figures(file, &exp, &report);
    if figure_diffs.is_empty() && diffs.is_empty() {
        return Outcome::Pass;
    }
    let gap = exp["known_gap"].as_str();
    if let (Some(reason), None) = (gap, exp.get("gap_figures")) {
        // A gap with no figure of its own: whatever the file gives is reported, not failed.
        diffs.extend(figure_diffs);
        return Outcome::KnownGap {
            reason: reason.to_string(),
            diffs,
        };
    }
    if figure_diffs.is_empty() {
        return Outcome::Fail { diffs };
    }
    if let (Some(reason), Some(gap)) = (gap, exp.get("gap_figures")) {
        let mut gap_exp = exp.clone();
        for key in ["as_of", "customer_count", "revenue", "customers"] {
            gap_exp[key] = gap[key].clone();
        }
        if diffs.is_empty() && figures(file, &gap_exp, &report).is_empty() {
            return Outcome::KnownGap {
                reason: reason.to_string(),
                diffs: figure_diffs,
            };
        }
        diffs.push(format!(
            "{file}: the figures match neither the expected ones nor the known gap's ({reason})"
        ));
    }
    diffs.extend(figure_diffs);
    Outcome::Fail { diffs }
}

/// Encoding, table kind, frequency unit and the column mapping.
fn check_reading(file: &str, exp: &Value, report: &Value, diffs: &mut Vec<String>) {
    let q = &report["quality"];
    let got_enc = q["encoding"].as_str().unwrap_or("").to_ascii_lowercase();
    let want_enc = exp["encoding"].as_str().unwrap_or("").to_ascii_lowercase();
    if !same_encoding(&want_enc, &got_enc) {
        diffs.push(format!("{file}: encoding: expected {want_enc}, got {got_enc}"));
    }
    if q["table"] != exp["table"] {
        diffs.push(format!(
            "{file}: table: expected {}, got {}",
            exp["table"], q["table"]
        ));
    }
    let unit = if report["summary"].get("frequency_unit").is_some() {
        &report["summary"]["frequency_unit"]
    } else {
        &q["frequency_unit"]
    };
    if *unit != exp["frequency_unit"] {
        diffs.push(format!(
            "{file}: frequency_unit: expected {}, got {}",
            exp["frequency_unit"],
            if unit.is_null() {
                "no such field".into()
            } else {
                unit.to_string()
            }
        ));
    }
    let columns = q["columns"].as_array().cloned().unwrap_or_default();
    let with_role = |role: &str| -> Vec<String> {
        columns
            .iter()
            .filter(|c| c["role"] == role)
            .map(|c| c["header"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let header_of_role_seen = |header: &str| -> String {
        columns
            .iter()
            .find(|c| c["header"] == header)
            .map(|c| c["role"].to_string())
            .unwrap_or_else(|| "no such column".into())
    };
    for (role, want) in exp["columns"].as_object().expect("columns") {
        let got = with_role(role);
        match want.as_str() {
            None if !got.is_empty() => diffs.push(format!(
                "{file}: column role {role}: expected no column, got {got:?}"
            )),
            Some(header) if got != [header] => diffs.push(format!(
                "{file}: column role {role}: expected {header:?}, got {got:?} ({header:?} has role {})",
                header_of_role_seen(header)
            )),
            _ => {}
        }
    }
}

/// Roles two or more columns could play: `quality.candidates` must list the expected headers
/// for the role, and say the first one was used.
fn check_candidates(file: &str, exp: &Value, report: &Value, diffs: &mut Vec<String>) {
    let Some(want) = exp.get("candidates").and_then(Value::as_object) else {
        return;
    };
    let q = &report["quality"];
    let Some(entries) = q.get("candidates").and_then(Value::as_array) else {
        diffs.push(format!(
            "{file}: candidates: expected entries for {:?}, got no quality.candidates field",
            want.keys().collect::<Vec<_>>()
        ));
        return;
    };
    let index_of = |header: &str| {
        q["columns"]
            .as_array()
            .and_then(|cols| cols.iter().find(|c| c["header"] == header))
            .map(|c| c["index"].clone())
            .unwrap_or(Value::Null)
    };
    for (role, headers) in want {
        let headers: Vec<&str> = headers
            .as_array()
            .expect("headers")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let Some(entry) = entries.iter().find(|e| e["role"] == role.as_str()) else {
            diffs.push(format!(
                "{file}: candidates: no entry for role {role} (expected {headers:?})"
            ));
            continue;
        };
        let listed: Vec<&str> = entry["columns"]
            .as_array()
            .map(|cols| cols.iter().filter_map(|c| c["header"].as_str()).collect())
            .unwrap_or_default();
        let absent: Vec<&&str> = headers.iter().filter(|h| !listed.contains(h)).collect();
        if !absent.is_empty() {
            diffs.push(format!(
                "{file}: candidates for {role}: {absent:?} not listed (listed: {listed:?})"
            ));
        }
        if entry["used"] != index_of(headers[0]) {
            diffs.push(format!(
                "{file}: candidates for {role}: expected column {} ({:?}) used, got {}",
                index_of(headers[0]),
                headers[0],
                entry["used"]
            ));
        }
    }
}

/// GBK bytes decode identically as GB18030 (its superset); a byte-order mark may be named.
fn same_encoding(want: &str, got: &str) -> bool {
    let got = got.strip_suffix(" (bom)").unwrap_or(got);
    want == got || (want == "gbk" && got == "gb18030")
}

/// As-of date, customer count, revenue and every customer's recency, frequency and monetary.
fn figures(file: &str, exp: &Value, report: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    if report["as_of"] != exp["as_of"] {
        diffs.push(format!(
            "{file}: as_of: expected {}, got {}",
            exp["as_of"], report["as_of"]
        ));
    }
    let summary = &report["summary"];
    if summary["customers"] != exp["customer_count"] {
        diffs.push(format!(
            "{file}: customer count: expected {}, got {}",
            exp["customer_count"], summary["customers"]
        ));
    }
    if let Some(d) = money_diff(&exp["revenue"], &summary["revenue"]) {
        diffs.push(format!("{file}: revenue: {d}"));
    }
    let c = &report["customers"];
    let ids: HashMap<&str, usize> = c["id"]
        .as_array()
        .map(|ids| {
            ids.iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_str().map(|s| (s, i)))
                .collect()
        })
        .unwrap_or_default();
    let want = exp["customers"].as_object().expect("customers");
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    for (id, w) in want {
        let Some(&i) = ids.get(id.as_str()) else {
            missing.push(id.as_str());
            continue;
        };
        let mut line = String::new();
        for field in ["recency_days", "frequency"] {
            if c[field][i] != w[field] {
                let _ = write!(line, " {field}: expected {}, got {};", w[field], c[field][i]);
            }
        }
        // `customers.monetary` is null as a whole when the file has no amount.
        let got_m = if c["monetary"].is_null() {
            &Value::Null
        } else {
            &c["monetary"][i]
        };
        if let Some(d) = money_diff(&w["monetary"], got_m) {
            let _ = write!(line, " monetary: {d};");
        }
        if !line.is_empty() {
            lines.push(format!("{file}: customer {id}:{line}"));
        }
    }
    let extra: Vec<&str> = ids.keys().copied().filter(|id| !want.contains_key(*id)).collect();
    if !missing.is_empty() {
        diffs.push(format!(
            "{file}: {} expected customers missing: {}",
            missing.len(),
            sample(&missing)
        ));
    }
    if !extra.is_empty() {
        let mut extra = extra;
        extra.sort_unstable();
        diffs.push(format!(
            "{file}: {} unexpected customers: {}",
            extra.len(),
            sample(&extra)
        ));
    }
    if lines.len() > MAX_CUSTOMER_LINES {
        let more = lines.len() - MAX_CUSTOMER_LINES;
        lines.truncate(MAX_CUSTOMER_LINES);
        lines.push(format!("{file}: … and {more} more customers differ"));
    }
    diffs.extend(lines);
    diffs
}

fn sample(ids: &[&str]) -> String {
    let shown: Vec<&str> = ids.iter().take(8).copied().collect();
    let tail = if ids.len() > shown.len() { ", …" } else { "" };
    format!("{}{tail}", shown.join(", "))
}

/// None when equal (null = null, or numbers within the tolerance), else why not.
fn money_diff(want: &Value, got: &Value) -> Option<String> {
    match (want.as_f64(), got.as_f64()) {
        (None, None) if want.is_null() && got.is_null() => None,
        (Some(w), Some(g)) if (w - g).abs() <= MONEY_TOLERANCE => None,
        _ => Some(format!("expected {want}, got {got}")),
    }
}

/// Runs `check` and turns the outcome into a test result: a panic listing every difference.
pub fn assert_outcome(file: &str, outcome: Outcome) {
    match outcome {
        Outcome::Pass => println!("{file}: as expected"),
        Outcome::KnownGap { reason, diffs } => {
            println!("{file}: SKIPPED (known gap): {reason}");
            for d in &diffs {
                println!("  {d}");
            }
        }
        Outcome::Fail { diffs } => {
            let mut text = format!("{file}: {} difference(s)\n", diffs.len());
            for d in &diffs {
                text.push_str("  ");
                text.push_str(d);
                text.push('\n');
            }
            panic!("{text}");
        }
    }
}
