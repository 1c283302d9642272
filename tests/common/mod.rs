//! Test-only reference loaders for the real files in `../shared/data/`: fixed column positions,
//! the simplest rules that can be written down, independent of `clientele::ingest`. Used to
//! build `Transactions` for analysis tests and to cross-check ingestion.
//!
//! Rules (the same ones the pandas fixture scripts apply):
//! - rows without a customer id are not purchases;
//! - Online Retail: amount = Quantity × UnitPrice; an invoice starting with `C` or a negative
//!   amount is a return; a zero amount is a purchase (free items are still visits);
//!   order = InvoiceNo; date = calendar day;
//! - CDNOW: columns id, [id in sample], YYYYMMDD, CDs, dollars; no order column (frequency
//!   counts distinct days); zero-dollar rows are purchases (the published BG/NBD fits use them).
#![allow(dead_code)]

use chrono::NaiveDate;
use clientele::ingest::{date_to_day, Day, Transactions};
use std::collections::HashMap;
use std::path::PathBuf;

pub fn data_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel)
}

#[derive(Default)]
struct Builder {
    tx: Transactions,
    customers: HashMap<String, u32>,
    orders: HashMap<String, u32>,
    with_orders: bool,
}

impl Builder {
    fn customer(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.customers.get(id) {
            return i;
        }
        let i = self.tx.customer_ids.len() as u32;
        self.tx.customer_ids.push(id.to_string());
        self.customers.insert(id.to_string(), i);
        i
    }
    fn push(&mut self, id: &str, day: Day, amount: f64, order: Option<&str>, quantity: Option<f64>) {
        let c = self.customer(id);
        self.tx.customer.push(c);
        self.tx.day.push(day);
        self.tx.amount.push(amount);
        if let Some(o) = order {
            let next = self.orders.len() as u32;
            let oi = *self.orders.entry(o.to_string()).or_insert(next);
            self.tx.order.get_or_insert_with(Vec::new).push(oi);
        }
        if let Some(q) = quantity {
            self.tx.quantity.get_or_insert_with(Vec::new).push(q);
        }
    }
    fn push_return(&mut self, id: &str, day: Day, amount: f64) {
        let c = self.customer(id);
        self.tx.returns.customer.push(c);
        self.tx.returns.day.push(day);
        self.tx.returns.amount.push(amount.abs());
    }
    fn finish(mut self) -> Transactions {
        self.tx.has_amount = true;
        self.tx
    }
}

fn ymd(s: &str) -> Day {
    date_to_day(NaiveDate::parse_from_str(s, "%Y%m%d").expect("date"))
}

/// UCI Online Retail (`online_retail/online_retail.csv`).
pub fn online_retail() -> Transactions {
    let mut rdr = csv::Reader::from_path(data_path("online_retail/online_retail.csv")).expect("open");
    let mut b = Builder {
        with_orders: true,
        ..Default::default()
    };
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let (invoice, qty, date, price, cust) = (&rec[0], &rec[3], &rec[4], &rec[5], &rec[6]);
        if cust.trim().is_empty() {
            continue;
        }
        let day = date_to_day(NaiveDate::parse_from_str(&date[..10], "%Y-%m-%d").expect("date"));
        let q: f64 = qty.parse().expect("qty");
        let p: f64 = price.parse().expect("price");
        let amount = q * p;
        if invoice.starts_with('C') || amount < 0.0 {
            b.push_return(cust, day, amount);
        } else {
            b.push(cust, day, amount, Some(invoice), Some(q));
        }
    }
    b.finish()
}

fn cdnow(rel: &str, date_col: usize) -> Transactions {
    let text = std::fs::read_to_string(data_path(rel)).expect("open");
    let mut b = Builder::default();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() <= date_col + 2 || !f[date_col].bytes().all(|c| c.is_ascii_digit()) {
            continue; // header or blank line
        }
        let dollars: f64 = f[date_col + 2].parse().expect("dollars");
        let cds: f64 = f[date_col + 1].parse().expect("cds");
        b.push(f[0], ymd(f[date_col]), dollars, None, Some(cds));
    }
    b.finish()
}

/// CDNOW master (`cdnow/CDNOW_master.txt`): 23,570 customers.
pub fn cdnow_master() -> Transactions {
    cdnow("cdnow/CDNOW_master.txt", 1)
}

/// CDNOW 1/10 sample (`cdnow/CDNOW_sample.txt`): 2,357 customers.
pub fn cdnow_sample() -> Transactions {
    cdnow("cdnow/CDNOW_sample.txt", 2)
}

/// Online grocery purchase log (`grocery/groceryElog.csv`): customer and date only.
pub fn grocery() -> Transactions {
    let mut rdr = csv::Reader::from_path(data_path("grocery/groceryElog.csv")).expect("open");
    let mut b = Builder::default();
    for rec in rdr.records() {
        let rec = rec.expect("record");
        let day = date_to_day(NaiveDate::parse_from_str(&rec[1], "%Y-%m-%d").expect("date"));
        b.push(&rec[0], day, 0.0, None, None);
    }
    let mut tx = b.finish();
    tx.has_amount = false;
    tx
}
