//! `clientele target` and `clientele readback`: the campaign commands, over the core's
//! [`clientele::target`] and [`clientele::readback`].
//!
//! ```text
//! clientele target FILE [--filter KIND=VALUES]... [--budget N] [--rank-by expected_value|clv|p_buy]
//!     [--holdout SHARE] [--seed N] [--recipe RECIPE.json|LIST.csv] [--base-rate P] [--min-uplift D]
//!     [--out LIST.csv] [--csv-for-excel] [analyze options: --as-of, --today, --column, …]
//! clientele readback RESPONSES [--list LIST.csv] [--json OUT] [--missing not_converted|exclude]
//!     [--column ROLE=HEADER]... [--encoding LABEL] [--sheet NAME]
//! ```

use crate::words;
use clientele::ingest::{read_responses, ResponseOptions, ResponseRole};
use clientele::readback::{readback, CampaignList, MissingResponses, ReadbackParams, ReadbackReport};
use clientele::report::{read_and_analyze, RunError, UTF8_BOM};
use clientele::target::{
    self, parse_filter, Budget, PlannerParams, RankBy, TargetColumns, TargetRecipe, FILTER_SYNTAX,
};
use std::path::PathBuf;
use std::process::ExitCode;

pub const TARGET_USAGE: &str = "usage: clientele target FILE [--filter KIND=VALUES]... [--budget N] \
[--rank-by expected_value|clv|p_buy] [--holdout SHARE] [--seed N] [--recipe RECIPE.json|LIST.csv] \
[--base-rate P] [--min-uplift D] [--out LIST.csv] [--csv-for-excel] [analyze options]
  --filter KIND=VALUES  keep customers that match (repeatable; all must hold): ";

pub const READBACK_USAGE: &str = "usage: clientele readback RESPONSES [--list LIST.csv] [--json OUT] \
[--missing not_converted|exclude] [--column ROLE=HEADER]... [--encoding LABEL] [--sheet NAME]
  --list LIST.csv       the target list the responses belong to (its groups, segments and recipe)
  --missing             listed customers without a response row: not_converted (default) or exclude
  --column ROLE=HEADER  roles: customer, group, converted, revenue (ROLE= for none)";

/// Runs `target` or `readback`; `None` for any other command.
pub fn dispatch(args: &[String]) -> Option<ExitCode> {
    let result = match args.first().map(String::as_str) {
        Some("target") => target_command(&args[1..]),
        Some("readback") => readback_command(&args[1..]),
        _ => return None,
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, msg)) => {
            if code == 2 {
                eprintln!("{msg}");
            } else {
                eprintln!("error: {msg}");
            }
            ExitCode::from(code)
        }
    })
}

type Failure = (u8, String);

fn usage(msg: impl std::fmt::Display, usage: &str) -> Failure {
    (2, format!("{msg}\n{usage}"))
}

fn number<T: std::str::FromStr>(name: &str, v: &str, what: &str) -> Result<T, String> {
    v.parse::<T>()
        .map_err(|_| format!("{name}: expected {what}, found \"{v}\""))
}

/// A recipe from a JSON file or from a list CSV's header comment.
fn recipe_from(path: &PathBuf) -> Result<TargetRecipe, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let json = match text.lines().find_map(|l| {
        l.trim_start_matches('\u{feff}')
            .strip_prefix(target::RECIPE_PREFIX)
    }) {
        Some(j) => j.to_string(),
        None => text.into_owned(),
    };
    TargetRecipe::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))
}

struct TargetArgs {
    recipe: TargetRecipe,
    planner: PlannerParams,
    out: Option<PathBuf>,
    bom: bool,
    rest: Vec<String>,
}

fn parse_target(args: &[String]) -> Result<TargetArgs, String> {
    let mut t = TargetArgs {
        recipe: TargetRecipe::default(),
        planner: PlannerParams::default(),
        out: None,
        bom: false,
        rest: vec!["analyze".to_string()],
    };
    let (mut filters, mut from_file) = (Vec::new(), None);
    let (mut budget, mut rank_by, mut holdout, mut seed) = (None, None, None, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--filter" => filters.push(parse_filter(&value("--filter")?)?),
            "--budget" => {
                budget = Some(number::<u64>(
                    "--budget",
                    &value("--budget")?,
                    "a number of customers",
                )?)
            }
            "--rank-by" => {
                rank_by = Some(match value("--rank-by")?.as_str() {
                    "expected_value" => RankBy::ExpectedValue,
                    "clv" => RankBy::Clv,
                    "p_buy" => RankBy::PBuy,
                    v => {
                        return Err(format!(
                            "--rank-by: expected expected_value, clv or p_buy, found \"{v}\""
                        ))
                    }
                })
            }
            "--holdout" => {
                holdout = Some(number::<f64>(
                    "--holdout",
                    &value("--holdout")?,
                    "a share like 0.1",
                )?)
            }
            "--seed" => seed = Some(number::<u64>("--seed", &value("--seed")?, "a whole number")?),
            "--recipe" => from_file = Some(PathBuf::from(value("--recipe")?)),
            "--base-rate" => {
                t.planner.base_rate = Some(number("--base-rate", &value("--base-rate")?, "a rate like 0.05")?)
            }
            "--min-uplift" => {
                t.planner.min_uplift = number(
                    "--min-uplift",
                    &value("--min-uplift")?,
                    "an absolute uplift like 0.02",
                )?
            }
            "--out" => t.out = Some(PathBuf::from(value("--out")?)),
            "--csv-for-excel" => t.bom = true,
            "-h" | "--help" => return Err(String::new()),
            other => t.rest.push(other.to_string()),
        }
    }
    if let Some(path) = &from_file {
        t.recipe = recipe_from(path)?;
    }
    if !filters.is_empty() {
        t.recipe.filters = filters;
    }
    if let Some(size) = budget {
        t.recipe.budget = Some(Budget { size });
    }
    t.recipe.rank_by = rank_by.or(t.recipe.rank_by);
    t.recipe.holdout_share = holdout.unwrap_or(t.recipe.holdout_share);
    t.recipe.seed = seed.unwrap_or(t.recipe.seed);
    t.recipe.check().map_err(|e| e.to_string())?;
    t.planner.check().map_err(|e| e.to_string())?;
    Ok(t)
}

fn target_command(args: &[String]) -> Result<(), Failure> {
    let full_usage = format!("{TARGET_USAGE}{FILTER_SYNTAX}");
    let t = parse_target(args).map_err(|e| usage(e, &full_usage))?;
    let analysis = crate::parse_args(t.rest.into_iter()).map_err(|e| (2, e))?;
    let file =
        std::fs::File::open(&analysis.file).map_err(|e| (1, format!("{}: {e}", analysis.file.display())))?;
    let size = file.metadata().ok().map(|m| m.len());
    let report = read_and_analyze(file, size, &analysis.options, &mut |_| {}, |_| {
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|e| match e {
        RunError::Failed(e) => (1, e.to_string()),
        RunError::Refused(never) => match never {},
    })?;
    let cols = TargetColumns::from_report(&report);
    let list = target::build(&cols, &t.recipe).map_err(|e| (1, e.to_string()))?;
    print_list(&list.summary);
    print_plan(&t.planner, &list.summary);
    if let Some(out) = &t.out {
        let mut csv = target::list_csv(&cols, &list, &report.as_of.to_string());
        if t.bom {
            csv.insert_str(0, UTF8_BOM);
        }
        std::fs::write(out, csv).map_err(|e| (1, format!("{}: {e}", out.display())))?;
        let path = out.display().to_string();
        println!(
            "{}",
            words::say(
                "cli.wrote",
                &format!("wrote {path}"),
                &[("path", path.clone().into())]
            )
        );
    }
    Ok(())
}

/// A warning of the campaign commands, in the language of `--lang`.
fn print_warning(w: &clientele::Warning) {
    let value = serde_json::to_value(w).unwrap_or_default();
    println!(
        "  {}: {}",
        words::say("cli.warning", "warning", &[]),
        words::warning(&value).unwrap_or_else(|| w.message.clone())
    );
}

/// The list: who passes the filters, how it is split and ranked, its warnings.
fn print_list(s: &target::TargetSummary) {
    let ranked = match s.ranked_by {
        Some(r) => r.name().to_string(),
        None => words::say("cli.target.file_order", "file order", &[]),
    };
    println!(
        "{}",
        words::say(
            "cli.target.list",
            &format!(
                "target list: {} of {} customers pass the filters, {} listed ({} target, {} holdout), ranked by {ranked}",
                s.eligible, s.customers, s.listed, s.target.customers, s.holdout.customers
            ),
            &[
                ("eligible", s.eligible.into()),
                ("customers", s.customers.into()),
                ("listed", s.listed.into()),
                ("target", s.target.customers.into()),
                ("holdout", s.holdout.customers.into()),
                ("rank", ranked.clone().into()),
            ]
        )
    );
    for (name, g) in [("target", &s.target), ("holdout", &s.holdout)] {
        if let Some(m) = g.mean_p_buy {
            let (mean, buyers) = (
                format!("{m:.4}"),
                format!("{:.1}", g.expected_buyers.unwrap_or(0.0)),
            );
            println!(
                "  {}",
                words::say(
                    "cli.target.group",
                    &format!("{name}: mean p_buy {mean}, expected buyers without a campaign {buyers}"),
                    &[
                        (
                            "group",
                            words::say(&format!("readback.group.{name}"), name, &[]).into()
                        ),
                        ("mean", mean.clone().into()),
                        ("buyers", buyers.clone().into()),
                    ]
                )
            );
        }
    }
    for w in &s.warnings {
        print_warning(w);
    }
}

/// The sample-size planner's answer for the list, or why it has none.
fn print_plan(planner: &PlannerParams, s: &target::TargetSummary) {
    let p = match target::plan(
        planner,
        s.listed as u64,
        s.holdout.customers as u64,
        s.target.mean_p_buy.or(s.holdout.mean_p_buy),
    ) {
        Ok(p) => p,
        Err(e) => {
            println!(
                "{}: {}",
                words::say("cli.planner", "planner", &[]),
                words::error(&e)
            );
            return;
        }
    };
    let source = if p.base_rate_source == "given" {
        words::say("cli.planner.given", "given", &[])
    } else {
        words::say("cli.planner.from_list", "mean p_buy of the list", &[])
    };
    let needed = p
        .holdout_needed
        .map(|h| {
            words::say(
                "cli.planner.needed",
                &format!("; smallest holdout for this list: {h}"),
                &[("n", h.into())],
            )
        })
        .unwrap_or_default();
    let (base, uplift, power, alpha, per_group, here) = (
        format!("{:.2} %", 100.0 * p.base_rate),
        format!("{:+.2}", 100.0 * p.min_uplift),
        format!("{:.0} %", 100.0 * p.power),
        format!("{:.0} %", 100.0 * p.alpha),
        format!("{:.0}", p.per_group_equal.ceil()),
        format!("{:.1} %", 100.0 * p.power_at_holdout),
    );
    println!(
        "{}",
        words::say(
            "cli.planner.line",
            &format!(
                "planner: base rate {base} ({source}), uplift {uplift} points, {power} power at {alpha}: {per_group} per group with equal groups; this holdout ({}) has {here} power{needed}",
                p.holdout
            ),
            &[
                ("base", base.clone().into()),
                ("source", source.clone().into()),
                ("uplift", uplift.clone().into()),
                ("power", power.clone().into()),
                ("alpha", alpha.clone().into()),
                ("per_group", per_group.clone().into()),
                ("holdout", p.holdout.into()),
                ("power_here", here.clone().into()),
                ("needed", needed.clone().into()),
            ]
        )
    );
    for w in &p.warnings {
        print_warning(w);
    }
}

struct ReadbackArgs {
    responses: PathBuf,
    list: Option<PathBuf>,
    json: Option<PathBuf>,
    options: ResponseOptions,
    params: ReadbackParams,
}

fn parse_readback(args: &[String]) -> Result<ReadbackArgs, String> {
    let (mut responses, mut list, mut json) = (None, None, None);
    let mut options = ResponseOptions::default();
    let mut params = ReadbackParams::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--list" => list = Some(PathBuf::from(value("--list")?)),
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            "--encoding" => options.encoding = Some(value("--encoding")?),
            "--sheet" => options.sheet = Some(value("--sheet")?),
            "--lang" => {
                let v = value("--lang")?;
                let lang = words::Lang::parse(&v)
                    .ok_or_else(|| format!("--lang: expected en, zh-Hans or zh-Hant, found \"{v}\""))?;
                words::set(lang);
            }
            "--missing" => {
                params.missing = match value("--missing")?.as_str() {
                    "not_converted" => MissingResponses::NotConverted,
                    "exclude" => MissingResponses::Exclude,
                    v => {
                        return Err(format!(
                            "--missing: expected not_converted or exclude, found \"{v}\""
                        ))
                    }
                }
            }
            "--column" => {
                let v = value("--column")?;
                let (role, column) = v
                    .split_once('=')
                    .ok_or_else(|| format!("--column: expected ROLE=HEADER, found \"{v}\""))?;
                let role = match role.trim() {
                    "customer" => ResponseRole::Customer,
                    "group" => ResponseRole::Group,
                    "converted" => ResponseRole::Converted,
                    "revenue" => ResponseRole::Revenue,
                    r => {
                        return Err(format!(
                        "--column: unknown role \"{r}\"; the roles are customer, group, converted, revenue"
                    ))
                    }
                };
                options.roles.retain(|(r, _)| *r != role);
                options.roles.push((role, column.to_string()));
            }
            "-h" | "--help" => return Err(String::new()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`")),
            _ if responses.is_none() => responses = Some(PathBuf::from(arg)),
            _ => return Err(format!("only one RESPONSES file, found another: `{arg}`")),
        }
    }
    let responses = responses.ok_or("RESPONSES is missing")?;
    options.file_name = responses.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(ReadbackArgs {
        responses,
        list,
        json,
        options,
        params,
    })
}

fn readback_command(args: &[String]) -> Result<(), Failure> {
    let a = parse_readback(args).map_err(|e| usage(e, READBACK_USAGE))?;
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| (1, format!("{}: {e}", p.display())));
    let list = match &a.list {
        Some(p) => {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            Some(CampaignList::from_csv(&read(p)?, name.as_deref()).map_err(|e| (1, e.to_string()))?)
        }
        None => None,
    };
    let (rows, quality) = read_responses(&read(&a.responses)?, &a.options).map_err(|e| (1, e.to_string()))?;
    let report = readback(&rows, quality, list.as_ref(), &a.params).map_err(|e| (1, e.to_string()))?;
    print_readback(&report);
    if let Some(path) = &a.json {
        let json = serde_json::to_string(&report).map_err(|e| (1, e.to_string()))?;
        std::fs::write(path, json).map_err(|e| (1, format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

fn print_readback(r: &ReadbackReport) {
    let q = &r.quality;
    let file = q.file_name.as_deref().unwrap_or("responses");
    crate::print_rows(file, q.rows_read, q.rows_used);
    for s in &q.skipped {
        let rows: Vec<String> = s.example_rows.iter().map(u64::to_string).collect();
        let reason = serde_json::to_value(s.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let english = format!(
            "{} ({} {})",
            s.description,
            if rows.len() == 1 { "row" } else { "rows" },
            rows.join(", ")
        );
        let why = words::say(&format!("readback.skip.{reason}"), s.description, &[]);
        println!(
            "  {} {:>8}  {}",
            words::say("cli.skipped", "skipped", &[]),
            s.rows,
            words::say(
                "cli.readback.skip",
                &english,
                &[("reason", why.into()), ("rows", rows.join(", ").into())]
            )
        );
    }
    for c in q.columns.iter().filter(|c| c.role.is_some()) {
        let role = serde_json::to_value(c.role)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let (header, how) = (c.header.as_str(), c.detected_by);
        println!(
            "  {}",
            words::say(
                "cli.readback.column",
                &format!("{role}: \"{header}\" (by {how})"),
                &[
                    (
                        "role",
                        words::say(&format!("readback.role.{role}"), &role, &[]).into()
                    ),
                    ("column", header.into()),
                    (
                        "how",
                        words::say(&format!("quality.detected.{how}"), how, &[]).into()
                    ),
                ]
            )
        );
    }
    for n in &q.notes {
        let value = serde_json::to_value(n).unwrap_or_default();
        println!(
            "  {}: {}",
            words::say("cli.note", "note", &[]),
            words::ingest(&value)
        );
    }
    print_outcomes(r);
    let report = serde_json::to_value(r).unwrap_or_default();
    for f in report["findings"].as_array().into_iter().flatten() {
        println!("{}", words::finding(f, &report));
    }
    for w in &r.warnings {
        print_warning(w);
    }
}

/// The target and holdout groups: customers, conversions, rate with its interval, revenue.
fn print_outcomes(r: &ReadbackReport) {
    let pct = |x: Option<f64>| {
        x.map_or(words::say("cli.na", "n/a", &[]), |x| {
            format!("{:.2} %", 100.0 * x)
        })
    };
    let interval = |g: &clientele::readback::GroupOutcome| {
        g.rate_interval.map_or(String::new(), |i| {
            let (low, high) = (format!("{:.2}", 100.0 * i.low), format!("{:.2}", 100.0 * i.high));
            words::say(
                "cli.readback.interval",
                &format!(" (95 % CI {low}–{high} %)"),
                &[("low", low.clone().into()), ("high", high.clone().into())],
            )
        })
    };
    let (customers, converted) = (
        words::say("cli.clusters.customers", "customers", &[]),
        words::say("cli.readback.converted", "converted", &[]),
    );
    for (name, g) in [("target", &r.target), ("holdout", &r.holdout)] {
        let revenue = g.revenue_per_customer.map_or(String::new(), |v| {
            let v = format!("{v:.2}");
            words::say(
                "cli.readback.revenue",
                &format!(", revenue per customer {v}"),
                &[("value", v.clone().into())],
            )
        });
        let group = words::say(&format!("readback.group.{name}"), name, &[]);
        println!(
            "{group:<8} {:>8} {customers} {:>7} {converted}  {}{}{revenue}",
            g.customers,
            g.converted,
            pct(g.rate),
            interval(g),
        );
    }
}
