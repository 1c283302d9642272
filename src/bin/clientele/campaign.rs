//! The campaign analyses in the CLI: their flags (each sets one field of the options, checked
//! by the core like the page's) and their printed summaries (lifecycle stages, cohorts,
//! segment migration, cross-sell), read from the Report's JSON like the rest.

use super::{list, num, print_section, text, words};
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
            "{}",
            words::say(
                "cli.cohorts",
                &format!(
                    "cohort retention ({} monthly cohorts; share buying 1, 2, 3 months after the first month):",
                    cohorts.len()
                ),
                &[("n", cohorts.len().into())]
            )
        );
        let customers = words::say("cli.clusters.customers", "customers", &[]);
        for k in cohorts {
            let share = list(&k["share"]);
            let after: Vec<String> = (1..4).map(|m| share.get(m).map_or("-".into(), pct)).collect();
            println!(
                "  {} {:>6} {customers}  {}",
                text(&k["month"]),
                k["customers"],
                after.join("  ")
            );
        }
    });
}

fn print_migration(r: &Value) {
    print_section(r, "migration", "segment migration", |m| {
        let (from, to) = (text(&m["earlier_as_of"]), text(&m["as_of"]));
        println!(
            "{}",
            words::say(
                "cli.migration",
                &format!(
                    "segment migration {from} → {to}: {} stayed, {} moved, {} new (--migration-days)",
                    m["stayed"], m["moved"], m["new_customers"]
                ),
                &[
                    ("from", from.into()),
                    ("to", to.into()),
                    ("stayed", m["stayed"].clone()),
                    ("moved", m["moved"].clone()),
                    ("new", m["new_customers"].clone()),
                ]
            )
        );
        let segs = list(&m["segments"]);
        let name = |v: &Value| match v.as_u64().and_then(|i| segs.get(i as usize)) {
            Some(s) => words::segment(text(s)),
            None => words::say("cli.not_yet_customer", "Not yet a customer", &[]),
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
            "{}",
            words::say(
                "cli.cross_sell",
                &format!(
                    "cross-sell: {} products, {} pairs bought by ≥ {} customers (--min-support {}); {} customers have a next_product",
                    x["products_bought"], x["pairs"], x["min_customers"], x["params"]["min_support"], x["recommended"]
                ),
                &[
                    ("products", x["products_bought"].clone()),
                    ("pairs", x["pairs"].clone()),
                    ("min", x["min_customers"].clone()),
                    ("support", x["params"]["min_support"].clone()),
                    ("recommended", x["recommended"].clone()),
                ]
            )
        );
        for p in list(&x["top_pairs"]).iter().take(5) {
            let (a, b) = (product(&p["a"], &p["a_name"]), product(&p["b"], &p["b_name"]));
            let (confidence, lift) = (pct(&p["confidence_a_to_b"]), num(&p["lift"], 1));
            println!(
                "  {}",
                words::say(
                    "cli.pair",
                    &format!(
                        "{a} + {b}: {} customers, confidence {confidence}, lift {lift}",
                        p["customers"]
                    ),
                    &[
                        ("a", a.clone().into()),
                        ("b", b.clone().into()),
                        ("customers", p["customers"].clone()),
                        ("confidence", confidence.clone().into()),
                        ("lift", lift.clone().into()),
                    ]
                )
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
        words::say("cli.na", "n/a", &[])
    } else {
        num(v, 2)
    }
}

/// A lifecycle window's label ("options", "2x/4x median gap", "30/90 days") in words.
fn window_label(label: &str) -> String {
    let numbers: Vec<Value> = label
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter_map(|n| n.parse::<f64>().ok())
        .map(Value::from)
        .collect();
    let key = if label == "options" {
        "lifecycle.alt.options"
    } else if label.ends_with("median gap") {
        "lifecycle.alt.gap"
    } else {
        "lifecycle.alt.days"
    };
    match numbers.as_slice() {
        [a, l] => words::say(key, label, &[("a", a.clone()), ("l", l.clone())]),
        _ => words::say(key, label, &[]),
    }
}

fn print_lifecycle(r: &Value) {
    print_section(r, "lifecycle", "lifecycle", |l| {
        let w = &l["windows"];
        let gap = num(&l["median_gap_days"], 1);
        let how = match text(&w["source"]) {
            "median_gap" => words::say(
                "cli.lifecycle.median_gap",
                &format!("guessed from the median gap between purchase days, {gap} days"),
                &[("days", gap.clone().into())],
            ),
            "options" => words::say("cli.lifecycle.options", "as given", &[]),
            _ => words::say(
                "cli.lifecycle.fixed",
                "fixed: no repeat purchases to measure",
                &[],
            ),
        };
        println!(
            "{}",
            words::say(
                "cli.lifecycle",
                &format!(
                    "lifecycle stages (new ≤ {} days, active ≤ {}, lapsed > {}; {how}):",
                    w["new_days"], w["active_days"], w["lapsed_days"]
                ),
                &[
                    ("new", w["new_days"].clone()),
                    ("active", w["active_days"].clone()),
                    ("lapsed", w["lapsed_days"].clone()),
                    ("how", how.clone().into()),
                ]
            )
        );
        for s in list(&l["stages"]) {
            let stage = text(&s["stage"]);
            let revenue = money(&s["revenue"]);
            println!(
                "{}",
                words::say(
                    "cli.stage_row",
                    &format!(
                        "  {stage:<12} {:>7} customers ({:>5} one-time, {:>5} repeat), revenue {revenue}",
                        s["customers"], s["one_time"], s["repeat"]
                    ),
                    &[
                        (
                            "stage",
                            words::say(&format!("lifecycle.stage.{stage}"), stage, &[]).into()
                        ),
                        ("customers", s["customers"].clone()),
                        ("one_time", s["one_time"].clone()),
                        ("repeat", s["repeat"].clone()),
                        ("revenue", revenue.clone().into()),
                    ]
                )
            );
        }
        let days = words::say("cli.days", "days", &[]);
        let others: Vec<String> = list(&l["alternatives"])
            .iter()
            .filter(|a| a["chosen"] != true)
            .map(|a| {
                format!(
                    "{} ({}/{} {days})",
                    window_label(text(&a["label"])),
                    a["windows"]["active_days"],
                    a["windows"]["lapsed_days"]
                )
            })
            .collect();
        if !others.is_empty() {
            let windows = others.join(", ");
            println!(
                "  {}",
                words::say(
                    "cli.other_windows",
                    &format!("other windows: {windows} (--lifecycle-active-days, --lifecycle-lapsed-days)"),
                    &[("windows", windows.clone().into())]
                )
            );
        }
    });
}
