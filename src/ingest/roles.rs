//! Column roles: which column holds the customer, order, date, amount, quantity, unit price,
//! product and product name. Decided from header names (English and Chinese,
//! case/space/underscore-insensitive), then from the values for what the names did not settle (values can overrule a name: a
//! money-named column of small whole numbers beside a money-like column is a count). The
//! user's options come first and are never second-guessed. Names live in [`super::vocabulary`].

use super::messages::msg;
use super::values::{parse_amount, parse_date, DateValue};
use super::vocabulary::{CONTAINS, EXACT, ID_WORDS, MONEY_WORDS};
use super::{CandidateColumn, Role, RoleCandidates};
use crate::warning::Warning;

/// Header text folded for matching: lowercase, without spaces, underscores, dashes, dots.
pub fn fold(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '_' | '-' | '.' | '(' | ')' | '#' | '/' | '\u{3000}' | '（' | '）'
            )
        })
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// The role a header name suggests, if any; `exact` says whether it was a known name.
pub fn role_from_header(header: &str) -> Option<(Role, bool)> {
    let f = fold(header);
    if f.is_empty() {
        return None;
    }
    for (role, names) in EXACT {
        if names.contains(&f.as_str()) {
            return Some((*role, true));
        }
    }
    for (role, needles) in CONTAINS {
        if needles.iter().any(|n| f.contains(n)) {
            return Some((*role, false));
        }
    }
    None
}

/// How well-known a header name is for its role: its place in the role's list of exact names,
/// or of partial needles; a partial `subtotal` ranks after every other partial name.
fn header_rank(header: &str, role: Role, exact: bool) -> usize {
    let f = fold(header);
    if exact {
        return EXACT
            .iter()
            .find(|(r, _)| *r == role)
            .and_then(|(_, names)| names.iter().position(|n| *n == f))
            .unwrap_or(usize::MAX);
    }
    if f.contains("subtotal") || f.contains("小计") || f.contains("小計") {
        return usize::MAX;
    }
    CONTAINS
        .iter()
        .find(|(r, _)| *r == role)
        .and_then(|(_, needles)| needles.iter().position(|n| f.contains(n)))
        .unwrap_or(usize::MAX)
}

/// The snake_case name of a role, as the options JSON and `--column ROLE=HEADER` spell it.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Customer => "customer",
        Role::Order => "order",
        Role::Date => "date",
        Role::Amount => "amount",
        Role::Quantity => "quantity",
        Role::UnitPrice => "unit_price",
        Role::Product => "product",
        Role::ProductName => "product_name",
        Role::OrderCount => "order_count",
        Role::TotalSpent => "total_spent",
        Role::LastOrder => "last_order",
        Role::DaysSinceLastOrder => "days_since_last_order",
        Role::FirstOrder => "first_order",
    }
}

/// How a user changes a role, on the page and in the CLI: ends a sentence that states what
/// was decided (`…; to change it, choose … or pass --column amount="SALES_PRICE"`).
pub fn change_hint(role: Role, header: &str) -> String {
    format!(
        "to change it, choose another role for the column in the Columns table, or pass --column {}=\"{}\"",
        role_key(role),
        header.replace('"', "'")
    )
}

/// What the sampled values of one column look like.
#[derive(Debug, Clone, Default)]
pub struct ColumnProfile {
    pub non_empty: usize,
    pub dates: usize,
    pub integers: usize,
    /// Numbers with a fractional part (`12.50`).
    pub decimals: usize,
    pub numbers: usize,
    pub max_abs: f64,
    /// Numbers with a non-zero fractional part (`12.50`, not `17850.0`).
    pub fractions: usize,
    /// Integers written with leading zeros (`00042`): ids, not counts.
    pub leading_zeros: usize,
    /// Values with blanks inside (`WHITE METAL LANTERN`): free text, not ids.
    pub with_spaces: usize,
    /// Numbers written as money: a currency sign or code, or thousands separators
    /// (`NT$1,200`, `¥3,000`, `₩12,000`, `1,200`).
    pub money_marks: usize,
    /// Values written `#` and digits (`#1001`): shop order numbers (Shopify, BigCommerce).
    pub hash_numbers: usize,
    /// Up to three distinct non-empty values, as written, for the quality report.
    pub samples: Vec<String>,
    /// Distinct non-empty values (up to [`DISTINCT_CAP`]).
    distinct: std::collections::HashSet<String>,
}

/// Distinct values counted per column in the sample; beyond this a column is "many-valued".
const DISTINCT_CAP: usize = 1000;

impl ColumnProfile {
    pub fn add(&mut self, raw: &str) {
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        self.non_empty += 1;
        if self.samples.len() < 3 && !self.samples.iter().any(|x| x == s) {
            self.samples.push(s.to_string());
        }
        if self.distinct.len() < DISTINCT_CAP && !self.distinct.contains(s) {
            self.distinct.insert(s.to_string());
        }
        if s.contains(char::is_whitespace) {
            self.with_spaces += 1;
        }
        if s.len() > 1 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_digit()) {
            self.hash_numbers += 1;
        }
        let plain_int = s.bytes().all(|b| b.is_ascii_digit())
            || (s.starts_with('-') && s.len() > 1 && s.bytes().skip(1).all(|b| b.is_ascii_digit()));
        if let Some(v) = parse_date(s) {
            // A bare integer is a date only as YYYYMMDD.
            if !plain_int || (matches!(v, DateValue::Day(_)) && s.len() == 8) {
                self.dates += 1;
            }
        }
        if plain_int {
            self.integers += 1;
            if s.len() > 1 && s.starts_with('0') {
                self.leading_zeros += 1;
            }
        }
        if let Ok(v) = parse_amount(s) {
            self.numbers += 1;
            self.max_abs = self.max_abs.max(v.abs());
            if v.fract() != 0.0 {
                self.fractions += 1;
            }
            if !plain_int && (v.fract() != 0.0 || s.contains('.')) {
                self.decimals += 1;
            }
            if !plain_int
                && s.chars()
                    .any(|c| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
            {
                self.money_marks += 1;
            }
        }
    }
    fn mostly(&self, n: usize) -> bool {
        self.non_empty > 0 && n * 10 >= self.non_empty * 8
    }
    pub fn is_date(&self) -> bool {
        self.mostly(self.dates)
    }
    pub fn is_amount(&self) -> bool {
        self.mostly(self.numbers) && self.decimals > 0 && !self.is_date()
    }
    pub fn is_count(&self) -> bool {
        self.mostly(self.integers) && self.leading_zeros == 0 && self.max_abs <= 10_000.0 && !self.is_date()
    }
    /// Text or whole numbers (`17850`, `17850.0`, `00042`, `a@b.com`): what ids look like.
    pub fn is_id(&self) -> bool {
        self.non_empty > 0 && !self.is_date() && self.fractions == 0 && self.with_spaces * 5 <= self.non_empty
    }
    /// Whole numbers no larger than 100, none with decimals: item counts, not money.
    pub fn is_small_count(&self) -> bool {
        self.mostly(self.numbers)
            && self.fractions == 0
            && self.decimals == 0
            && self.money_marks == 0
            && self.max_abs <= 100.0
            && !self.is_date()
    }
    /// Whole-number money (TWD, JPY, KRW, CNY without cents) written with a currency sign or
    /// thousands separators: `NT$1,200`, `¥3,000`, `₩12,000`.
    pub fn is_marked_money(&self) -> bool {
        self.mostly(self.numbers) && self.money_marks * 2 >= self.non_empty && !self.is_date()
    }
    /// Plain whole numbers that could be money: no leading zeros, many distinct values, some
    /// of 100 or more (so neither an id code nor a count).
    pub fn is_plain_whole_money(&self) -> bool {
        self.mostly(self.numbers)
            && self.fractions == 0
            && self.leading_zeros == 0
            && self.max_abs >= 100.0
            && self.distinct.len() * 3 >= self.non_empty.min(DISTINCT_CAP)
            && !self.is_date()
    }
    /// Whether the values could be money at all, and in what words.
    fn money_why(&self) -> Option<Warning> {
        if self.is_amount() {
            Some(
                msg(
                    "why_decimals",
                    format!("its values are decimal numbers (up to {})", self.max_abs),
                )
                .with_param("max", self.max_abs),
            )
        } else if self.is_marked_money() {
            Some(msg(
                "why_money",
                "its values are written as money (currency sign or thousands separators)",
            ))
        } else {
            None
        }
    }
}

/// Where each role was found: column index and how it was decided, plus what the decision
/// weighed (candidates) and what the user should know (warnings).
#[derive(Debug, Clone, Default)]
pub struct RoleMap {
    pub slots: Vec<(Role, usize, &'static str)>,
    /// Roles the options say no column has (an empty column text).
    pub suppressed: Vec<Role>,
    /// One entry per role two or more columns could play.
    pub candidates: Vec<RoleCandidates>,
    /// Decisions the values made against the names, in sentences naming the alternative.
    pub warnings: Vec<Warning>,
    /// Why a role's column was chosen, when a rule beyond "the first known name" decided.
    reasons: Vec<(Role, Warning)>,
}

impl RoleMap {
    pub fn get(&self, role: Role) -> Option<usize> {
        self.slots.iter().find(|s| s.0 == role).map(|s| s.1)
    }
    fn taken(&self, col: usize) -> bool {
        self.slots.iter().any(|s| s.1 == col)
    }
    fn set(&mut self, role: Role, col: usize, how: &'static str) {
        self.slots.retain(|s| s.0 != role && s.1 != col);
        self.slots.push((role, col, how));
    }
    fn unset(&mut self, role: Role) {
        self.slots.retain(|s| s.0 != role);
    }
    fn open(&self, role: Role) -> bool {
        self.get(role).is_none() && !self.suppressed.contains(&role)
    }
    pub fn role_of(&self, col: usize) -> Option<(Role, &'static str)> {
        self.slots.iter().find(|s| s.1 == col).map(|s| (s.0, s.2))
    }
}

/// The column a `roles` option names: a 0-based index below `width`, else a header, exactly
/// or after folding case, blanks and punctuation. An empty target names no column.
pub fn find_column(headers: &[String], width: usize, target: &str) -> Option<usize> {
    let t = target.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<usize>() {
        Ok(i) if i < width => Some(i),
        _ => headers
            .iter()
            .position(|n| n.trim() == t)
            .or_else(|| headers.iter().position(|n| fold(n) == fold(t))),
    }
}

/// Money words in a header, ranked: a line total or sales figure (3) beats a price (2) beats a
/// cost or other money word (1); 0 when the name says nothing of money.
fn money_rank(header: &str) -> u8 {
    match role_from_header(header) {
        Some((Role::Amount, _)) => 3,
        Some((Role::UnitPrice, _)) => 2,
        _ if MONEY_WORDS.iter().any(|w| fold(header).contains(w)) => 1,
        _ => 0,
    }
}

/// Whether a header names an identifier or a code (`store_id`, `PRODUCT_KEY`, `商品編號`).
fn id_like(header: &str) -> bool {
    let f = fold(header);
    ID_WORDS.iter().any(|w| f.ends_with(w))
}

/// Decides the roles: the options first (an empty column text means "no column has this
/// role"), then header names, then values — which can overrule a money name that holds
/// counts — and lists the candidates for every role two or more columns could play.
/// `overrides` name a column by header text or 0-based index; an unknown name is an error
/// message naming the columns that exist.
pub fn assign(
    headers: Option<&[String]>,
    profiles: &[ColumnProfile],
    overrides: &[(Role, String)],
) -> Result<RoleMap, String> {
    let mut map = RoleMap::default();
    let width = profiles.len();
    let name = |i: usize| -> String {
        headers
            .and_then(|h| h.get(i).cloned())
            .unwrap_or_else(|| format!("column {}", i + 1))
    };
    apply_overrides(&mut map, headers, width, overrides)?;
    let by_option: Vec<Role> = map.slots.iter().map(|s| s.0).collect();
    if let Some(h) = headers {
        assign_by_header(&mut map, h, width);
    }
    correct_count_amount(&mut map, profiles, &by_option, &name);
    assign_by_values(&mut map, profiles, &name);
    map.candidates = candidates(&map, headers, profiles);
    Ok(map)
}

/// The `roles` options: an empty column text means "no column has this role"; an unknown
/// column is an error message naming the columns that exist.
fn apply_overrides(
    map: &mut RoleMap,
    headers: Option<&[String]>,
    width: usize,
    overrides: &[(Role, String)],
) -> Result<(), String> {
    for (role, target) in overrides {
        let t = target.trim();
        if t.is_empty() {
            map.unset(*role);
            map.suppressed.push(*role);
            continue;
        }
        let col = match headers {
            Some(h) => find_column(h, width, t),
            None => t.parse::<usize>().ok().filter(|&i| i < width),
        };
        match col {
            Some(i) => {
                map.suppressed.retain(|r| r != role);
                map.set(*role, i, "option")
            }
            None => {
                let names = headers.map(|h| h.join("\", \"")).unwrap_or_default();
                return Err(format!(
                    "the roles option (--column {}=…) names column \"{t}\", but the file has no such column (columns: \"{names}\", or a 0-based index below {width})",
                    role_key(*role)
                ));
            }
        }
    }
    Ok(())
}

/// Roles from header names, exact names in a first pass, looser ones in a second.
fn assign_by_header(map: &mut RoleMap, h: &[String], width: usize) {
    for exact_pass in [true, false] {
        // Within a pass the better-known name wins, then the column further left: an
        // export with `Paid at` before `Created at` still dates orders by creation, and
        // `Order Subtotal Amount` does not beat `Order Total Amount`.
        let mut named: Vec<(Role, usize, usize)> = h
            .iter()
            .enumerate()
            .take(width)
            .filter_map(|(i, name)| {
                let (role, exact) = role_from_header(name)?;
                (exact == exact_pass).then(|| (role, header_rank(name, role, exact), i))
            })
            .collect();
        named.sort_by_key(|&(_, rank, i)| (rank, i));
        for (role, _, i) in named {
            if map.open(role) && !map.taken(i) {
                map.set(role, i, "header");
            }
        }
    }
}

/// A money name over small whole numbers beside a money-like column: the name is wrong, the
/// other column is the amount (and the counts the quantity, when that role is open).
fn correct_count_amount(
    map: &mut RoleMap,
    profiles: &[ColumnProfile],
    by_option: &[Role],
    name: &dyn Fn(usize) -> String,
) {
    let width = profiles.len();
    let profile = |i: usize| profiles.get(i).cloned().unwrap_or_default();
    if let Some(a) = map
        .get(Role::Amount)
        .filter(|&a| !by_option.contains(&Role::Amount) && profile(a).is_small_count())
    {
        let pa = profile(a);
        let plausible: Vec<(u8, bool, usize)> = (0..width)
            .filter(|&i| {
                i != a
                    && (!map.taken(i)
                        || map
                            .role_of(i)
                            .is_some_and(|(r, how)| r == Role::UnitPrice && how == "header"))
            })
            .filter_map(|i| {
                let p = profile(i);
                let rank = money_rank(&name(i));
                let money_values = p.is_amount() || p.is_marked_money();
                let plausible = p.mostly(p.numbers)
                    && !p.is_small_count()
                    && !p.is_date()
                    && (money_values || (rank > 0 && p.max_abs > pa.max_abs));
                plausible.then_some((rank, money_values, i))
            })
            .collect();
        let best = plausible
            .iter()
            .copied()
            .max_by_key(|&(rank, values, i)| (rank, values, i));
        if let Some((_, _, alt)) = best {
            let (lo, hi) = (pa.samples.first().cloned().unwrap_or_default(), pa.max_abs);
            let alt_is_price = map.role_of(alt).is_some_and(|(r, _)| r == Role::UnitPrice);
            let count_as_quantity = map.open(Role::Quantity);
            if alt_is_price && count_as_quantity {
                map.unset(Role::Amount);
                map.set(Role::Quantity, a, "values");
            } else {
                map.set(Role::Amount, alt, "values");
                if count_as_quantity {
                    map.set(Role::Quantity, a, "values");
                }
            }
            let used = if alt_is_price && count_as_quantity {
                format!("quantity × \"{}\"", name(alt))
            } else {
                format!("\"{}\"", name(alt))
            };
            let passed_over: Vec<String> = plausible
                .iter()
                .filter(|p| p.2 != alt)
                .map(|p| format!("\"{}\"", name(p.2)))
                .collect();
            let times_price = alt_is_price && count_as_quantity;
            let reason = msg(
                "role_reason_amount_count",
                format!(
                    "\"{}\" is named like an amount but holds small whole numbers (e.g. {lo}, at most {hi}), like an item count; {used} holds money{}",
                    name(a),
                    if passed_over.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " and was preferred to {} because its name says sales, total or price (a line total), not cost",
                            passed_over.join(", ")
                        )
                    }
                ),
            )
            .with_param("column", name(a))
            .with_param("example", lo.as_str())
            .with_param("max", hi)
            .with_param("money_column", name(alt))
            .with_param("times_price", times_price)
            .with_param("passed_over", passed_over.join(", "));
            let is_quantity = map.get(Role::Quantity) == Some(a);
            map.warnings.push(
                msg(
                    "amount_looks_like_count",
                    format!(
                        "Column \"{}\" is named like an amount but holds small whole numbers (at most {hi}), like an item count: the amount is {used}{}; {}.",
                        name(a),
                        if is_quantity {
                            format!(" and \"{}\" is read as the quantity", name(a))
                        } else {
                            String::new()
                        },
                        change_hint(Role::Amount, &name(a))
                    ),
                )
                .with_param("column", name(a))
                .with_param("max", hi)
                .with_param("money_column", name(alt))
                .with_param("times_price", times_price)
                .with_param("quantity", is_quantity),
            );
            map.reasons.push((Role::Amount, reason));
        }
    }
}

/// The roles still open, from the columns' values: date, customer, order, amount, quantity.
fn assign_by_values(map: &mut RoleMap, profiles: &[ColumnProfile], name: &dyn Fn(usize) -> String) {
    let width = profiles.len();
    let free = |map: &RoleMap, i: usize| !map.taken(i);
    if map.open(Role::Date) {
        if let Some(i) = (0..width).find(|&i| free(map, i) && profiles[i].is_date()) {
            map.set(Role::Date, i, "values");
        }
    }
    if map.open(Role::Customer) {
        if let Some(i) = (0..width).find(|&i| free(map, i) && profiles[i].is_id()) {
            map.set(Role::Customer, i, "values");
        }
    }
    // Shop exports name the order number `Name` (Shopify) or `#`: `#1001` values say it.
    if map.open(Role::Order) {
        if let Some(i) = (0..width).find(|&i| free(map, i) && profiles[i].mostly(profiles[i].hash_numbers)) {
            map.set(Role::Order, i, "values");
        }
    }
    let has_money = map.get(Role::Amount).is_some() || map.get(Role::UnitPrice).is_some();
    if !has_money && map.open(Role::Amount) {
        // Decimals first; then whole numbers written as money; then plain whole numbers with
        // many distinct values whose name is not an id's. Right-most wins: exports put the
        // money last.
        let pick = |test: &dyn Fn(usize) -> bool| (0..width).rev().find(|&i| free(map, i) && test(i));
        let found = pick(&|i| profiles[i].is_amount())
            .map(|i| (i, "decimals", "decimal numbers"))
            .or_else(|| {
                pick(&|i| profiles[i].is_marked_money()).map(|i| (i, "money", "numbers written as money"))
            })
            .or_else(|| {
                pick(&|i| profiles[i].is_plain_whole_money() && !id_like(&name(i))).map(|i| {
                    (
                        i,
                        "whole",
                        "whole numbers with many distinct values, the right-most such column",
                    )
                })
            });
        if let Some((i, kind, what)) = found {
            map.set(Role::Amount, i, "values");
            map.reasons.push((
                Role::Amount,
                msg(
                    "role_reason_amount_values",
                    format!("no column is named like an amount; \"{}\" holds {what}", name(i)),
                )
                .with_param("column", name(i))
                .with_param("values", kind),
            ));
        }
    }
    if let (true, Some(a)) = (map.open(Role::Quantity), map.get(Role::Amount)) {
        let near = [a.checked_sub(1), Some(a + 1)];
        if let Some(i) = near
            .into_iter()
            .flatten()
            .find(|&i| i < width && free(map, i) && profiles[i].is_count())
        {
            map.set(Role::Quantity, i, "values");
        }
    }
}

/// Every role that two or more columns could play, by name or by values, with samples and
/// which column was used and why.
fn candidates(map: &RoleMap, headers: Option<&[String]>, profiles: &[ColumnProfile]) -> Vec<RoleCandidates> {
    let name = |i: usize| -> String {
        headers
            .and_then(|h| h.get(i).cloned())
            .unwrap_or_else(|| format!("column {}", i + 1))
    };
    let mut out = Vec::new();
    for role in [
        Role::Customer,
        Role::Order,
        Role::Date,
        Role::Amount,
        Role::Quantity,
        Role::UnitPrice,
        Role::Product,
        Role::ProductName,
    ] {
        let used = map.get(role);
        let mut columns: Vec<CandidateColumn> = Vec::new();
        for (i, p) in profiles.iter().enumerate() {
            let by_name = headers
                .and_then(|h| h.get(i))
                .and_then(|h| role_from_header(h))
                .filter(|(r, _)| *r == role)
                .map(|(_, exact)| {
                    let why = if exact {
                        msg(
                            "why_known_name",
                            format!("its name \"{}\" is a known name for this role", name(i)),
                        )
                    } else {
                        msg(
                            "why_name_word",
                            format!("its name \"{}\" contains a word for this role", name(i)),
                        )
                    };
                    why.with_param("name", name(i))
                });
            let by_values = match role {
                Role::Date if p.is_date() => Some(msg("why_dates", "its values are dates")),
                Role::Amount => p.money_why().filter(|_| {
                    !matches!(
                        map.role_of(i),
                        Some((Role::UnitPrice | Role::Customer | Role::Order | Role::Date, _))
                    )
                }),
                _ => None,
            };
            let mut coded_why: Vec<Warning> = by_name.into_iter().chain(by_values).collect();
            if coded_why.is_empty() && used == Some(i) {
                coded_why.push(msg("why_chosen", "chosen as this role"));
            }
            if !coded_why.is_empty() {
                let parts: Vec<&str> = coded_why.iter().map(|w| w.message.as_str()).collect();
                columns.push(CandidateColumn {
                    index: i,
                    header: name(i),
                    samples: p.samples.clone(),
                    why: parts.join(", and "),
                    coded_why,
                });
            }
        }
        if columns.len() < 2 {
            continue;
        }
        let how = map.slots.iter().find(|s| s.0 == role).map(|s| s.2);
        let mut coded_reason = if let Some((_, r)) = map.reasons.iter().find(|(r, _)| *r == role) {
            r.clone()
        } else {
            match (used, how) {
                (Some(i), Some("option")) => msg(
                    "role_reason_option",
                    format!("\"{}\" was chosen in the Columns table or with --column", name(i)),
                )
                .with_param("column", name(i)),
                (Some(i), Some("header")) => msg(
                    "role_reason_header",
                    format!(
                        "\"{}\" is the first column whose name is a known name for this role (exact names before partial ones)",
                        name(i)
                    ),
                )
                .with_param("column", name(i)),
                (Some(i), _) => msg("role_reason_values", format!("\"{}\" was chosen from its values", name(i)))
                    .with_param("column", name(i)),
                (None, _) if map.suppressed.contains(&role) => msg(
                    "role_reason_suppressed",
                    "the Columns table or --column says no column has this role",
                ),
                (None, _) => msg("role_reason_unused", "no column was used for this role"),
            }
        };
        let reason = match used {
            Some(i) => {
                let other = name(columns.iter().map(|c| c.index).find(|&c| c != i).unwrap_or(i));
                let english = format!("{}; {}", coded_reason.message, change_hint(role, &other));
                coded_reason = coded_reason.with_param("change_column", other);
                coded_reason.message = english.clone();
                english
            }
            None => coded_reason.message.clone(),
        };
        out.push(RoleCandidates {
            role,
            used,
            reason,
            coded_reason,
            columns,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_headers() {
        for (h, r) in [
            ("CustomerID", Role::Customer),
            ("customer_id", Role::Customer),
            ("Customer", Role::Customer),
            ("Email", Role::Customer),
            ("client", Role::Customer),
            ("cust", Role::Customer),
            ("InvoiceNo", Role::Order),
            ("order_id", Role::Order),
            ("Order Number", Role::Order),
            ("InvoiceDate", Role::Date),
            ("Order Date", Role::Date),
            ("Created at", Role::Date),
            ("amount", Role::Amount),
            ("Total Sales", Role::Amount),
            ("revenue", Role::Amount),
            ("dollar_value", Role::Amount),
            ("Quantity", Role::Quantity),
            ("qty", Role::Quantity),
            ("number_of_cds", Role::Quantity),
            ("UnitPrice", Role::UnitPrice),
            ("unit price", Role::UnitPrice),
            ("price", Role::UnitPrice),
            ("StockCode", Role::Product),
            ("SKU", Role::Product),
            ("Description", Role::ProductName),
            ("Product Name", Role::ProductName),
            ("Lineitem name", Role::ProductName),
        ] {
            assert_eq!(role_from_header(h).map(|x| x.0), Some(r), "{h}");
        }
        assert_eq!(role_from_header("Country"), None);
    }

    #[test]
    fn chinese_headers() {
        for (h, r) in [
            ("客户ID", Role::Customer),
            ("客户编号", Role::Customer),
            ("会员ID", Role::Customer),
            ("用户ID", Role::Customer),
            ("买家", Role::Customer),
            ("订单号", Role::Order),
            ("订单编号", Role::Order),
            ("订单日期", Role::Date),
            ("下单时间", Role::Date),
            ("日期", Role::Date),
            ("付款时间", Role::Date),
            ("金额", Role::Amount),
            ("实付金额", Role::Amount),
            ("订单金额", Role::Amount),
            ("销售额", Role::Amount),
            ("数量", Role::Quantity),
            ("单价", Role::UnitPrice),
            ("商品", Role::Product),
            ("商品编号", Role::Product),
            ("商品名称", Role::ProductName),
            ("品名", Role::ProductName),
        ] {
            assert_eq!(role_from_header(h).map(|x| x.0), Some(r), "{h}");
        }
    }

    fn profiles(rows: &[&[&str]]) -> Vec<ColumnProfile> {
        let mut p = vec![ColumnProfile::default(); rows[0].len()];
        for r in rows {
            for (i, v) in r.iter().enumerate() {
                p[i].add(v);
            }
        }
        p
    }

    #[test]
    fn roles_from_values_cdnow_sample() {
        let p = profiles(&[
            &["00004", "0001", "19970101", "2", "29.33"],
            &["00004", "0001", "19970118", "2", "29.73"],
            &["00021", "0002", "19970101", "3", "63.34"],
        ]);
        let m = assign(None, &p, &[]).unwrap();
        assert_eq!(m.get(Role::Customer), Some(0));
        assert_eq!(m.get(Role::Date), Some(2));
        assert_eq!(m.get(Role::Amount), Some(4));
        assert_eq!(m.get(Role::Quantity), Some(3));
    }

    #[test]
    fn overrides_by_name_and_index() {
        let h: Vec<String> = ["who", "when", "paid"].iter().map(|s| s.to_string()).collect();
        let p = profiles(&[&["a", "2024-01-05", "3.50"]]);
        let m = assign(
            Some(&h),
            &p,
            &[(Role::Customer, "who".into()), (Role::Amount, "2".into())],
        )
        .unwrap();
        assert_eq!(m.get(Role::Customer), Some(0));
        assert_eq!(m.role_of(2), Some((Role::Amount, "option")));
        assert_eq!(m.role_of(1), Some((Role::Date, "values")));
        assert!(assign(Some(&h), &p, &[(Role::Customer, "nope".into())]).is_err());
    }

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn traditional_and_new_english_headers() {
        for (h, r) in [
            ("客戶編號", Role::Customer),
            ("會員編號", Role::Customer),
            ("顧客", Role::Customer),
            ("訂單編號", Role::Order),
            ("發票號碼", Role::Order),
            ("小票号", Role::Order),
            ("basket_id", Role::Order),
            ("BASKET_ID", Role::Order),
            ("receipt_no", Role::Order),
            ("ticket", Role::Order),
            ("Transaction No", Role::Order),
            ("交易日期", Role::Date),
            ("消費日期", Role::Date),
            ("金額", Role::Amount),
            ("實付金額", Role::Amount),
            ("SALES_VALUE", Role::Amount),
            ("line_total", Role::Amount),
            ("net_sales", Role::Amount),
            ("數量", Role::Quantity),
            ("單價", Role::UnitPrice),
            ("產品", Role::Product),
            ("產品名稱", Role::ProductName),
            ("household_key", Role::Customer),
        ] {
            assert_eq!(role_from_header(h).map(|x| x.0), Some(r), "{h}");
        }
    }

    #[test]
    fn money_name_over_counts_is_overruled() {
        let h = headers(&["customer", "date", "AMOUNT", "ASSET", "SALES_PRICE"]);
        let p = profiles(&[
            &["a", "2024-01-01", "1", "0.86", "1.39"],
            &["b", "2024-01-02", "12", "7.40", "11.88"],
            &["a", "2024-01-03", "20", "13.00", "21.80"],
        ]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(m.get(Role::Amount), Some(4));
        assert_eq!(m.get(Role::Quantity), Some(2));
        assert_eq!(m.role_of(3), None);
        assert_eq!(m.warnings.len(), 1, "{:?}", m.warnings);
        let c = m.candidates.iter().find(|c| c.role == Role::Amount).unwrap();
        assert_eq!(c.columns.iter().map(|c| c.index).collect::<Vec<_>>(), [2, 3, 4]);
        // The user's word is final: AMOUNT stays the amount when the option says so.
        let m = assign(Some(&h), &p, &[(Role::Amount, "AMOUNT".into())]).unwrap();
        assert_eq!(m.get(Role::Amount), Some(2));
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn money_name_over_counts_beside_a_price_means_quantity_times_price() {
        let h = headers(&["customer", "date", "Amount", "Price"]);
        let p = profiles(&[
            &["a", "2024-01-01", "2", "1.50"],
            &["b", "2024-01-02", "3", "4.25"],
        ]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(
            (m.get(Role::Amount), m.get(Role::Quantity), m.get(Role::UnitPrice)),
            (None, Some(2), Some(3))
        );
        // Larger whole amounts stay money (yen, won).
        let p = profiles(&[
            &["a", "2024-01-01", "1200", "1.50"],
            &["b", "2024-01-02", "350", "4.25"],
        ]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(m.get(Role::Amount), Some(2));
    }

    #[test]
    fn empty_option_suppresses_a_role() {
        let h = headers(&["customer", "date", "qty", "amount"]);
        let p = profiles(&[&["a", "2024-01-01", "2", "3.00"]]);
        let m = assign(Some(&h), &p, &[(Role::Quantity, "".into())]).unwrap();
        assert_eq!(m.get(Role::Quantity), None);
        assert_eq!(m.role_of(2), None);
        let m = assign(Some(&h), &p, &[(Role::Amount, " ".into())]).unwrap();
        assert_eq!(m.get(Role::Amount), None, "not re-detected from values either");
        assert!(find_column(&h, 4, "").is_none());
    }

    #[test]
    fn whole_number_money_from_values() {
        let p = profiles(&[&["a", "2024-01-01", "NT$1,200"], &["b", "2024-01-02", "NT$350"]]);
        assert!(p[2].is_marked_money());
        assert_eq!(assign(None, &p, &[]).unwrap().get(Role::Amount), Some(2));
        let h = headers(&["member", "date", "store_id", "paid"]);
        let p = profiles(&[
            &["m1", "2024-01-01", "1001", "1200"],
            &["m2", "2024-01-02", "1002", "350"],
            &["m3", "2024-01-03", "1003", "980"],
        ]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(m.get(Role::Amount), Some(3), "paid is a known money name");
        let h = headers(&["member", "date", "store_id", "x"]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(
            m.get(Role::Amount),
            Some(3),
            "the right-most non-id whole numbers"
        );
        let h = headers(&["member", "date", "store_id"]);
        let p = profiles(&[&["m1", "2024-01-01", "1001"], &["m2", "2024-01-02", "1002"]]);
        assert_eq!(
            assign(Some(&h), &p, &[]).unwrap().get(Role::Amount),
            None,
            "an id is not money"
        );
    }

    #[test]
    fn samples_are_three_distinct_values() {
        let p = profiles(&[&["1"], &["1"], &["2"], &[""], &["3"], &["4"]]);
        assert_eq!(p[0].samples, ["1", "2", "3"]);
    }

    #[test]
    fn shopify_and_superstore_headers() {
        let h = headers(&[
            "Name",
            "Email",
            "Paid at",
            "Subtotal",
            "Shipping",
            "Total",
            "Created at",
        ]);
        let p = profiles(&[&[
            "#1001",
            "a@x.com",
            "2024-01-01 10:00",
            "10.00",
            "2.00",
            "12.00",
            "2024-01-01 09:59",
        ]]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(
            (m.get(Role::Customer), m.get(Role::Date), m.get(Role::Amount)),
            // Created at is the order's date; Paid at, further left, is a less-known name.
            (Some(1), Some(6), Some(5))
        );
        let h = headers(&[
            "Row ID",
            "Order ID",
            "Order Date",
            "Ship Date",
            "Customer ID",
            "Customer Name",
            "Product ID",
            "Sales",
            "Quantity",
            "Discount",
            "Profit",
        ]);
        let p = profiles(&[&[
            "1",
            "CA-2016-152156",
            "11/8/2016",
            "11/11/2016",
            "CG-12520",
            "Claire Gute",
            "FUR-BO-10001798",
            "261.96",
            "2",
            "0",
            "41.9136",
        ]]);
        let m = assign(Some(&h), &p, &[]).unwrap();
        assert_eq!(
            [
                Role::Order,
                Role::Date,
                Role::Customer,
                Role::Product,
                Role::Amount,
                Role::Quantity
            ]
            .map(|r| m.get(r)),
            [Some(1), Some(2), Some(4), Some(6), Some(7), Some(8)]
        );
        let dates = m.candidates.iter().find(|c| c.role == Role::Date).unwrap();
        assert_eq!(dates.columns.len(), 2);
    }
}
