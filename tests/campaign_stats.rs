//! The campaign statistics against scipy / statsmodels: tests/fixtures/campaign/stats.json
//! (intervals, tests, power, quantiles) and a whole read-back of a synthetic campaign
//! (campaign_list.csv + campaign_responses.csv → campaign_readback.json), both made by
//! tests/fixtures/campaign/make_stats_fixture.py.

use clientele::ingest::{read_responses, ResponseOptions, ResponseSkipReason};
use clientele::readback::{conversion_test, readback, CampaignList, GroupOutcome, ReadbackParams};
use clientele::stats;
use clientele::target::{plan, PlannerParams};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/campaign/");

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}{name}")).unwrap()).unwrap()
}

#[track_caller]
fn close(got: f64, want: &Value, tol: f64, what: &str) {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no number in the fixture"));
    let scale = want.abs().max(1e-300);
    assert!(
        (got - want).abs() <= tol * scale.max(1.0) || (got - want).abs() / scale <= tol,
        "{what}: got {got}, scipy/statsmodels {want}"
    );
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap()
}

fn group(x: u64, n: u64) -> GroupOutcome {
    GroupOutcome {
        customers: n,
        converted: x,
        ..Default::default()
    }
}

/// Checks every conversion figure of one fixture case.
fn check_conversion(c: &Value, label: &str) {
    let (x1, n1, x2, n2) = (u(&c["x1"]), u(&c["n1"]), u(&c["x2"]), u(&c["n2"]));
    let what = |s: &str| format!("{label} {x1}/{n1} vs {x2}/{n2}: {s}");
    let w1 = stats::wilson(x1, n1, 0.05).unwrap();
    close(w1.low, &c["wilson1"][0], 1e-10, &what("wilson low"));
    close(w1.high, &c["wilson1"][1], 1e-10, &what("wilson high"));
    let d = stats::newcombe(x1, n1, x2, n2, 0.05).unwrap();
    close(d.low, &c["newcombe"][0], 1e-10, &what("newcombe low"));
    close(d.high, &c["newcombe"][1], 1e-10, &what("newcombe high"));
    match stats::ratio_log_interval(x1, n1, x2, n2, 0.05) {
        Some(r) => {
            close(r.low, &c["ratio_log"][0], 1e-10, &what("ratio low"));
            close(r.high, &c["ratio_log"][1], 1e-10, &what("ratio high"));
        }
        None => assert!(c.get("ratio_log").is_none(), "{}", what("ratio")),
    }
    match stats::two_proportion_z(x1, n1, x2, n2) {
        Some((z, p)) => {
            close(z, &c["z"], 1e-10, &what("z"));
            close(p, &c["z_p"], 1e-10, &what("z p"));
        }
        None => assert!(c.get("z").is_none(), "{}", what("z")),
    }
    let (odds, p) = stats::fisher_exact(x1, n1 - x1, x2, n2 - x2);
    close(p, &c["fisher_p"], 1e-9, &what("fisher p"));
    match c["odds_ratio"].as_f64() {
        Some(o) => assert!((odds - o).abs() <= 1e-12 * o.abs().max(1.0), "{}", what("odds")),
        None => assert!(!odds.is_finite(), "{}", what("odds")),
    }
    let test = conversion_test(&group(x1, n1), &group(x2, n2), 0.05);
    close(
        test.min_expected_count.unwrap(),
        &c["min_expected"],
        1e-12,
        &what("min expected"),
    );
}

#[test]
fn proportions_match_statsmodels_and_scipy() {
    let f = fixture("stats.json");
    for c in f["proportions"].as_array().unwrap() {
        check_conversion(c, "case");
    }
}

#[test]
fn welch_holm_quantiles_and_power_match() {
    let f = fixture("stats.json");
    for c in f["welch"].as_array().unwrap() {
        let values = |k: &str| -> Vec<f64> {
            c[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let moments = |v: &[f64]| {
            let n = v.len() as f64;
            let m = v.iter().sum::<f64>() / n;
            (
                v.len() as u64,
                m,
                v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0),
            )
        };
        let ((n1, m1, v1), (n2, m2, v2)) = (moments(&values("a")), moments(&values("b")));
        let w = stats::welch(n1, m1, v1, n2, m2, v2, 0.05).unwrap();
        close(w.t, &c["t"], 1e-10, "welch t");
        close(w.df, &c["df"], 1e-10, "welch df");
        close(w.p_value, &c["p"], 1e-9, "welch p");
        close(w.interval.low, &c["low"], 1e-9, "welch low");
        close(w.interval.high, &c["high"], 1e-9, "welch high");
    }
    let holm_in: Vec<f64> = f["holm"]["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    for (got, want) in stats::holm(&holm_in)
        .iter()
        .zip(f["holm"]["adjusted"].as_array().unwrap())
    {
        close(*got, want, 1e-12, "holm");
    }
    for q in f["normal_quantiles"].as_array().unwrap() {
        close(
            stats::normal_quantile(q["p"].as_f64().unwrap()),
            &q["z"],
            1e-12,
            "normal quantile",
        );
    }
    for q in f["t_quantiles"].as_array().unwrap() {
        close(
            stats::t_quantile(q["p"].as_f64().unwrap(), q["df"].as_f64().unwrap()),
            &q["t"],
            1e-9,
            "t quantile",
        );
    }
    for c in f["power"].as_array().unwrap() {
        let params = PlannerParams {
            base_rate: c["base"].as_f64(),
            min_uplift: c["uplift"].as_f64().unwrap(),
            ..Default::default()
        };
        let p = plan(&params, u(&c["list"]), u(&c["holdout"]), None).unwrap();
        close(p.effect_size, &c["h"], 1e-12, "cohen's h");
        close(p.per_group_equal, &c["per_group"], 1e-6, "per group");
        close(p.power_at_holdout, &c["power_at_holdout"], 1e-9, "power");
        assert_eq!(
            p.holdout_needed,
            c["holdout_needed"].as_u64(),
            "holdout needed {c}"
        );
    }
}

#[test]
fn a_whole_read_back_matches_pandas_scipy_statsmodels() {
    let want = fixture("campaign_readback.json");
    let list = CampaignList::from_csv(
        &std::fs::read(format!("{DIR}campaign_list.csv")).unwrap(),
        Some("campaign_list.csv"),
    )
    .unwrap();
    assert_eq!(list.recipe.as_ref().map(|r| r.seed), Some(7));
    let options = ResponseOptions {
        file_name: Some("campaign_responses.csv".into()),
        ..Default::default()
    };
    let (rows, quality) = read_responses(
        &std::fs::read(format!("{DIR}campaign_responses.csv")).unwrap(),
        &options,
    )
    .unwrap();
    let skipped: Vec<ResponseSkipReason> = quality.skipped.iter().map(|s| s.reason).collect();
    assert_eq!(
        skipped,
        [
            ResponseSkipReason::MissingCustomer,
            ResponseSkipReason::BadConverted
        ]
    );
    let r = readback(&rows, quality, Some(&list), &ReadbackParams::default()).unwrap();
    let m = r.list.as_ref().unwrap();
    assert_eq!(
        (m.not_on_list, m.without_response),
        (1, u(&want["without_response"]))
    );
    let o = &want["overall"];
    assert_eq!(
        (r.target.converted, r.target.customers),
        (u(&o["x1"]), u(&o["n1"]))
    );
    assert_eq!(
        (r.holdout.converted, r.holdout.customers),
        (u(&o["x2"]), u(&o["n2"]))
    );
    check_conversion(o, "overall");
    let c = &r.conversion;
    close(c.z_p_value.unwrap(), &o["z_p"], 1e-10, "overall z p");
    close(
        c.absolute_interval.unwrap().low,
        &o["newcombe"][0],
        1e-10,
        "overall newcombe",
    );
    close(
        c.relative_interval.unwrap().high + 1.0,
        &o["ratio_log"][1],
        1e-10,
        "overall ratio",
    );
    close(
        r.target.rate_interval.unwrap().high,
        &o["wilson1"][1],
        1e-10,
        "overall wilson",
    );
    let rev = r.revenue.as_ref().unwrap();
    close(rev.t, &want["revenue"]["t"], 1e-9, "revenue t");
    close(rev.df, &want["revenue"]["df"], 1e-9, "revenue df");
    close(rev.p_value, &want["revenue"]["p"], 1e-9, "revenue p");
    close(rev.interval.low, &want["revenue"]["low"], 1e-9, "revenue low");
    close(
        r.target.revenue_per_customer.unwrap(),
        &want["revenue_per_customer"][0],
        1e-12,
        "revenue per customer",
    );
    close(
        r.holdout.revenue_sd.unwrap(),
        &want["revenue_sd"][1],
        1e-10,
        "revenue sd",
    );
    let segs = want["by_segment"].as_array().unwrap();
    assert_eq!(r.by_segment.len(), segs.len());
    for (got, s) in r.by_segment.iter().zip(segs) {
        assert_eq!(got.name, s["name"].as_str().unwrap());
        assert_eq!(
            (got.target.converted, got.target.customers),
            (u(&s["x1"]), u(&s["n1"]))
        );
        assert_eq!(
            (got.holdout.converted, got.holdout.customers),
            (u(&s["x2"]), u(&s["n2"]))
        );
        assert_eq!(got.test, s["test"].as_str().unwrap(), "{}", got.name);
        close(got.p_value.unwrap(), &s["p"], 1e-9, &got.name);
        close(got.p_adjusted.unwrap(), &s["p_adjusted"], 1e-9, &got.name);
    }
    // Not significant overall at 5 %: the words say so, and name the interval.
    assert_eq!(r.findings[0].code, "conversion_not_significant");
    assert!(
        r.findings[0].message.contains("not statistically significant"),
        "{}",
        r.findings[0].message
    );
}
