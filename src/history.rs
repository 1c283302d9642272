//! The per-customer purchase history, built once next to [`Customers`]: every purchase (and
//! return) each customer made before the as-of date, day-sorted, in CSR form (`offsets` per
//! `Customers` row into flat per-purchase arrays). Analyses that need more than the summary
//! (propensity's windows and gaps, CLV's repeat purchases and holdout) read this, never the
//! raw transaction rows; they apply their own cut (a training cut, a calibration end) by day.
//!
//! Products (when the file has a product column) ride along per purchase line, for cross-sell.
//!
//! Purchases on or after the as-of date are not kept: nothing after it is used by any
//! analysis, and a customer who only bought after it has no `Customers` row.

use crate::customers::Customers;
use crate::ingest::{CustomerSummary, Transactions};
use crate::time::{date_to_day, Day};
use crate::Error;
use std::collections::HashMap;
use std::ops::Range;

/// Every purchase and return before the as-of date of each [`Customers`] row, day-sorted
/// (purchases of one day in file order). Purchase lines are kept as lines (not merged by
/// order or day): amounts are summed exactly ([`crate::money::MoneySum`]) by the readers, so
/// the order of lines never changes a total.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    /// The as-of day: every purchase and return here is dated before it.
    pub end: Day,
    /// `offsets[r]..offsets[r + 1]` index the purchases of `Customers` row `r`
    /// (`offsets.len()` = rows + 1).
    pub offsets: Vec<usize>,
    /// Per purchase line: its day.
    pub day: Vec<Day>,
    /// Per purchase line: money spent (0 when the file has no amount, see `has_amount`).
    pub amount: Vec<f64>,
    /// Per purchase line: what `frequency` counts, the interned order id when the file has
    /// an order column, else the day (as `u32`).
    pub unit: Vec<u32>,
    /// Per purchase line: the interned product (an index into `product_names`); None when the
    /// file has no product column.
    pub product: Option<Vec<u32>>,
    /// The products as written in the file (trimmed), as [`Transactions::product_names`].
    pub product_names: Vec<String>,
    /// Each product's name from the product-name column, as [`Transactions::product_labels`]
    /// (empty when none).
    pub product_labels: Vec<String>,
    /// `return_offsets[r]..return_offsets[r + 1]` index the returns of row `r`.
    pub return_offsets: Vec<usize>,
    pub return_day: Vec<Day>,
    /// Positive magnitude of each return.
    pub return_amount: Vec<f64>,
    /// As [`Transactions::has_amount`].
    pub has_amount: bool,
    /// The file has an order column.
    pub has_order: bool,
    /// The file has returns (at any date), as `!Transactions::returns.customer.is_empty()`.
    pub has_returns: bool,
}

impl History {
    /// Builds the history of `customers` (which must be `customers::summarize(tx, …)`) from
    /// `tx` in one pass: purchases are bucketed by customer row, then each row's purchases are
    /// sorted by day.
    pub fn build(tx: &Transactions, customers: &Customers) -> Result<History, Error> {
        if tx.day.len() != tx.customer.len() || (tx.has_amount && tx.amount.len() != tx.customer.len()) {
            return Err(Error::data(
                "customers",
                "the transaction columns have different lengths",
            ));
        }
        let row_of_id: HashMap<&str, u32> = customers
            .id
            .iter()
            .enumerate()
            .map(|(r, id)| (id.as_str(), r as u32))
            .collect();
        let row_of: Vec<u32> = tx
            .customer_ids
            .iter()
            .map(|id| row_of_id.get(id.as_str()).copied().unwrap_or(u32::MAX))
            .collect();
        if row_of_id.len() != customers.len()
            || row_of.iter().filter(|&&r| r != u32::MAX).count() != customers.len()
        {
            return Err(Error::data(
                "customers",
                "the customer table does not belong to these transactions",
            ));
        }
        let end = date_to_day(customers.as_of);
        let n = customers.len();
        let amount = |i: usize| tx.amount.get(i).copied().unwrap_or(0.0);
        let unit = |i: usize, d: Day| match &tx.order {
            Some(order) => order.get(i).copied().unwrap_or(d as u32),
            None => d as u32,
        };
        let rows = |c: u32, d: Day| -> Option<usize> {
            let r = *row_of.get(c as usize)?;
            (r != u32::MAX && d < end).then_some(r as usize)
        };
        let product = |i: usize| tx.product.as_ref().and_then(|p| p.get(i)).copied().unwrap_or(0);
        let purchases = bucket(n, tx.customer.iter().zip(&tx.day).enumerate(), |(i, (&c, &d))| {
            rows(c, d).map(|r| (r, (d, unit(i, d), amount(i), product(i))))
        });
        let r = &tx.returns;
        let returns = bucket(
            n,
            r.customer.iter().zip(&r.day).zip(&r.amount),
            |((&c, &d), &a)| rows(c, d).map(|row| (row, (d, 0, a, 0))),
        );
        let (offsets, p) = purchases;
        let (return_offsets, q) = returns;
        Ok(History {
            end,
            offsets,
            day: p.iter().map(|x| x.0).collect(),
            unit: p.iter().map(|x| x.1).collect(),
            amount: p.iter().map(|x| x.2).collect(),
            product: tx.product.as_ref().map(|_| p.iter().map(|x| x.3).collect()),
            product_names: tx.product_names.clone(),
            product_labels: tx.product_labels.clone(),
            return_offsets,
            return_day: q.iter().map(|x| x.0).collect(),
            return_amount: q.iter().map(|x| x.2).collect(),
            has_amount: tx.has_amount,
            has_order: tx.order.is_some(),
            has_returns: !tx.returns.customer.is_empty(),
        })
    }

    /// Number of customers (`Customers` rows).
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The purchases of row `r`: indexes into `day`, `amount`, `unit`.
    pub fn purchases(&self, r: usize) -> Range<usize> {
        self.offsets[r]..self.offsets[r + 1]
    }

    /// The returns of row `r`: indexes into `return_day`, `return_amount`.
    pub fn returns(&self, r: usize) -> Range<usize> {
        self.return_offsets[r]..self.return_offsets[r + 1]
    }
}

/// What propensity and lifetime value read per customer: the purchases themselves, or a
/// per-customer summary of them (`docs/summary-contract.md`) that holds the same statistics at
/// its fixed dates. Rows are the `Customers` rows either way.
#[derive(Debug, Clone, Copy)]
pub enum Purchases<'a> {
    History(&'a History),
    Summary(&'a CustomerSummary),
}

impl Purchases<'_> {
    /// Number of customers.
    pub fn len(&self) -> usize {
        match self {
            Purchases::History(h) => h.len(),
            Purchases::Summary(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// As [`Transactions::has_amount`].
    pub fn has_amount(&self) -> bool {
        match self {
            Purchases::History(h) => h.has_amount,
            Purchases::Summary(s) => s.has_amount,
        }
    }

    /// The file has returns (at any date).
    pub fn has_returns(&self) -> bool {
        match self {
            Purchases::History(h) => h.has_returns,
            Purchases::Summary(s) => s.has_returns,
        }
    }

    /// The file has an order column.
    pub fn has_order(&self) -> bool {
        match self {
            Purchases::History(h) => h.has_order,
            Purchases::Summary(s) => s.has_order,
        }
    }

    /// Row `r`'s first and last purchase days before the as-of date.
    pub fn span(&self, r: usize) -> Option<(Day, Day)> {
        match self {
            Purchases::History(h) => {
                let days = &h.day[h.purchases(r)];
                Some((*days.first()?, *days.last()?))
            }
            Purchases::Summary(s) => s
                .rows
                .get(r)
                .map(|row| (row.first_purchase, row.now.last.unwrap_or(row.first_purchase))),
        }
    }

    /// The first purchase day of all customers.
    pub fn first_day(&self) -> Option<Day> {
        (0..self.len()).filter_map(|r| self.span(r)).map(|s| s.0).min()
    }

    /// What a summary cannot give, for the reason of an unavailable section.
    pub fn is_summary(&self) -> bool {
        matches!(self, Purchases::Summary(_))
    }
}

/// A (day, unit, amount, product) entry.
type Entry = (Day, u32, f64, u32);

/// Counting sort of the entries `keep` accepts by row, then a stable sort by day within
/// each row (entries of one day stay in file order): CSR offsets and the entries.
fn bucket<T>(
    n: usize,
    items: impl Iterator<Item = T> + Clone,
    keep: impl Fn(T) -> Option<(usize, Entry)>,
) -> (Vec<usize>, Vec<Entry>) {
    let mut offsets = vec![0usize; n + 1];
    for item in items.clone() {
        if let Some((r, _)) = keep(item) {
            offsets[r + 1] += 1;
        }
    }
    for r in 0..n {
        offsets[r + 1] += offsets[r];
    }
    let mut next = offsets.clone();
    let mut out = vec![(0, 0, 0.0, 0); offsets[n]];
    for item in items {
        if let Some((r, e)) = keep(item) {
            out[next[r]] = e;
            next[r] += 1;
        }
    }
    for r in 0..n {
        out[offsets[r]..offsets[r + 1]].sort_by_key(|e| e.0);
    }
    (offsets, out)
}

/// Test fixture shared by the analyses' unit tests: customer `c{i}` buys 10.0 on each day of
/// `days[i]`, summarised as of day 1000.
#[cfg(test)]
pub(crate) fn fixture(days: &[&[Day]]) -> (Customers, History) {
    let mut tx = Transactions {
        has_amount: true,
        ..Default::default()
    };
    for (c, ds) in days.iter().enumerate() {
        tx.customer_ids.push(format!("c{c}"));
        for &d in ds.iter() {
            tx.customer.push(c as u32);
            tx.day.push(d);
            tx.amount.push(10.0);
        }
    }
    let customers = crate::customers::summarize(&tx, Some(crate::time::day_to_date(1000))).unwrap();
    let history = History::build(&tx, &customers).unwrap();
    (customers, history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::summarize;
    use crate::ingest::Returns;

    #[test]
    fn rows_follow_customers_and_days_are_sorted() {
        let tx = Transactions {
            customer_ids: vec!["a".into(), "b".into(), "c".into()],
            customer: vec![1, 0, 1, 0, 2, 1],
            day: vec![30, 20, 10, 10, 99, 15],
            amount: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            has_amount: true,
            returns: Returns {
                customer: vec![0, 2],
                day: vec![11, 12],
                amount: vec![1.5, 2.5],
            },
            ..Default::default()
        };
        let customers = summarize(&tx, Some(crate::time::day_to_date(50))).unwrap();
        assert_eq!(customers.id, ["a", "b"]);
        let h = History::build(&tx, &customers).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h.offsets, [0, 2, 5]);
        assert_eq!(h.day, [10, 20, 10, 15, 30]);
        assert_eq!(h.amount, [4.0, 2.0, 3.0, 6.0, 1.0]);
        assert_eq!(h.unit, [10, 20, 10, 15, 30]);
        assert_eq!(
            (h.return_offsets.as_slice(), h.return_amount.as_slice()),
            ([0, 1, 1].as_slice(), [1.5].as_slice())
        );
        assert!(h.has_returns && !h.has_order);
        assert_eq!(h.product, None);
        let with_products = Transactions {
            product: Some(vec![5, 4, 3, 2, 1, 0]),
            product_names: (0..6).map(|p| format!("p{p}")).collect(),
            ..tx.clone()
        };
        let h = History::build(&with_products, &customers).unwrap();
        assert_eq!(h.product.as_deref(), Some([2, 4, 3, 0, 5].as_slice()));
        assert_eq!(h.product_names[2], "p2");
        let mut other = customers.clone();
        other.id[1] = "z".into();
        assert!(History::build(&tx, &other).is_err());
    }
}
