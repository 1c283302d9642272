//! Customer-level tables: one row per customer (a Shopify or WooCommerce customers export, a CRM
//! extract, an RFM summary computed where the data lives) → typed [`CustomerRows`] (ids,
//! orders, total spent, last/first order days as the file gives them), with a
//! [`QualityReport`] counting every row not used. Applying the as-of date (recency, tenure,
//! rows on or after it) is `crate::customers::from_customer_rows`'s job: ingest ends at rows.
//! Detection from English and Chinese headers; values are read with the CSV reader's own date
//! and amount parsers.

use super::messages::msg;
use super::roles::{find_column, fold, role_key};
use super::values::{
    add_to_group, day_first, day_quartiles, finish_group, order_conflict, outlier_rule, parse_amount,
    parse_date, today_option, DateValue, DayScreen, OrderEvidence,
};
use super::{
    day_to_date, ColumnMapping, DateDistribution, Day, IngestError, IngestErrorKind, IngestOptions,
    QualityReport, Role, SkipCount, SkipReason, TableKind,
};
use chrono::NaiveDate;
use std::collections::HashSet;

/// Where the per-customer figures are in a customer-level table (0-based column indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerColumns {
    pub id: usize,
    /// Number of orders per customer (`Total Orders`, `orders`, `frequency`, `购买次数`).
    pub orders: usize,
    /// Money spent in total (`Total Spent`, `total_spend`, `monetary`, `累计消费`).
    pub total_spent: usize,
    /// Date of the last order (`Last Order Date`, `last_active`, `最近购买日期`).
    pub last_order: Option<usize>,
    /// Days since the last order (`recency`, `距上次购买天数`), used when there is no date.
    pub recency_days: Option<usize>,
    /// Date of the first order or of sign-up (`First Order Date`, `created_at`, `注册时间`).
    pub first_order: Option<usize>,
}

use super::vocabulary::{
    CUSTOMER_ID as ID, DAYS_SINCE_LAST_ORDER as RECENCY, FIRST_ORDER as FIRST, LAST_ORDER as LAST,
    ORDER_COUNT as ORDERS, TOTAL_SPENT as SPENT,
};

fn find(folded: &[String], names: &[&str], taken: &[usize]) -> Option<usize> {
    names.iter().find_map(|n| {
        let n = n.to_lowercase();
        folded
            .iter()
            .enumerate()
            .find(|(i, f)| **f == n && !taken.contains(i))
            .map(|(i, _)| i)
    })
}

/// Whether a table is customer-level, from its headers and a sample of rows: it must name a
/// customer id, a number of orders and a total spent per customer, and the sampled ids must
/// not repeat (a transaction table repeats them). Returns where each figure is.
///
/// ```
/// use clientele::ingest::detect_customer_table;
/// let h: Vec<String> = ["Customer ID", "Email", "Total Spent", "Total Orders", "Last Order Date"]
///     .map(String::from).to_vec();
/// let c = detect_customer_table(&h, &[]).unwrap();
/// assert_eq!((c.id, c.total_spent, c.orders, c.last_order), (0, 2, 3, Some(4)));
/// ```
pub fn detect_customer_table(headers: &[String], sample: &[Vec<String>]) -> Option<CustomerColumns> {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let id = find(&folded, ID, &[])?;
    let orders = find(&folded, ORDERS, &[id])?;
    let total_spent = find(&folded, SPENT, &[id, orders])?;
    let taken = [id, orders, total_spent];
    let last_order = find(&folded, LAST, &taken);
    let recency_days = find(&folded, RECENCY, &taken);
    let first_order = find(&folded, FIRST, &taken);
    let mut seen = HashSet::new();
    let (mut ids, mut repeats) = (0usize, 0usize);
    for r in sample {
        if let Some(v) = r.get(id).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            ids += 1;
            if !seen.insert(v) {
                repeats += 1;
            }
        }
    }
    // A few duplicates are a data problem to count; many mean one row per purchase.
    if repeats * 10 > ids {
        return None;
    }
    Some(CustomerColumns {
        id,
        orders,
        total_spent,
        last_order,
        recency_days,
        first_order,
    })
}

/// Where the customer-level columns are, from the header names, with the `roles` option
/// applied on top. `Ok(None)`: not a customer-level table (and not forced to be one). `forced`
/// (the `table` option, or a customer-level role in `roles`) skips the repeated-id test and
/// makes a missing column an error that names the columns there are.
pub(crate) fn customer_columns(
    headers: &[String],
    sample: &[Vec<String>],
    overrides: &[(Role, String)],
    forced: bool,
) -> Result<Option<CustomerColumns>, String> {
    let detected = detect_customer_table(headers, sample);
    if detected.is_none() && !forced {
        return Ok(None);
    }
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut slots: [Option<usize>; 6] = match detected {
        Some(c) => [
            Some(c.id),
            Some(c.orders),
            Some(c.total_spent),
            c.last_order,
            c.recency_days,
            c.first_order,
        ],
        None => {
            // Forced: take what the header names give, each column once.
            let mut slots = [None; 6];
            let mut taken = Vec::new();
            for (slot, names) in slots.iter_mut().zip([ID, ORDERS, SPENT, LAST, RECENCY, FIRST]) {
                *slot = find(&folded, names, &taken);
                taken.extend(*slot);
            }
            slots
        }
    };
    for (role, target) in overrides {
        let slot = match role {
            Role::Customer => 0,
            Role::OrderCount => 1,
            Role::TotalSpent | Role::Amount => 2,
            Role::LastOrder | Role::Date => 3,
            Role::DaysSinceLastOrder => 4,
            Role::FirstOrder => 5,
            Role::Order | Role::Quantity | Role::UnitPrice | Role::Product | Role::ProductName => {
                if target.trim().is_empty() {
                    continue;
                }
                return Err(format!(
                    "the roles option (--column {}=…) sets a column of a transaction table, but this is read as a customer-level table (one row per customer): use customer, order_count, total_spent, last_order, days_since_last_order or first_order.",
                    role_key(*role)
                ));
            }
        };
        if target.trim().is_empty() {
            slots[slot] = None;
            continue;
        }
        let col = find_column(headers, headers.len(), target).ok_or_else(|| {
            format!(
                "the roles option (--column {}=…) names column \"{}\", but the file has no such column (columns: \"{}\", or a 0-based index below {})",
                role_key(*role),
                target.trim(),
                headers.join("\", \""),
                headers.len()
            )
        })?;
        for other in slots.iter_mut() {
            if *other == Some(col) {
                *other = None;
            }
        }
        slots[slot] = Some(col);
    }
    let [id, orders, total_spent, last_order, recency_days, first_order] = slots;
    let missing: Vec<&str> = [
        (id, "a customer id (\"Customer ID\", \"Email\", \"客户ID\")"),
        (
            orders,
            "a number of orders (\"Total Orders\", \"orders\", \"购买次数\")",
        ),
        (
            total_spent,
            "a total spent (\"Total Spent\", \"monetary\", \"累计消费\")",
        ),
    ]
    .iter()
    .filter(|(c, _)| c.is_none())
    .map(|(_, what)| *what)
    .collect();
    match (id, orders, total_spent) {
        (Some(id), Some(orders), Some(total_spent)) => Ok(Some(CustomerColumns {
            id,
            orders,
            total_spent,
            last_order,
            recency_days,
            first_order,
        })),
        _ => Err(format!(
            "a customer-level table needs {} (the columns are \"{}\"): name the columns so, or choose them: pick the role in each column's role menu in the Columns table, or pass --column order_count=\"HEADER\" (and total_spent=, customer=).",
            missing.join(", "),
            headers.join("\", \"")
        )),
    }
}

#[derive(Debug, Default)]
struct Skips(Vec<SkipCount>);

impl Skips {
    fn add(&mut self, reason: SkipReason, description: &str, row: u64) {
        add_skip(&mut self.0, reason, description, row);
    }
}

/// One usable row before dates are resolved.
#[derive(Debug)]
struct Pending {
    row: u64,
    id: String,
    orders: u32,
    spent: f64,
    last: Option<DateValue>,
    recency: Option<i32>,
    first: Option<DateValue>,
}

/// Day/month order of a date column, decided as the CSV reader decides it ([`day_first`]).
/// Also returns the evidence, for [`order_conflict`]; the error is the first row that tells
/// and the message.
fn column_order(
    values: impl Iterator<Item = (u64, DateValue)>,
    forced: Option<bool>,
) -> Result<(bool, OrderEvidence), (u64, String)> {
    let mut ev = OrderEvidence::default();
    for (row, v) in values {
        ev.add(row, v);
    }
    match day_first(forced, &ev) {
        Ok(dmy) => Ok((dmy, ev)),
        Err(m) => {
            let first = |v: &[u64]| v.first().copied().unwrap_or(u64::MAX);
            Err((
                first(&ev.day_first_examples).min(first(&ev.month_first_examples)),
                m,
            ))
        }
    }
}

/// A customer-level table being read: rows are checked and typed as they arrive
/// ([`CustomerLevel::push`]); [`CustomerLevel::finish`] resolves the dates and gives
/// [`CustomerRows`]. The rules are those of `crate::customers::customers_from_table`.
#[derive(Debug)]
pub struct CustomerLevel {
    headers: Vec<String>,
    columns: CustomerColumns,
    /// Columns placed by the `roles` option (shown as such in the column mapping).
    by_option: Vec<usize>,
    file_name: Option<String>,
    forced_dmy: Option<bool>,
    /// The `today` option as a day, and `keep_outlier_dates`.
    today: Option<Day>,
    keep_outlier_dates: bool,
    skips: Skips,
    pending: Vec<Pending>,
    seen: HashSet<String>,
    rows_read: u64,
    zero_amount_rows: u64,
    bad_first: Option<u64>,
    bad_first_count: u64,
    /// Up to three distinct values per column, for the column mapping.
    samples: Vec<Vec<String>>,
    /// Rows whose last-order date and days since it were both read: (row, date, days).
    stated: Vec<(u64, DateValue, i32)>,
}

impl CustomerLevel {
    /// Starts reading a customer-level table with these headers and columns. Fails when the
    /// table can date no purchase (neither a last-order date nor a days column) or the
    /// `today` option is invalid.
    pub fn new(
        headers: &[String],
        columns: CustomerColumns,
        options: &IngestOptions,
    ) -> Result<Self, IngestError> {
        let err = |kind, message: String| IngestError {
            file: options.file_name.clone(),
            row: None,
            column: None,
            message,
            kind,
        };
        if columns.last_order.is_none() && columns.recency_days.is_none() {
            return Err(err(
                IngestErrorKind::NoDateColumn,
                format!(
                    "this customer table has no last-order date and no days-since-last-order column (the columns are \"{}\"): add one (e.g. \"Last Order Date\" or \"recency\") so recency can be scored.",
                    headers.join("\", \"")
                ),
            ));
        }
        let forced_dmy = options.date_order.map(super::DateOrder::day_first);
        let today =
            today_option(options.today.as_deref()).map_err(|m| err(IngestErrorKind::InvalidOption, m))?;
        let by_option = options
            .roles
            .iter()
            .filter_map(|(_, t)| find_column(headers, headers.len(), t))
            .collect();
        Ok(CustomerLevel {
            headers: headers.to_vec(),
            columns,
            by_option,
            file_name: options.file_name.clone(),
            forced_dmy,
            today,
            keep_outlier_dates: options.keep_outlier_dates,
            skips: Skips::default(),
            pending: Vec::new(),
            seen: HashSet::new(),
            rows_read: 0,
            zero_amount_rows: 0,
            bad_first: None,
            bad_first_count: 0,
            samples: vec![Vec::new(); headers.len()],
            stated: Vec::new(),
        })
    }

    /// Where the figures are.
    pub fn columns(&self) -> &CustomerColumns {
        &self.columns
    }

    /// Rows pushed so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// Counts a row the reader could not split into cells (e.g. a stray quote), skipped.
    pub fn push_skipped(&mut self, row: u64, reason: SkipReason, description: &str) {
        self.rows_read += 1;
        self.skips.add(reason, description, row);
    }

    /// Reads one data row; `row` is its 1-based number as a spreadsheet shows it (header = 1).
    /// A row that cannot be used is counted with its reason.
    pub fn push(&mut self, row: u64, r: &[String]) {
        self.rows_read += 1;
        if self.rows_read <= 500 {
            for (kept, v) in self.samples.iter_mut().zip(r) {
                let v = v.trim();
                if kept.len() < 3 && !v.is_empty() && !kept.iter().any(|k| k == v) {
                    kept.push(v.to_string());
                }
            }
        }
        let columns = self.columns;
        let skips = &mut self.skips;
        let cell = |c: usize| r.get(c).map(|s| s.trim()).unwrap_or_default();
        if r.iter().all(|c| c.trim().is_empty()) {
            skips.add(SkipReason::BlankRow, "the row is blank", row);
            return;
        }
        let id = cell(columns.id);
        if id.is_empty() {
            skips.add(SkipReason::MissingCustomer, "no customer id", row);
            return;
        }
        const BAD_FIGURES: &str = "the number of orders or the total spent is missing or not a number";
        let orders = match parse_amount(cell(columns.orders)) {
            Ok(v) if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => v as u32,
            Ok(_) | Err(_) => {
                skips.add(SkipReason::BadAmount, BAD_FIGURES, row);
                return;
            }
        };
        if orders == 0 {
            skips.add(
                SkipReason::NoOrders,
                "no orders yet (a customer account without purchases)",
                row,
            );
            return;
        }
        let spent = match parse_amount(cell(columns.total_spent)) {
            Ok(v) if v >= 0.0 => v,
            _ => {
                skips.add(SkipReason::BadAmount, BAD_FIGURES, row);
                return;
            }
        };
        let last = match columns.last_order {
            Some(c) => {
                let raw = cell(c);
                if raw.is_empty() {
                    skips.add(SkipReason::MissingDate, "the last-order date is empty", row);
                    return;
                }
                match parse_date(raw) {
                    Some(v) => Some(v),
                    None => {
                        skips.add(SkipReason::BadDate, "the last-order date could not be read", row);
                        return;
                    }
                }
            }
            None => None,
        };
        let recency = match (last, columns.recency_days) {
            (None, Some(c)) => match parse_amount(cell(c)) {
                Ok(v) if v >= 0.0 && v.fract() == 0.0 && v < 1e6 => Some(v as i32),
                _ => {
                    skips.add(
                        SkipReason::BadDate,
                        "the days since the last order is missing or not a whole number",
                        row,
                    );
                    return;
                }
            },
            _ => None,
        };
        if let (Some(date), Some(c)) = (last, columns.recency_days) {
            if let Ok(v) = parse_amount(cell(c)) {
                if v >= 0.0 && v.fract() == 0.0 && v < 1e6 {
                    self.stated.push((row, date, v as i32));
                }
            }
        }
        let first = columns.first_order.and_then(|c| {
            let raw = cell(c);
            let v = parse_date(raw);
            if v.is_none() && !raw.is_empty() {
                self.bad_first.get_or_insert(row);
                self.bad_first_count += 1;
            }
            v
        });
        if self.seen.contains(id) {
            skips.add(
                SkipReason::DuplicateCustomer,
                "the customer id appears again (the first row is used)",
                row,
            );
            return;
        }
        self.seen.insert(id.to_string());
        if spent == 0.0 {
            self.zero_amount_rows += 1;
        }
        self.pending.push(Pending {
            row,
            id: id.to_string(),
            orders,
            spent,
            last,
            recency,
            first,
        });
    }

    /// Resolves the dates (day/month order, dates after today or far outside the bulk set
    /// apart) and gives the typed rows, before any as-of date is applied:
    /// [`crate::customers::from_customer_rows`] measures recency and tenure from them. `base`
    /// is what the reader knows of the file (encoding, delimiter, warnings); the row counts,
    /// skips so far, date distribution and column mapping are filled in here, the rows used and
    /// first/last dates by `from_customer_rows`.
    pub fn finish(self, base: QualityReport) -> Result<(CustomerRows, QualityReport), IngestError> {
        let CustomerLevel {
            headers,
            columns,
            by_option,
            file_name,
            forced_dmy,
            today,
            keep_outlier_dates,
            skips,
            pending,
            rows_read,
            zero_amount_rows,
            bad_first,
            bad_first_count,
            samples,
            stated,
            ..
        } = self;
        let ambiguous = |(row, m): (u64, String), col: Option<usize>| IngestError {
            file: file_name.clone(),
            row: Some(row),
            column: col.and_then(|c| headers.get(c).cloned()),
            message: m,
            kind: IngestErrorKind::AmbiguousDates,
        };
        let (last_dmy, last_evidence) = column_order(
            pending.iter().filter_map(|p| p.last.map(|v| (p.row, v))),
            forced_dmy,
        )
        .map_err(|e| ambiguous(e, columns.last_order))?;
        let (first_dmy, _) = column_order(
            pending.iter().filter_map(|p| p.first.map(|v| (p.row, v))),
            forced_dmy,
        )
        .map_err(|e| ambiguous(e, columns.first_order))?;
        let (last_days, set_apart, dates) = screen_last_orders(&pending, last_dmy, today, keep_outlier_dates);
        let first_days: Vec<Option<Day>> = pending
            .iter()
            .map(|p| p.first.and_then(|v| resolve(v, first_dmy)))
            .collect();
        let stated_as_of = stated_as_of(&stated, last_dmy);
        let mut warnings = Vec::new();
        if let Some(c) = columns.last_order {
            let name = headers.get(c).cloned().unwrap_or_default();
            warnings.extend(order_conflict(
                &name,
                last_dmy,
                forced_dmy.is_some(),
                &last_evidence,
            ));
        }
        if columns.first_order.is_none() {
            warnings.push(msg(
                "no_first_order",
                "No first-order date: tenure is taken equal to recency (first order = last order).",
            ));
        }
        if let Some(row) = bad_first {
            warnings.push(
                msg(
                    "bad_first_order",
                    format!(
                        "{bad_first_count} first-order dates could not be read (first at row {row}): tenure = recency for those customers."
                    ),
                )
                .with_param("rows", bad_first_count)
                .with_param("row", row),
            );
        }
        warnings.extend(base.warnings.iter().cloned());
        let report = QualityReport {
            file_name,
            table: TableKind::Customers,
            rows_read,
            skipped: skips.0,
            zero_amount_rows,
            amount_source: Some("customer-level table: total spent per customer".into()),
            coded_amount_source: Some(
                msg(
                    "amount_total_spent",
                    "customer-level table: total spent per customer",
                )
                .with_param(
                    "column",
                    headers.get(columns.total_spent).cloned().unwrap_or_default(),
                ),
            ),
            columns: column_mapping(&headers, &columns, &by_option, &samples),
            frequency_unit: "orders".into(),
            as_of_from_file: stated_as_of.map(|s| s.date),
            dates: Some(dates),
            warnings,
            ..base
        };
        let mut rows = CustomerRows {
            headers,
            columns,
            last: last_days,
            first: first_days,
            set_apart,
            stated_as_of,
            ..Default::default()
        };
        for p in pending {
            rows.row.push(p.row);
            rows.id.push(p.id);
            rows.orders.push(p.orders);
            rows.spent.push(p.spent);
            rows.days_since_last.push(p.recency);
        }
        Ok((rows, report))
    }
}

/// A date read in the column's day/month order, or else in the other one (the row is then set
/// apart as a date-order conflict).
fn resolve(v: DateValue, dmy: bool) -> Option<Day> {
    v.resolve(dmy).or_else(|| v.resolve(!dmy))
}

/// The last-order days of the pending rows, with those that cannot be (only readable in the
/// other day/month order, after today, or far outside the bulk) set apart with their reason
/// (their day is then `None`), and the date distribution that lists them.
fn screen_last_orders(
    pending: &[Pending],
    last_dmy: bool,
    today: Option<Day>,
    keep_outlier_dates: bool,
) -> (Vec<Option<Day>>, Vec<Option<SkipReason>>, DateDistribution) {
    let mut last_days: Vec<Option<Day>> = pending
        .iter()
        .map(|p| p.last.and_then(|v| resolve(v, last_dmy)))
        .collect();
    // Last-order dates that cannot be: only readable in the other day/month order, after
    // today, or far outside the bulk. Set apart before the as-of date is taken from them.
    let mut set_apart: Vec<Option<SkipReason>> = pending
        .iter()
        .map(|p| {
            p.last
                .filter(|v| v.resolve(last_dmy).is_none())
                .map(|_| SkipReason::DateOrderConflict)
        })
        .collect();
    let mut hist: Vec<(Day, u64)> = last_days
        .iter()
        .zip(&set_apart)
        .filter(|(_, s)| s.is_none())
        .filter_map(|(d, _)| d.map(|d| (d, 1)))
        .collect();
    hist.sort_unstable();
    hist.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    let screen = DayScreen::new(&hist, today);
    let mut dates = DateDistribution {
        quartiles: day_quartiles(&hist).map(|q| q.map(day_to_date)),
        today: today.map(day_to_date),
        kept: keep_outlier_dates,
        rule: outlier_rule().message,
        coded_rule: outlier_rule(),
        ..Default::default()
    };
    for (k, p) in pending.iter().enumerate() {
        let Some(d) = last_days[k].filter(|_| set_apart[k].is_none()) else {
            continue;
        };
        let Some(reason) = screen.reason(d) else {
            continue;
        };
        let group = if reason == SkipReason::FutureDate {
            &mut dates.future
        } else {
            &mut dates.outliers
        };
        add_to_group(group, d, 1, &[p.row]);
        if !keep_outlier_dates {
            set_apart[k] = Some(reason);
        }
    }
    finish_group(&mut dates.future);
    finish_group(&mut dates.outliers);
    for (d, s) in last_days.iter_mut().zip(&set_apart) {
        if s.is_some() {
            *d = None;
        }
    }
    (last_days, set_apart, dates)
}

/// A last-order date plus the days since it: when (nearly) every row gives the same sum, that
/// is the date the file's own recency was counted to.
fn stated_as_of(stated: &[(u64, DateValue, i32)], last_dmy: bool) -> Option<StatedAsOf> {
    let mut sums: std::collections::HashMap<Day, usize> = std::collections::HashMap::new();
    for (_, v, days) in stated {
        if let Some(d) = resolve(*v, last_dmy) {
            *sums.entry(d.saturating_add(*days)).or_default() += 1;
        }
    }
    sums.into_iter()
        .max_by_key(|&(d, n)| (n, std::cmp::Reverse(d)))
        .filter(|&(_, n)| n > 0 && n * 100 >= stated.len() * 95)
        .map(|(d, n)| StatedAsOf {
            date: day_to_date(d),
            agreeing: n,
            stating: stated.len(),
        })
}

/// The column mapping of a customer-level table: each header with its role and how the role
/// was found.
fn column_mapping(
    headers: &[String],
    columns: &CustomerColumns,
    by_option: &[usize],
    samples: &[Vec<String>],
) -> Vec<ColumnMapping> {
    let role_of = |i: usize| -> Option<Role> {
        [
            (Some(columns.id), Role::Customer),
            (Some(columns.orders), Role::OrderCount),
            (Some(columns.total_spent), Role::TotalSpent),
            (columns.last_order, Role::LastOrder),
            (columns.recency_days, Role::DaysSinceLastOrder),
            (columns.first_order, Role::FirstOrder),
        ]
        .into_iter()
        .find(|(c, _)| *c == Some(i))
        .map(|(_, r)| r)
    };
    headers
        .iter()
        .enumerate()
        .map(|(index, h)| {
            let role = role_of(index);
            let detected_by = match role {
                None => "none",
                Some(_) if by_option.contains(&index) => "option",
                Some(_) => "header",
            };
            ColumnMapping {
                index,
                header: h.clone(),
                role,
                detected_by: detected_by.into(),
                samples: samples.get(index).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// The date a customer-level table's own days-since-last-order column counts to: a
/// last-order date plus the days since it gives this date on `agreeing` of the `stating` rows
/// that give both (at least 95 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatedAsOf {
    pub date: NaiveDate,
    pub agreeing: usize,
    pub stating: usize,
}

/// The rows of a customer-level table, read, typed and dated, before any as-of date is
/// applied; [`crate::customers::from_customer_rows`] turns them into customers. One entry per
/// row kept by [`CustomerLevel::push`], in file order (rows set apart by their dates included,
/// with the reason in `set_apart`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRows {
    /// The table's headers, for messages.
    pub headers: Vec<String>,
    /// Where the figures were.
    pub columns: CustomerColumns,
    /// 1-based row number as a spreadsheet shows it (header = row 1).
    pub row: Vec<u64>,
    pub id: Vec<String>,
    /// Number of orders (≥ 1).
    pub orders: Vec<u32>,
    /// Total spent (≥ 0).
    pub spent: Vec<f64>,
    /// Last-order day; `None` when the row gives only the days since it, or its date was set
    /// apart.
    pub last: Vec<Option<Day>>,
    /// Days since the last order, read when the row has no last-order date.
    pub days_since_last: Vec<Option<i32>>,
    /// First-order (or sign-up) day, when given and readable.
    pub first: Vec<Option<Day>>,
    /// Why a row's last-order date cannot be used (date-order conflict, future date, outlier):
    /// such a row is counted as skipped with this reason.
    pub set_apart: Vec<Option<SkipReason>>,
    /// The date the file's own days column counts to, when the rows agree on one.
    pub stated_as_of: Option<StatedAsOf>,
}

impl Default for CustomerRows {
    fn default() -> Self {
        CustomerRows {
            headers: Vec::new(),
            columns: CustomerColumns {
                id: 0,
                orders: 0,
                total_spent: 0,
                last_order: None,
                recency_days: None,
                first_order: None,
            },
            row: Vec::new(),
            id: Vec::new(),
            orders: Vec::new(),
            spent: Vec::new(),
            last: Vec::new(),
            days_since_last: Vec::new(),
            first: Vec::new(),
            set_apart: Vec::new(),
            stated_as_of: None,
        }
    }
}

/// What a skipped row with a set-apart last-order date is counted as (the description of its
/// [`SkipReason`]).
pub fn set_apart_description(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::FutureDate => "the last-order date is after the day of the analysis (today); keep such rows with --keep-outlier-dates, or set the day with --today YYYY-MM-DD",
        SkipReason::DateOutlier => "the last-order date is far outside the bulk of the file's dates (a placeholder like 1900-01-01 or a mistyped year); keep such rows with --keep-outlier-dates",
        _ => "the last-order date only reads in the other day/month order than the column's; choose the order with --date-order dmy|mdy",
    }
}

impl QualityReport {
    /// Counts one skipped row with its reason (the description is kept from the first row
    /// with that reason; up to five example rows).
    pub fn add_skip(&mut self, reason: SkipReason, description: &str, row: u64) {
        add_skip(&mut self.skipped, reason, description, row);
    }
}

fn add_skip(skipped: &mut Vec<SkipCount>, reason: SkipReason, description: &str, row: u64) {
    if let Some(s) = skipped.iter_mut().find(|s| s.reason == reason) {
        s.rows += 1;
        if s.example_rows.len() < 5 {
            s.example_rows.push(row);
        }
    } else {
        skipped.push(SkipCount {
            reason,
            description: description.to_string(),
            rows: 1,
            example_rows: vec![row],
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_english_and_chinese_headers() {
        let woo = strings(&[
            "customer_id",
            "username",
            "email",
            "orders",
            "total_spend",
            "last_active",
            "date_registered",
        ]);
        let c = detect_customer_table(&woo, &[]).unwrap();
        assert_eq!(
            (c.id, c.orders, c.total_spent, c.last_order, c.first_order),
            (0, 3, 4, Some(5), Some(6))
        );
        let zh = strings(&["客户ID", "最近购买日期", "购买次数", "累计消费"]);
        let c = detect_customer_table(&zh, &[]).unwrap();
        assert_eq!((c.id, c.last_order, c.orders, c.total_spent), (0, Some(1), 2, 3));
        let rfm = strings(&["customer", "recency", "frequency", "monetary"]);
        assert_eq!(detect_customer_table(&rfm, &[]).unwrap().recency_days, Some(1));
        // A transaction table is not customer-level.
        let tx = strings(&["InvoiceNo", "InvoiceDate", "CustomerID", "Quantity", "UnitPrice"]);
        assert_eq!(detect_customer_table(&tx, &[]), None);
    }

    #[test]
    fn repeated_ids_mean_transactions() {
        let h = strings(&["customer_id", "orders", "total_spend", "last_order_date"]);
        let rows: Vec<Vec<String>> = (0..20)
            .map(|i| strings(&[if i % 2 == 0 { "a" } else { "b" }, "1", "2", "2024-01-01"]))
            .collect();
        assert_eq!(detect_customer_table(&h, &rows), None);
    }

    #[test]
    fn empty_role_option_removes_a_column() {
        let h = strings(&[
            "customer",
            "orders",
            "spent",
            "last_order_date",
            "first_order_date",
        ]);
        let c = customer_columns(&h, &[], &[(Role::FirstOrder, String::new())], false)
            .unwrap()
            .unwrap();
        assert_eq!(c.first_order, None);
    }
}
