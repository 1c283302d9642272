//! Campaign response files: one row per contacted or held-out customer (customer id, group,
//! converted, optional revenue), read with the same streaming machinery as any upload
//! ([`super::reader`]: encoding from the first bytes, delimiter and header from a decoded
//! sample, [`super::records`] for bounded records; workbooks) and the same habits:
//! column roles found by header name (English and Chinese, [`RESPONSE_NAMES`]) then by values,
//! every guess shown with its alternatives and overridable ([`ResponseOptions::roles`]), every
//! row not used counted with its reason and example rows, and located errors for a file that
//! cannot be read. Kept apart from the transaction reader: its own roles, its own vocabulary.

use super::dialect::Delimiter;
use super::messages::msg;
use super::reader::{read_prefix, Decoding, Layout, SAMPLE_BYTES};
use super::records::{RecordError, Records};
use super::roles::{fold, role_from_header, ColumnProfile};
use super::{parse_amount, IngestError, IngestErrorKind, IngestOptions, Role};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// What a column of a response file means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseRole {
    Customer,
    /// `target` / `holdout` (also treatment / control, test / hold-out, 目标组 / 对照组…).
    Group,
    /// Whether the customer bought (1/0, yes/no, true/false, 是/否…).
    Converted,
    /// Money the customer spent in the campaign window.
    Revenue,
}

/// A customer's group as the file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseGroup {
    Target,
    Holdout,
}

/// Folded header names per role (see [`fold`]); a customer column is also any name the
/// transaction reader knows as a customer.
pub const RESPONSE_NAMES: &[(ResponseRole, &[&str])] = &[
    (
        ResponseRole::Customer,
        &[
            "customerid",
            "customer",
            "id",
            "clientid",
            "userid",
            "memberid",
            "客户id",
            "客户编号",
            "会员id",
            "用户id",
            "客戶id",
            "客戶編號",
            "會員id",
            "用戶id",
        ],
    ),
    (
        ResponseRole::Group,
        &[
            "group",
            "groups",
            "arm",
            "variant",
            "testgroup",
            "campaigngroup",
            "cell",
            "assignment",
            "treatment",
            "targetgroup",
            "holdoutgroup",
            "controlgroup",
            "分组",
            "组别",
            "组",
            "实验组别",
            "分組",
            "組別",
            "組",
        ],
    ),
    (
        ResponseRole::Converted,
        &[
            "converted",
            "conversion",
            "convert",
            "responded",
            "response",
            "purchased",
            "bought",
            "buyer",
            "outcome",
            "success",
            "ordered",
            "isconverted",
            "是否转化",
            "转化",
            "已转化",
            "是否购买",
            "购买",
            "响应",
            "是否响应",
            "是否轉化",
            "轉化",
            "是否購買",
            "購買",
            "回應",
        ],
    ),
    (
        ResponseRole::Revenue,
        &[
            "revenue",
            "amount",
            "sales",
            "spend",
            "spent",
            "ordervalue",
            "value",
            "total",
            "收入",
            "金额",
            "销售额",
            "消费金额",
            "营收",
            "金額",
            "銷售額",
            "營收",
            "消費金額",
        ],
    ),
];

/// Group values, folded: target first, then holdout.
const TARGET_VALUES: &[&str] = &[
    "target",
    "treatment",
    "treated",
    "test",
    "contacted",
    "mailed",
    "campaign",
    "t",
    "目标",
    "目标组",
    "实验组",
    "实验",
    "处理组",
    "目標",
    "目標組",
    "實驗組",
];
const HOLDOUT_VALUES: &[&str] = &[
    "holdout",
    "control",
    "holdback",
    "hold",
    "notcontacted",
    "c",
    "h",
    "对照",
    "对照组",
    "控制组",
    "保留组",
    "對照",
    "對照組",
    "控制組",
    "保留組",
];
const YES_VALUES: &[&str] = &[
    "1",
    "yes",
    "y",
    "true",
    "t",
    "converted",
    "bought",
    "purchased",
    "是",
    "有",
    "已转化",
    "已購買",
    "已购买",
];
const NO_VALUES: &[&str] = &[
    "0",
    "no",
    "n",
    "false",
    "f",
    "notconverted",
    "否",
    "无",
    "無",
    "未转化",
    "未購買",
    "未购买",
];

/// Options for reading a response file; everything defaults to detection.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ResponseOptions {
    /// File name, used only in messages.
    pub file_name: Option<String>,
    /// Column roles: role → header (or 0-based index as text); an empty text means no column.
    pub roles: Vec<(ResponseRole, String)>,
    /// Force the text encoding by label (`utf-8`, `gbk`, …).
    pub encoding: Option<String>,
    /// For workbooks: the sheet, by name or 0-based position.
    pub sheet: Option<String>,
}

/// Why a row of a response file was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ResponseSkipReason {
    MissingCustomer,
    /// The group cell is empty (and no target list gives the group).
    MissingGroup,
    /// The group is neither a target nor a holdout word.
    UnknownGroup,
    /// The converted cell is neither yes nor no.
    BadConverted,
    /// The revenue is not a number (or negative).
    BadRevenue,
    WrongFieldCount,
    UnterminatedQuote,
}

impl ResponseSkipReason {
    pub fn description(self) -> &'static str {
        match self {
            ResponseSkipReason::MissingCustomer => "no customer id",
            ResponseSkipReason::MissingGroup => "the group cell is empty",
            ResponseSkipReason::UnknownGroup => {
                "the group is neither target (treatment, test) nor holdout (control)"
            }
            ResponseSkipReason::BadConverted => "converted is neither yes (1, true) nor no (0, false)",
            ResponseSkipReason::BadRevenue => "the revenue is not a number, or is negative",
            ResponseSkipReason::WrongFieldCount => "the row has a different number of fields than the header",
            ResponseSkipReason::UnterminatedQuote => "a quote (\") opens a cell and never closes",
        }
    }
}

/// One reason's count with up to five example rows (1-based, header = row 1).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ResponseSkip {
    pub reason: ResponseSkipReason,
    pub description: &'static str,
    pub rows: u64,
    pub example_rows: Vec<u64>,
}

/// How one column was understood.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ResponseColumn {
    pub index: usize,
    pub header: String,
    pub role: Option<ResponseRole>,
    /// `"header"`, `"values"`, `"option"` or `"none"`.
    pub detected_by: &'static str,
    /// Up to three distinct values, as written.
    pub samples: Vec<String>,
    /// Roles the column could also play (by name or values), for the page's menu.
    pub could_be: Vec<ResponseRole>,
}

/// What the reader did with the file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct ResponseQuality {
    pub file_name: Option<String>,
    pub encoding: String,
    pub delimiter: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub skipped: Vec<ResponseSkip>,
    pub columns: Vec<ResponseColumn>,
    /// `"column"`, or `"revenue"` when no converted column exists and revenue > 0 counts as
    /// converted.
    pub converted_from: &'static str,
    pub notes: Vec<Warning>,
}

/// The usable rows, columnar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseRows {
    pub customer: Vec<String>,
    /// `None` per row when the file has no group column.
    pub group: Vec<Option<ResponseGroup>>,
    pub converted: Vec<bool>,
    /// `None` when the file has no revenue column.
    pub revenue: Option<Vec<f64>>,
    /// The file's row number of each kept row.
    pub row: Vec<u64>,
}

/// The roles found: column per role.
#[derive(Debug, Clone, Copy, Default)]
struct Slots {
    customer: Option<usize>,
    group: Option<usize>,
    converted: Option<usize>,
    revenue: Option<usize>,
}

fn located(
    options: &ResponseOptions,
    kind: IngestErrorKind,
    row: Option<u64>,
    column: Option<String>,
    message: impl Into<String>,
) -> IngestError {
    IngestError {
        file: options.file_name.clone(),
        row,
        column,
        message: message.into(),
        kind,
    }
}

/// A cell's text with the export's formula guard undone (`'=x` → `=x`), so ids read back as
/// the list wrote them.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::export_cell::needs_prefix(rest) => rest,
        _ => cell,
    }
}

fn folded_in(value: &str, list: &[&str]) -> bool {
    let f = fold(value);
    list.contains(&f.as_str())
}

/// Reads a group cell.
pub fn parse_group(value: &str) -> Option<ResponseGroup> {
    if folded_in(value, TARGET_VALUES) {
        Some(ResponseGroup::Target)
    } else if folded_in(value, HOLDOUT_VALUES) {
        Some(ResponseGroup::Holdout)
    } else {
        None
    }
}

/// Reads a converted cell.
pub fn parse_converted(value: &str) -> Option<bool> {
    if folded_in(value, YES_VALUES) {
        Some(true)
    } else if folded_in(value, NO_VALUES) {
        Some(false)
    } else {
        None
    }
}

fn role_by_name(header: &str) -> Option<ResponseRole> {
    let f = fold(header);
    RESPONSE_NAMES
        .iter()
        .find(|(_, names)| names.contains(&f.as_str()))
        .map(|(r, _)| *r)
        .or_else(|| {
            matches!(role_from_header(header), Some((Role::Customer, _))).then_some(ResponseRole::Customer)
        })
}

/// Reads a response file held in memory ([`read_responses_from`] over its bytes).
///
/// ```
/// use clientele::ingest::{read_responses, ResponseGroup, ResponseOptions};
/// let csv = "客户ID,分组,是否转化,金额\nc1,目标组,是,12.5\nc2,对照组,否,\n";
/// let (rows, quality) = read_responses(csv.as_bytes(), &ResponseOptions::default()).unwrap();
/// assert_eq!(rows.customer, ["c1", "c2"]);
/// assert_eq!(rows.group, [Some(ResponseGroup::Target), Some(ResponseGroup::Holdout)]);
/// assert_eq!(rows.converted, [true, false]);
/// assert_eq!(rows.revenue, Some(vec![12.5, 0.0]));
/// assert_eq!(quality.rows_used, 2);
/// ```
pub fn read_responses(
    bytes: &[u8],
    options: &ResponseOptions,
) -> Result<(ResponseRows, ResponseQuality), IngestError> {
    read_responses_from(bytes, options)
}

/// Reads a response file from a stream, as the transaction reader does ([`super::reader`]):
/// the encoding from the first 64 KiB, the delimiter and header from a decoded sample, then
/// every record once, so memory follows the kept rows, not the file's text. A workbook is
/// gathered whole (its container needs random access) and its sheet read as CSV text.
pub fn read_responses_from<R: Read>(
    mut reader: R,
    options: &ResponseOptions,
) -> Result<(ResponseRows, ResponseQuality), IngestError> {
    let io = IngestOptions {
        file_name: options.file_name.clone(),
        encoding: options.encoding.clone(),
        sheet: options.sheet.clone(),
        ..Default::default()
    };
    let read_error = |e: std::io::Error| {
        located(
            options,
            IngestErrorKind::Io,
            None,
            None,
            format!("the response file could not be read: {e}"),
        )
    };
    let (prefix, complete) = read_prefix(&mut reader, SAMPLE_BYTES).map_err(read_error)?;
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(located(
            options,
            IngestErrorKind::Empty,
            None,
            None,
            "the response file is empty.",
        ));
    }
    let Some(format) = super::detect_workbook(&prefix) else {
        return read_text(reader, prefix, complete, &io, options, None);
    };
    let mut bytes = prefix;
    reader.read_to_end(&mut bytes).map_err(read_error)?;
    let sheet = super::read_workbook_named(&bytes, options.sheet.as_deref(), options.file_name.as_deref())?;
    drop(bytes);
    let sheet_io = IngestOptions {
        delimiter: Some(Delimiter::Byte(b',')),
        encoding: Some("utf-8".into()),
        ..io
    };
    let mut text = sheet.csv_reader();
    let (prefix, complete) = read_prefix(&mut text, SAMPLE_BYTES).map_err(read_error)?;
    let name = format!("{format:?} workbook, sheet \"{}\"", sheet.chosen);
    read_text(text, prefix, complete, &sheet_io, options, Some(name))
}

/// The transaction reader's words for a file it cannot read, said of a response file.
fn reword(e: IngestError, options: &ResponseOptions) -> IngestError {
    let message = match e.kind {
        IngestErrorKind::Empty => "the response file has no rows.",
        IngestErrorKind::HeaderOnly => "the response file has a header and no rows below it.",
        IngestErrorKind::NotText => "this does not look like a table (it contains binary data): save the responses as CSV or Excel and try again.",
        _ => return e,
    };
    located(options, e.kind, e.row, e.column, message)
}

/// Reads the text after its first bytes (`prefix`): encoding, layout, roles, then every record.
fn read_text<R: Read>(
    reader: R,
    prefix: Vec<u8>,
    complete: bool,
    io: &IngestOptions,
    options: &ResponseOptions,
    encoding: Option<String>,
) -> Result<(ResponseRows, ResponseQuality), IngestError> {
    let bytes_read = Rc::new(Cell::new(prefix.len() as u64));
    let (decoding, mut text) = Decoding::decide(reader, prefix, complete, bytes_read, io)?;
    let mut layout = Layout::sample(&mut text, io).map_err(|e| reword(e, options))?;
    // A response file's own header names make a header, whatever the values below say.
    if layout
        .first_row()
        .is_some_and(|first| first.iter().any(|h| role_by_name(h).is_some()))
    {
        layout.take_header();
    }
    if layout.has_header && layout.data_sample().is_empty() {
        return Err(located(
            options,
            IngestErrorKind::HeaderOnly,
            Some(1),
            None,
            "the response file has a header and no rows below it.",
        ));
    }
    let headers = layout.headers.clone();
    let samples: Vec<Vec<String>> = layout
        .data_sample()
        .iter()
        .map(|r| r.iter().map(|c| unguard(c).to_string()).collect())
        .collect();
    let (slots, columns) = assign(&headers, &samples, options)?;
    drop(samples);
    let mut recs = layout.records(text, &decoding, io)?;
    let mut reader = Reader::new(slots, layout.width, layout.has_header);
    let next = |recs: &mut Records<_>| {
        recs.next().map_err(|e| match e {
            RecordError::Io(m) => located(options, IngestErrorKind::Io, None, None, m),
            RecordError::TooLong { row, bound, .. } => located(
                options,
                IngestErrorKind::LineTooLong,
                Some(row),
                None,
                format!(
                    "this line is longer than {} MiB: not a response table.",
                    bound >> 20
                ),
            ),
        })
    };
    while let Some(row) = next(&mut recs)? {
        decoding.undecodable(io, &recs, row, Some(&headers))?;
        if recs.recovered() {
            reader.skip(ResponseSkipReason::UnterminatedQuote, row);
            continue;
        }
        reader.take(&recs.cells(), row);
    }
    let encoding = encoding.unwrap_or_else(|| decoding.encoding_name().to_string());
    reader.finish(options, encoding, layout.delimiter, headers, columns)
}

/// The column per role: the options first, then header names, then values.
fn assign(
    headers: &[String],
    samples: &[Vec<String>],
    options: &ResponseOptions,
) -> Result<(Slots, Vec<ResponseColumn>), IngestError> {
    let width = headers.len();
    let mut profiles = vec![ColumnProfile::default(); width];
    let mut groups = vec![0usize; width];
    let mut yesno = vec![0usize; width];
    for r in samples {
        for (i, v) in r.iter().enumerate().take(width) {
            profiles[i].add(v);
            groups[i] += usize::from(parse_group(v).is_some());
            yesno[i] += usize::from(parse_converted(v).is_some());
        }
    }
    let mostly = |i: usize, n: &[usize]| profiles[i].non_empty > 0 && n[i] * 10 >= profiles[i].non_empty * 9;
    let mut role: Vec<Option<(ResponseRole, &'static str)>> = vec![None; width];
    let mut suppressed: Vec<ResponseRole> = Vec::new();
    for (r, target) in &options.roles {
        role.iter_mut().for_each(|x| {
            if x.is_some_and(|(y, _)| y == *r) {
                *x = None
            }
        });
        if target.trim().is_empty() {
            suppressed.push(*r);
            continue;
        }
        let col = super::roles::find_column(headers, width, target).ok_or_else(|| {
            located(options, IngestErrorKind::InvalidOption, None, None, format!("the roles option names column \"{target}\", but the file has no such column (columns: \"{}\")", headers.join("\", \"")))
        })?;
        role[col] = Some((*r, "option"));
    }
    let open = |role: &[Option<(ResponseRole, &'static str)>], r: ResponseRole| {
        !suppressed.contains(&r) && !role.iter().any(|x| x.is_some_and(|(y, _)| y == r))
    };
    for (i, h) in headers.iter().enumerate() {
        if let Some(r) = role_by_name(h) {
            if role[i].is_none() && open(&role, r) {
                role[i] = Some((r, "header"));
            }
        }
    }
    let by_values: [(ResponseRole, &dyn Fn(usize) -> bool); 4] = [
        (ResponseRole::Group, &|i| {
            mostly(i, &groups) && !profiles[i].is_count()
        }),
        (ResponseRole::Converted, &|i| mostly(i, &yesno)),
        (ResponseRole::Revenue, &|i| profiles[i].is_amount()),
        (ResponseRole::Customer, &|i| {
            profiles[i].is_id() && !mostly(i, &groups) && !mostly(i, &yesno)
        }),
    ];
    for (r, test) in &by_values {
        if open(&role, *r) {
            if let Some(i) = (0..width).find(|&i| role[i].is_none() && test(i)) {
                role[i] = Some((*r, "values"));
            }
        }
    }
    let columns = (0..width)
        .map(|i| ResponseColumn {
            index: i,
            header: headers[i].clone(),
            role: role[i].map(|(r, _)| r),
            detected_by: role[i].map_or("none", |(_, how)| how),
            samples: profiles[i].samples.clone(),
            could_be: by_values
                .iter()
                .filter(|(r, test)| {
                    role[i].map(|(x, _)| x) != Some(*r) && (test(i) || role_by_name(&headers[i]) == Some(*r))
                })
                .map(|(r, _)| *r)
                .collect(),
        })
        .collect();
    let find = |r: ResponseRole| role.iter().position(|x| x.is_some_and(|(y, _)| y == r));
    let slots = Slots {
        customer: find(ResponseRole::Customer),
        group: find(ResponseRole::Group),
        converted: find(ResponseRole::Converted),
        revenue: find(ResponseRole::Revenue),
    };
    if slots.customer.is_none() {
        return Err(located(options, IngestErrorKind::NoCustomerColumn, None, None, format!("no column holds the customer id (columns: \"{}\"): name it customer_id, or choose it with the roles option (--column customer=HEADER).", headers.join("\", \""))));
    }
    if slots.converted.is_none() && slots.revenue.is_none() {
        return Err(located(options, IngestErrorKind::Other, None, None, format!("no column says whether the customer converted (1/0, yes/no) nor how much they spent (columns: \"{}\"): name it converted or revenue, or choose it with --column converted=HEADER.", headers.join("\", \""))));
    }
    Ok((slots, columns))
}

/// Reads rows into columns, counting skips.
struct Reader {
    slots: Slots,
    width: usize,
    rows: ResponseRows,
    revenue: Vec<f64>,
    skipped: Vec<ResponseSkip>,
    rows_read: u64,
    header_rows: u64,
}

impl Reader {
    fn new(slots: Slots, width: usize, has_header: bool) -> Self {
        Reader {
            slots,
            width,
            rows: ResponseRows::default(),
            revenue: Vec::new(),
            skipped: Vec::new(),
            rows_read: 0,
            header_rows: u64::from(has_header),
        }
    }

    fn skip(&mut self, reason: ResponseSkipReason, row: u64) {
        self.rows_read += 1;
        match self.skipped.iter_mut().find(|s| s.reason == reason) {
            Some(s) => {
                s.rows += 1;
                if s.example_rows.len() < 5 {
                    s.example_rows.push(row);
                }
            }
            None => self.skipped.push(ResponseSkip {
                reason,
                description: reason.description(),
                rows: 1,
                example_rows: vec![row],
            }),
        }
    }

    fn take(&mut self, cells: &[String], row: u64) {
        if cells.len() != self.width
            && !(cells.len() > self.width && cells[self.width..].iter().all(|c| c.is_empty()))
        {
            return self.skip(ResponseSkipReason::WrongFieldCount, row);
        }
        let cell = |i: Option<usize>| i.map(|i| unguard(cells[i].trim()));
        let Some(customer) = cell(self.slots.customer).filter(|c| !c.is_empty()) else {
            return self.skip(ResponseSkipReason::MissingCustomer, row);
        };
        let group = match cell(self.slots.group) {
            None => None,
            Some("") => return self.skip(ResponseSkipReason::MissingGroup, row),
            Some(g) => match parse_group(g) {
                Some(g) => Some(g),
                None => return self.skip(ResponseSkipReason::UnknownGroup, row),
            },
        };
        let revenue = match cell(self.slots.revenue) {
            None | Some("") => 0.0,
            Some(v) => match parse_amount(v) {
                Ok(x) if x >= 0.0 && x.is_finite() => x,
                _ => return self.skip(ResponseSkipReason::BadRevenue, row),
            },
        };
        let converted = match cell(self.slots.converted) {
            None => revenue > 0.0,
            Some(v) => match parse_converted(v) {
                Some(c) => c,
                None => return self.skip(ResponseSkipReason::BadConverted, row),
            },
        };
        self.rows_read += 1;
        self.rows.customer.push(customer.to_string());
        self.rows.group.push(group);
        self.rows.converted.push(converted);
        self.revenue.push(revenue);
        self.rows.row.push(row);
    }

    fn finish(
        mut self,
        options: &ResponseOptions,
        encoding: String,
        delimiter: Delimiter,
        headers: Vec<String>,
        columns: Vec<ResponseColumn>,
    ) -> Result<(ResponseRows, ResponseQuality), IngestError> {
        if self.rows.customer.is_empty() {
            let why = self
                .skipped
                .iter()
                .max_by_key(|s| s.rows)
                .map(|s| {
                    format!(
                        ": {} (rows {})",
                        s.description,
                        s.example_rows
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .unwrap_or_default();
            let column = self
                .skipped
                .iter()
                .max_by_key(|s| s.rows)
                .and_then(|s| match s.reason {
                    ResponseSkipReason::UnknownGroup | ResponseSkipReason::MissingGroup => self.slots.group,
                    ResponseSkipReason::BadConverted => self.slots.converted,
                    ResponseSkipReason::BadRevenue => self.slots.revenue,
                    ResponseSkipReason::MissingCustomer => self.slots.customer,
                    _ => None,
                });
            let row = self
                .skipped
                .iter()
                .max_by_key(|s| s.rows)
                .and_then(|s| s.example_rows.first().copied());
            return Err(located(
                options,
                IngestErrorKind::NoUsableRows,
                row,
                column.map(|c| headers[c].clone()),
                format!("no row of the response file could be used{why}."),
            ));
        }
        self.rows.revenue = self.slots.revenue.map(|_| std::mem::take(&mut self.revenue));
        let mut notes = Vec::new();
        let converted_from = if self.slots.converted.is_some() {
            "column"
        } else {
            let revenue = self.slots.revenue.map(|c| headers[c].as_str()).unwrap_or("");
            notes.push(
                msg(
                    "revenue_as_converted",
                    format!("The file has no converted column: a customer with revenue above 0 in \"{revenue}\" counts as converted."),
                )
                .with_param("column", revenue),
            );
            "revenue"
        };
        let quality = ResponseQuality {
            file_name: options.file_name.clone(),
            encoding,
            delimiter: match delimiter {
                Delimiter::Byte(b'\t') => "\t".into(),
                d => d.name(),
            },
            rows_read: self.rows_read,
            rows_used: self.rows.customer.len() as u64,
            skipped: self.skipped,
            columns,
            converted_from,
            notes,
        };
        let _ = self.header_rows;
        Ok((self.rows, quality))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(ResponseRows, ResponseQuality), IngestError> {
        read_responses(
            text.as_bytes(),
            &ResponseOptions {
                file_name: Some("r.csv".into()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn roles_come_from_names_then_values() {
        let (rows, q) = read("id;arm;bought;spend\nA;treatment;yes;10,5\nB;control;no;\n").unwrap();
        assert_eq!(rows.customer, ["A", "B"]);
        assert_eq!(rows.converted, [true, false]);
        assert_eq!(q.delimiter, ";");
        // No header: values decide.
        let (rows, q) = read("A,target,1,10.50\nB,holdout,0,0.00\nC,holdout,1,3.25\n").unwrap();
        assert_eq!(rows.customer.len(), 3);
        assert_eq!(q.columns[1].role, Some(ResponseRole::Group));
        assert_eq!(q.columns[2].role, Some(ResponseRole::Converted));
        assert_eq!(q.columns[3].role, Some(ResponseRole::Revenue));
        assert_eq!(rows.revenue.unwrap()[2], 3.25);
    }

    #[test]
    fn bad_rows_are_counted_with_reasons() {
        let text = "customer_id,group,converted,revenue\nA,target,1,5\n,target,1,5\nC,maybe,1,5\nD,holdout,perhaps,0\nE,holdout,0,abc\nF,holdout\n'=G,holdout,0,\n";
        let (rows, q) = read(text).unwrap();
        assert_eq!(rows.customer, ["A", "=G"]);
        let reasons: Vec<(ResponseSkipReason, Vec<u64>)> = q
            .skipped
            .iter()
            .map(|s| (s.reason, s.example_rows.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (ResponseSkipReason::MissingCustomer, vec![3]),
                (ResponseSkipReason::UnknownGroup, vec![4]),
                (ResponseSkipReason::BadConverted, vec![5]),
                (ResponseSkipReason::BadRevenue, vec![6]),
                (ResponseSkipReason::WrongFieldCount, vec![7]),
            ]
        );
        assert_eq!(q.rows_read, 7);
    }

    #[test]
    fn unusable_files_are_located_errors() {
        assert_eq!(read("").unwrap_err().kind, IngestErrorKind::Empty);
        assert_eq!(
            read("customer_id,converted\n").unwrap_err().kind,
            IngestErrorKind::HeaderOnly
        );
        let e = read("name,colour\nx,red\n").unwrap_err();
        assert!(e.to_string().contains("r.csv"), "{e}");
        let e = read("customer_id,group,converted\nA,maybe,1\nB,perhaps,0\n").unwrap_err();
        assert_eq!(
            (e.kind, e.row, e.column.as_deref()),
            (IngestErrorKind::NoUsableRows, Some(2), Some("group"))
        );
        assert_eq!(read("a\0b,c\n").unwrap_err().kind, IngestErrorKind::NotText);
    }

    /// What the fuzz target (fuzz/fuzz_targets/responses.rs) checks, on every prefix and
    /// single-byte change of a small file: no panic, every row accounted for.
    #[test]
    fn damaged_files_never_panic() {
        let base =
            "客户ID,分组,是否转化,金额\nc1,目标组,是,12.5\n\"c2,对照组,否,\nc3,target,1,\"1,5\"\n".as_bytes();
        let mut inputs: Vec<Vec<u8>> = (0..=base.len()).map(|n| base[..n].to_vec()).collect();
        for i in 0..base.len() {
            for b in [b'"', b',', b'\n', 0xFF, b'\0'] {
                let mut v = base.to_vec();
                v[i] = b;
                inputs.push(v);
            }
        }
        for input in inputs {
            if let Ok((rows, q)) = read_responses(&input, &ResponseOptions::default()) {
                let skipped: u64 = q.skipped.iter().map(|s| s.rows).sum();
                assert_eq!(
                    q.rows_used + skipped,
                    q.rows_read,
                    "{:?}",
                    String::from_utf8_lossy(&input)
                );
                assert_eq!(rows.customer.len() as u64, q.rows_used);
            }
        }
    }

    #[test]
    fn options_override_and_suppress_roles() {
        let opts = ResponseOptions {
            roles: vec![
                (ResponseRole::Revenue, "".into()),
                (ResponseRole::Converted, "flag".into()),
            ],
            ..Default::default()
        };
        let (rows, q) = read_responses(b"customer_id,flag,revenue\nA,1,5.5\nB,0,0.0\n", &opts).unwrap();
        assert_eq!(rows.revenue, None);
        assert_eq!(q.columns[1].detected_by, "option");
        assert_eq!(rows.converted, [true, false]);
    }
}
