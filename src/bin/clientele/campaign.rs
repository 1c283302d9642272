//! The campaign analyses in the CLI: their flags (each sets one field of the options, checked
//! by the core like the page's) and their printed summaries (lifecycle stages, cohorts,
//! segment migration, cross-sell), read from the Report's JSON like the rest.

use super::{list, num, print_section, text};
use serde_json::{json, Value};

/// Option path of a flag, and whether it takes a share (else a whole number).
fn option_of(flag: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match flag {
        "--lifecycle-new-days" => ("lifecycle", "new_days", false),
        "--lifecycle-active-days" => ("lifecycle", "active_days", false),
        "--lifecycle-lapsed-days" => ("lifecycle", "lapsed_days", false),
        "--cohort-months" => ("cohorts", "months", false),
        "--migration-days" => ("migration", "days_before", false),
        "--min-support" => ("cross_sell", "min_support", true),
        _ => return None,
    })
}

/// Handles `flag` when it is one of ours (taking its value from `value`) by adding it to
/// `overrides`; `Ok(false)` when it is not ours.
pub fn parse_flag(
    flag: &str,
    value: &mut dyn FnMut(&str) -> Result<String, String>,
    overrides: &mut Value,
) -> Result<bool, String> {
    let Some((section, field, share)) = option_of(flag) else {
        return Ok(false);
    };
    let v = value(flag)?;
    let n: Value = if share {
        json!(v
            .parse::<f64>()
            .map_err(|_| format!("{flag}: expected a share like 0.01, found \"{v}\""))?)
    } else {
        json!(v
            .parse::<u64>()
            .map_err(|_| format!("{flag}: expected a whole number, found \"{v}\""))?)
    };
    super::merge_json(overrides, json!({ section: { field: n } }));
    Ok(true)
}

/// Prints the campaign sections.
pub fn print(r: &Value) {
    print_lifecycle(r);
    print_cohorts(r);
    print_migration(r);
    print_cross_sell(r);
}

fn pct(v: &Value) -> String {
    format!("{:.1}%", 100.0 * v.as_f64().unwrap_or(0.0))
}

fn print_cohorts(r: &Value) {
    print_section(r, "cohorts", "cohorts", |c| {
        let cohorts = list(&c["cohorts"]);
        println!(
            "cohort retention ({} monthly cohorts; share buying 1, 2, 3 months after the first month):",
            cohorts.len()
        );
        for k in cohorts {
            let share = list(&k["share"]);
            let after: Vec<String> = (1..4).map(|m| share.get(m).map_or("-".into(), pct)).collect();
            println!(
                "  {} {:>6} customers  {}",
                text(&k["month"]),
                k["customers"],
                after.join("  ")
            );
        }
    });
}

fn print_migration(r: &Value) {
    print_section(r, "migration", "segment migration", |m| {
        println!(
            "segment migration {} → {}: {} stayed, {} moved, {} new (--migration-days)",
            text(&m["earlier_as_of"]),
            text(&m["as_of"]),
            m["stayed"],
            m["moved"],
            m["new_customers"]
        );
        let segs = list(&m["segments"]);
        let name = |v: &Value| {
            v.as_u64()
                .and_then(|i| segs.get(i as usize))
                .map_or("Not yet a customer", text)
        };
        let mut moves: Vec<&Value> = list(&m["cells"])
            .iter()
            .filter(|c| c["from"] != c["to"])
            .collect();
        moves.sort_by_key(|c| std::cmp::Reverse(c["customers"].as_u64().unwrap_or(0)));
        for c in moves.iter().take(8) {
            println!(
                "  {:>6} {} → {}",
                c["customers"],
                name(&c["from"]),
                name(&c["to"])
            );
        }
    });
}

fn print_cross_sell(r: &Value) {
    print_section(r, "cross_sell", "cross-sell", |x| {
        println!(
            "cross-sell: {} products, {} pairs bought by ≥ {} customers (--min-support {}); {} customers have a next_product",
            x["products_bought"], x["pairs"], x["min_customers"], x["params"]["min_support"], x["recommended"]
        );
        for p in list(&x["top_pairs"]).iter().take(5) {
            println!(
                "  {} + {}: {} customers, confidence {}, lift {}",
                product(&p["a"], &p["a_name"]),
                product(&p["b"], &p["b_name"]),
                p["customers"],
                pct(&p["confidence_a_to_b"]),
                num(&p["lift"], 1)
            );
        }
    });
}

/// A product as the file writes it: its name with the code after it, or the code alone.
fn product(code: &Value, name: &Value) -> String {
    match name.as_str() {
        Some(n) if n != text(code) => format!("{n} ({})", text(code)),
        _ => text(code).to_string(),
    }
}

fn money(v: &Value) -> String {
    if v.is_null() {
        "n/a".into()
    } else {
        num(v, 2)
    }
}

fn print_lifecycle(r: &Value) {
    print_section(r, "lifecycle", "lifecycle", |l| {
        let w = &l["windows"];
        let how = match text(&w["source"]) {
            "median_gap" => format!(
                "guessed from the median gap between purchase days, {} days",
                num(&l["median_gap_days"], 1)
            ),
            "options" => "as given".to_string(),
            _ => "fixed: no repeat purchases to measure".to_string(),
        };
        println!(
            "lifecycle stages (new ≤ {} days, active ≤ {}, lapsed > {}; {how}):",
            w["new_days"], w["active_days"], w["lapsed_days"]
        );
        for s in list(&l["stages"]) {
            println!(
                "  {:<12} {:>7} customers ({:>5} one-time, {:>5} repeat), revenue {}",
                text(&s["stage"]),
                s["customers"],
                s["one_time"],
                s["repeat"],
                money(&s["revenue"])
            );
        }
        let others: Vec<String> = list(&l["alternatives"])
            .iter()
            .filter(|a| a["chosen"] != true)
            .map(|a| {
                format!(
                    "{} ({}/{} days)",
                    text(&a["label"]),
                    a["windows"]["active_days"],
                    a["windows"]["lapsed_days"]
                )
            })
            .collect();
        if !others.is_empty() {
            println!(
                "  other windows: {} (--lifecycle-active-days, --lifecycle-lapsed-days)",
                others.join(", ")
            );
        }
    });
}
