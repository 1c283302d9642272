//! `clientele target` and `clientele readback` on the CDNOW sample: a list with a seeded
//! holdout and its recipe, rebuilt byte for byte from the recipe in its header; a response
//! file synthesized from it and read back (JSON with the figures the page shows); located
//! errors with exit code 1 and usage errors with 2.
mod common;

use std::path::PathBuf;
use std::process::Command;

fn clientele(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .output()
        .expect("run clientele");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clientele-cli-campaign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn target_list_then_read_back() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let list = temp("list.csv");
    let (code, out, err) = clientele(&[
        "target",
        s(&sample),
        "--filter",
        "decile=1-5",
        "--budget",
        "600",
        "--holdout",
        "0.25",
        "--seed",
        "3",
        "--out",
        s(&list),
        "--today",
        "2024-01-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("600 listed (450 target, 150 holdout), ranked by expected_value"),
        "{out}"
    );
    assert!(out.contains("planner: base rate"), "{out}");
    let text = std::fs::read_to_string(&list).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 603);
    assert!(
        lines[0].starts_with("# clientele target list as of 1998-07-01: 600 customers"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("# recipe: {\"filters\":[{\"kind\":\"p_buy_decile\",\"min\":1,\"max\":5}]"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2], clientele::target::LIST_CSV_HEADER);
    assert_eq!(text.matches(",holdout,").count(), 150);

    // The recipe in the header rebuilds the same bytes.
    let again = temp("again.csv");
    let (code, _, err) = clientele(&[
        "target",
        s(&sample),
        "--recipe",
        s(&list),
        "--out",
        s(&again),
        "--today",
        "2024-01-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // A response file: every third target customer bought, every tenth of the holdout.
    let mut responses = String::from("customer_id,group,converted,revenue\n");
    for (k, line) in lines[3..].iter().enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let bought = if cells[1] == "target" {
            k % 3 == 0
        } else {
            k % 10 == 0
        };
        responses.push_str(&format!(
            "{},{},{},{}\n",
            cells[0],
            cells[1],
            u8::from(bought),
            if bought { "25.00" } else { "0" }
        ));
    }
    responses.push_str("999999,target,1,5\n,holdout,0,0\n");
    let resp = temp("responses.csv");
    std::fs::write(&resp, responses).unwrap();
    let json = temp("readback.json");
    let (code, out, err) = clientele(&["readback", s(&resp), "--list", s(&list), "--json", s(&json)]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("statistically significant at the 5 % level"),
        "{out}"
    );
    assert!(out.contains("skipped        1  no customer id"), "{out}");
    assert!(out.contains("not on the list"), "{out}");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(r["target"]["customers"], 450);
    assert_eq!(r["holdout"]["customers"], 150);
    assert_eq!(r["conversion"]["significant"], true);
    assert_eq!(r["list"]["not_on_list"], 1);
    assert_eq!(r["list"]["recipe"]["seed"], 3);
    assert!(r["by_segment"].as_array().unwrap().len() > 1);
    assert!(r["revenue"]["p_value"].as_f64().unwrap() < 0.05);
}

#[test]
fn lifecycle_stages_filter_the_list() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let list = temp("lifecycle.csv");
    let (code, out, err) = clientele(&[
        "target",
        s(&sample),
        "--filter",
        "lifecycle=active,reactivated",
        "--holdout",
        "0",
        "--out",
        s(&list),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("pass the filters"), "{out}");
    let text = std::fs::read_to_string(&list).unwrap();
    let stages: Vec<&str> = text
        .split("\r\n")
        .skip(3)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').nth(5).unwrap())
        .collect();
    assert!(!stages.is_empty());
    assert!(
        stages.iter().all(|s| *s == "active" || *s == "reactivated"),
        "{stages:?}"
    );
    // CDNOW has no product column: a next-product filter says why it cannot run.
    let (code, _, err) = clientele(&["target", s(&sample), "--filter", "next_product=x"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the next_product filter needs the next_product column"),
        "{err}"
    );
}

#[test]
fn campaign_errors_are_located() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let (code, _, err) = clientele(&["target", s(&sample), "--filter", "colour=red"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown kind \"colour\""), "{err}");
    let (code, _, err) = clientele(&["target", s(&sample), "--holdout", "2"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("target.holdout_share"), "{err}");
    let bad = temp("bad_responses.csv");
    std::fs::write(&bad, "customer_id,group,converted\nA,maybe,1\nB,perhaps,0\n").unwrap();
    let (code, _, err) = clientele(&["readback", s(&bad)]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bad_responses.csv, row 2, column \"group\": no row of the response file could be used"),
        "{err}"
    );
    let no_group = temp("no_group.csv");
    std::fs::write(&no_group, "customer_id,converted\nA,1\n").unwrap();
    let (code, _, err) = clientele(&["readback", s(&no_group)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--list"), "{err}");
}
