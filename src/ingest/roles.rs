//! Column roles: which column holds the customer, order, date, amount, quantity, unit price and
//! product. Decided from header names (English and Chinese, case/space/underscore-insensitive),
//! then from the values for what the names did not settle, then overridden by the user's options.

use super::values::{parse_amount, parse_date, DateValue};
use super::Role;

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

const EXACT: &[(Role, &[&str])] = &[
    (
        Role::Customer,
        &[
            "customerid",
            "customer",
            "customerno",
            "customernumber",
            "customercode",
            "custid",
            "cust",
            "clientid",
            "client",
            "clientno",
            "email",
            "emailaddress",
            "mail",
            "userid",
            "user",
            "memberid",
            "member",
            "buyer",
            "buyerid",
            "accountid",
            "account",
            "shopperid",
            "contactid",
            "客户id",
            "客户编号",
            "客户",
            "客户号",
            "客户名称",
            "会员id",
            "会员编号",
            "会员",
            "会员号",
            "用户id",
            "用户",
            "用户编号",
            "买家",
            "买家id",
            "买家昵称",
            "买家会员名",
            "顾客",
            "顾客id",
            "顾客编号",
        ],
    ),
    (
        Role::Order,
        &[
            "invoiceno",
            "invoice",
            "invoiceid",
            "invoicenumber",
            "orderid",
            "order",
            "ordernumber",
            "orderno",
            "transactionid",
            "transaction",
            "receiptid",
            "receipt",
            "receiptno",
            "billno",
            "订单号",
            "订单编号",
            "订单id",
            "订单",
            "单号",
            "交易号",
            "交易编号",
            "流水号",
        ],
    ),
    (
        Role::Date,
        &[
            "invoicedate",
            "date",
            "orderdate",
            "createdat",
            "created",
            "createddate",
            "purchasedate",
            "transactiondate",
            "timestamp",
            "datetime",
            "time",
            "day",
            "paidat",
            "paymentdate",
            "saledate",
            "订单日期",
            "下单时间",
            "日期",
            "付款时间",
            "交易时间",
            "创建时间",
            "时间",
            "购买日期",
            "下单日期",
            "支付时间",
            "成交时间",
            "订单时间",
        ],
    ),
    (
        Role::Amount,
        &[
            "amount",
            "total",
            "revenue",
            "sales",
            "totalsales",
            "totalamount",
            "sale",
            "value",
            "dollarvalue",
            "dollars",
            "spend",
            "totalprice",
            "ordertotal",
            "ordervalue",
            "netamount",
            "grandtotal",
            "金额",
            "实付金额",
            "订单金额",
            "销售额",
            "总金额",
            "付款金额",
            "实付款",
            "支付金额",
            "消费金额",
            "总价",
            "成交金额",
        ],
    ),
    (
        Role::Quantity,
        &[
            "quantity",
            "qty",
            "units",
            "count",
            "numberofitems",
            "items",
            "数量",
            "购买数量",
            "件数",
            "商品数量",
        ],
    ),
    (
        Role::UnitPrice,
        &["unitprice", "price", "单价", "价格", "商品单价", "销售单价"],
    ),
    (
        Role::Product,
        &[
            "stockcode",
            "sku",
            "product",
            "productid",
            "productcode",
            "item",
            "itemid",
            "itemcode",
            "商品",
            "商品编号",
            "商品id",
            "商品名称",
            "产品",
            "产品编号",
        ],
    ),
];

/// Looser matches for names no exact rule knows; the order matters ("order date" is a date).
const CONTAINS: &[(Role, &[&str])] = &[
    (Role::Date, &["date", "日期", "时间", "time"]),
    (Role::UnitPrice, &["unitprice", "单价"]),
    (
        Role::Amount,
        &[
            "amount",
            "total",
            "revenue",
            "sales",
            "金额",
            "销售额",
            "dollar",
            "spend",
        ],
    ),
    (Role::Quantity, &["qty", "quantity", "数量", "numberof"]),
    (
        Role::Customer,
        &[
            "customer", "client", "客户", "会员", "用户", "买家", "顾客", "email",
        ],
    ),
    (Role::Order, &["invoice", "order", "订单", "receipt"]),
    (Role::Product, &["sku", "product", "商品", "stock", "产品"]),
];

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
}

impl ColumnProfile {
    pub fn add(&mut self, raw: &str) {
        let s = raw.trim();
        if s.is_empty() {
            return;
        }
        self.non_empty += 1;
        if s.contains(char::is_whitespace) {
            self.with_spaces += 1;
        }
        let plain_int = s.bytes().all(|b| b.is_ascii_digit())
            || (s.starts_with('-') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()));
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
}

/// Where each role was found: column index and how it was decided.
#[derive(Debug, Clone, Default)]
pub struct RoleMap {
    pub slots: Vec<(Role, usize, &'static str)>,
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
    pub fn role_of(&self, col: usize) -> Option<(Role, &'static str)> {
        self.slots.iter().find(|s| s.1 == col).map(|s| (s.0, s.2))
    }
}

/// The column a `roles` option names: a 0-based index below `width`, else a header, exactly
/// or after folding case, blanks and punctuation.
pub fn find_column(headers: &[String], width: usize, target: &str) -> Option<usize> {
    let t = target.trim();
    match t.parse::<usize>() {
        Ok(i) if i < width => Some(i),
        _ => headers
            .iter()
            .position(|n| n.trim() == t)
            .or_else(|| headers.iter().position(|n| fold(n) == fold(t))),
    }
}

/// Decides the roles from headers (if any), then values, then overrides.
/// `overrides` name a column by header text or 0-based index; an unknown name is an error
/// message naming the columns that exist.
pub fn assign(
    headers: Option<&[String]>,
    profiles: &[ColumnProfile],
    overrides: &[(Role, String)],
) -> Result<RoleMap, String> {
    let mut map = RoleMap::default();
    if let Some(h) = headers {
        for exact_pass in [true, false] {
            for (i, name) in h.iter().enumerate() {
                if let Some((role, exact)) = role_from_header(name) {
                    if exact == exact_pass && map.get(role).is_none() && !map.taken(i) {
                        map.set(role, i, "header");
                    }
                }
            }
        }
    }
    let free = |map: &RoleMap, i: usize| !map.taken(i);
    if map.get(Role::Date).is_none() {
        if let Some(i) = (0..profiles.len()).find(|&i| free(&map, i) && profiles[i].is_date()) {
            map.set(Role::Date, i, "values");
        }
    }
    if map.get(Role::Customer).is_none() {
        if let Some(i) = (0..profiles.len()).find(|&i| free(&map, i) && profiles[i].is_id()) {
            map.set(Role::Customer, i, "values");
        }
    }
    let has_money = map.get(Role::Amount).is_some() || map.get(Role::UnitPrice).is_some();
    if !has_money {
        if let Some(i) = (0..profiles.len())
            .rev()
            .find(|&i| free(&map, i) && profiles[i].is_amount())
        {
            map.set(Role::Amount, i, "values");
        }
    }
    if let (None, Some(a)) = (map.get(Role::Quantity), map.get(Role::Amount)) {
        let near = [a.checked_sub(1), Some(a + 1)];
        if let Some(i) = near
            .into_iter()
            .flatten()
            .find(|&i| i < profiles.len() && free(&map, i) && profiles[i].is_count())
        {
            map.set(Role::Quantity, i, "values");
        }
    }
    for (role, target) in overrides {
        let t = target.trim();
        let col = match headers {
            Some(h) => find_column(h, profiles.len(), t),
            None => t.parse::<usize>().ok().filter(|&i| i < profiles.len()),
        };
        match col {
            Some(i) => map.set(*role, i, "option"),
            None => {
                let names = headers.map(|h| h.join("\", \"")).unwrap_or_default();
                return Err(format!(
                    "the option roles names column \"{t}\" for {role:?}, but the file has no such column (columns: \"{names}\", or a 0-based index below {})",
                    profiles.len()
                ));
            }
        }
    }
    Ok(map)
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
        ] {
            assert_eq!(role_from_header(h).map(|x| x.0), Some(r), "{h}");
        }
        assert_eq!(role_from_header("Country"), None);
        assert_eq!(role_from_header("Description"), None);
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
}
