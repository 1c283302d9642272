//! Cross-sell and up-sell from the products each customer bought ([`History::product`]): pairs
//! of products bought by the same customer (support, confidence, lift) above a minimum support,
//! the top pairs overall and within each RFM segment, and for every customer the product most
//! associated with what they bought and have not bought yet (`next_product`). Products are
//! keyed by the product column as written (a code such as StockCode) and shown with their name
//! from the product-name column when the file has one (the most frequent name per code, as
//! written: [`History::product_labels`]). Counting is sparse: only products bought by at least the
//! minimum support can be in a frequent pair, and each product's co-occurrence row is counted
//! from the customers who bought it (Σ per customer of its frequent products squared).

use crate::customers::Customers;
use crate::history::History;
use crate::rfm::RfmReport;
use crate::{Error, Warning};
use serde::{Deserialize, Serialize};

/// Parameters of cross-sell.
///
/// ```
/// use clientele::crosssell::CrossSellParams;
/// assert!(CrossSellParams::default().check().is_ok());
/// let bad = CrossSellParams { min_support: 0.0, ..Default::default() };
/// assert_eq!(bad.check().unwrap_err().option_path().as_deref(), Some("min_support"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct CrossSellParams {
    /// Smallest share of customers (of those with products; within a segment, of the
    /// segment's) who bought both products of a pair for it to count, in (0, 1] (default 0.01).
    /// At least 2 customers always.
    pub min_support: f64,
    /// Pairs listed overall (1..=500, default 50).
    pub top_pairs: u32,
    /// Pairs listed per RFM segment (0..=100, default 5; 0 skips the per-segment counting).
    /// Within a segment, only products bought by the minimum support overall can pair.
    pub top_pairs_per_segment: u32,
}

impl Default for CrossSellParams {
    fn default() -> Self {
        CrossSellParams {
            min_support: 0.01,
            top_pairs: 50,
            top_pairs_per_segment: 5,
        }
    }
}

impl CrossSellParams {
    /// Validates the parameters once, before any work; an error names the field.
    pub fn check(&self) -> Result<(), Error> {
        if !(self.min_support > 0.0 && self.min_support <= 1.0) {
            return Err(Error::param(
                "min_support",
                format!(
                    "must be a share of customers above 0 and at most 1 (got {})",
                    self.min_support
                ),
            ));
        }
        if !(1..=500).contains(&self.top_pairs) {
            return Err(Error::param(
                "top_pairs",
                format!("must be between 1 and 500 (got {})", self.top_pairs),
            ));
        }
        if self.top_pairs_per_segment > 100 {
            return Err(Error::param(
                "top_pairs_per_segment",
                format!("must be between 0 and 100 (got {})", self.top_pairs_per_segment),
            ));
        }
        Ok(())
    }
}

/// Two products bought by the same customers (not necessarily in one order).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ProductPair {
    /// The products as written in the file; `a` is the one more customers bought (ties: the
    /// one seen first in the file).
    pub a: String,
    pub b: String,
    /// Their names from the product-name column, as written; null without one.
    pub a_name: Option<String>,
    pub b_name: Option<String>,
    /// Customers who bought both.
    pub customers: u32,
    /// customers / customers with products (in the population counted).
    pub support: f64,
    /// P(bought b | bought a) and P(bought a | bought b).
    pub confidence_a_to_b: f64,
    pub confidence_b_to_a: f64,
    /// support / (support(a) × support(b)): above 1, bought together more than by chance.
    pub lift: f64,
}

/// The top pairs among one RFM segment's customers (support within the segment), among the
/// products frequent overall.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SegmentPairs {
    pub segment: String,
    /// Segment customers with products.
    pub customers: usize,
    /// The minimum customers a pair needed here.
    pub min_customers: u32,
    pub pairs: Vec<ProductPair>,
}

/// How often a product is some customer's `next_product`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct NextProductCount {
    pub product: String,
    /// Its name from the product-name column, as written; null without one.
    pub name: Option<String>,
    pub customers: usize,
}

/// The cross-sell section of the Report. Each customer's recommendation is
/// `customers.next_product` (an index into `products`, null when none).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CrossSellReport {
    pub params: CrossSellParams,
    /// Every product of the file, as written (the index `customers.next_product` refers to).
    pub products: Vec<String>,
    /// Each product's name from the product-name column (the most frequent one written beside
    /// it; "" when none), parallel to `products`; empty when the file has no such column.
    pub product_names: Vec<String>,
    /// Distinct products bought before the as-of date.
    pub products_bought: usize,
    /// Customers with at least one product.
    pub customers: usize,
    /// Customers a pair needed overall: max(2, ⌈min_support × customers⌉).
    pub min_customers: u32,
    /// Products bought by at least `min_customers` (only these can be in a pair).
    pub frequent_products: usize,
    /// Pairs at or above `min_customers`.
    pub pairs: usize,
    /// The top `top_pairs` pairs by lift (then customers, then file order).
    pub top_pairs: Vec<ProductPair>,
    /// Per RFM segment with customers, in the segment map's order.
    pub by_segment: Vec<SegmentPairs>,
    /// Customers with a `next_product`.
    pub recommended: usize,
    /// The 20 products most often recommended.
    pub top_next_products: Vec<NextProductCount>,
    /// `cross_sell_no_pairs` (no pair reaches the minimum support).
    pub warnings: Vec<Warning>,
}

/// The result: the report and each customer's next product (an index into `report.products`).
#[derive(Debug, Clone, PartialEq)]
pub struct CrossSell {
    pub report: CrossSellReport,
    pub next_product: Vec<Option<u32>>,
}

/// The products' keys (as written) and their names (parallel; empty when the file has none).
struct Names<'a> {
    codes: &'a [String],
    labels: &'a [String],
}

impl Names<'_> {
    fn len(&self) -> usize {
        self.codes.len()
    }
    fn code(&self, p: usize) -> String {
        self.codes[p].clone()
    }
    /// The product's name, when the file gives one.
    fn label(&self, p: usize) -> Option<String> {
        self.labels.get(p).filter(|l| !l.is_empty()).cloned()
    }
}

/// Each customer's distinct products (sorted), CSR.
struct Baskets {
    offsets: Vec<usize>,
    items: Vec<u32>,
}

impl Baskets {
    fn of(&self, r: usize) -> &[u32] {
        &self.items[self.offsets[r]..self.offsets[r + 1]]
    }
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// Products bought by customer: the distinct, non-empty products of each History row.
fn baskets(history: &History, product: &[u32]) -> Baskets {
    let blank: Vec<bool> = history.product_names.iter().map(|p| p.is_empty()).collect();
    let mut offsets = Vec::with_capacity(history.len() + 1);
    offsets.push(0);
    let mut items = Vec::new();
    for r in 0..history.len() {
        let start = items.len();
        items.extend(
            product[history.purchases(r)]
                .iter()
                .copied()
                .filter(|&p| !blank.get(p as usize).copied().unwrap_or(true)),
        );
        items[start..].sort_unstable();
        let mut w = start;
        for i in start..items.len() {
            if i == start || items[i] != items[w - 1] {
                items[w] = items[i];
                w += 1;
            }
        }
        items.truncate(w);
        offsets.push(items.len());
    }
    Baskets { offsets, items }
}

/// Pair counts among a set of customers, over products renumbered densely.
struct PairCounts {
    /// Customers (with products) counted.
    customers: usize,
    min_count: u32,
    /// Dense index → product id, and each dense product's customers.
    product: Vec<u32>,
    product_customers: Vec<u32>,
    /// (a, b, customers) with a < b dense indices.
    pairs: Vec<(u32, u32, u32)>,
}

fn min_count(min_support: f64, customers: usize) -> u32 {
    ((min_support * customers as f64).ceil() as u32).max(2)
}

/// Counts every pair of products bought by at least `min_support` of `rows` (the rows with
/// products), among the products `allowed` (all when None): each frequent product's
/// co-occurrence row in a dense accumulator, from the customers who bought it.
fn count_pairs(
    b: &Baskets,
    rows: &[usize],
    n_products: usize,
    min_support: f64,
    allowed: Option<&[bool]>,
) -> PairCounts {
    let rows: Vec<usize> = rows.iter().copied().filter(|&r| !b.of(r).is_empty()).collect();
    let min = min_count(min_support, rows.len());
    let mut bought = vec![0u32; n_products];
    for &r in &rows {
        for &p in b.of(r) {
            bought[p as usize] += 1;
        }
    }
    let mut dense = vec![u32::MAX; n_products];
    let mut product = Vec::new();
    for p in 0..n_products {
        if bought[p] >= min && allowed.is_none_or(|a| a[p]) {
            dense[p] = product.len() as u32;
            product.push(p as u32);
        }
    }
    let f = product.len();
    // Each customer's frequent products as dense indices (sorted, as product ids are), and
    // each dense product's customers.
    let mut offsets = vec![0usize];
    let mut items: Vec<u32> = Vec::new();
    let mut by_product: Vec<Vec<u32>> = vec![Vec::new(); f];
    for (k, &r) in rows.iter().enumerate() {
        for &p in b.of(r) {
            let d = dense[p as usize];
            if d != u32::MAX {
                items.push(d);
                by_product[d as usize].push(k as u32);
            }
        }
        offsets.push(items.len());
    }
    let mut acc = vec![0u32; f];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs = Vec::new();
    for (a, customers) in by_product.iter().enumerate() {
        for &k in customers {
            let basket = &items[offsets[k as usize]..offsets[k as usize + 1]];
            let after = basket.partition_point(|&x| x <= a as u32);
            for &x in &basket[after..] {
                if acc[x as usize] == 0 {
                    touched.push(x);
                }
                acc[x as usize] += 1;
            }
        }
        touched.sort_unstable();
        for &x in &touched {
            if acc[x as usize] >= min {
                pairs.push((a as u32, x, acc[x as usize]));
            }
            acc[x as usize] = 0;
        }
        touched.clear();
    }
    PairCounts {
        customers: rows.len(),
        min_count: min,
        product_customers: product.iter().map(|&p| bought[p as usize]).collect(),
        product,
        pairs,
    }
}

impl PairCounts {
    fn lift(&self, &(a, b, n): &(u32, u32, u32)) -> f64 {
        let (na, nb) = (
            self.product_customers[a as usize],
            self.product_customers[b as usize],
        );
        n as f64 * self.customers as f64 / (na as f64 * nb as f64)
    }

    /// The `top` pairs by lift, then customers, then product order.
    fn top(&self, top: usize, names: &Names) -> Vec<ProductPair> {
        // Lift computed once per pair; the first `top` selected in linear time, then sorted.
        let mut keyed: Vec<(f64, usize)> = self.pairs.iter().map(|p| self.lift(p)).zip(0..).collect();
        let order = |&(l, i): &(f64, usize), &(m, j): &(f64, usize)| {
            let (p, q) = (&self.pairs[i], &self.pairs[j]);
            m.total_cmp(&l)
                .then(q.2.cmp(&p.2))
                .then((p.0, p.1).cmp(&(q.0, q.1)))
        };
        if keyed.len() > top && top > 0 {
            keyed.select_nth_unstable_by(top - 1, order);
            keyed.truncate(top);
        }
        keyed.sort_by(order);
        keyed
            .into_iter()
            .take(top)
            .map(|(_, i)| self.pair(&self.pairs[i], names))
            .collect()
    }

    fn pair(&self, pair: &(u32, u32, u32), names: &Names) -> ProductPair {
        let &(x, y, n) = pair;
        let (nx, ny) = (
            self.product_customers[x as usize],
            self.product_customers[y as usize],
        );
        // `a` is the product more customers bought; on a tie the one seen first.
        let ((a, na), (b, nb)) = if ny > nx {
            ((y, ny), (x, nx))
        } else {
            ((x, nx), (y, ny))
        };
        let id = |d: u32| self.product[d as usize] as usize;
        ProductPair {
            a: names.code(id(a)),
            b: names.code(id(b)),
            a_name: names.label(id(a)),
            b_name: names.label(id(b)),
            customers: n,
            support: n as f64 / self.customers as f64,
            confidence_a_to_b: n as f64 / na as f64,
            confidence_b_to_a: n as f64 / nb as f64,
            lift: self.lift(pair),
        }
    }

    /// The co-purchase rules of these counts, products as written (`names`).
    fn co_purchase(&self, names: &Names) -> CoPurchase {
        CoPurchase {
            customers: self.customers,
            products: self.product.iter().map(|&p| names.code(p as usize)).collect(),
            names: self
                .product
                .iter()
                .map(|&p| names.label(p as usize).unwrap_or_default())
                .collect(),
            product_customers: self.product_customers.clone(),
            pairs: self.pairs.clone(),
        }
    }

    /// For each customer of `b`, [`CoPurchase::next_products`] as a product id.
    fn next_products(&self, b: &Baskets, names: &Names) -> Vec<Option<u32>> {
        let mut dense = vec![u32::MAX; self.product.iter().map(|&p| p as usize + 1).max().unwrap_or(0)];
        for (d, &p) in self.product.iter().enumerate() {
            dense[p as usize] = d as u32;
        }
        let mut basket = Vec::new();
        let baskets = (0..b.len()).map(|r| {
            basket.clear();
            basket.extend(
                b.of(r)
                    .iter()
                    .filter_map(|&p| dense.get(p as usize).copied().filter(|&d| d != u32::MAX)),
            );
            basket.clone()
        });
        self.co_purchase(names)
            .next_products(baskets)
            .into_iter()
            .map(|x| x.map(|x| self.product[x as usize]))
            .collect()
    }
}

/// The co-purchase model next products come from: the products bought by the minimum support
/// (in file order), how many customers bought each, and every pair at or above it. Kept by
/// [`crate::fitted::Fitted`] so a batch of customers with their products is scored like the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoPurchase {
    /// Customers with products the pairs were counted over.
    pub customers: usize,
    /// The frequent products as written (codes), and their names ("" without one).
    pub products: Vec<String>,
    pub names: Vec<String>,
    /// Customers who bought each product.
    pub product_customers: Vec<u32>,
    /// (a, b, customers who bought both), indices into `products`, a < b.
    pub pairs: Vec<(u32, u32, u32)>,
}

impl CoPurchase {
    /// The co-purchase model of a whole run's customers (`cross_sell`'s own count): None when
    /// the file has no product column.
    pub fn of_history(history: &History, params: &CrossSellParams) -> Result<Option<CoPurchase>, Error> {
        params.check()?;
        let Some(product) = history.product.as_deref() else {
            return Ok(None);
        };
        let names = &Names {
            codes: &history.product_names,
            labels: &history.product_labels,
        };
        let b = baskets(history, product);
        let all: Vec<usize> = (0..b.len()).collect();
        Ok(Some(
            count_pairs(&b, &all, names.len(), params.min_support, None).co_purchase(names),
        ))
    }

    /// Each customer's distinct products as written, the ones bought before the as-of date.
    pub fn baskets_of(history: &History) -> Option<Vec<Vec<String>>> {
        let product = history.product.as_deref()?;
        let b = baskets(history, product);
        Some(
            (0..b.len())
                .map(|r| {
                    b.of(r)
                        .iter()
                        .map(|&p| history.product_names[p as usize].clone())
                        .collect()
                })
                .collect(),
        )
    }

    /// Each basket's products (codes as written) as sorted indices into `products` (products
    /// not among them dropped: they cannot be recommended nor recommend).
    pub fn indices<'a>(&self, baskets: impl Iterator<Item = &'a [String]>) -> Vec<Vec<u32>> {
        let at: std::collections::HashMap<&str, u32> = self
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u32))
            .collect();
        baskets
            .map(|b| {
                let mut v: Vec<u32> = b.iter().filter_map(|p| at.get(p.as_str()).copied()).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect()
    }

    /// For each basket (sorted indices into `products`), the product not in it with the
    /// highest confidence from one in it (then the higher lift, then the product bought by
    /// more customers, then the one seen first in the file); an index into `products`.
    pub fn next_products(&self, baskets: impl Iterator<Item = Vec<u32>>) -> Vec<Option<u32>> {
        let f = self.products.len();
        // Each product's rules a → x, best first.
        let mut rules: Vec<Vec<(u32, u32)>> = vec![Vec::new(); f];
        for &(a, x, n) in &self.pairs {
            rules[a as usize].push((x, n));
            rules[x as usize].push((a, n));
        }
        let key = |a: usize, (x, n): (u32, u32)| {
            let na = self.product_customers[a] as f64;
            let nx = self.product_customers[x as usize];
            (
                n as f64 / na,
                n as f64 * self.customers as f64 / (na * nx as f64),
                nx,
            )
        };
        let better = |p: (f64, f64, u32), px: u32, q: (f64, f64, u32), qx: u32| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.cmp(&q.2))
                .then(qx.cmp(&px))
                .is_gt()
        };
        for (a, list) in rules.iter_mut().enumerate() {
            list.sort_by(|&p, &q| {
                if better(key(a, p), p.0, key(a, q), q.0) {
                    std::cmp::Ordering::Less
                } else if better(key(a, q), q.0, key(a, p), p.0) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            });
        }
        baskets
            .map(|owned| {
                let mut best: Option<((f64, f64, u32), u32)> = None;
                for &a in &owned {
                    let Some(list) = rules.get(a as usize) else {
                        continue;
                    };
                    let first_new = list.iter().find(|&&(x, _)| owned.binary_search(&x).is_err());
                    if let Some(&rule) = first_new {
                        let k = key(a as usize, rule);
                        if best.is_none_or(|(bk, bx)| better(k, rule.0, bk, bx)) {
                            best = Some((k, rule.0));
                        }
                    }
                }
                best.map(|(_, x)| x)
            })
            .collect()
    }
}

/// Pairs, per-segment pairs and next products (see the module comment).
pub fn cross_sell(
    customers: &Customers,
    history: &History,
    rfm: &RfmReport,
    params: &CrossSellParams,
) -> Result<CrossSell, Error> {
    params.check()?;
    let Some(product) = history.product.as_deref() else {
        return Err(Error::data(
            "cross_sell",
            "the file has no product column (a SKU, item or product name per purchase line): choose one as the product to see which products sell together.",
        )
        .with_code("no_product_column"));
    };
    if history.len() != customers.len() {
        return Err(Error::data(
            "cross_sell",
            "the purchase history does not belong to these customers",
        ));
    }
    let names = &Names {
        codes: &history.product_names,
        labels: &history.product_labels,
    };
    let b = baskets(history, product);
    let all: Vec<usize> = (0..b.len()).collect();
    let counts = count_pairs(&b, &all, names.len(), params.min_support, None);
    let next_product = counts.next_products(&b, names);
    let mut frequent = vec![false; names.len()];
    for &p in &counts.product {
        frequent[p as usize] = true;
    }
    let by_segment = segment_pairs(&b, rfm, names, params, &frequent);
    let mut recommended_count = vec![0usize; names.len()];
    for p in next_product.iter().flatten() {
        recommended_count[*p as usize] += 1;
    }
    let mut top_next: Vec<usize> = (0..names.len()).filter(|&p| recommended_count[p] > 0).collect();
    top_next.sort_by(|&p, &q| recommended_count[q].cmp(&recommended_count[p]).then(p.cmp(&q)));
    let mut warnings = Vec::new();
    if counts.pairs.is_empty() {
        warnings.push(
            Warning::new(
                "cross_sell_no_pairs",
                format!(
                    "No two products were bought by {} or more of the {} customers (minimum support {}): lower the minimum support to see pairs.",
                    counts.min_count, counts.customers, params.min_support
                ),
            )
            .with_param("min_customers", counts.min_count)
            .with_param("customers", counts.customers)
            .with_param("min_support", params.min_support)
            .on_columns(&["next_product"]),
        );
    }
    let mut seen = vec![false; names.len()];
    for &p in &b.items {
        seen[p as usize] = true;
    }
    Ok(CrossSell {
        report: CrossSellReport {
            params: params.clone(),
            products: history.product_names.clone(),
            product_names: history.product_labels.clone(),
            products_bought: seen.iter().filter(|&&s| s).count(),
            customers: counts.customers,
            min_customers: counts.min_count,
            frequent_products: counts.product.len(),
            pairs: counts.pairs.len(),
            top_pairs: counts.top(params.top_pairs as usize, names),
            by_segment,
            recommended: next_product.iter().filter(|p| p.is_some()).count(),
            top_next_products: top_next
                .into_iter()
                .take(20)
                .map(|p| NextProductCount {
                    product: names.code(p),
                    name: names.label(p),
                    customers: recommended_count[p],
                })
                .collect(),
            warnings,
        },
        next_product,
    })
}

/// The top pairs within each RFM segment that has customers with products, among the products
/// frequent overall (`frequent`): a small segment's lower minimum would otherwise make almost
/// every product a candidate, and its count cost the square of its customers' whole baskets.
fn segment_pairs(
    b: &Baskets,
    rfm: &RfmReport,
    names: &Names,
    params: &CrossSellParams,
    frequent: &[bool],
) -> Vec<SegmentPairs> {
    if params.top_pairs_per_segment == 0 {
        return Vec::new();
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); rfm.segments.len()];
    for (r, &s) in rfm.segment.iter().enumerate().take(b.len()) {
        if let Some(m) = members.get_mut(s as usize) {
            m.push(r);
        }
    }
    rfm.segments
        .iter()
        .zip(&members)
        .filter_map(|(seg, rows)| {
            let counts = count_pairs(b, rows, names.len(), params.min_support, Some(frequent));
            (counts.customers > 0).then(|| SegmentPairs {
                segment: seg.name.clone(),
                customers: counts.customers,
                min_customers: counts.min_count,
                pairs: counts.top(params.top_pairs_per_segment as usize, names),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::summarize;
    use crate::ingest::Transactions;
    use crate::rfm::{score, RfmParams};
    use crate::time::day_to_date;

    /// Customers by the products they bought (one purchase line each, distinct days).
    fn shop(baskets: &[&[&str]]) -> (Customers, History, RfmReport) {
        let mut tx = Transactions {
            has_amount: true,
            product: Some(Vec::new()),
            ..Default::default()
        };
        for (c, items) in baskets.iter().enumerate() {
            tx.customer_ids.push(format!("c{c}"));
            for (k, item) in items.iter().enumerate() {
                let p = match tx.product_names.iter().position(|n| n == item) {
                    Some(p) => p,
                    None => {
                        tx.product_names.push(item.to_string());
                        tx.product_names.len() - 1
                    }
                };
                tx.customer.push(c as u32);
                tx.day.push(10 + k as i32);
                tx.amount.push(1.0);
                tx.product.as_mut().unwrap().push(p as u32);
            }
        }
        let cust = summarize(&tx, Some(day_to_date(100))).unwrap();
        let h = History::build(&tx, &cust).unwrap();
        let rfm = score(&cust, &RfmParams::default()).unwrap();
        (cust, h, rfm)
    }

    fn params(min_support: f64) -> CrossSellParams {
        CrossSellParams {
            min_support,
            ..Default::default()
        }
    }

    #[test]
    fn pairs_have_support_confidence_and_lift() {
        let (c, h, rfm) = shop(&[
            &["tea", "cups", "tea"],
            &["tea", "cups"],
            &["tea", "cups", "saucer"],
            &["tea"],
            &["saucer", "spoon"],
            &["cups", "saucer"],
        ]);
        let out = cross_sell(&c, &h, &rfm, &params(0.3)).unwrap();
        let r = &out.report;
        // min_customers = ceil(0.3 × 6) = 2; spoon (1 customer) is not frequent.
        assert_eq!((r.customers, r.min_customers, r.frequent_products), (6, 2, 3));
        // tea–cups 3, cups–saucer 2; tea–saucer 1 is below the minimum.
        assert_eq!(r.pairs, 2);
        let tc = r
            .top_pairs
            .iter()
            .find(|p| p.a == "tea" && p.b == "cups")
            .unwrap();
        assert_eq!(tc.customers, 3);
        assert_eq!(tc.support, 0.5);
        // tea 4 customers, cups 4: lift = 3 × 6 / 16.
        assert!((tc.lift - 18.0 / 16.0).abs() < 1e-12);
        assert_eq!(tc.confidence_a_to_b, 0.75);
        // cups–saucer: cups 4, saucer 3 → lift 2 × 6 / 12 = 1, below tea–cups.
        assert_eq!(r.top_pairs[1].a, "cups");
        assert_eq!(r.top_pairs[1].b, "saucer");
        assert!((r.top_pairs[1].lift - 1.0).abs() < 1e-12);
        // Next products: tea only → cups (conf 3/4); saucer+spoon → cups (2/3);
        // tea+cups → saucer (cups → saucer 2/4); tea+cups+saucer → nothing left in a pair.
        let name = |i: usize| out.next_product[i].map(|p| r.products[p as usize].as_str());
        assert_eq!(name(0), Some("saucer"));
        assert_eq!(name(2), None);
        assert_eq!(name(3), Some("cups"));
        assert_eq!(name(4), Some("cups"));
        assert_eq!(name(5), Some("tea"));
        assert_eq!(r.recommended, 5);
        assert_eq!(r.top_next_products[0].product, "cups");
        assert_eq!(r.top_next_products[0].customers, 2);
    }

    #[test]
    fn codes_are_the_key_and_names_ride_along() {
        let (c, mut h, rfm) = shop(&[&["T1", "C2"], &["T1", "C2"], &["T1", "C2", "S3"], &["T1"]]);
        let out = cross_sell(&c, &h, &rfm, &params(0.3)).unwrap();
        assert_eq!(
            (
                out.report.top_pairs[0].a_name.as_deref(),
                out.report.product_names.len()
            ),
            (None, 0)
        );
        // Names from the product-name column; "" (no name written) shows none.
        h.product_labels = vec!["TEA".into(), "CUPS".into(), String::new()];
        let out = cross_sell(&c, &h, &rfm, &params(0.3)).unwrap();
        let r = &out.report;
        let p = &r.top_pairs[0];
        assert_eq!((p.a.as_str(), p.b.as_str()), ("T1", "C2"));
        assert_eq!(
            (p.a_name.as_deref(), p.b_name.as_deref()),
            (Some("TEA"), Some("CUPS"))
        );
        assert_eq!(r.product_names, ["TEA", "CUPS", ""]);
        assert_eq!(r.top_next_products[0].product, "C2");
        assert_eq!(r.top_next_products[0].name.as_deref(), Some("CUPS"));
    }

    #[test]
    fn no_product_column_is_unavailable_and_no_pairs_warn() {
        let (c, mut h, rfm) = shop(&[&["a"], &["b"]]);
        let out = cross_sell(&c, &h, &rfm, &params(0.5)).unwrap();
        assert_eq!(out.report.warnings[0].code, "cross_sell_no_pairs");
        assert_eq!(out.next_product, [None, None]);
        h.product = None;
        match cross_sell(&c, &h, &rfm, &params(0.5)) {
            Err(Error::Data { message, .. }) => assert!(message.contains("no product column")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn blank_products_are_not_products() {
        let (c, h, rfm) = shop(&[&["", "x"], &["", "x"], &["", "y"]]);
        let out = cross_sell(&c, &h, &rfm, &params(0.1)).unwrap();
        assert_eq!(out.report.products_bought, 2);
        assert_eq!(out.report.pairs, 0);
    }

    #[test]
    fn segments_are_counted_apart() {
        let (c, h, rfm) = shop(&[
            &["a", "b"],
            &["a", "b"],
            &["a", "b", "c"],
            &["c", "d"],
            &["c", "d"],
        ]);
        let out = cross_sell(&c, &h, &rfm, &params(0.4)).unwrap();
        let total: usize = out.report.by_segment.iter().map(|s| s.customers).sum();
        assert_eq!(total, 5);
        assert!(out.report.by_segment.iter().all(|s| s.pairs.len() <= 5));
    }
}
