//! The CLI's words in the language of `--lang` (`en`, `zh-Hans`, `zh-Hant`): the page's own
//! message catalogues (`www/i18n/<lang>/<area>.js`), read at compile time, so the command line
//! and the page say the same thing. English prints the core's sentences and the CLI's own
//! labels unchanged; Chinese words warnings, skip reasons, unavailable reasons, segment names
//! and the CLI's labels (area `cli`) from the codes and parameters of the Report's JSON.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The catalogue areas the CLI reads, per language (the same files the page imports).
macro_rules! areas {
    ($lang:literal) => {
        [
            include_str!(concat!("../../../www/i18n/", $lang, "/cli.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/sections.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/segments.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/quality.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/warnings.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/reasons.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/errors.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/rfm.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/ingest.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/clusters.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/clv.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/lifecycle.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/readback.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/common.js")),
            include_str!(concat!("../../../www/i18n/", $lang, "/export.js")),
        ]
    };
}

/// A language the CLI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhHans,
    ZhHant,
}

impl Lang {
    /// `--lang`'s value: `en`, `zh-Hans`, `zh-Hant` (also `zh-CN`, `zh-TW`, `zh-HK`, `zh`).
    pub fn parse(v: &str) -> Option<Lang> {
        let v = v.trim().to_ascii_lowercase().replace('_', "-");
        let parts: Vec<&str> = v.split('-').collect();
        match parts.first() {
            Some(&"en") => Some(Lang::En),
            Some(&"zh") if parts.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo")) => {
                Some(Lang::ZhHant)
            }
            Some(&"zh") => Some(Lang::ZhHans),
            _ => None,
        }
    }

    fn sources(self) -> [&'static str; 15] {
        match self {
            Lang::En => areas!("en"),
            Lang::ZhHans => areas!("zh-Hans"),
            Lang::ZhHant => areas!("zh-Hant"),
        }
    }
}

struct Words {
    lang: Lang,
    map: HashMap<String, String>,
}

static WORDS: OnceLock<Words> = OnceLock::new();

/// Chooses the language for the rest of the run (once; later calls are ignored).
pub fn set(lang: Lang) {
    let map = lang.sources().iter().flat_map(|src| parse(src)).collect();
    let _ = WORDS.set(Words { lang, map });
}

fn words() -> &'static Words {
    WORDS.get_or_init(|| Words {
        lang: Lang::En,
        map: HashMap::new(),
    })
}

/// The entries `'key': 'text'` (or `"text"`) of one catalogue file, in order. The files are
/// formatted by prettier: each key starts a line indented by two spaces, its text follows on
/// the same line or the next.
fn parse(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    while let Some(at) = src[i..].find("\n  '") {
        let key_start = i + at + 4;
        let Some(key_len) = src[key_start..].find('\'') else {
            break;
        };
        let key = &src[key_start..key_start + key_len];
        let mut j = key_start + key_len + 1;
        if bytes.get(j) != Some(&b':') {
            i = j;
            continue;
        }
        j += 1;
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let Some(&quote) = bytes.get(j).filter(|q| **q == b'\'' || **q == b'"') else {
            i = j;
            continue;
        };
        let mut text = String::new();
        let mut chars = src[j + 1..].char_indices();
        let mut end = src.len();
        while let Some((k, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => text.push('\n'),
                    Some((_, 'u')) => {
                        let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                        if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            text.push(ch);
                        }
                    }
                    Some((_, other)) => text.push(other),
                    None => {}
                },
                c if c as u32 == u32::from(quote) => {
                    end = j + 1 + k + 1;
                    break;
                }
                c => text.push(c),
            }
        }
        out.push((key.to_string(), text));
        i = end;
    }
    out
}

/// `english` in English; else the catalogue's text for `key` with `{param}` filled (the English
/// text when the key or a parameter is missing).
pub fn say(key: &str, english: &str, params: &[(&str, Value)]) -> String {
    let w = words();
    if w.lang == Lang::En {
        return english.to_string();
    }
    match w.map.get(key).and_then(|t| fill(t, params, w.lang)) {
        Some(text) => text,
        None => english.to_string(),
    }
}

/// A warning of the Report (`{code, message, params}`), or the reader's plain sentence.
pub fn warning(w: &Value) -> Option<String> {
    let words = words();
    if words.lang == Lang::En {
        return None;
    }
    let code = w["code"].as_str()?;
    let p = &w["params"];
    let variant = match code {
        "clv_penalised_fit" if p["model"] == "gamma_gamma" => "clv_penalised_fit_spend",
        "clv_penalised_fit" if !p["max_p_alive_shift"].is_null() => "clv_penalised_fit_shift",
        "readback_without_response" if p["counted"] == true => "readback_without_response_counted",
        c => c,
    };
    let params: Vec<(&str, Value)> = p
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
        .unwrap_or_default();
    words
        .map
        .get(&format!("warnings.{variant}"))
        .and_then(|t| fill(t, &params, words.lang))
}

/// The parameters of a message (`params` of its JSON) by name.
fn params_of(p: &Value) -> Vec<(&str, Value)> {
    p.as_object()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
        .unwrap_or_default()
}

/// A message of the reader (`{code, params, message}`: a warning, a date format phrase, a role
/// reason, a candidate's why) from `ingest.<code>`, its `role`, `order`, `group` and `values`
/// parameters in words; the core's English sentence in English or for a code not in the
/// catalogue.
pub fn ingest(m: &Value) -> String {
    let english = m["message"].as_str().or(m.as_str()).unwrap_or("").to_string();
    let w = words();
    let Some(code) = m["code"].as_str().filter(|_| w.lang != Lang::En) else {
        return english;
    };
    let p = &m["params"];
    let variant = match code {
        "amount_looks_like_count" | "role_reason_amount_count" if p["times_price"] == true => {
            format!("{code}_price")
        }
        "ragged" if p["header"] == false => "ragged_no_header".into(),
        "no_order_column" if p["column"].is_null() => "no_order_column_no_candidate".into(),
        c => c.to_string(),
    };
    let mut params = params_of(p);
    for (name, v) in params.iter_mut() {
        let key = match (*name, v.as_str()) {
            ("role", Some(r)) => format!("quality.role.{r}"),
            ("order", Some(o)) => format!("quality.order.{o}"),
            ("group", Some(g)) => format!("quality.dates.{g}"),
            ("values", Some(k)) => format!("ingest.values.{k}"),
            _ => continue,
        };
        if let Some(text) = w.map.get(&key) {
            *v = Value::from(text.clone());
        }
    }
    w.map
        .get(&format!("ingest.{variant}"))
        .and_then(|t| fill(t, &params, w.lang))
        .unwrap_or(english)
}

/// A role's name (`quality.role.<role>`), the role key in English.
pub fn role(role: &str) -> String {
    say(&format!("quality.role.{role}"), role, &[])
}

/// A cluster's name (a profile of the Report's JSON), worded from its parts (`coded_name`) as
/// the page does (www/sections/clusters.js `clusterName`); the core's English name in English.
pub fn cluster(profile: &Value) -> String {
    let english = profile["name"].as_str().unwrap_or("").to_string();
    let n = &profile["coded_name"];
    let (Some(when), Some(what)) = (n["when"].as_str(), n["what"].as_str()) else {
        return english;
    };
    if words().lang == Lang::En {
        return english;
    }
    let base = say(
        "clusters.name.base",
        &english,
        &[
            (
                "when",
                say(&format!("clusters.name.when.{when}"), when, &[]).into(),
            ),
            (
                "what",
                say(&format!("clusters.name.what.{what}"), what, &[]).into(),
            ),
        ],
    );
    let Some(suffix) = n["suffix"].as_str() else {
        return base;
    };
    let tier = |k: usize| n["tier"][k].clone();
    let suffix = say(
        &format!("clusters.name.suffix.{suffix}"),
        suffix,
        &[("i", tier(0)), ("n", tier(1))],
    );
    say(
        "clusters.name.with_suffix",
        &english,
        &[("name", base.into()), ("suffix", suffix.into())],
    )
}

/// A cluster note (`coded_notes`: a feature left out), from `clusters.note.<code>`.
pub fn cluster_note(note: &Value) -> String {
    let english = note["message"].as_str().unwrap_or("");
    let feature = note["params"]["feature"].as_str().unwrap_or("");
    let key = match feature {
        "recency_days" => "recency",
        "avg_order_value" => "aov",
        "tenure_days" => "tenure",
        "mean_days_between_purchases" => "gap",
        f => f,
    };
    let label = say(&format!("clusters.feature.{key}.label"), feature, &[]);
    let code = note["code"].as_str().unwrap_or("");
    say(
        &format!("clusters.note.{code}"),
        english,
        &[("feature", label.into())],
    )
}

/// An error of the core: from its code (`errors.<code>`, else `reasons.<code>`) with the place
/// in the file it names; the core's English sentence in English or for a code not worded.
pub fn error(e: &clientele::Error) -> String {
    let english = e.to_string();
    let w = words();
    if w.lang == Lang::En {
        return english;
    }
    let code = e.code();
    let params: Vec<(String, Value)> = e.params().into_iter().collect();
    let params: Vec<(&str, Value)> = params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let Some(text) = [format!("errors.{code}"), format!("reasons.{code}")]
        .iter()
        .find_map(|k| w.map.get(k).and_then(|t| fill(t, &params, w.lang)))
    else {
        return english;
    };
    let clientele::Error::Ingest(ie) = e else {
        return text;
    };
    let mut place = Vec::new();
    if let Some(file) = &ie.file {
        place.push(file.clone());
    }
    if let Some(row) = ie.row {
        place.push(say("cli.at_row", "", &[("row", row.into())]));
    }
    if let Some(column) = &ie.column {
        place.push(say("cli.at_column", "", &[("column", column.clone().into())]));
    }
    if place.is_empty() {
        text
    } else {
        format!(
            "{}{}{text}",
            place.join(say("cli.place_sep", ", ", &[]).as_str()),
            say("cli.colon", ": ", &[])
        )
    }
}

/// A coded message of the lifetime-value section (`{code, params, message}`: why the models
/// were not compared, why there is no spend model, a fit's status part), from
/// `clv.message.<code>`; the core's English sentence in English or for a code not worded.
pub fn clv(m: &Value) -> String {
    let english = m["message"].as_str().unwrap_or("").to_string();
    let Some(code) = m["code"].as_str() else {
        return english;
    };
    let mut params = params_of(&m["params"]);
    let mut named: Vec<(String, Value)> = Vec::new();
    // A parameter whose value is a word (a fit problem's `side`, `hint`, `parameter`):
    // `{side_word}`, the catalogue's word for it or the value itself.
    for (name, value) in &params {
        let Some(v) = value.as_str() else { continue };
        let text = words().map.get(&format!("clv.word.{name}.{v}")).cloned();
        named.push((
            format!("{name}_word"),
            Value::from(text.unwrap_or_else(|| v.to_string())),
        ));
    }
    params.extend(named.iter().map(|(k, v)| (k.as_str(), v.clone())));
    say(&format!("clv.message.{code}"), &english, &params)
}

/// A finding of the campaign read-back (`{code, params, message}`) worded from its code and
/// the read-back's figures, as the page does (www/sections/readback.js `findingText`): the
/// conversion and revenue sentences, the breakdowns by segment and lifecycle stage. The core's
/// English sentence in English or for a code not worded.
pub fn finding(f: &Value, r: &Value) -> String {
    let english = f["message"].as_str().unwrap_or("").to_string();
    if words().lang == Lang::En {
        return english;
    }
    let code = f["code"].as_str().unwrap_or("");
    let alpha = r["params"]["alpha"].as_f64().unwrap_or(0.05);
    let level = format!("{}%", grouped(100.0 * alpha, 0));
    let confidence = format!("{}%", grouped(100.0 * (1.0 - alpha), 0));
    let worded = if code.starts_with("conversion_") {
        conversion_finding(code, r, &level, &confidence)
    } else if code.starts_with("revenue_") {
        revenue_finding(code, r, &level, &confidence)
    } else {
        breakdown_finding(code, r, &level)
    };
    worded.unwrap_or(english)
}

/// `+1.5 个百分点`: a difference of rates in points, signed.
fn points(x: f64) -> String {
    let v = format!("{}{}", if x >= 0.0 { "+" } else { "" }, grouped(100.0 * x, 1));
    say("readback.points", &v, &[("value", v.clone().into())])
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {}", grouped(p, 3))
    }
}

/// "The target group converted at …" and its verdict (significant or not, which test).
fn conversion_finding(code: &str, r: &Value, level: &str, confidence: &str) -> Option<String> {
    let c = &r["conversion"];
    let (t, h, d, p) = (
        r["target"]["rate"].as_f64()?,
        r["holdout"]["rate"].as_f64()?,
        c["absolute_uplift"].as_f64()?,
        c["p_value"].as_f64()?,
    );
    let bounds = (
        c["absolute_interval"]["low"].as_f64(),
        c["absolute_interval"]["high"].as_f64(),
    );
    let interval = |key: &str| match bounds {
        (Some(low), Some(high)) => say(
            key,
            "",
            &[
                ("confidence", confidence.into()),
                ("low", points(low).into()),
                ("high", points(high).into()),
            ],
        ),
        _ => String::new(),
    };
    let relative = c["relative_uplift"].as_f64().map_or(String::new(), |u| {
        let v = format!("{}{}", if u >= 0.0 { "+" } else { "" }, grouped(100.0 * u, 1));
        say("readback.finding.relative", "", &[("value", v.into())])
    });
    let pct = |x: f64| format!("{}%", grouped(100.0 * x, 1));
    let head = say(
        "readback.finding.conversion",
        "",
        &[
            ("target", pct(t).into()),
            ("holdout", pct(h).into()),
            ("uplift", points(d).into()),
            ("interval", interval("readback.finding.interval").into()),
            ("relative", relative.into()),
        ],
    );
    let test = if c["test"] == "fisher_exact" {
        "readback.finding.test_fisher"
    } else {
        "readback.finding.test_z"
    };
    let key = format!("readback.finding.{code}");
    words().map.contains_key(&key).then_some(())?;
    let verdict = say(
        &key,
        "",
        &[
            ("level", level.into()),
            ("test", say(test, "", &[]).into()),
            ("p", p_text(p).into()),
            ("consistent", interval("readback.finding.consistent").into()),
        ],
    );
    Some(say(
        "readback.finding.join",
        "",
        &[("head", head.into()), ("verdict", verdict.into())],
    ))
}

/// "Revenue per customer: …" and its verdict (Welch's t-test).
fn revenue_finding(code: &str, r: &Value, level: &str, confidence: &str) -> Option<String> {
    let rev = &r["revenue"];
    let (t, h, d, p) = (
        r["target"]["revenue_per_customer"].as_f64()?,
        r["holdout"]["revenue_per_customer"].as_f64()?,
        rev["difference"].as_f64()?,
        rev["p_value"].as_f64()?,
    );
    let signed = |x: f64| format!("{}{}", if x >= 0.0 { "+" } else { "" }, grouped(x, 2));
    let bound = |k: &str| signed(rev["interval"][k].as_f64().unwrap_or(f64::NAN));
    let head = say(
        "readback.finding.revenue",
        "",
        &[
            ("target", grouped(t, 2).into()),
            ("holdout", grouped(h, 2).into()),
            ("difference", signed(d).into()),
            ("confidence", confidence.into()),
            ("low", bound("low").into()),
            ("high", bound("high").into()),
        ],
    );
    let key = format!("readback.finding.{code}");
    words().map.contains_key(&key).then_some(())?;
    let verdict = say(&key, "", &[("level", level.into()), ("p", p_text(p).into())]);
    Some(say(
        "readback.finding.join",
        "",
        &[("head", head.into()), ("verdict", verdict.into())],
    ))
}

/// "By segment: …" / "By lifecycle stage: …": which groups show a significant uplift after
/// Holm's correction.
fn breakdown_finding(code: &str, r: &Value, level: &str) -> Option<String> {
    let (rows, what) = match code {
        "segment_breakdown" => (&r["by_segment"], "segment"),
        "lifecycle_stage_breakdown" => (&r["by_lifecycle_stage"], "stage"),
        _ => return None,
    };
    let rows = rows.as_array().map(Vec::as_slice).unwrap_or_default();
    let tested = rows.iter().filter(|x| !x["p_adjusted"].is_null()).count();
    let significant: Vec<String> = rows
        .iter()
        .filter(|x| x["significant"] == true)
        .map(|x| {
            let name = x["name"].as_str().unwrap_or("");
            let name = if what == "segment" {
                segment(name)
            } else {
                say(&format!("lifecycle.stage.{name}"), name, &[])
            };
            let uplift = x["absolute_uplift"].as_f64().map(points).unwrap_or_default();
            format!("{name} ({uplift})")
        })
        .collect();
    let params: [(&str, Value); 3] = [
        ("level", level.into()),
        ("tested", tested.into()),
        (
            "list",
            significant.join(&say("common.list_sep", ", ", &[])).into(),
        ),
    ];
    let key = if significant.is_empty() { "none" } else { "some" };
    Some(say(&format!("readback.finding.{what}_{key}"), "", &params))
}

/// The per-customer export's header line (`header`: the machine names) worded as the page's
/// Export buttons write it (www/export-header.js): each column from `export.col.<name>` (English
/// keeps the machine names), a money column ([`clientele::report::EXPORT_MONEY_COLUMNS`])
/// followed by `currency` when it is known.
pub fn export_header(header: &str, currency: Option<&str>) -> String {
    header
        .split(',')
        .map(|name| {
            let word = match words().lang {
                Lang::En => name.to_string(),
                _ => say(&format!("export.col.{name}"), name, &[]),
            };
            match currency {
                Some(code) if clientele::report::EXPORT_MONEY_COLUMNS.contains(&name) => {
                    format!("{word} ({code})")
                }
                _ => word,
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Why a section is unavailable: from its code, else the core's reason.
pub fn reason(section: &Value) -> String {
    let english = section["reason"].as_str().unwrap_or("").to_string();
    let Some(code) = section["code"].as_str() else {
        return english;
    };
    let params: Vec<(&str, Value)> = section["params"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
        .unwrap_or_default();
    say(&format!("reasons.{code}"), &english, &params)
}

/// An RFM segment's name (the core's English name is the key).
pub fn segment(name: &str) -> String {
    let slug: String = name
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    say(&format!("segments.{slug}.name"), name, &[])
}

/// Fills `{name}` and `{name, kind}` (int, num1, num2, num3, pct, money, date) from `params`;
/// `None` when a placeholder has no parameter.
fn fill(text: &str, params: &[(&str, Value)], lang: Lang) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let inner = &rest[open + 1..close];
        let (name, kind) = match inner.split_once(',') {
            Some((n, k)) => (n.trim(), k.trim()),
            None => (inner.trim(), ""),
        };
        let value = &params.iter().find(|(n, _)| *n == name)?.1;
        out.push_str(&format_value(value, kind, lang));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn format_value(v: &Value, kind: &str, lang: Lang) -> String {
    match (v, kind) {
        (Value::Null, _) => "—".into(),
        (Value::String(s), "date") => date(s, lang),
        (Value::String(s), _) => s.clone(),
        (Value::Number(n), _) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            match kind {
                "int" => grouped(x, 0),
                "num1" => grouped(x, 1),
                "num2" | "money" => grouped(x, 2),
                "num3" => grouped(x, 3),
                "pct" => format!("{}%", grouped(100.0 * x, 1)),
                _ if x.fract() == 0.0 => grouped(x, 0),
                _ => {
                    let s = format!("{x:.3}");
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                }
            }
        }
        (other, _) => other.to_string(),
    }
}

/// `x` with `digits` decimals and thousands separators (1,234.5), as Intl writes it for en,
/// zh-CN and zh-TW alike.
fn grouped(x: f64, digits: usize) -> String {
    let s = format!("{:.*}", digits, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut g = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            g.push(',');
        }
        g.push(c);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{g}")
    } else {
        format!("{sign}{g}.{frac}")
    }
}

/// `2024-01-05` as 2024年1月5日 in Chinese (as is in English).
fn date(s: &str, lang: Lang) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    match (lang, parts.as_slice()) {
        (Lang::En, _) => s.to_string(),
        (_, [y, m, d]) if y.len() == 4 => {
            let n = |t: &str| t.parse::<u32>().map_or_else(|_| t.to_string(), |v| v.to_string());
            format!("{y}年{}月{}日", n(m), n(d))
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_reads_the_same_keys() {
        let keys = |lang: Lang| -> std::collections::BTreeSet<String> {
            lang.sources()
                .iter()
                .flat_map(|s| parse(s))
                .map(|(k, _)| k.trim_end_matches(".one").trim_end_matches(".other").to_string())
                .collect()
        };
        let en = keys(Lang::En);
        assert!(en.len() > 200, "{}", en.len());
        assert_eq!(keys(Lang::ZhHans), en);
        assert_eq!(keys(Lang::ZhHant), en);
    }

    /// Every code the reader can emit has its words in every language the CLI (and the page)
    /// speaks.
    #[test]
    fn every_reader_code_has_words_in_every_language() {
        for lang in [Lang::En, Lang::ZhHans, Lang::ZhHant] {
            let map: HashMap<String, String> = lang.sources().iter().flat_map(|s| parse(s)).collect();
            let missing: Vec<&&str> = clientele::ingest::messages::CODES
                .iter()
                .filter(|c| !map.contains_key(&format!("ingest.{c}")))
                .collect();
            assert!(missing.is_empty(), "{lang:?}: no words for {missing:?}");
        }
    }

    /// Every code of the lifetime-value and cluster sections (`clv::MESSAGE_CODES`,
    /// `cluster::NOTE_CODES`), every part of a cluster's name, and the variants the wording picks
    /// by parameter have their words in every language.
    #[test]
    fn every_section_code_has_words_in_every_language() {
        use clientele::cluster::{NameSuffix, NameWhat, NameWhen};
        let mut keys: Vec<String> = Vec::new();
        keys.extend(
            clientele::clv::MESSAGE_CODES
                .iter()
                .map(|c| format!("clv.message.{c}")),
        );
        keys.extend(
            clientele::cluster::NOTE_CODES
                .iter()
                .map(|c| format!("clusters.note.{c}")),
        );
        keys.extend(
            NameWhen::ALL
                .iter()
                .map(|w| format!("clusters.name.when.{}", w.key())),
        );
        keys.extend(
            NameWhat::ALL
                .iter()
                .map(|w| format!("clusters.name.what.{}", w.key())),
        );
        keys.extend(
            NameSuffix::ALL
                .iter()
                .map(|w| format!("clusters.name.suffix.{}", w.key())),
        );
        keys.extend(
            [
                "side.zero",
                "side.infinity",
                "hint.rates",
                "hint.dropout",
                "hint.spend",
            ]
            .iter()
            .map(|w| format!("clv.word.{w}")),
        );
        keys.extend(
            [
                "no_order_column_no_candidate",
                "ragged_no_header",
                "amount_looks_like_count_price",
            ]
            .iter()
            .map(|v| format!("ingest.{v}")),
        );
        for lang in [Lang::En, Lang::ZhHans, Lang::ZhHant] {
            let map: HashMap<String, String> = lang.sources().iter().flat_map(|s| parse(s)).collect();
            let missing: Vec<&String> = keys.iter().filter(|k| !map.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang:?}: no words for {missing:?}");
        }
    }

    #[test]
    fn fills_and_formats() {
        let map: HashMap<String, String> = parse(areas!("zh-Hans")[4]).into_iter().collect();
        let text = fill(
            &map["warnings.rfm_few_customers"],
            &[("customers", Value::from(1234)), ("bins", Value::from(5))],
            Lang::ZhHans,
        )
        .unwrap();
        assert!(text.starts_with("只有 1,234 位客户"), "{text}");
        assert_eq!(fill("{a}", &[], Lang::ZhHans), None);
        assert_eq!(date("2024-01-05", Lang::ZhHant), "2024年1月5日");
        assert_eq!(grouped(-1234567.891, 2), "-1,234,567.89");
        assert_eq!(Lang::parse("zh-TW"), Some(Lang::ZhHant));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhHans));
        assert_eq!(Lang::parse("fr"), None);
    }
}
