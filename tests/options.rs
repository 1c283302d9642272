//! The options object: every field defaults, and an invalid option names its path in the
//! object (`clv.horizon_months`), whether serde refuses its type or its section's check
//! refuses its value.
use clientele::report::AnalyzeOptions;

fn read(json: &str) -> Result<AnalyzeOptions, String> {
    let mut de = serde_json::Deserializer::from_str(json);
    AnalyzeOptions::deserialize_named(&mut de).map_err(|e| e.to_string())
}

fn checked(json: &str) -> Result<AnalyzeOptions, String> {
    let options = read(json)?;
    options.check().map_err(|e| e.to_string())?;
    Ok(options)
}

#[test]
fn the_empty_object_is_the_defaults() {
    let options = checked("{}").unwrap();
    assert_eq!(options.clv.horizon_months, 12);
    assert_eq!(options.rfm.bins, 5);
}

#[test]
fn out_of_range_values_name_section_and_field() {
    let e = checked(r#"{"clv":{"horizon_months":0}}"#).unwrap_err();
    assert_eq!(
        e,
        "invalid option clv.horizon_months: must be between 1 and 120 months"
    );
    let e = checked(r#"{"cluster":{"k":99}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option cluster.k: must be between 2 and 20"),
        "{e}"
    );
    let e = checked(r#"{"rfm":{"bins":1}}"#).unwrap_err();
    assert!(e.starts_with("invalid option rfm.bins: "), "{e}");
    let e = checked(r#"{"propensity":{"validation_share":1.5}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option propensity.validation_share: "),
        "{e}"
    );
    // A section that does not run is not checked.
    assert!(checked(r#"{"cluster":{"k":99},"run":{"clusters":false}}"#).is_ok());
}

#[test]
fn type_errors_name_the_path() {
    let e = read(r#"{"clv":{"horizon_months":"twelve"}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option clv.horizon_months: invalid type: string \"twelve\""),
        "{e}"
    );
    let e = read(r#"{"rfm":{"method":"rank_last"}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option rfm.method: unknown variant `rank_last`"),
        "{e}"
    );
    let e = read(r#"{"cluster":{"features":["monetary","height"]}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option cluster.features[1]: unknown variant `height`"),
        "{e}"
    );
    let e = read(r#"{"ingest":{"table":"orders"}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option ingest.table: unknown variant `orders`"),
        "{e}"
    );
    let e = read("42").unwrap_err();
    assert!(
        e.starts_with("invalid options: invalid type: integer `42`"),
        "{e}"
    );
}

#[test]
fn analyze_refuses_invalid_options_with_their_path() {
    let options = read(r#"{"clv":{"horizon_months":500}}"#).unwrap();
    let e = clientele::report::analyze(b"customer,date,amount\nA,2024-01-01,5\n", &options, &mut |_| {})
        .unwrap_err();
    assert_eq!(e.option_path().as_deref(), Some("clv.horizon_months"));
    assert_eq!(
        e.to_string(),
        "invalid option clv.horizon_months: must be between 1 and 120 months"
    );
}

#[test]
fn ingest_delimiter_and_date_order_are_enums_with_their_old_json() {
    use clientele::ingest::{DateOrder, Delimiter};
    for (json, want) in [
        (r#"",""#, Delimiter::Byte(b',')),
        (r#"";""#, Delimiter::Byte(b';')),
        (r#""\t""#, Delimiter::Byte(b'\t')),
        (r#""tab""#, Delimiter::Byte(b'\t')),
        (r#""|""#, Delimiter::Byte(b'|')),
        (r#""whitespace""#, Delimiter::Whitespace),
        (r#""space""#, Delimiter::Whitespace),
    ] {
        let options = read(&format!(r#"{{"ingest":{{"delimiter":{json}}}}}"#)).unwrap();
        assert_eq!(options.ingest.delimiter, Some(want), "{json}");
    }
    let options = read(r#"{"ingest":{"delimiter":"\t","date_order":" DMY "}}"#).unwrap();
    assert_eq!(options.ingest.date_order, Some(DateOrder::Dmy));
    let back = serde_json::to_value(&options.ingest).unwrap();
    assert_eq!(
        (back["delimiter"].as_str(), back["date_order"].as_str()),
        (Some("\t"), Some("dmy"))
    );
    assert_eq!(
        read(r#"{"ingest":{"date_order":"mdy"}}"#)
            .unwrap()
            .ingest
            .date_order,
        Some(DateOrder::Mdy)
    );
    let e = read(r#"{"ingest":{"delimiter":"::"}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option ingest.delimiter: \"::\" is not a delimiter"),
        "{e}"
    );
    let e = read(r#"{"ingest":{"date_order":"ymd"}}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option ingest.date_order: \"ymd\" is not a date order"),
        "{e}"
    );
}

/// The CDNOW sample shipped with the page.
fn cdnow_sample() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/www/sample/CDNOW_sample.txt"
    ))
    .unwrap()
}

#[test]
fn sections_not_asked_for_are_not_computed() {
    let bytes = cdnow_sample();
    let analyze =
        |json: &str| clientele::report::analyze(&bytes, &checked(json).unwrap(), &mut |_| {}).unwrap();
    let report = analyze(r#"{"sections":["rfm","clusters"]}"#);
    assert!(report.clusters.ok().is_some());
    let json = serde_json::to_value(&report).unwrap();
    for name in [
        "propensity",
        "clv",
        "lifecycle",
        "cross_sell",
        "cohorts",
        "migration",
    ] {
        let section = &json[name];
        assert_eq!(
            (section["status"].as_str(), section["code"].as_str()),
            (Some("unavailable"), Some("not_requested")),
            "{name}: {section}"
        );
    }
    // Their per-customer columns are unknown, not computed.
    assert_eq!(report.customers.lifecycle_stage, None);
    assert_eq!(report.customers.next_product, None);
    // A section switched off (`run`) stays "skipped", whether asked for or not.
    let off = analyze(r#"{"sections":["rfm","clusters"],"run":{"clusters":false}}"#);
    assert_eq!(serde_json::to_value(&off.clusters).unwrap()["status"], "skipped");
    // Every section asked for is the default, byte for byte.
    let all = r#"{"sections":["rfm","clusters","propensity","clv","lifecycle","cross_sell","cohorts","migration"]}"#;
    let default = serde_json::to_string(&analyze("{}")).unwrap();
    assert_eq!(serde_json::to_string(&analyze(all)).unwrap(), default);
}

#[test]
fn sections_name_their_path_and_skip_the_checks_of_what_is_not_computed() {
    let e = read(r#"{"sections":["rfm","cohort"]}"#).unwrap_err();
    assert!(
        e.starts_with("invalid option sections[1]: unknown variant `cohort`, expected one of"),
        "{e}"
    );
    let e = read(r#"{"sections":"rfm"}"#).unwrap_err();
    assert!(e.starts_with("invalid option sections: invalid type"), "{e}");
    // Clusters are not computed, so their k is not checked.
    assert!(checked(r#"{"sections":["rfm"],"cluster":{"k":99}}"#).is_ok());
    assert!(checked(r#"{"sections":["clusters"],"cluster":{"k":99}}"#).is_err());
    // The default writes no `sections` (options round-trip unchanged).
    let back = serde_json::to_value(AnalyzeOptions::default()).unwrap();
    assert!(back.get("sections").is_none());
}
