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
