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
    let s = &list.summary;
    println!(
        "target list: {} of {} customers pass the filters, {} listed ({} target, {} holdout), ranked by {}",
        s.eligible,
        s.customers,
        s.listed,
        s.target.customers,
        s.holdout.customers,
        s.ranked_by.map_or("file order", RankBy::name)
    );
    for (name, g) in [("target", &s.target), ("holdout", &s.holdout)] {
        if let Some(m) = g.mean_p_buy {
            println!(
                "  {name}: mean p_buy {:.4}, expected buyers without a campaign {:.1}",
                m,
                g.expected_buyers.unwrap_or(0.0)
            );
        }
    }
    for w in &s.warnings {
        println!("  warning: {w}");
    }
    match target::plan(
        &t.planner,
        s.listed as u64,
        s.holdout.customers as u64,
        s.target.mean_p_buy.or(s.holdout.mean_p_buy),
    ) {
        Ok(p) => {
            println!(
                "planner: base rate {:.2} % ({}), uplift {:+.2} points, {:.0} % power at {:.0} %: {:.0} per group with equal groups; this holdout ({}) has {:.1} % power{}",
                100.0 * p.base_rate,
                if p.base_rate_source == "given" { "given" } else { "mean p_buy of the list" },
                100.0 * p.min_uplift,
                100.0 * p.power,
                100.0 * p.alpha,
                p.per_group_equal.ceil(),
                p.holdout,
                100.0 * p.power_at_holdout,
                p.holdout_needed.map(|h| format!("; smallest holdout for this list: {h}")).unwrap_or_default()
            );
            for w in &p.warnings {
                println!("  warning: {w}");
            }
        }
        Err(e) => println!("planner: {e}"),
    }
    if let Some(out) = &t.out {
        let mut csv = target::list_csv(&cols, &list, &report.as_of.to_string());
        if t.bom {
            csv.insert_str(0, UTF8_BOM);
        }
        std::fs::write(out, csv).map_err(|e| (1, format!("{}: {e}", out.display())))?;
        println!("wrote {}", out.display());
    }
    Ok(())
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
    println!(
        "{}: {} read, {} used, {} skipped",
        q.file_name.as_deref().unwrap_or("responses"),
        clientele::warning::count(q.rows_read, "row", "rows"),
        q.rows_used,
        q.rows_read - q.rows_used
    );
    for s in &q.skipped {
        let rows: Vec<String> = s.example_rows.iter().map(u64::to_string).collect();
        println!(
            "  skipped {:>8}  {} ({} {})",
            s.rows,
            s.description,
            if rows.len() == 1 { "row" } else { "rows" },
            rows.join(", ")
        );
    }
    for c in q.columns.iter().filter(|c| c.role.is_some()) {
        let role = serde_json::to_value(c.role)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        println!("  {role}: \"{}\" (by {})", c.header, c.detected_by);
    }
    for n in &q.notes {
        println!("  note: {n}");
    }
    let pct = |x: Option<f64>| x.map_or("n/a".to_string(), |x| format!("{:.2} %", 100.0 * x));
    let interval = |g: &clientele::readback::GroupOutcome| {
        g.rate_interval.map_or(String::new(), |i| {
            format!(" (95 % CI {:.2}–{:.2} %)", 100.0 * i.low, 100.0 * i.high)
        })
    };
    for (name, g) in [("target", &r.target), ("holdout", &r.holdout)] {
        println!(
            "{name:<8} {:>8} customers {:>7} converted  {}{}{}",
            g.customers,
            g.converted,
            pct(g.rate),
            interval(g),
            g.revenue_per_customer
                .map_or(String::new(), |v| format!(", revenue per customer {v:.2}"))
        );
    }
    for f in &r.findings {
        println!("{f}");
    }
    for w in &r.warnings {
        println!("  warning: {w}");
    }
}
