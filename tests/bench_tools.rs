//! Cheap checks of the benchmark tools (nothing is timed): `clientele analyze --timings` prints
//! one JSON line with every stage, which `scripts/bench-vs-python` reads; and that bench's
//! parsers and table (`benches/test_vs_python.py`, Python's standard library only; it also runs
//! the pandas + scikit-learn + lifetimes baseline on a tiny file when `BENCH_PYTHON` names the
//! baseline venv's interpreter, which `scripts/bench-python-venv` makes).
mod common;

use std::process::Command;

#[test]
fn timings_line_names_every_stage() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args([
            "analyze",
            sample.to_str().unwrap(),
            "--timings",
            "--today",
            "2026-12-01",
        ])
        .output()
        .expect("run clientele");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("timings: "))
        .unwrap_or_else(|| panic!("no timings line in {err:?}"));
    let v: serde_json::Value = serde_json::from_str(line).expect("timings JSON");
    let stages: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for stage in [
        "reading",
        "customers",
        "rfm",
        "clusters",
        "propensity",
        "clv",
        "output",
    ] {
        assert!(stages.contains(&stage), "{stage} missing from {line}");
        assert!(v[stage].as_f64().unwrap() >= 0.0);
    }
    // Without the flag, standard error stays empty.
    let quiet = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(["analyze", sample.to_str().unwrap(), "--today", "2026-12-01"])
        .output()
        .expect("run clientele");
    assert!(quiet.stderr.is_empty());
}

#[test]
fn side_by_side_parsers() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("python3")
        .args(["-m", "unittest", "benches/test_vs_python.py"])
        .current_dir(root)
        .output()
        .expect("python3 (the benchmark's orchestration is Python's standard library)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
