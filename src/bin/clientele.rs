//! `clientele`: the native command line over the same core the page runs.
//!
//! ```text
//! clientele analyze FILE [--as-of YYYY-MM-DD] [--k K] [--horizon-days N]
//!     [--column ROLE=HEADER]... [--keep-zero-amount] [--tie-rule rank_min|rank_first|r_quantile]
//!     [--sheet NAME] [--table transactions|customers|summary] [--encoding LABEL] [--date-order dmy|mdy]
//!     [--currency CODE] [--today YYYY-MM-DD] [--keep-outlier-dates] [--json OUT] [--customers-csv OUT]
//!     [--lifecycle-new-days N] [--lifecycle-active-days N] [--lifecycle-lapsed-days N]
//!     [--cohort-months N] [--migration-days N] [--min-support SHARE]
//!     [--csv-for-excel] [--csv-header names|words] [--timings] [--lang en|zh-Hans|zh-Hant] [--sections NAME,...] [--threads N]
//! ```
//! Prints a short summary: how the file was read (with the columns that could have played a
//! role and were not used), every section's warnings, and "n/a" for what the file cannot tell.
//! `--json` writes the whole Report, `--customers-csv` the same per-customer CSV the page
//! exports, plus `OUT.notes.txt` beside it when a column of the export is not to be trusted.
//! `--column ROLE=HEADER` corrects a detected column role (`ROLE=` means no column has it).
//! Exit code 2 for usage errors, 1 for a file that cannot be analysed (the message says where).
//!
//! Everything printed is read from the Report's JSON, the same shape the page renders.
//!
//! `clientele summary FILE -o OUT.csv` writes the per-customer summary of issue 19
//! (`docs/summary-contract.md`, `commands/summary.rs`), which `analyze` reads back.
//!
//! `clientele target FILE …` builds a campaign's target list with a holdout and `clientele
//! readback RESPONSES --list LIST.csv` reads the campaign back: see `commands/targeting.rs`.

use chrono::NaiveDate;
use clientele::ingest::{DateOrder, TableKind};
use clientele::report::{customers_csv, read_source_and_analyze, AnalyzeOptions, Report, RunError, UTF8_BOM};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "clientele/campaign.rs"]
mod campaign;
#[path = "commands/summary.rs"]
mod summary;
#[path = "commands/targeting.rs"]
mod targeting;
#[path = "clientele/words.rs"]
mod words;

const USAGE: &str = "usage: clientele analyze FILE [--as-of YYYY-MM-DD] [--k K] [--horizon-days N] \
[--clv-model auto|bgnbd|mbgnbd|pnbd] [--column ROLE=HEADER]... [--keep-zero-amount] [--tie-rule rank_min|rank_first|r_quantile] \
[--sheet NAME] [--table transactions|customers|summary] [--encoding LABEL] [--date-order dmy|mdy] \
[--currency CODE] [--today YYYY-MM-DD] [--keep-outlier-dates] [--json OUT] [--customers-csv OUT] [--csv-for-excel] \
[--csv-header names|words] [--timings] [--sections NAME,...] [--threads N]
  --csv-for-excel       start the --customers-csv file with a UTF-8 byte order mark, which Excel on
                        Windows needs to read non-ASCII names (the page's \"CSV for Excel\")
  --csv-header names|words
                        the --customers-csv header: names (default) is the machine header programs
                        read (customer_id, …, monetary, …, clv, …); words names the columns in
                        --lang's language, each money column followed by the file's currency when
                        it is known: \"monetary (EUR)\", \"消费金额 (EUR)\" (the page's Export buttons)
  --column ROLE=HEADER  use the column HEADER (its header text, or its 0-based index) for ROLE;
                        `ROLE=` with nothing after: no column has that role. Repeatable. Roles:
                        customer, order, date, amount, quantity, unit_price, product,
                        product_name (transactions);
                        order_count, total_spent, last_order, days_since_last_order, first_order
                        (a customer-level table, with customer)
  --clv-model auto|bgnbd|mbgnbd|pnbd
                        the purchase model of lifetime value: auto (default) compares the three
                        on a holdout (the last third of the history) and uses the lowest error
  --keep-zero-amount    count lines whose value is 0 as purchases (skipped by default)
  --date-order dmy|mdy  how to read slash dates like 05/01/2024 (day first or month first);
                        detected from the dates with a number above 12 when absent. Rows that
                        only read in the other order are skipped (date_order_conflict)
  --currency CODE       the file's currency, an ISO 4217 code (CNY, USD, EUR, TWD, …): shown
                        instead of the one guessed from the money cells' marks ($, ￥, €, 元),
                        the money columns' names (金额(元), Amount (USD)) or a currency column
  --today YYYY-MM-DD    the day of the analysis (default: the system clock's, UTC): purchase
                        dates after it are skipped (future_date)
  --keep-outlier-dates  keep purchase dates after --today and dates far outside the bulk of the
                        file (1900-01-01 placeholders, mistyped years), skipped by default
                        (future_date, date_outlier); the quality report lists them either way
  --tie-rule RULE       how equal values are scored: rank_min (default: equal values share a score),
                        rank_first (pandas rank(method=\"first\"): ties split by file order), r_quantile
  --lifecycle-new-days N, --lifecycle-active-days N, --lifecycle-lapsed-days N
                        lifecycle windows in days (default: 2x and 4x the file's median gap
                        between purchase days; new = active)
  --cohort-months N     monthly cohorts shown (default 24)
  --migration-days N    segment migration from N days before the as-of date (default 90)
  --min-support SHARE   cross-sell: share of customers who bought both products of a pair (default 0.01)
  --sections NAME,...   compute only these sections (default all): rfm, clusters, propensity, clv,
                        lifecycle, cross_sell, cohorts, migration; RFM is always computed, the
                        others read \"unavailable: not requested\" (code not_requested)

  --lang en|zh-Hans|zh-Hant
                        the language of the printed summary (default en): Chinese words the
                        summary, warnings, skip and unavailable reasons from the page's catalogues
  --timings             print the seconds each stage took (reading, customers, rfm, clusters,
                        propensity, clv, output) to standard error, as one line `timings: {…}`
                        of JSON (what scripts/bench-vs-python reads)
  --threads N           read a file of 8 MB or more on N threads (default: the CPUs, at most 8;
                        1 reads it in one pass); the result is the same either way";

/// The column roles `--column` accepts, as the quality report names them.
const ROLES: [&str; 13] = [
    "customer",
    "order",
    "date",
    "amount",
    "quantity",
    "unit_price",
    "product",
    "product_name",
    "order_count",
    "total_spent",
    "last_order",
    "days_since_last_order",
    "first_order",
];

const TIE_RULES: [&str; 3] = ["rank_min", "rank_first", "r_quantile"];

struct Args {
    /// `clientele summary FILE -o OUT`: write the per-customer summary instead of analysing.
    summary_out: Option<PathBuf>,
    file: PathBuf,
    json: Option<PathBuf>,
    customers_csv: Option<PathBuf>,
    /// `--csv-for-excel`: the export starts with a UTF-8 byte order mark.
    excel_bom: bool,
    /// `--csv-header words`: the export's header worded in `--lang`'s language, with currencies.
    csv_words: bool,
    /// `--timings`: each stage's seconds on standard error.
    timings: bool,
    /// `--threads N`: how many threads read a large file.
    threads: usize,
    options: AnalyzeOptions,
    /// An option value that is refused like a file that cannot be read (exit 1, naming the
    /// file and the option), as the reader refuses an unknown `--encoding`.
    refused: Option<String>,
}

/// `ROLE=HEADER` → `[role, header]`; the role checked against [`ROLES`].
fn parse_column(v: &str) -> Result<(String, String), String> {
    let roles = ROLES.join(", ");
    let Some((role, column)) = v.split_once('=') else {
        return Err(format!(
            "--column: expected ROLE=HEADER (e.g. amount=SALES_PRICE, or quantity= for none), found \"{v}\"; roles: {roles}"
        ));
    };
    let role = role.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if !ROLES.contains(&role.as_str()) {
        return Err(format!(
            "--column: unknown role \"{role}\" in \"{v}\"; the roles are {roles}"
        ));
    }
    Ok((role, column.to_string()))
}

/// Overlays `over` on `base`, object by object (a non-object in `over` replaces).
fn merge_json(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge_json(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, o) => *b = o,
    }
}

/// `--csv-header names|words`: true for the worded header.
fn csv_header_words(v: &str) -> Result<bool, String> {
    match v {
        "names" => Ok(false),
        "words" => Ok(true),
        v => Err(format!("--csv-header: expected names or words, found \"{v}\"")),
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let is_summary = match args.next().as_deref() {
        Some("analyze") => false,
        Some("summary") => true,
        Some("-h" | "--help") | None => {
            return Err(format!(
                "{USAGE}\n{}\n{}",
                targeting::TARGET_USAGE.lines().next().unwrap_or(""),
                targeting::READBACK_USAGE.lines().next().unwrap_or("")
            ))
        }
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
    };
    let mut summary_out = None;
    let mut file = None;
    let mut json = None;
    let mut customers_csv = None;
    let mut excel_bom = false;
    let mut csv_words = false;
    let mut refused = None;
    let mut timings = false;
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut options = AnalyzeOptions::default();
    // Options given as JSON, applied over `options` at the end: the same shape the page sends,
    // so fields the library reads by name (keep_zero_amount, rfm.method) need no typed copy here.
    let mut overrides = json!({});
    let mut roles: Vec<(String, String)> = Vec::new();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        if campaign::parse_flag(&arg, &mut value, &mut overrides)? {
            continue;
        }
        match arg.as_str() {
            "--as-of" => {
                let v = value("--as-of")?;
                let date = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("--as-of: expected a date like 2024-01-31, found \"{v}\""))?;
                options.as_of = Some(date);
            }
            "--k" => {
                let v = value("--k")?;
                let k = v
                    .parse::<usize>()
                    .map_err(|_| format!("--k: expected a number of clusters (2 to 20), found \"{v}\""))?;
                options.cluster.k = Some(k);
            }
            "--horizon-days" => {
                let v = value("--horizon-days")?;
                let days = v
                    .parse::<u32>()
                    .map_err(|_| format!("--horizon-days: expected a whole number of days, found \"{v}\""))?;
                options.propensity.horizon_days = days;
            }
            "--clv-model" => {
                let v = value("--clv-model")?;
                options.clv.model = match v.as_str() {
                    "auto" => clientele::clv::ClvModel::Auto,
                    "bgnbd" => clientele::clv::ClvModel::Bgnbd,
                    "mbgnbd" => clientele::clv::ClvModel::Mbgnbd,
                    "pnbd" => clientele::clv::ClvModel::Pnbd,
                    _ => {
                        return Err(format!(
                            "--clv-model: expected auto, bgnbd, mbgnbd or pnbd, found \"{v}\""
                        ))
                    }
                };
            }
            "--column" => {
                let (role, column) = parse_column(&value("--column")?)?;
                // The last word on a role wins.
                roles.retain(|(r, _)| *r != role);
                roles.push((role, column));
            }
            "--keep-zero-amount" => merge_json(&mut overrides, json!({"ingest": {"keep_zero_amount": true}})),
            "--keep-outlier-dates" => {
                merge_json(&mut overrides, json!({"ingest": {"keep_outlier_dates": true}}))
            }
            "--today" => {
                let v = value("--today")?;
                NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("--today: expected a date like 2024-12-31, found \"{v}\""))?;
                options.ingest.today = Some(v);
            }
            "--tie-rule" => {
                let v = value("--tie-rule")?;
                if !TIE_RULES.contains(&v.as_str()) {
                    return Err(format!(
                        "--tie-rule: expected {}, found \"{v}\"",
                        TIE_RULES.join(", ")
                    ));
                }
                merge_json(&mut overrides, json!({"rfm": {"method": v}}));
            }
            "--sheet" => options.ingest.sheet = Some(value("--sheet")?),
            "--currency" => merge_json(
                &mut overrides,
                json!({"ingest": {"currency": value("--currency")?}}),
            ),
            "--encoding" => options.ingest.encoding = Some(value("--encoding")?),
            "--date-order" => match value("--date-order")?.parse::<DateOrder>() {
                Ok(order) => options.ingest.date_order = Some(order),
                Err(m) => refused = Some(format!("invalid option ingest.date_order: {m}")),
            },
            "--table" => {
                options.ingest.table = Some(match value("--table")?.as_str() {
                    "transactions" => TableKind::Transactions,
                    "customers" => TableKind::Customers,
                    "summary" => TableKind::Summary,
                    v => {
                        return Err(format!(
                            "--table: expected transactions, customers or summary, found \"{v}\""
                        ))
                    }
                })
            }
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            "--customers-csv" => customers_csv = Some(PathBuf::from(value("--customers-csv")?)),
            "--csv-for-excel" => excel_bom = true,
            "--csv-header" => csv_words = csv_header_words(&value("--csv-header")?)?,
            "-o" | "--output" if is_summary => summary_out = Some(PathBuf::from(value("--output")?)),
            "--holdout-days" | "--calibration-end" if is_summary => {
                summary::parse_clv_flag(&arg, &value(&arg)?, &mut overrides)?
            }
            "--timings" => timings = true,
            "--sections" => {
                let names: Vec<String> = value("--sections")?
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .collect();
                // Checked as the options are read: an unknown name is `sections[i]`.
                merge_json(&mut overrides, json!({ "sections": names }));
            }
            "--threads" => {
                let v = value("--threads")?;
                threads = v.parse::<usize>().ok().filter(|&n| n >= 1).ok_or_else(|| {
                    format!("--threads: expected a whole number of at least 1, found \"{v}\"")
                })?;
            }
            "--lang" => {
                let v = value("--lang")?;
                let lang = words::Lang::parse(&v)
                    .ok_or_else(|| format!("--lang: expected en, zh-Hans or zh-Hant, found \"{v}\""))?;
                words::set(lang);
            }
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`\n{USAGE}")),
            _ if file.is_none() => file = Some(PathBuf::from(arg)),
            _ => return Err(format!("only one FILE, found another: `{arg}`\n{USAGE}")),
        }
    }
    let file = file.ok_or_else(|| format!("FILE is missing\n{USAGE}"))?;
    if is_summary && summary_out.is_none() {
        return Err(format!("summary needs -o OUT.csv\n{}", summary::USAGE));
    }
    if options.ingest.today.is_none() {
        options.ingest.today = Some(clock_today().to_string());
    }
    options.ingest.file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    if !roles.is_empty() {
        merge_json(&mut overrides, json!({"ingest": {"roles": roles}}));
    }
    let mut merged = serde_json::to_value(&options).map_err(|e| e.to_string())?;
    merge_json(&mut merged, overrides);
    let options = AnalyzeOptions::deserialize_named(merged).map_err(|e| format!("{e}\n{USAGE}"))?;
    options.check().map_err(|e| format!("{e}\n{USAGE}"))?;
    Ok(Args {
        summary_out,
        file,
        json,
        customers_csv,
        excel_bom,
        csv_words,
        timings,
        threads,
        options,
        refused,
    })
}

/// Today by the system clock (UTC; the core allows one day of slack for time zones).
fn clock_today() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    clientele::time::day_to_date((secs / 86_400) as i32)
}

/// A JSON number as text with `digits` decimals, or `n/a` when absent (null).
fn num(v: &Value, digits: usize) -> String {
    v.as_f64()
        .map_or_else(|| "n/a".to_string(), |x| format!("{x:.digits$}"))
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// A warning's sentence: a `{code, message, …}` object, or plain text.
fn warning_text(w: &Value) -> String {
    if let Some(text) = words::warning(w) {
        return text;
    }
    match w {
        Value::String(s) => s.clone(),
        _ => match w.get("message").and_then(Value::as_str) {
            Some(m) => m.to_string(),
            None => w.to_string(),
        },
    }
}

/// "orders" or "purchase days", from the unit the core counted.
fn frequency_unit(r: &Value) -> String {
    let unit = r["summary"]["frequency_unit"]
        .as_str()
        .or_else(|| r["quality"]["frequency_unit"].as_str());
    if unit == Some("purchase_days") {
        words::say("cli.unit.purchase_days", "purchase days", &[])
    } else {
        words::say("cli.unit.orders", "orders", &[])
    }
}

fn print_warnings(section: &Value) {
    for w in list(&section["warnings"]) {
        println!(
            "  {}: {}",
            words::say("cli.warning", "warning", &[]),
            warning_text(w)
        );
    }
}

fn column_name(q: &Value, index: &Value) -> String {
    let Some(i) = index.as_u64() else {
        return words::say("ingest.cli.no_column", "no column", &[]);
    };
    let header = list(&q["columns"])
        .iter()
        .find(|c| c["index"].as_u64() == Some(i))
        .map(|c| text(&c["header"]).to_string())
        .unwrap_or_default();
    // A file without a header row: the core names its columns "column N".
    let numbered = header
        .strip_prefix("column ")
        .is_some_and(|n| n.parse::<u64>() == Ok(i + 1));
    if header.is_empty() || numbered {
        words::say(
            "ingest.cli.column_n",
            &format!("column {}", i + 1),
            &[("n", (i + 1).into())],
        )
    } else {
        format!("\"{header}\"")
    }
}

fn samples(v: &Value) -> String {
    list(v)
        .iter()
        .map(|s| text(s).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "FILE: N rows read, U used, S skipped", for the analysed file and a response file alike.
fn print_rows(file: &str, read: u64, used: u64) {
    let skipped = read.saturating_sub(used);
    println!(
        "{}",
        words::say(
            "cli.rows",
            &format!(
                "{file}: {} read, {used} used, {skipped} skipped",
                clientele::warning::count(read, "row", "rows")
            ),
            &[
                ("file", file.into()),
                ("read", read.into()),
                ("used", used.into()),
                ("skipped", skipped.into())
            ]
        )
    );
}

fn print_quality(r: &Value) {
    let q = &r["quality"];
    print_rows(
        q["file_name"].as_str().unwrap_or("file"),
        q["rows_read"].as_u64().unwrap_or(0),
        q["rows_used"].as_u64().unwrap_or(0),
    );
    for skip in list(&q["skipped"]) {
        let reason = text(&skip["reason"]);
        println!(
            "  {} {:>8}  {}",
            words::say("cli.skipped", "skipped", &[]),
            skip["rows"].as_u64().unwrap_or(0),
            words::say(&format!("quality.skip.{reason}"), text(&skip["description"]), &[])
        );
    }
    for w in list(&q["warnings"]) {
        println!("  {}: {}", words::say("cli.note", "note", &[]), words::ingest(w));
    }
    print_dates(&q["dates"]);
    print_currency(&q["currency"]);
    let used_by_option = list(&q["columns"])
        .iter()
        .filter(|c| c["detected_by"] == "option" && !c["role"].is_null())
        .map(|c| format!("{} = \"{}\"", text(&c["role"]), text(&c["header"])))
        .collect::<Vec<_>>();
    if !used_by_option.is_empty() {
        let columns = used_by_option.join(", ");
        println!(
            "  {}",
            words::say(
                "ingest.cli.by_option",
                &format!("columns set by --column: {columns}"),
                &[("columns", columns.clone().into())]
            )
        );
    }
    for c in list(&q["candidates"]) {
        print_candidates(q, c);
    }
}

/// A role two or more columns could play: the column used and why, then the others.
fn print_candidates(q: &Value, c: &Value) {
    let role = text(&c["role"]);
    let reason = if c["coded_reason"].is_object() {
        // English: the core's sentence already ends with how to change it.
        let mut reason = words::ingest(&c["coded_reason"]);
        if let Some(other) = c["coded_reason"]["params"]["change_column"].as_str() {
            reason.push_str(&words::say(
                "ingest.change",
                "",
                &[("change_column", format!("{role}=\"{other}\"").into())],
            ));
        }
        reason
    } else {
        text(&c["reason"]).to_string()
    };
    let (role_words, column) = (words::role(role), column_name(q, &c["used"]));
    let line = if reason.is_empty() {
        words::say(
            "ingest.cli.used_plain",
            &format!("{role}: used {column}"),
            &[
                ("role", role_words.clone().into()),
                ("column", column.clone().into()),
            ],
        )
    } else {
        words::say(
            "ingest.cli.used",
            &format!("{role}: used {column} ({reason})"),
            &[
                ("role", role_words.into()),
                ("column", column.into()),
                ("reason", reason.clone().into()),
            ],
        )
    };
    println!("  {line}");
    for alt in list(&c["columns"]).iter().filter(|a| a["index"] != c["used"]) {
        let why = match list(&alt["coded_why"]) {
            [] => text(&alt["why"]).to_string(),
            parts => parts
                .iter()
                .map(words::ingest)
                .collect::<Vec<_>>()
                .join(&words::say("ingest.why_and", ", and ", &[])),
        };
        let (column, samples, header) = (
            column_name(q, &alt["index"]),
            samples(&alt["samples"]),
            text(&alt["header"]),
        );
        println!(
            "{}",
            words::say(
                "ingest.cli.also",
                &format!(
                    "    also possible: {column} (samples {samples}){}; use it with --column {role}=\"{header}\"",
                    if why.is_empty() {
                        String::new()
                    } else {
                        format!(": {why}")
                    }
                ),
                &[
                    ("column", column.clone().into()),
                    ("samples", samples.clone().into()),
                    ("why", why.clone().into()),
                    ("role_key", role.into()),
                    ("header", header.into()),
                ]
            )
        );
    }
}

/// The file's currency, where it came from and what else it could be.
fn print_currency(c: &Value) {
    if c.is_null() {
        return;
    }
    let code = c["code"].as_str().unwrap_or("unknown");
    let source = match text(&c["source"]) {
        "option" => "from --currency".to_string(),
        "conflict" => "the file's money marks disagree".to_string(),
        s => {
            let marks: Vec<String> = list(&c["evidence"])
                .iter()
                .filter(|e| text(&e["source"]) == s)
                .map(|e| format!("\"{}\"", text(&e["written"])))
                .collect();
            format!("from the {s}: {}", marks.join(", "))
        }
    };
    let alternatives: Vec<&str> = list(&c["alternatives"]).iter().map(text).collect();
    println!(
        "  currency: {code} ({source}){}; set it with --currency CODE",
        if alternatives.is_empty() {
            String::new()
        } else {
            format!(", could also be {}", alternatives.join(", "))
        }
    );
}

/// The purchase dates' range and the dates set apart (after today, outliers).
fn print_dates(d: &Value) {
    if d.is_null() {
        return;
    }
    if !d["first"].is_null() {
        let (from, to) = (text(&d["first"]), text(&d["last"]));
        println!(
            "  {}",
            words::say(
                "ingest.cli.dates",
                &format!("dates: {from} to {to}"),
                &[("from", from.into()), ("to", to.into())]
            )
        );
    }
    let kept = d["kept"] == true;
    for (key, what) in [("future", "after today"), ("outliers", "outliers")] {
        let g = &d[key];
        let rows = g["rows"].as_u64().unwrap_or(0);
        if rows == 0 {
            continue;
        }
        let examples: Vec<String> = list(&g["example_rows"])
            .iter()
            .zip(list(&g["example_dates"]))
            .map(|(r, d)| {
                words::say(
                    "ingest.cli.example_row",
                    &format!("row {r}: {}", text(d)),
                    &[("row", r.clone()), ("date", d.clone())],
                )
            })
            .collect();
        let fate = if kept {
            words::say("ingest.cli.kept", "kept (--keep-outlier-dates)", &[])
        } else {
            words::say("ingest.cli.skipped", "skipped", &[])
        };
        let (min, max, examples) = (text(&g["min"]), text(&g["max"]), examples.join(", "));
        println!(
            "  {}",
            words::say(
                "ingest.cli.group",
                &format!("dates {what}: {rows} rows, {min} to {max} ({examples}), {fate}"),
                &[
                    (
                        "group",
                        words::say(&format!("quality.dates.{key}"), what, &[]).into()
                    ),
                    ("rows", rows.into()),
                    ("min", min.into()),
                    ("max", max.into()),
                    ("examples", examples.clone().into()),
                    ("fate", fate.clone().into()),
                ]
            )
        );
    }
}

fn print_summary(r: &Value) {
    let s = &r["summary"];
    let revenue = if s["revenue"].is_null() {
        words::say(
            "cli.revenue_na",
            "revenue n/a (the file has no amount column)",
            &[],
        )
    } else {
        let value = num(&s["revenue"], 2);
        words::say(
            "cli.revenue",
            &format!("revenue {value}"),
            &[("value", value.clone().into())],
        )
    };
    let (unit, first, last, as_of) = (
        frequency_unit(r),
        text(&s["first_purchase"]),
        text(&s["last_purchase"]),
        text(&r["as_of"]),
    );
    println!(
        "{}",
        words::say(
            "cli.summary",
            &format!(
                "{} customers, {} {unit}, {revenue}, purchases {first} to {last}, as of {as_of}",
                s["customers"], s["orders"]
            ),
            &[
                ("customers", s["customers"].clone()),
                ("orders", s["orders"].clone()),
                ("unit", unit.clone().into()),
                ("revenue", revenue.clone().into()),
                ("first", first.into()),
                ("last", last.into()),
                ("as_of", as_of.into()),
            ]
        )
    );
    let col = |key: &str, english: &str| words::say(&format!("cli.col.{key}"), english, &[]);
    let rfm = &r["rfm"];
    let money = !s["revenue"].is_null() && rfm["has_monetary"] != false;
    if money {
        println!(
            "{:<20} {:>9} {:>7} {:>14} {:>7}",
            col("segment", "segment"),
            col("customers", "customers"),
            col("share", "share"),
            col("revenue", "revenue"),
            col("revenue_share", "rev %")
        );
    } else {
        println!(
            "{:<20} {:>9} {:>7}",
            col("segment", "segment"),
            col("customers", "customers"),
            col("share", "share")
        );
    }
    for seg in list(&rfm["segments"]) {
        let share = 100.0 * seg["share"].as_f64().unwrap_or(0.0);
        if money {
            println!(
                "{:<20} {:>9} {:>6.1}% {:>14} {:>6.1}%",
                words::segment(text(&seg["name"])),
                seg["customers"],
                share,
                num(&seg["revenue"], 2),
                100.0 * seg["revenue_share"].as_f64().unwrap_or(0.0)
            );
        } else {
            println!(
                "{:<20} {:>9} {:>6.1}%",
                words::segment(text(&seg["name"])),
                seg["customers"],
                share
            );
        }
    }
    if rfm["m_score"].is_null() || !money {
        println!(
            "  {}",
            words::say(
                "cli.rf_only",
                "segments use recency and frequency only: the file has no amount",
                &[]
            )
        );
    }
    if let Some(rule) = rfm["tie_rule"].as_str() {
        let method = text(&rfm["method"]);
        println!(
            "  {}: {}",
            words::say("cli.scores", "scores", &[]),
            words::say(&format!("rfm.tie_rule.{method}"), rule, &[])
        );
    }
    print_warnings(rfm);
}

/// Prints nothing for a section switched off; its reason when unavailable; else `ok(section)`.
fn print_section(r: &Value, key: &str, name: &str, ok: impl Fn(&Value)) {
    let section = &r[key];
    match text(&section["status"]) {
        "ok" => {
            ok(section);
            print_warnings(section);
        }
        "unavailable" => {
            let english = format!("{name}: unavailable: {}", text(&section["reason"]));
            let title = words::say(&format!("sections.{key}"), name, &[]);
            let reason = words::reason(section);
            println!(
                "{}",
                words::say(
                    "cli.unavailable",
                    &english,
                    &[("name", title.into()), ("reason", reason.into())]
                )
            );
        }
        _ => {}
    }
}

fn print_clusters(r: &Value) {
    print_section(r, "clusters", "clusters", |c| {
        let how = if c["chosen_by"] == "fixed" {
            words::say("cli.clusters.fixed", "fixed", &[])
        } else {
            words::say("cli.clusters.silhouette", "chosen by silhouette", &[])
        };
        println!(
            "{}",
            words::say(
                "cli.clusters",
                &format!("{} clusters (k {how}):", c["k"]),
                &[("k", c["k"].clone()), ("how", how.clone().into())]
            )
        );
        let money = !r["summary"]["revenue"].is_null();
        for p in list(&c["profiles"]) {
            let share = if money {
                format!(
                    " {:>6.1}% of revenue",
                    100.0 * p["revenue_share"].as_f64().unwrap_or(0.0)
                )
            } else {
                String::new()
            };
            let customers = words::say("cli.clusters.customers", "customers", &[]);
            let share = if share.is_empty() {
                share
            } else {
                let of_revenue = words::say("cli.clusters.of_revenue", "of revenue", &[]);
                share.replace("of revenue", &of_revenue)
            };
            println!(
                "  {:>2} {:<32} {:>7} {customers}{share}",
                p["label"],
                words::cluster(p),
                p["size"]
            );
        }
        for n in list(&c["coded_notes"]) {
            println!(
                "  {}: {}",
                words::say("cli.note", "note", &[]),
                words::cluster_note(n)
            );
        }
    });
}

fn print_propensity(r: &Value) {
    print_section(r, "propensity", "propensity", |p| {
        let m = &p["metrics"];
        let (days, auc, lift) = (
            p["params"]["horizon_days"].clone(),
            num(&m["roc_auc"], 3),
            num(&m["lift_top_decile"], 2),
        );
        let base = format!("{:.1}%", 100.0 * m["base_rate"].as_f64().unwrap_or(0.0));
        println!(
            "{}",
            words::say(
                "cli.propensity",
                &format!(
                    "propensity to buy in the next {days} days: validation AUC {auc}, top-decile lift {lift}, base rate {base}"
                ),
                &[
                    ("days", days.clone()),
                    ("auc", auc.clone().into()),
                    ("lift", lift.clone().into()),
                    ("base", base.clone().into())
                ]
            )
        );
    });
}

fn print_clv(r: &Value) {
    print_section(r, "clv", "lifetime value", |v| {
        let fit = &v["purchase_fit"]["fit_status"];
        let label = match v["purchase_fit"]["model"].as_str() {
            Some("mbgnbd") => "MBG/NBD",
            Some("pnbd") => "Pareto/NBD",
            _ => "BG/NBD",
        };
        let english = format!(
            "lifetime value ({} months): {label} fit {}: {}",
            v["horizon_months"],
            if fit["ok"] == true { "ok" } else { "with a caveat" },
            text(&fit["message"])
        );
        let state = if fit["ok"] != true {
            "failed"
        } else if fit["penalty_used"].as_f64().unwrap_or(0.0) > 0.0 {
            "penalised"
        } else {
            "ok"
        };
        let headline = words::say(
            &format!("clv.fit.{state}"),
            "",
            &[("model", label.into()), ("penalty", fit["penalty_used"].clone())],
        );
        println!(
            "{}",
            words::say(
                "cli.clv_fit",
                &english,
                &[("months", v["horizon_months"].clone()), ("fit", headline.into())]
            )
        );
        print_model_choice(&v["model_choice"]);
        let purchases = num(&v["total_expected_purchases"], 1);
        if v["total_clv"].is_null() {
            println!(
                "  {}",
                words::say(
                    "cli.clv.expected_na",
                    &format!("expected purchases {purchases}, total CLV n/a (no spend in the file)"),
                    &[("purchases", purchases.clone().into())]
                )
            );
        } else {
            let clv = num(&v["total_clv"], 2);
            println!(
                "  {}",
                words::say(
                    "cli.clv.expected",
                    &format!("expected purchases {purchases}, total CLV {clv}"),
                    &[
                        ("purchases", purchases.clone().into()),
                        ("clv", clv.clone().into())
                    ]
                )
            );
        }
    });
}

/// The purchase models compared on the holdout (or why they were not), and the one chosen.
fn print_model_choice(choice: &Value) {
    let label = |m: &str| match m {
        "mbgnbd" => "MBG/NBD",
        "pnbd" => "Pareto/NBD",
        _ => "BG/NBD",
    };
    if let Some(rows) = choice["comparison"]["rows"].as_array() {
        let c = &choice["comparison"];
        let (from, to, chosen, rule) = (
            text(&c["calibration_end"]),
            text(&c["holdout_end"]),
            text(&choice["chosen"]),
            text(&choice["rule"]),
        );
        println!(
            "  {}",
            words::say(
                "cli.models",
                &format!(
                    "models on the holdout {from} to {to} (mean absolute error per customer; chosen: {chosen}, {rule}):"
                ),
                &[
                    ("from", from.into()),
                    ("to", to.into()),
                    ("model", label(chosen).into()),
                    ("rule", words::say(&format!("cli.rule.{rule}"), rule, &[]).into()),
                ]
            )
        );
        for row in rows {
            let (model, error, ll, bic) = (
                text(&row["model"]),
                num(&row["holdout_mae"], 4),
                num(&row["fit"]["log_likelihood"], 2),
                num(&row["fit"]["bic"], 2),
            );
            println!(
                "{}",
                words::say(
                    "cli.model_row",
                    &format!("    {model:<7} error {error}  calibration LL {ll}  BIC {bic}"),
                    &[
                        ("model", format!("{:<10}", label(model)).into()),
                        ("error", error.clone().into()),
                        ("ll", ll.clone().into()),
                        ("bic", bic.clone().into()),
                    ]
                )
            );
        }
    } else if !choice["coded_comparison_message"].is_null() {
        println!("  {}", words::clv(&choice["coded_comparison_message"]));
    }
}

/// `customers.csv` → `customers.csv.notes.txt`.
fn notes_path(csv: &Path) -> PathBuf {
    let mut name = csv.as_os_str().to_owned();
    name.push(".notes.txt");
    PathBuf::from(name)
}

fn run(args: Args) -> Result<(), String> {
    if let Some(refused) = &args.refused {
        return Err(format!("{}: {refused}", args.file.display()));
    }
    if let Some(out) = &args.summary_out {
        return summary::run(&args.file, out, &args.options);
    }
    // Streamed, so memory follows the kept rows rather than the size of the file; a large file
    // is read in chunks on `--threads` threads (the same Report).
    let file = clientele::ingest::FileSource::new(&args.file)
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let mut clock = StageClock::new();
    let report: Report = read_source_and_analyze(
        &file,
        args.threads,
        &args.options,
        &mut |p| clock.at(p.stage),
        |_| Ok::<(), std::convert::Infallible>(()),
    )
    .map_err(|e| match e {
        RunError::Failed(e) => words::error(&e),
        RunError::Refused(never) => match never {},
    })?;
    let value = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    print_quality(&value);
    print_summary(&value);
    print_clusters(&value);
    print_propensity(&value);
    print_clv(&value);
    campaign::print(&value);
    if let Some(path) = &args.json {
        let json = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.customers_csv {
        let bom = if args.excel_bom { UTF8_BOM } else { "" };
        let write = |path: &Path| -> std::io::Result<()> {
            use std::io::Write;
            let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
            out.write_all(bom.as_bytes())?;
            let csv = customers_csv(&report);
            if args.csv_words {
                let currency = report.quality.currency.as_ref().and_then(|c| c.code.as_deref());
                let (header, rows) = csv.split_once("\r\n").unwrap_or((&csv, ""));
                out.write_all(words::export_header(header, currency).as_bytes())?;
                out.write_all(b"\r\n")?;
                out.write_all(rows.as_bytes())?;
            } else {
                out.write_all(csv.as_bytes())?;
            }
            out.flush()
        };
        write(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let notes = clientele::report::export_notes(&report);
        if !notes.is_empty() {
            let notes_path = notes_path(path);
            std::fs::write(&notes_path, notes).map_err(|e| format!("{}: {e}", notes_path.display()))?;
            println!("notes on the export: {}", notes_path.display());
        }
    }
    if args.timings {
        clock.at("end");
        eprintln!("timings: {}", clock.json());
    }
    Ok(())
}

/// `--timings`: the seconds between the core's progress stages, keyed by stage; from the
/// core's `done` to the end of printing and writing is the stage `output`.
struct StageClock {
    at: std::time::Instant,
    current: &'static str,
    stages: Vec<(&'static str, f64)>,
}

impl StageClock {
    fn new() -> Self {
        StageClock {
            at: std::time::Instant::now(),
            current: "start",
            stages: Vec::new(),
        }
    }

    /// Called on every progress report; a new stage name closes the one before it.
    fn at(&mut self, stage: &'static str) {
        if stage != self.current {
            let now = std::time::Instant::now();
            if self.current != "start" {
                self.stages.push((self.current, (now - self.at).as_secs_f64()));
            }
            self.current = stage;
            self.at = now;
        }
    }

    fn json(&self) -> Value {
        let mut m = serde_json::Map::new();
        for &(stage, s) in &self.stages {
            let name = if stage == "done" { "output" } else { stage };
            m.insert(name.into(), json!((s * 1e4).round() / 1e4));
        }
        Value::Object(m)
    }
}

fn main() -> ExitCode {
    // A damaged workbook's panic is reported as an error naming the file, not as a backtrace.
    clientele::ingest::quiet_calamine_panics();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = targeting::dispatch(&argv) {
        return code;
    }
    let args = match parse_args(argv.into_iter()) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{}: {msg}", words::say("cli.error", "error", &[]));
            ExitCode::from(1)
        }
    }
}
