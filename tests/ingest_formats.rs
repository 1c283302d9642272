//! The dialects, header shapes and value styles a marketer's exports come in, each read to the
//! same purchases.
use clientele::ingest::{read, IngestOptions, Role, SkipReason};

fn read_ok(text: &str) -> (clientele::ingest::Transactions, clientele::ingest::QualityReport) {
    read(text.as_bytes(), &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn semicolon_with_decimal_commas() {
    let (tx, r) =
        read_ok("Kunde;Datum;Betrag\nK1;05.01.2024;1.234,50\nK2;06.01.2024;1,234\nK1;07.01.2024;12,5\n");
    assert_eq!(r.delimiter, ";");
    // The column writes decimals with commas, so `1,234` is 1.234, not 1234.
    assert_eq!(tx.amount, [1234.5, 1.234, 12.5]);
    // `Kunde`/`Datum`/`Betrag` are not known names: roles from the values, said in warnings.
    assert_eq!(r.columns[0].role, Some(Role::Customer));
    assert_eq!(r.columns[0].detected_by, "values");
    assert!(r.warnings.iter().any(|w| w.message.contains("\"Kunde\"")));
    assert!(
        r.date_format.as_deref().unwrap().contains("assumed"),
        "05.01 and 06.01 can't tell"
    );
}

#[test]
fn pipe_and_tab() {
    let (a, ra) = read_ok("customer|date|amount\nA|2024-01-05|1.5\nB|2024-01-06|2\n");
    let (b, rb) = read_ok("customer\tdate\tamount\nA\t2024-01-05\t1.5\nB\t2024-01-06\t2\n");
    assert_eq!((ra.delimiter.as_str(), rb.delimiter.as_str()), ("|", "\t"));
    assert_eq!(a, b);
}

#[test]
fn whitespace_aligned_with_spaced_header_names() {
    let text = "  Customer ID   Order Date    Amount\r\n  00017         2024-01-05     12.00\r\n  00018         2024-01-06   1234.50\r\n";
    let (tx, r) = read_ok(text);
    assert_eq!(r.delimiter, "whitespace");
    assert_eq!(
        r.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>(),
        ["Customer ID", "Order Date", "Amount"]
    );
    assert_eq!(tx.customer_ids, ["00017", "00018"]);
    assert_eq!(tx.amount, [12.0, 1234.5]);
}

#[test]
fn headerless_csv_roles_from_values() {
    let (tx, r) = read_ok("17850.0,20240105,3,12.50\n17851.0,20240106,1,3.10\n");
    assert!(!r.has_header);
    assert_eq!(tx.customer_ids, ["17850.0", "17851.0"], "ids stay as written");
    assert_eq!(tx.quantity, Some(vec![3.0, 1.0]));
    assert_eq!(r.amount_source.as_deref(), Some("amount column \"column 4\""));
}

#[test]
fn utf8_bom_chinese_headers_and_dates() {
    let text = "\u{feff}订单号,客户编号,付款时间,销售额\nA1,张三,2024年1月5日 下午2:30,￥88\nA2,李四,2024年1月6日,88元\n";
    let (tx, r) = read_ok(text);
    assert_eq!(r.encoding, "UTF-8 (BOM)");
    assert_eq!(
        r.columns[0].header, "订单号",
        "the BOM is not part of the first name"
    );
    assert_eq!(r.columns[0].role, Some(Role::Order));
    assert_eq!(tx.customer_ids, ["张三", "李四"]);
    assert_eq!(tx.amount, [88.0, 88.0]);
}

#[test]
fn month_names_and_accounting_negatives() {
    let (tx, r) = read_ok(
        "client,Created at,Total\nx,05-Jan-2024,$10.00\ny,\"Jan 6, 2024\",($4.00)\nx,7 January 2024,4.00-\n",
    );
    assert_eq!(tx.amount, [10.0]);
    assert_eq!(tx.returns.amount, [4.0, 4.0]);
    assert_eq!(r.skipped[0].reason, SkipReason::Return);
    assert_eq!(r.last_date.map(|d| d.to_string()).as_deref(), Some("2024-01-05"));
}

#[test]
fn price_without_quantity_is_the_amount() {
    let (tx, r) = read_ok("customer,date,price\nA,2024-01-05,9.99\n");
    assert_eq!(tx.amount, [9.99]);
    assert!(tx.has_amount);
    assert!(r.amount_source.unwrap().contains("price without quantities"));
}

#[test]
fn roles_and_options_override() {
    let text = "a,b,c\n2024-01-05,X,3\n2024-01-06,Y,4\n";
    let o = IngestOptions {
        has_header: Some(true),
        roles: vec![(Role::Customer, "b".into()), (Role::Amount, "2".into())],
        ..Default::default()
    };
    let (tx, r) = read(text.as_bytes(), &o).unwrap();
    assert_eq!(tx.customer_ids, ["X", "Y"]);
    assert_eq!(tx.amount, [3.0, 4.0]);
    assert_eq!(r.columns[1].detected_by, "option");
    assert_eq!(r.columns[0].role, Some(Role::Date));
    let o = IngestOptions {
        delimiter: Some(clientele::ingest::Delimiter::Byte(b';')),
        ..Default::default()
    };
    let (_, r) = read(b"customer;date\nA;2024-01-05\n", &o).unwrap();
    assert_eq!(r.delimiter, ";");
}

#[test]
fn order_ids_group_purchases_and_missing_ones_group_by_customer_day() {
    let (tx, _) = read_ok("order_id,customer,date,amount\n1,A,2024-01-05,1\n1,A,2024-01-05,2\n,B,2024-01-05,1\n,B,2024-01-05,1\n2,A,2024-01-06,1\n");
    assert_eq!(tx.order, Some(vec![0, 0, 1, 1, 2]));
}

#[test]
fn unknown_customer_header_skips_free_text_columns() {
    let text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,Kunde,Country\n\
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n\
536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17851,United Kingdom\n";
    let (tx, r) = read_ok(text);
    assert_eq!(tx.customer_ids, ["17850", "17851"]);
    assert_eq!(r.columns[6].role, Some(Role::Customer));
    // Free text is never the customer; Description is the product-name column (h/i16).
    assert_eq!(r.columns[2].role, Some(Role::ProductName));
}
