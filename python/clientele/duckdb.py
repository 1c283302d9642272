"""The per-customer summary in DuckDB: ``sql/customer_summary.sql`` (the summary contract in one
SQL file) over a relation of transactions. Only the summary, one row per customer, needs to leave
the database; ``clientele.fit`` / ``clientele.score`` take it from there."""

from __future__ import annotations

import datetime as _dt
from importlib import resources
from typing import Any, Optional

__all__ = ["SQL", "customer_summary"]


def _sql() -> str:
    return resources.files(__package__).joinpath("sql/customer_summary.sql").read_text(encoding="utf-8")


#: The text of ``sql/customer_summary.sql``.
SQL = _sql()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date(d: Any) -> str:
    if d is None:
        return "NULL"
    text = str(d)[:10]
    _dt.date.fromisoformat(text)  # refuses anything but a date
    return f"DATE '{text}'"


def _int(v: Optional[int]) -> str:
    return "NULL" if v is None else str(int(v))


def customer_summary(
    con: Any,
    relation: str,
    *,
    customer: str,
    date: str,
    amount: Optional[str] = None,
    quantity: Optional[str] = None,
    price: Optional[str] = None,
    order: Optional[str] = None,
    line_no: Optional[str] = None,
    as_of: Optional[str] = None,
    horizon_days: int = 90,
    holdout_days: Optional[int] = None,
    calibration_end: Optional[str] = None,
):
    """Runs the summary SQL on ``relation`` (a table or view name, or ``(SELECT …)``) through the
    DuckDB connection ``con``; returns the DuckDB relation of the summary (``.to_arrow_table()``,
    ``.df()``, ``.write_parquet(path)``). The amount is ``amount``, or ``quantity × price``; rows
    without a customer or a date are left out; ``line_no`` orders customers by first appearance
    (default: the relation's own order)."""
    if amount is not None:
        money = f"CAST({_ident(amount)} AS DECIMAL(38, 6))"
    elif quantity is not None and price is not None:
        money = f"CAST(CAST({_ident(quantity)} AS DOUBLE) * CAST({_ident(price)} AS DOUBLE) AS DECIMAL(38, 6))"
    else:
        money = "CAST(NULL AS DECIMAL(38, 6))"
    order_sql = f"trim(CAST({_ident(order)} AS VARCHAR))" if order else "CAST(NULL AS VARCHAR)"
    line_sql = _ident(line_no) if line_no else "row_number() OVER ()"
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW clientele_lines AS
        SELECT {line_sql} AS line_no, trim(CAST({_ident(customer)} AS VARCHAR)) AS customer_id,
               CAST({_ident(date)} AS DATE) AS day, {money} AS amount, {order_sql} AS order_id
        FROM {relation}
        WHERE {_ident(customer)} IS NOT NULL AND trim(CAST({_ident(customer)} AS VARCHAR)) <> ''
          AND {_ident(date)} IS NOT NULL"""
    )
    has_amount = amount is not None or (quantity is not None and price is not None)
    con.execute(
        "CREATE OR REPLACE TEMP VIEW clientele_params AS SELECT "
        f"CAST({_date(as_of)} AS DATE) AS as_of, CAST({int(horizon_days)} AS INTEGER) AS horizon_days, "
        f"CAST({_int(holdout_days)} AS INTEGER) AS holdout_days, CAST({_date(calibration_end)} AS DATE) AS calibration_end, "
        f"{'TRUE' if order else 'FALSE'} AS has_order, {'TRUE' if has_amount else 'FALSE'} AS has_amount"
    )
    return con.sql(SQL)
