//! Reading a table of purchases (one row per purchase line), once [`super::reader`] has
//! decided the encoding, the dialect and the header: the columns' roles ([`Plan`]), then every
//! record typed into columnar [`Transactions`] with its skips counted ([`Stream::record`]),
//! then the whole-file checks, the date order and the quality report ([`Stream::finish`]).

use super::currency::{CurrencyPlan, CurrencyTally};
use super::messages::{msg, order_key};
use super::reader::{
    err, next_record, replaced_warning, switched_warning, Decoding, Layout, Progress, Skips, StrayQuotes,
};
use super::records::Records;
use super::roles::{assign, change_hint, fold, role_key, ColumnProfile, RoleMap};
use super::values::{
    add_to_group, day_first, day_quartiles, decimal_comma_evidence, finish_group, is_placeholder,
    order_conflict, outlier_rule, parse_amount_in, parse_date, today_option, trim, AmountError, DateOrder,
    DateValue, DayScreen, OrderEvidence,
};
use super::{
    day_to_date, DateDistribution, Day, IngestError, IngestErrorKind, IngestOptions, QualityReport, Role,
    SkipReason, Table, TableKind, Transactions,
};
use crate::ingest::ColumnMapping;
use crate::warning::Warning;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::mem::take;

mod chunk_bytes;
mod chunked;
pub(super) use chunked::{
    merge_bytes as merge_chunk_bytes, read as read_chunked, read_bytes as read_chunk_bytes,
};

const EXPECTED_DATES: &str = "expected a date like 2024-01-05, 05/01/2024, 20240105 or 2024年1月5日";

/// Hashing for interning ids and fingerprinting records: `foldhash`, fast and with a fixed seed
/// (deterministic runs). A plain FxHash was here before; its low bits depend only on the first
/// bytes of a key, so ids like `C0000001`…`C1000000` all fell in one bucket chain (74 s to read
/// a million customers natively, most of it in memcmp).
type FastBuild = foldhash::fast::FixedState;

/// Text → dense index, in first-seen order, without an allocation per row or per new id:
/// the texts live end to end in one arena, the table holds only their indices. The last id
/// given is tried first: the lines of one order come together, with the same customer and
/// order id.
#[derive(Default)]
struct Interner {
    table: hashbrown::HashTable<u32>,
    arena: String,
    /// Where each text ends in `arena` (it starts where the one before ends).
    ends: Vec<usize>,
    hasher: FastBuild,
    last: Option<u32>,
}

impl Interner {
    fn text(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.arena[start..self.ends[i]]
    }

    fn id(&mut self, key: &str) -> u32 {
        if let Some(i) = self.last {
            if self.text(i) == key {
                return i;
            }
        }
        let hash = self.hasher.hash_one(key);
        let i = match self.table.find(hash, |&i| self.text(i) == key) {
            Some(&i) => i,
            None => {
                let i = self.ends.len() as u32;
                self.arena.push_str(key);
                self.ends.push(self.arena.len());
                let (ends, arena, hasher) = (&self.ends, &self.arena, &self.hasher);
                self.table.insert_unique(hash, i, |&j| {
                    let j = j as usize;
                    let start = if j == 0 { 0 } else { ends[j - 1] };
                    hasher.hash_one(&arena[start..ends[j]])
                });
                i
            }
        };
        self.last = Some(i);
        i
    }

    /// Every text, in first-seen order.
    fn into_names(self) -> Vec<String> {
        (0..self.ends.len() as u32)
            .map(|i| self.text(i).to_string())
            .collect()
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Customer => "customer id",
        Role::Order => "order id",
        Role::Date => "purchase date",
        Role::Amount => "amount",
        Role::Quantity => "quantity",
        Role::UnitPrice => "unit price",
        Role::Product => "product",
        Role::ProductName => "product name",
        Role::OrderCount => "number of orders",
        Role::TotalSpent => "total spent",
        Role::LastOrder => "last order date",
        Role::DaysSinceLastOrder => "days since the last order",
        Role::FirstOrder => "first order date",
    }
}

/// Purchase rows per date as read, with the first five rows of each, in first-seen order; the
/// last date counted is tried first (the lines of one order share it).
#[derive(Default)]
struct DateTally {
    index: HashMap<DateValue, u32, FastBuild>,
    slots: Vec<(DateValue, u64, Vec<u64>)>,
    last: Option<u32>,
}

impl DateTally {
    fn add(&mut self, date: DateValue, row: u64) {
        let i = match self.last {
            Some(i) if self.slots[i as usize].0 == date => i as usize,
            _ => {
                let next = self.slots.len() as u32;
                let i = *self.index.entry(date).or_insert(next) as usize;
                if i == self.slots.len() {
                    self.slots.push((date, 0, Vec::new()));
                }
                self.last = Some(i as u32);
                i
            }
        };
        let slot = &mut self.slots[i];
        slot.1 += 1;
        if slot.2.len() < 5 {
            slot.2.push(row);
        }
    }
}

/// Keeps the entries of `v` whose `keep` is true.
fn retain<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    v.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Screens the purchase dates (`date_rows`: rows and first rows per date as read): counts
/// the rows that only read in the other day/month order, after `today` or outside the bulk
/// as skips (unless `keep` keeps the last two), and describes the distribution. Returns it,
/// whether any purchase row must go, and the screen that says which.
fn screen_dates(
    date_rows: &[(DateValue, u64, Vec<u64>)],
    dmy: bool,
    today: Option<Day>,
    keep: bool,
    skips: &mut Skips,
) -> (DateDistribution, bool, DayScreen) {
    let mut per_day: HashMap<Day, (u64, Vec<u64>)> = HashMap::new();
    let mut conflict = (0u64, Vec::new());
    for (v, n, rows) in date_rows {
        match v.resolve(dmy) {
            Some(d) => {
                let e = per_day.entry(d).or_default();
                e.0 += n;
                e.1.extend_from_slice(rows);
            }
            None => {
                conflict.0 += n;
                conflict.1.extend_from_slice(rows);
            }
        }
    }
    conflict.1.sort_unstable();
    conflict.1.truncate(5);
    skips.add_many(SkipReason::DateOrderConflict, conflict.0, &conflict.1);
    let mut hist: Vec<(Day, u64)> = per_day.iter().map(|(d, e)| (*d, e.0)).collect();
    hist.sort_unstable();
    let screen = DayScreen::new(&hist, today);
    let mut out = DateDistribution {
        quartiles: day_quartiles(&hist).map(|q| q.map(day_to_date)),
        today: today.map(day_to_date),
        kept: keep,
        rule: outlier_rule().message,
        coded_rule: outlier_rule(),
        ..Default::default()
    };
    for (d, (n, rows)) in &per_day {
        match screen.reason(*d) {
            Some(SkipReason::FutureDate) => add_to_group(&mut out.future, *d, *n, rows),
            Some(_) => add_to_group(&mut out.outliers, *d, *n, rows),
            None => {}
        }
    }
    finish_group(&mut out.future);
    finish_group(&mut out.outliers);
    if !keep {
        skips.add_many(SkipReason::FutureDate, out.future.rows, &out.future.example_rows);
        skips.add_many(
            SkipReason::DateOutlier,
            out.outliers.rows,
            &out.outliers.example_rows,
        );
    }
    let drop_any = conflict.0 > 0 || (!keep && out.future.rows + out.outliers.rows > 0);
    (out, drop_any, screen)
}

/// UCI-style cancellation invoice: `C` followed by digits.
fn is_cancellation(order: &str) -> bool {
    let b = order.as_bytes();
    b.len() > 1 && (b[0] == b'C' || b[0] == b'c') && b[1..].iter().all(|c| c.is_ascii_digit())
}

/// Which date forms a column used, for `QualityReport::date_format`.
#[derive(Default)]
struct DateForms {
    day: bool,
    pair: bool,
    evidence: OrderEvidence,
    sample_pair: Option<String>,
    sample_day: Option<String>,
}

/// Reads the purchase rows after the header: the step after [`super::reader::read_from`]
/// decided the text's encoding and layout.
pub(super) fn read<R: Read>(
    mut layout: Layout,
    text: R,
    decoding: &Decoding,
    progress: &mut Progress<'_>,
    options: &IngestOptions,
) -> Result<(Table, QualityReport), IngestError> {
    let plan = Plan::new(&layout, options, decoding.encoding_name())?;
    // Every record: the sample first, then the rest of the decoded text.
    let mut recs = layout.records(text, decoding, options)?;
    let mut stream = Stream::new(&plan);
    while let Some(row) = next_record(&mut recs, options)? {
        decoding.undecodable(options, &recs, row, Some(&layout.headers))?;
        stream.rows_read += 1;
        progress.every(stream.rows_read, options)?;
        stream.record(&recs, row, &plan, decoding, options);
    }
    progress.report(stream.rows_read, options)?;
    stream.finish(&plan, &layout, decoding, options)
}

/// Which column plays which role, and how amounts and dates are read: decided from the
/// header and the sample before the rows are streamed.
struct Plan {
    profiles: Vec<ColumnProfile>,
    roles: RoleMap,
    customer_col: usize,
    date_col: usize,
    qty_col: Option<usize>,
    price_col: Option<usize>,
    /// A price column without quantities is the line's amount.
    price_is_amount: bool,
    amount_col: Option<usize>,
    decimal_comma: bool,
    order_col: Option<usize>,
    /// The product's key: the product (code) column, else the product-name column.
    product_col: Option<usize>,
    /// The product-name column shown beside a product code (None when it is the key itself).
    product_name_col: Option<usize>,
    qty_times_price: bool,
    has_amount: bool,
    forced_dmy: Option<bool>,
    today: Option<Day>,
    /// The currency column and the marks of the money columns.
    currency: CurrencyPlan,
}

impl Plan {
    fn new(layout: &Layout, options: &IngestOptions, encoding: &str) -> Result<Plan, IngestError> {
        let (width, has_header, headers) = (layout.width, layout.has_header, &layout.headers);
        let data_sample = layout.data_sample();
        let mut profiles = vec![ColumnProfile::default(); width];
        for r in data_sample.iter().filter(|r| r.len() == width) {
            for (p, v) in profiles.iter_mut().zip(r) {
                p.add(v);
            }
        }
        let roles = assign(has_header.then_some(&headers[..]), &profiles, &options.roles)
            .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
        let found = || {
            if has_header {
                format!("the columns are \"{}\"", headers.join("\", \""))
            } else {
                format!("the file has no header row and {width} columns")
            }
        };
        let Some(customer_col) = roles.get(Role::Customer) else {
            return Err(err(
                options,
                IngestErrorKind::NoCustomerColumn,
                format!("no column identifies the customer ({}): name one CustomerID, customer_id, Email or 客户ID, or choose it: pick \"customer\" in the column's role menu in the Columns table, or pass --column customer=\"HEADER\".", found()),
            ));
        };
        let Some(date_col) = roles.get(Role::Date) else {
            return Err(err(
                options,
                IngestErrorKind::NoDateColumn,
                format!("no column holds the purchase date ({}): name one InvoiceDate, date, Order Date or 订单日期, or choose it: pick \"date\" in the column's role menu in the Columns table, or pass --column date=\"HEADER\".", found()),
            ));
        };
        let qty_col = roles.get(Role::Quantity);
        let price_col = roles.get(Role::UnitPrice);
        // A price column without quantities is the line's amount.
        let price_is_amount = roles.get(Role::Amount).is_none() && qty_col.is_none() && price_col.is_some();
        let amount_col = roles.get(Role::Amount).or(price_col.filter(|_| price_is_amount));
        let decimal_comma = {
            let (mut comma, mut point) = (0usize, 0usize);
            for col in [amount_col, price_col, qty_col].into_iter().flatten() {
                for r in data_sample {
                    match r.get(col).and_then(|v| decimal_comma_evidence(v)) {
                        Some(true) => comma += 1,
                        Some(false) => point += 1,
                        None => {}
                    }
                }
            }
            comma > point
        };
        let order_col = roles.get(Role::Order);
        let (product_col, product_name_col) = match (roles.get(Role::Product), roles.get(Role::ProductName)) {
            (Some(code), name) => (Some(code), name),
            (None, name) => (name, None),
        };
        let qty_times_price = amount_col.is_none() && qty_col.is_some() && price_col.is_some();
        let has_amount = amount_col.is_some() || qty_times_price;
        let forced_dmy = options.date_order.map(DateOrder::day_first);
        let today = today_option(options.today.as_deref())
            .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
        let money_cols: Vec<usize> = [amount_col, price_col.filter(|p| Some(*p) != amount_col)]
            .into_iter()
            .flatten()
            .collect();
        let used: Vec<usize> = roles.slots.iter().map(|s| s.1).collect();
        let currency = CurrencyPlan::new(
            has_header.then_some(&headers[..]),
            data_sample,
            &money_cols,
            &used,
            encoding,
            options.currency.as_ref(),
        );
        Ok(Plan {
            profiles,
            roles,
            customer_col,
            date_col,
            qty_col,
            price_col,
            price_is_amount,
            amount_col,
            decimal_comma,
            order_col,
            product_col,
            product_name_col,
            qty_times_price,
            has_amount,
            forced_dmy,
            today,
            currency,
        })
    }
}

impl Plan {
    /// How each column of the file was understood, for the quality report.
    fn columns(&self, layout: &Layout) -> Vec<ColumnMapping> {
        (0..layout.width)
            .map(|i| {
                let (role, how) = self
                    .roles
                    .role_of(i)
                    .map(|(r, h)| (Some(r), h))
                    .unwrap_or((None, "values"));
                ColumnMapping {
                    index: i,
                    header: layout.col_name(i),
                    role,
                    detected_by: if role.is_none() { "none".into() } else { how.into() },
                    samples: self
                        .profiles
                        .get(i)
                        .map(|p| p.samples.clone())
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    /// Where the amounts come from, for the quality report: a code with the columns' names and
    /// the English words (`amount_source`).
    fn amount_source(&self, layout: &Layout) -> Option<Warning> {
        match (self.amount_col, self.qty_times_price) {
            (Some(a), _) if self.price_is_amount => Some(
                msg(
                    "amount_price_only",
                    format!(
                        "amount column \"{}\" (a price without quantities)",
                        layout.col_name(a)
                    ),
                )
                .with_param("column", layout.col_name(a)),
            ),
            (Some(a), _) => Some(
                msg(
                    "amount_column",
                    format!("amount column \"{}\"", layout.col_name(a)),
                )
                .with_param("column", layout.col_name(a)),
            ),
            (None, true) => {
                let quantity = self.qty_col.map(|i| layout.col_name(i)).unwrap_or_default();
                let price = self.price_col.map(|i| layout.col_name(i)).unwrap_or_default();
                Some(
                    msg(
                        "amount_qty_price",
                        format!("quantity × unit price (\"{quantity}\" × \"{price}\")"),
                    )
                    .with_param("quantity", quantity)
                    .with_param("price", price),
                )
            }
            _ => None,
        }
    }
}

/// Everything the streaming read accumulates: the kept columns, the dates as read (their
/// day/month order is decided once the whole column is seen), the interned ids, the skips and
/// the first examples the whole-file checks quote.
struct Stream {
    tx: Transactions,
    purchase_dates: Vec<DateValue>,
    /// Purchase rows per date as read, with the first rows of each: the dates' distribution.
    date_rows: DateTally,
    return_dates: Vec<DateValue>,
    customers: Interner,
    orders: Interner,
    products: Interner,
    /// Product names, and how often each (product, name) pair was written.
    labels: Interner,
    name_counts: HashMap<(u32, u32), u32, FastBuild>,
    skips: Skips,
    seen: HashSet<u64, FastBuild>,
    fingerprint: FastBuild,
    forms: DateForms,
    rows_read: u64,
    duplicates: u64,
    zero_rows: u64,
    dates_ok: u64,
    amounts_ok: u64,
    bad_quantity: u64,
    returns_amount: f64,
    first_bad_date: Option<(u64, String)>,
    first_bad_amount: Option<(u64, String, usize)>,
    first_ragged: Option<(u64, usize)>,
    synthetic_order: String,
    /// The last date text read and its value.
    last_date: (String, DateValue),
    /// The row's quantity, when reading its amount (quantity × unit price) read it.
    row_quantity: Option<f64>,
    unterminated: StrayQuotes,
    replaced_id_rows: u64,
    first_replaced_id: Option<u64>,
    first_switched_row: Option<u64>,
    /// The currency column's values and their rows.
    currencies: CurrencyTally,
}

impl Stream {
    fn new(plan: &Plan) -> Stream {
        Stream {
            tx: Transactions {
                has_amount: plan.has_amount,
                order: plan.order_col.map(|_| Vec::new()),
                quantity: plan.qty_col.map(|_| Vec::new()),
                product: plan.product_col.map(|_| Vec::new()),
                ..Default::default()
            },
            purchase_dates: Vec::new(),
            date_rows: DateTally::default(),
            return_dates: Vec::new(),
            customers: Interner::default(),
            orders: Interner::default(),
            products: Interner::default(),
            labels: Interner::default(),
            name_counts: HashMap::default(),
            skips: Skips::default(),
            seen: HashSet::default(),
            fingerprint: FastBuild::default(),
            forms: DateForms::default(),
            rows_read: 0,
            duplicates: 0,
            zero_rows: 0,
            dates_ok: 0,
            amounts_ok: 0,
            bad_quantity: 0,
            returns_amount: 0.0,
            first_bad_date: None,
            first_bad_amount: None,
            first_ragged: None,
            synthetic_order: String::new(),
            last_date: (String::new(), DateValue::Day(0)),
            row_quantity: None,
            unterminated: StrayQuotes::default(),
            replaced_id_rows: 0,
            first_replaced_id: None,
            first_switched_row: None,
            currencies: CurrencyTally::default(),
        }
    }

    /// One record (already counted in `rows_read`): skipped with its reason, or kept as a
    /// return or a purchase.
    fn record<R: Read>(
        &mut self,
        recs: &Records<R>,
        row: u64,
        plan: &Plan,
        decoding: &Decoding,
        options: &IngestOptions,
    ) {
        if recs.recovered() {
            self.unterminated.add(row);
            self.skips.add(SkipReason::UnterminatedQuote, row);
            return;
        }
        let width = plan.profiles.len();
        let n = recs.len();
        let mut h = self.fingerprint.build_hasher();
        let mut blank = true;
        for i in 0..n {
            let f = recs.get(i);
            h.write(f.as_bytes());
            h.write_u64(0xff);
            if blank {
                blank = trim(f).is_empty();
            }
        }
        if !self.seen.insert(h.finish()) {
            self.duplicates += 1;
        }
        if blank {
            self.skips.add(SkipReason::BlankRow, row);
            return;
        }
        // Trailing empty cells (`a,b,c,,`) are what spreadsheets add, not a shifted row.
        if n != width && !(n > width && (width..n).all(|i| recs.get(i).trim().is_empty())) {
            self.first_ragged.get_or_insert((row, n));
            self.skips.add(SkipReason::WrongFieldCount, row);
            return;
        }
        if let Some(c) = plan.currency.column {
            self.currencies.add(recs.get(c));
        }
        let customer = trim(recs.get(plan.customer_col));
        if decoding.replaced.get() && customer.contains('\u{FFFD}') {
            self.replaced_id_rows += 1;
            self.first_replaced_id.get_or_insert(row);
        }
        if self.first_switched_row.is_none()
            && decoding.switched.get().is_some()
            && (0..recs.len()).any(|i| !recs.get(i).is_ascii())
        {
            self.first_switched_row = Some(row);
        }
        if customer.is_empty() {
            self.skips.add(SkipReason::MissingCustomer, row);
            return;
        }
        let date_text = trim(recs.get(plan.date_col));
        let Some(date) = self.date(date_text, row, plan) else {
            return;
        };
        self.dates_ok += 1;
        let Some(amount) = self.amount(recs, row, plan) else {
            return;
        };
        self.amounts_ok += 1;
        let order_text = plan.order_col.map(|o| trim(recs.get(o)));
        if amount < 0.0 || order_text.is_some_and(is_cancellation) {
            let c = self.customers.id(customer);
            self.tx.returns.customer.push(c);
            self.return_dates.push(date);
            self.tx.returns.amount.push(amount.abs());
            self.returns_amount += amount.abs();
            self.skips.add(SkipReason::Return, row);
            return;
        }
        if plan.has_amount && amount == 0.0 {
            if !options.keep_zero_amount {
                self.skips.add(SkipReason::ZeroAmount, row);
                return;
            }
            self.zero_rows += 1;
        }
        let c = self.customers.id(customer);
        self.tx.customer.push(c);
        self.purchase_dates.push(date);
        self.date_rows.add(date, row);
        self.tx.amount.push(amount);
        if let (Some(orders_out), Some(o)) = (self.tx.order.as_mut(), order_text) {
            let id = if o.is_empty() {
                // No order id: the customer's purchases that day form one order.
                self.synthetic_order.clear();
                self.synthetic_order.push('\u{0}');
                self.synthetic_order.push_str(customer);
                self.synthetic_order.push('\u{0}');
                self.synthetic_order.push_str(date_text);
                self.orders.id(&self.synthetic_order)
            } else {
                self.orders.id(o)
            };
            orders_out.push(id);
        }
        if let (Some(q_out), Some(q)) = (self.tx.quantity.as_mut(), plan.qty_col) {
            let v = match self.row_quantity {
                Some(v) => v,
                None => parse_amount_in(recs.get(q), plan.decimal_comma).unwrap_or_else(|_| {
                    self.bad_quantity += 1;
                    0.0
                }),
            };
            q_out.push(v);
        }
        if let (Some(p_out), Some(p)) = (self.tx.product.as_mut(), plan.product_col) {
            let product = self.products.id(trim(recs.get(p)));
            p_out.push(product);
            if let Some(n) = plan.product_name_col {
                let name = trim(recs.get(n));
                if !name.is_empty() {
                    let name = self.labels.id(name);
                    *self.name_counts.entry((product, name)).or_default() += 1;
                }
            }
        }
    }

    /// Each product's most frequent name (ties: the name seen first in the file), "" for a
    /// product written without one; empty when the file has no product-name column beside
    /// the product.
    fn product_labels(&mut self) -> Vec<String> {
        if self.name_counts.is_empty() {
            return Vec::new();
        }
        let mut best: Vec<Option<(u32, u32)>> = vec![None; self.tx.product_names.len()];
        for (&(product, name), &count) in &self.name_counts {
            let slot = &mut best[product as usize];
            if slot.is_none_or(|(c, n)| count > c || (count == c && name < n)) {
                *slot = Some((count, name));
            }
        }
        let names = take(&mut self.labels);
        self.name_counts = HashMap::default();
        best.into_iter()
            .map(|b| b.map_or_else(String::new, |(_, n)| names.text(n).to_string()))
            .collect()
    }

    /// The row's date as read (resolved when the date order is an option), noting its form;
    /// `None` when the row is skipped for it.
    fn date(&mut self, date_text: &str, row: u64, plan: &Plan) -> Option<DateValue> {
        // The lines of one order share their date: the last date read is tried first.
        let memo = (!date_text.is_empty() && self.last_date.0 == date_text).then_some(self.last_date.1);
        if memo.is_none() && is_placeholder(date_text) {
            self.skips.add(SkipReason::MissingDate, row);
            return None;
        }
        let mut date = match memo.or_else(|| parse_date(date_text)) {
            Some(d) => {
                if memo.is_none() {
                    self.last_date.0.clear();
                    self.last_date.0.push_str(date_text);
                    self.last_date.1 = d;
                }
                d
            }
            None => {
                self.first_bad_date
                    .get_or_insert_with(|| (row, date_text.to_string()));
                self.skips.add(SkipReason::BadDate, row);
                return None;
            }
        };
        let forms = &mut self.forms;
        match date {
            DateValue::Day(_) => {
                if !forms.day {
                    forms.day = true;
                    forms.sample_day = Some(date_text.to_string());
                }
            }
            DateValue::Pair { first, second, .. } => {
                if !forms.pair {
                    forms.pair = true;
                    forms.sample_pair = Some(date_text.to_string());
                }
                if first > 12 || second > 12 {
                    forms.evidence.add(row, date);
                }
                if let Some(dmy) = plan.forced_dmy {
                    match date.resolve(dmy) {
                        Some(d) => date = DateValue::Day(d),
                        None => {
                            // Reads only in the other order: counted apart, and in the warning.
                            self.skips.add(SkipReason::DateOrderConflict, row);
                            return None;
                        }
                    }
                }
            }
        }
        Some(date)
    }

    /// The row's amount (0 without an amount column); `None` when the row is skipped for it.
    fn amount<R: Read>(&mut self, recs: &Records<R>, row: u64, plan: &Plan) -> Option<f64> {
        self.row_quantity = None;
        let decimal_comma = plan.decimal_comma;
        if let Some(a) = plan.amount_col {
            match parse_amount_in(recs.get(a), decimal_comma) {
                Ok(v) => Some(v),
                Err(e) => {
                    let reason = match e {
                        AmountError::Missing => SkipReason::MissingAmount,
                        AmountError::Bad => {
                            self.first_bad_amount
                                .get_or_insert_with(|| (row, recs.get(a).trim().to_string(), a));
                            SkipReason::BadAmount
                        }
                    };
                    self.skips.add(reason, row);
                    None
                }
            }
        } else if let (true, Some(q), Some(p)) = (plan.qty_times_price, plan.qty_col, plan.price_col) {
            match (
                parse_amount_in(recs.get(q), decimal_comma),
                parse_amount_in(recs.get(p), decimal_comma),
            ) {
                (Ok(q), Ok(p)) if (q * p).is_finite() => {
                    self.row_quantity = Some(q);
                    Some(q * p)
                }
                (Err(AmountError::Missing), _) | (_, Err(AmountError::Missing)) => {
                    self.skips.add(SkipReason::MissingAmount, row);
                    None
                }
                (qr, _) => {
                    let bad = if qr.is_err() { q } else { p };
                    self.first_bad_amount
                        .get_or_insert_with(|| (row, recs.get(bad).trim().to_string(), bad));
                    self.skips.add(SkipReason::BadAmount, row);
                    None
                }
            }
        } else {
            Some(0.0)
        }
    }

    /// After the last record: the whole-file checks, the date order (which needs the whole
    /// column), the date screen, and the quality report.
    fn finish(
        mut self,
        plan: &Plan,
        layout: &Layout,
        decoding: &Decoding,
        options: &IngestOptions,
    ) -> Result<(Table, QualityReport), IngestError> {
        self.check_whole_file(plan, layout, options)?;
        let mut warnings = Vec::new();
        if layout.stray_in_first && layout.has_header {
            let columns = layout.headers.join("\", \"");
            warnings.push(
                msg(
                    "header_quote",
                    format!(
                        "The header row has a quote (\") that never closes: it was read as text without the quote (the columns are \"{columns}\"); check the column roles."
                    ),
                )
                .with_param("columns", columns),
            );
        }
        warnings.extend(self.unterminated.warning());
        let (dmy, coded_date_format) = self.date_order(plan, layout, options, &mut warnings)?;
        let mut dates = self.screen(dmy, plan, options);
        self.tx.customer_ids = take(&mut self.customers).into_names();
        self.tx.product_names = take(&mut self.products).into_names();
        self.tx.product_labels = self.product_labels();

        let span_days = if self.tx.day.is_empty() {
            &self.tx.returns.day
        } else {
            &self.tx.day
        };
        let first_date = span_days.iter().min().map(|&d| day_to_date(d));
        let last_date = span_days.iter().max().map(|&d| day_to_date(d));
        dates.first = first_date;
        dates.last = last_date;
        for (g, group, what) in [
            (&dates.future, "future", "are after today"),
            (
                &dates.outliers,
                "outliers",
                "are far outside the bulk of the file's dates",
            ),
        ] {
            if g.rows > 0 && dates.kept {
                let (from, to) = (
                    g.min.map(|d| d.to_string()).unwrap_or_default(),
                    g.max.map(|d| d.to_string()).unwrap_or_default(),
                );
                let row = g.example_rows.first().copied().unwrap_or(0);
                warnings.push(
                    msg(
                        "dates_kept",
                        format!(
                            "{} purchase dates {what} ({from} to {to}, e.g. row {row}) and were kept as purchases (keep_outlier_dates): they move the as-of date and every recency.",
                            g.rows,
                        ),
                    )
                    .with_param("rows", g.rows)
                    .with_param("group", group)
                    .with_param("from", from)
                    .with_param("to", to)
                    .with_param("row", row),
                );
            }
        }
        let rows_used = self.tx.len() as u64;
        let rows_read = self.rows_read;
        if rows_used == 0 && self.tx.returns.customer.is_empty() {
            let summary: Vec<String> = self
                .skips
                .report()
                .iter()
                .map(|s| {
                    format!(
                        "{} rows: {} (e.g. row {})",
                        s.rows,
                        s.description,
                        s.example_rows.first().copied().unwrap_or(0)
                    )
                })
                .collect();
            return Err(err(
                options,
                IngestErrorKind::NoUsableRows,
                format!(
                    "none of the {rows_read} rows could be used as a purchase: {}.",
                    summary.join("; ")
                ),
            ));
        }
        self.column_warnings(plan, layout, decoding, &mut warnings);
        let (currency, currency_warnings) = plan.currency.clone().decide(
            plan.currency.column.map(|c| layout.col_name(c)),
            &self.currencies.counts,
        );
        warnings.extend(currency_warnings);
        let columns = plan.columns(layout);
        let amount_source = plan.amount_source(layout);
        debug_assert_eq!(rows_used + self.skips.total(), rows_read);
        let report = QualityReport {
            file_name: options.file_name.clone(),
            encoding: decoding.encoding_name().into(),
            delimiter: layout.delimiter.name(),
            has_header: layout.has_header,
            rows_read,
            rows_used,
            skipped: self.skips.report(),
            returns_amount: self.returns_amount,
            zero_amount_rows: self.zero_rows,
            exact_duplicates: self.duplicates,
            first_date,
            last_date,
            date_format: if coded_date_format.is_empty() {
                None
            } else {
                let phrases: Vec<&str> = coded_date_format.iter().map(|w| w.message.as_str()).collect();
                Some(phrases.join("; "))
            },
            coded_date_format,
            amount_source: amount_source.as_ref().map(|m| m.message.clone()),
            coded_amount_source: amount_source,
            table: TableKind::Transactions,
            columns,
            candidates: plan.roles.candidates.clone(),
            dates: Some(dates),
            frequency_unit: if plan.order_col.is_some() {
                "orders"
            } else {
                "purchase_days"
            }
            .into(),
            currency,
            warnings,
            ..Default::default()
        };
        Ok((Table::Transactions(self.tx), report))
    }

    /// The errors that need the whole file: no data rows, mostly ragged rows, mostly
    /// unreadable dates or amounts.
    fn check_whole_file(
        &self,
        plan: &Plan,
        layout: &Layout,
        options: &IngestOptions,
    ) -> Result<(), IngestError> {
        let rows_read = self.rows_read;
        if rows_read == 0 {
            return Err(err(
                options,
                IngestErrorKind::HeaderOnly,
                "the file has a header row but no data rows below it: export the transactions again.",
            ));
        }
        let ragged = self.skips.count(SkipReason::WrongFieldCount);
        if let Some((row, n)) = self.first_ragged {
            if ragged * 2 > rows_read {
                return Err(located(
                    options,
                    layout,
                    IngestErrorKind::Ragged,
                    row,
                    None,
                    format!(
                        "this row has {n} fields where the {} has {}, and so do {ragged} of the {rows_read} rows: check the delimiter (or set the delimiter option) and that text with commas is quoted.",
                        if layout.has_header { "header" } else { "first rows" },
                        layout.width
                    ),
                ));
            }
        }
        let (dates_ok, amounts_ok) = (self.dates_ok, self.amounts_ok);
        let bad_dates = self.skips.count(SkipReason::BadDate);
        if let Some((row, value)) = &self.first_bad_date {
            if bad_dates > dates_ok {
                return Err(located(
                    options,
                    layout,
                    IngestErrorKind::BadDates,
                    *row,
                    Some(plan.date_col),
                    format!(
                        "{EXPECTED_DATES}, found \"{value}\" ({bad_dates} of {} dates could not be read).",
                        bad_dates + dates_ok
                    ),
                ));
            }
        }
        let bad_amounts = self.skips.count(SkipReason::BadAmount);
        if let Some((row, value, col)) = &self.first_bad_amount {
            if bad_amounts > amounts_ok {
                return Err(located(
                    options,
                    layout,
                    IngestErrorKind::BadAmounts,
                    *row,
                    Some(*col),
                    format!("expected an amount like 12.50, 1,234.56 or ¥88, found \"{value}\" ({bad_amounts} of {} amounts could not be read).", bad_amounts + amounts_ok),
                ));
            }
        }
        Ok(())
    }

    /// Decides the day/month order from the whole column (or the option), with its warnings;
    /// returns it and the `date_format` phrases.
    fn date_order(
        &self,
        plan: &Plan,
        layout: &Layout,
        options: &IngestOptions,
        warnings: &mut Vec<Warning>,
    ) -> Result<(bool, Vec<Warning>), IngestError> {
        let (forms, forced_dmy, date_col) = (&self.forms, plan.forced_dmy, plan.date_col);
        let ev = &forms.evidence;
        let dmy = day_first(forced_dmy, ev).map_err(|m| {
            let first = |v: &[u64]| v.first().copied().unwrap_or(u64::MAX);
            located(
                options,
                layout,
                IngestErrorKind::AmbiguousDates,
                first(&ev.day_first_examples).min(first(&ev.month_first_examples)),
                Some(date_col),
                m,
            )
        })?;
        let (agree, contradict, examples) = ev.split(dmy);
        if forced_dmy.is_some() && contradict > self.dates_ok {
            // The option contradicts most of the column: an error, not a column of skipped rows.
            return Err(located(
                options,
                layout,
                IngestErrorKind::AmbiguousDates,
                examples.first().copied().unwrap_or(0),
                Some(date_col),
                format!(
                    "the date order chosen ({}) contradicts the column: {contradict} dates only read {} and {agree} only {}; choose the other order on the page or pass --date-order {} (date_order in the options JSON).",
                    if dmy { "dmy, day first" } else { "mdy, month first" },
                    if dmy { "month first" } else { "day first" },
                    if dmy { "day first" } else { "month first" },
                    if dmy { "mdy" } else { "dmy" }
                ),
            ));
        }
        let undecided =
            forms.pair && forced_dmy.is_none() && ev.day_first_rows == 0 && ev.month_first_rows == 0;
        if let Some(w) = order_conflict(&layout.col_name(date_col), dmy, forced_dmy.is_some(), ev) {
            warnings.push(w);
        }
        let order_name = if dmy { "day/month/year" } else { "month/day/year" };
        let (order, other) = (order_key(dmy), order_key(!dmy));
        let mut date_format = Vec::new();
        if let Some(s) = &forms.sample_day {
            date_format.push(
                msg("date_format_ymd", format!("year-month-day (e.g. \"{s}\")"))
                    .with_param("example", s.as_str()),
            );
        }
        if let Some(s) = &forms.sample_pair {
            if undecided {
                date_format.push(
                    msg(
                        "date_format_assumed",
                        format!(
                            "{order_name} assumed (e.g. \"{s}\"): no day or month above 12 tells the order; choose the date order on the page or pass --date-order {other} if the file means {}",
                            if dmy { "month first" } else { "day first" }
                        ),
                    )
                    .with_param("order", order)
                    .with_param("example", s.as_str()),
                );
                let column = layout.col_name(date_col);
                warnings.push(
                    msg(
                        "dates_undecided",
                        format!(
                            "The dates in column \"{column}\" could be day/month or month/day (no number above 12 decides it): read as {order_name}. If that is wrong, choose the date order on the page or pass --date-order {other}."
                        ),
                    )
                    .with_param("column", column)
                    .with_param("order", order),
                );
            } else {
                let phrase = if forced_dmy.is_some() {
                    msg(
                        "date_format_chosen",
                        format!("{order_name} (e.g. \"{s}\"), from the date_order option"),
                    )
                } else {
                    msg("date_format_read", format!("{order_name} (e.g. \"{s}\")"))
                };
                date_format.push(
                    phrase
                        .with_param("order", order)
                        .with_param("example", s.as_str()),
                );
            }
        }
        Ok((dmy, date_format))
    }

    /// Resolves the dates in the decided order, then drops the ones that cannot be purchases
    /// (in the other day/month order, after today, or far outside the bulk): counted per
    /// distinct date, then the kept columns are filtered once.
    fn screen(&mut self, dmy: bool, plan: &Plan, options: &IngestOptions) -> DateDistribution {
        let resolve =
            |v: &DateValue| -> Day { v.resolve(dmy).or_else(|| v.resolve(!dmy)).unwrap_or_default() };
        let return_dates = take(&mut self.return_dates);
        self.tx.returns.day = return_dates.iter().map(resolve).collect();
        drop(return_dates);
        let date_rows = take(&mut self.date_rows).slots;
        let dates = screen_dates(
            &date_rows,
            dmy,
            plan.today,
            options.keep_outlier_dates,
            &mut self.skips,
        );
        drop(date_rows);
        let purchase_dates = take(&mut self.purchase_dates);
        let keep: Option<Vec<bool>> = dates.1.then(|| {
            let screen = dates.2;
            purchase_dates
                .iter()
                .map(|v| {
                    v.resolve(dmy)
                        .is_some_and(|d| options.keep_outlier_dates || screen.reason(d).is_none())
                })
                .collect()
        });
        let tx = &mut self.tx;
        tx.day = purchase_dates.iter().map(resolve).collect();
        drop(purchase_dates);
        if let Some(keep) = &keep {
            retain(&mut tx.day, keep);
            retain(&mut tx.customer, keep);
            retain(&mut tx.amount, keep);
            if let Some(v) = tx.order.as_mut() {
                retain(v, keep);
            }
            if let Some(v) = tx.quantity.as_mut() {
                retain(v, keep);
            }
            if let Some(v) = tx.product.as_mut() {
                retain(v, keep);
            }
            self.zero_rows =
                tx.amount.iter().filter(|&&a| a == 0.0).count() as u64 * u64::from(plan.has_amount);
        }
        dates.0
    }

    /// The warnings about columns and text: no amount, twin column names, roles taken from
    /// values, no order column, the encoding, quantities that are not numbers, ragged rows.
    fn column_warnings(
        &self,
        plan: &Plan,
        layout: &Layout,
        decoding: &Decoding,
        warnings: &mut Vec<Warning>,
    ) {
        let (roles, headers) = (&plan.roles, &layout.headers);
        let col_name = |i: usize| layout.col_name(i);
        if !plan.has_amount {
            warnings.push(msg(
                "no_amount_column",
                "The file has no amount column (nor quantity and unit price): monetary figures (spend, lifetime value) are unavailable; recency and frequency still work.",
            ));
        }
        if layout.has_header {
            for (role, col, how) in &roles.slots {
                let twins: Vec<usize> = (0..headers.len())
                    .filter(|&i| i != *col && fold(&headers[i]) == fold(&headers[*col]))
                    .collect();
                if !twins.is_empty() {
                    warnings.push(
                        msg(
                            "twin_columns",
                            format!(
                                "{} columns are named \"{}\": column {} was used as the {}; to use another, choose its role in the Columns table, or pass --column {}={} (a 0-based column index).",
                                twins.len() + 1,
                                col_name(*col),
                                col + 1,
                                role_label(*role),
                                role_key(*role),
                                twins[0]
                            ),
                        )
                        .with_param("count", (twins.len() + 1) as u64)
                        .with_param("column", col_name(*col))
                        .with_param("index", (col + 1) as u64)
                        .with_param("role", role_key(*role))
                        .with_param("other", twins[0] as u64),
                    );
                }
                if *how == "values"
                    && !roles
                        .warnings
                        .iter()
                        .any(|w| w.message.contains(&format!("\"{}\"", col_name(*col))))
                {
                    warnings.push(
                        msg(
                            "role_from_values",
                            format!(
                                "Column \"{}\" was taken as the {} from its values (its name is not one Clientele knows); {}.",
                                col_name(*col),
                                role_label(*role),
                                change_hint(*role, &col_name(*col))
                            ),
                        )
                        .with_param("column", col_name(*col))
                        .with_param("role", role_key(*role)),
                    );
                }
            }
        }
        warnings.extend(roles.warnings.iter().cloned());
        if plan.order_col.is_none() {
            let candidate = roles
                .candidates
                .iter()
                .find(|c| c.role == Role::Order)
                .and_then(|c| c.columns.first())
                .map(|c| c.header.clone());
            let how = match &candidate {
                Some(hint) => format!("pass --column order=\"{hint}\""),
                None => "pass --column order=\"<the column's name>\"".to_string(),
            };
            warnings.push(
                msg(
                    "no_order_column",
                    format!(
                        "No order column: frequency counts distinct purchase days per customer, not orders (to change it, choose the order column in the Columns table or {how})."
                    ),
                )
                .with_param("column", candidate),
            );
        }
        warnings.extend(
            decoding
                .switched
                .get()
                .map(|s| switched_warning(s, self.first_switched_row)),
        );
        if decoding.replaced.get() {
            warnings.push(replaced_warning(decoding.encoding_name()));
            let merged: Vec<&String> = self
                .tx
                .customer_ids
                .iter()
                .filter(|c| c.contains('\u{FFFD}'))
                .collect();
            if let (Some(first), Some(example)) = (self.first_replaced_id, merged.first()) {
                warnings.push(
                    msg(
                        "merged_ids",
                        format!(
                            "Customers may have been merged: {} rows (the first is row {first}) have customer ids with bytes that are not valid {enc}, replaced by �, which gives {} such as \"{example}\"; ids that differ only in those letters (Müller, Möller) count as one customer. Choose the file's real encoding in the Encoding menu on the page, or pass --encoding (e.g. windows-1252), to keep them apart.",
                            self.replaced_id_rows,
                            if merged.len() == 1 { "1 id".to_string() } else { format!("{} ids", merged.len()) },
                            enc = decoding.encoding_name(),
                        ),
                    )
                    .with_param("rows", self.replaced_id_rows)
                    .with_param("row", first)
                    .with_param("encoding", decoding.encoding_name())
                    .with_param("ids", merged.len() as u64)
                    .with_param("example", example.as_str()),
                );
            }
        }
        if let Some(w) = &decoding.guess_warning {
            warnings.push(w.clone());
        }
        if self.bad_quantity > 0 {
            warnings.push(
                msg(
                    "bad_quantity",
                    format!(
                        "{} purchase rows have a quantity that is not a number; it was read as 0.",
                        self.bad_quantity
                    ),
                )
                .with_param("rows", self.bad_quantity),
            );
        }
        let ragged = self.skips.count(SkipReason::WrongFieldCount);
        if ragged > 0 {
            warnings.push(
                msg(
                    "ragged",
                    format!(
                        "{ragged} rows have a different number of fields than the {} and were skipped.",
                        if layout.has_header { "header" } else { "first rows" }
                    ),
                )
                .with_param("rows", ragged)
                .with_param("header", layout.has_header),
            );
        }
    }
}

/// An error at a row (and a column, by index) of the file.
fn located(
    options: &IngestOptions,
    layout: &Layout,
    kind: IngestErrorKind,
    row: u64,
    column: Option<usize>,
    message: String,
) -> IngestError {
    IngestError {
        file: options.file_name.clone(),
        row: Some(row),
        column: column.map(|i| layout.col_name(i)),
        message,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellations_look_like_c_and_digits() {
        assert!(is_cancellation("C536379"));
        assert!(!is_cancellation("C"));
        assert!(!is_cancellation("CUST-7"));
        assert!(!is_cancellation("536379"));
    }

    #[test]
    fn product_names_ride_beside_codes() {
        use crate::ingest::{read, IngestOptions};
        let text = "CustomerID,InvoiceDate,StockCode,Description,Amount\n\
                    a,2024-01-01,85123A,WHITE HANGING HEART,3.50\n\
                    b,2024-01-02,85123A,CREAM HANGING HEART,3.50\n\
                    c,2024-01-03,85123A,CREAM HANGING HEART,3.50\n\
                    a,2024-01-04,71053,WHITE METAL LANTERN,4.25\n\
                    b,2024-01-05,71053,WHITE LANTERN,4.25\n\
                    c,2024-01-06,22633,,5.10\n";
        let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
        assert_eq!(tx.product_names, ["85123A", "71053", "22633"]);
        // The most frequent name per code; on a tie the name seen first; none written: "".
        assert_eq!(
            tx.product_labels,
            ["CREAM HANGING HEART", "WHITE METAL LANTERN", ""]
        );
        assert_eq!(q.columns[3].role, Some(Role::ProductName));
        // Correctable like any role: no name column, or the names as the product itself.
        let off = IngestOptions {
            roles: vec![(Role::ProductName, String::new())],
            ..Default::default()
        };
        assert!(read(text.as_bytes(), &off).unwrap().0.product_labels.is_empty());
        let names = IngestOptions {
            roles: vec![(Role::Product, String::new())],
            ..Default::default()
        };
        let (tx, _) = read(text.as_bytes(), &names).unwrap();
        assert_eq!(
            tx.product_names[..2],
            ["WHITE HANGING HEART", "CREAM HANGING HEART"]
        );
        assert!(tx.product_labels.is_empty());
        // A Chinese export with only 商品名称: the names are the products.
        let zh = "客户ID,订单日期,商品名称,金额\nA1,2024-01-05,绿茶,12\nA2,2024-01-06,红茶,15\n";
        let (tx, q) = read(zh.as_bytes(), &IngestOptions::default()).unwrap();
        assert_eq!(q.columns[2].role, Some(Role::ProductName));
        assert_eq!(tx.product_names, ["绿茶", "红茶"]);
        assert!(tx.product_labels.is_empty());
    }
}
