"""The cleaned transactions of a core run as an Arrow table (purchases, then returns with
negative amounts), the input of the DuckDB and Spark tests."""

import datetime as dt

import clientele


def transactions_table(run):
    import pyarrow as pa

    tx = run["transactions"]
    r = tx["returns"]
    n, m = len(tx["customer_id"]), len(r["customer_id"])
    amount = tx["amount"]
    orders = tx["order"]
    return pa.table(
        {
            "line_no": list(range(n + m)),
            "customer": tx["customer_id"] + r["customer_id"],
            "date": [dt.date.fromisoformat(d) for d in tx["date"] + r["date"]],
            "amount": (amount + [-abs(a) for a in r["amount"]]) if amount is not None else [None] * (n + m),
            "invoice": ([str(o) for o in orders] + [None] * m) if orders is not None else [None] * (n + m),
        },
        schema=pa.schema(
            [
                ("line_no", pa.int64()),
                ("customer", pa.string()),
                ("date", pa.date32()),
                ("amount", pa.float64()),
                ("invoice", pa.string()),
            ]
        ),
    )


def as_of_columns(table_dict):
    """The summary's as-of columns per customer, as comparable tuples."""
    cols = [c for c in clientele.SUMMARY_COLUMNS if c != "customer_id"]
    out = {}
    for i, cid in enumerate(table_dict["customer_id"]):
        out[cid] = tuple(None if table_dict.get(c) is None else _norm(table_dict[c][i]) for c in cols)
    return out


def _norm(v):
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return v
    return v
