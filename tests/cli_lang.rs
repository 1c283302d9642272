//! `clientele analyze FILE --lang zh-Hans|zh-Hant` (issue 17): a warnings-heavy GBK file
//! (tests/fixtures/ingest/warnings_gbk.csv, made by make_warnings_gbk.mjs beside it) prints no
//! English sentence: the reader's notes, skip reasons, candidates, sections and errors are
//! worded from their codes in the page's catalogues. English stays the default.

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/warnings_gbk.csv")
}

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

/// Runs of three or more English words in `line`, once what is the file's own or typed by the
/// user is taken out: quoted names, flags and their values, snake_case identifiers, the file
/// name and the model names.
fn english_runs(line: &str) -> Vec<String> {
    // Calls such as rank(method="min") are code, as the user would type them.
    let mut line = line.to_string();
    while let Some(open) = line.find("(method=") {
        let start = line[..open]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let end = line[open..].find(')').map_or(line.len(), |i| open + i + 1);
        line.replace_range(start..end, " ");
    }
    let mut text = String::new();
    let mut quoted = None;
    for c in line.chars() {
        match (quoted, c) {
            (None, '"' | '“' | '「') => quoted = Some(c),
            (Some('"'), '"') | (Some('“'), '”') | (Some('「'), '」') => quoted = None,
            (None, c) => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.')))
        .collect();
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for w in words.iter().chain([&""]) {
        let english = w.len() >= 2
            && w.chars().all(|c| c.is_ascii_alphabetic())
            && !matches!(
                *w,
                "ID" | "RFM" | "CLV" | "AUC" | "LL" | "BIC" | "GBK" | "UTF" | "MiB" | "pandas"
            );
        if english {
            run.push(w);
        } else if !w.is_empty() || run.len() >= 3 {
            if run.len() >= 3 {
                runs.push(run.join(" "));
            }
            run.clear();
        }
    }
    runs
}

#[test]
fn a_warnings_heavy_gbk_file_prints_no_english_in_chinese() {
    let file = fixture();
    let (code, english, err) = clientele(&["analyze", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // The file sets off the reader's messages this test is about (in English by default).
    for needle in [
        "could be day/month or month/day",
        "was taken as the amount from its values",
        "No order column",
        "quantity that is not a number",
        "never closes",
        "different number of fields",
    ] {
        assert!(english.contains(needle), "no \"{needle}\" in\n{english}");
    }
    for lang in ["zh-Hans", "zh-Hant"] {
        let (code, out, err) = clientele(&["analyze", file.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        let left: Vec<String> = out.lines().flat_map(english_runs).collect();
        assert!(left.is_empty(), "{lang}: English left: {left:?}\n{out}");
        assert!(
            out.contains(if lang == "zh-Hans" {
                "已按月/日/年读取"
            } else {
                "已依月/日/年讀取"
            }) || out.contains(if lang == "zh-Hans" {
                "已按日/月/年读取"
            } else {
                "已依日/月/年讀取"
            }),
            "{out}"
        );
    }
}

#[test]
fn errors_are_worded_in_the_language_with_their_place() {
    let dir = std::env::temp_dir().join(format!("clientele-cli-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("no_dates.csv");
    std::fs::write(&path, "customer,amount\nA,1.00\nB,2.00\n").unwrap();
    let (code, _, err) = clientele(&["analyze", path.to_str().unwrap(), "--lang", "zh-Hans"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("错误"), "{err}");
    assert!(english_runs(&err).is_empty(), "{err}");
    let (_, _, err) = clientele(&["analyze", path.to_str().unwrap()]);
    assert!(err.starts_with("error: "), "{err}");
}

/// The campaign read-back (tests/fixtures/campaign) in Chinese: the findings are worded from
/// their codes and the read-back's figures, the rows line is the analysis's own.
#[test]
fn readback_findings_are_worded_in_chinese() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/campaign");
    let responses = dir.join("campaign_responses.csv");
    let list = dir.join("campaign_list.csv");
    let args = |lang: Option<&str>| {
        let mut a = vec![
            "readback".to_string(),
            responses.to_str().unwrap().to_string(),
            "--list".to_string(),
            list.to_str().unwrap().to_string(),
        ];
        if let Some(l) = lang {
            a.extend(["--lang".to_string(), l.to_string()]);
        }
        a
    };
    let run = |lang: Option<&str>| {
        let a = args(lang);
        clientele(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (code, english, err) = run(None);
    assert_eq!(code, 0, "{err}");
    assert!(english.contains("The target group converted at"), "{english}");
    assert!(english.contains("rows read, 2465 used, 2 skipped"), "{english}");
    for (lang, needle) in [("zh-Hans", "营销组的转化率为"), ("zh-Hant", "行銷組的轉換率為")] {
        let (code, out, err) = run(Some(lang));
        assert_eq!(code, 0, "{err}");
        let left: Vec<String> = out.lines().flat_map(english_runs).collect();
        assert!(left.is_empty(), "{lang}: English left: {left:?}\n{out}");
        assert!(out.contains(needle), "{lang}: no \"{needle}\" in\n{out}");
    }
}

/// A file without amounts and a short history: the cluster note (monetary left out), the
/// lifetime-value fit status and why the purchase models are not compared, in Chinese.
#[test]
fn clusters_and_lifetime_value_notes_are_worded_in_chinese() {
    let dir = std::env::temp_dir().join(format!("clientele-cli-lang-short-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("short_visits.csv");
    let mut csv = String::from("member,visit\n");
    for c in 0..60u32 {
        for k in 0..(1 + c % 5) {
            let day = 1 + (c * 7 + k * 13) % 80;
            let date =
                chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(day.into());
            csv.push_str(&format!("M{c},{date}\n"));
        }
    }
    std::fs::write(&path, csv).unwrap();
    let (code, english, err) = clientele(&["analyze", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        english.contains("monetary left out: the file has no amounts"),
        "{english}"
    );
    assert!(
        english.contains("so the purchase models are not compared"),
        "{english}"
    );
    for (lang, note, compare) in [
        (
            "zh-Hans",
            "未使用消费金额：文件中没有金额",
            "因此不比较各购买模型",
        ),
        ("zh-Hant", "檔案中沒有金額", "因此不比較各購買模型"),
    ] {
        let (code, out, err) = clientele(&["analyze", path.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code, 0, "{err}");
        let left: Vec<String> = out.lines().flat_map(english_runs).collect();
        assert!(left.is_empty(), "{lang}: English left: {left:?}\n{out}");
        assert!(out.contains(note) && out.contains(compare), "{lang}:\n{out}");
    }
}

/// `--csv-header words`: the export's column names in `--lang`'s language, money columns with
/// the file's currency; the default stays the machine header.
#[test]
fn export_header_in_words_names_the_currency() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/currency/chinese_shop_gbk.csv");
    let dir = std::env::temp_dir().join(format!("clientele-cli-lang-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = |extra: &[&str]| {
        let out = dir.join("customers.csv");
        let mut args = vec![
            "analyze",
            file.to_str().unwrap(),
            "--customers-csv",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let (code, _, err) = clientele(&args);
        assert_eq!(code, 0, "{err}");
        let csv = std::fs::read_to_string(&out).unwrap();
        let (header, rows) = csv.split_once("\r\n").unwrap();
        (header.to_string(), rows.to_string())
    };
    let (names, rows) = header(&[]);
    assert_eq!(names, clientele::report::CUSTOMERS_CSV_HEADER);
    let (english, same_rows) = header(&["--csv-header", "words"]);
    assert_eq!(same_rows, rows, "the rows are the same bytes");
    assert!(
        english.starts_with("customer_id,recency_days,frequency,monetary (CNY),"),
        "{english}"
    );
    assert!(english.contains(",clv (CNY),"), "{english}");
    let (hans, _) = header(&["--csv-header", "words", "--lang", "zh-Hans"]);
    assert!(
        hans.starts_with("客户ID,最近购买天数,购买频次,消费金额 (CNY),"),
        "{hans}"
    );
    let (hant, _) = header(&["--csv-header", "words", "--lang", "zh-Hant"]);
    assert!(hant.contains(",顧客終身價值 (CNY),"), "{hant}");
    assert_eq!(hant.split(',').count(), names.split(',').count());
}
