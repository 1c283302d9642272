"""Clientele on Apache Spark: the warehouse aggregates, the core models.

``customer_summary`` computes the per-customer summary of ``docs/summary-contract.md`` with Spark
SQL functions only (no Python UDF in the aggregation); ``fit`` brings that summary (one row per
customer) to the driver and fits the core's models on it; ``score`` scores every customer with
``mapInArrow``, calling the core once per Arrow batch on the executors; ``analyze`` does all three
and returns a DataFrame with exactly the columns of the CLI's per-customer export, with the
fitted Report beside it.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
from typing import Any, Iterator, Mapping, Optional, Tuple, Union

import clientele as _clientele

__all__ = ["customer_summary", "fit", "score", "analyze", "EXPORT_SCHEMA"]

#: The export's columns that are not strings, with their Spark types (the names come from the core).
_EXPORT_TYPES = {
    "recency_days": "int", "frequency": "int", "monetary": "double", "r_score": "int", "f_score": "int",
    "m_score": "int", "cluster": "int", "p_buy": "double", "p_buy_decile": "int",
    "expected_purchases": "double", "p_alive": "double", "clv": "double",
}
assert set(_EXPORT_TYPES) <= set(_clientele.EXPORT_COLUMNS), set(_EXPORT_TYPES) - set(_clientele.EXPORT_COLUMNS)

#: The Spark schema of the per-customer export (``clientele.EXPORT_COLUMNS``).
EXPORT_SCHEMA = ", ".join(f"{c} {_EXPORT_TYPES.get(c, 'string')}" for c in _clientele.EXPORT_COLUMNS)

#: Spark types of the summary contract's column types (``clientele.CONTRACT_TYPES``).
_SPARK_TYPES = {"int": "int", "date": "date", "money": "double", "text": "string", "bool": "boolean"}

def _functions():
    from pyspark.sql import functions as F

    return F


def _clv_cut(
    first_day: _dt.date, as_of: _dt.date, holdout_days: Optional[int], calibration_end: Optional[_dt.date]
) -> Optional[_dt.date]:
    """The contract's CLV cut: ``clv.calibration_end``, else the core's comparison cut."""
    if calibration_end is not None:
        return calibration_end
    end = as_of - _dt.timedelta(days=1)
    span = (end - first_day).days + 1
    holdout = holdout_days if holdout_days is not None else max((span + 2) // 3, 56)
    if span - holdout < 56:
        return None
    return end - _dt.timedelta(days=holdout)


def _date(v: Any) -> Optional[_dt.date]:
    if v is None or isinstance(v, _dt.date):
        return v
    return _dt.date.fromisoformat(str(v)[:10])


def _lines(df, customer, date, amount, quantity, price, order):
    F = _functions()
    cid = F.trim(F.col(customer).cast("string"))
    if amount is not None:
        money = F.col(amount).cast("decimal(38,6)")
    elif quantity is not None and price is not None:
        money = (F.col(quantity).cast("double") * F.col(price).cast("double")).cast("decimal(38,6)")
    else:
        money = F.lit(None).cast("decimal(38,6)")
    order_id = F.trim(F.col(order).cast("string")) if order else F.lit(None).cast("string")
    lines = df.select(
        F.monotonically_increasing_id().alias("line_no"),
        cid.alias("customer_id"),
        F.to_date(F.col(date)).alias("day"),
        money.alias("amount"),
        order_id.alias("order_id"),
    ).where(F.col("customer_id").isNotNull() & (F.col("customer_id") != "") & F.col("day").isNotNull())
    unit = F.when(
        F.col("order_id").isNull() | (F.col("order_id") == ""), F.concat(F.lit("~"), F.col("day").cast("string"))
    ).otherwise(F.col("order_id"))
    is_return = (F.col("amount") < 0) | F.coalesce(F.col("order_id").rlike("^C[0-9]+$"), F.lit(False))
    return lines.withColumn("unit", unit).withColumn("is_return", F.coalesce(is_return, F.lit(False)))


def customer_summary(
    df,
    customer: str,
    date: str,
    amount: Optional[str] = None,
    order: Optional[str] = None,
    as_of: Optional[Union[str, _dt.date]] = None,
    *,
    quantity: Optional[str] = None,
    price: Optional[str] = None,
    horizon_days: int = 90,
    holdout_days: Optional[int] = None,
    calibration_end: Optional[Union[str, _dt.date]] = None,
):
    """The per-customer summary (``docs/summary-contract.md``, every column in its order) of a
    Spark DataFrame of transactions, from Spark SQL functions. The amount is ``amount``, or
    ``quantity × price``; without either, monetary columns are null (unknown). Rows without a
    customer or a date are left out; a negative amount or a ``C123`` order id is a return."""
    F = _functions()
    classified = _lines(df, customer, date, amount, quantity, price, order)
    purchases = classified.where(~F.col("is_return") & (F.col("amount").isNull() | (F.col("amount") > 0)))
    stats = purchases.agg(F.max("day").alias("last"), F.min("day").alias("first")).first()
    if stats is None or stats["last"] is None:
        raise ValueError("no purchase line: every row lacks a customer, a date or a positive amount")
    as_of = _date(as_of) or stats["last"] + _dt.timedelta(days=1)
    lines = purchases.where(F.col("day") < F.lit(as_of))
    first_day = lines.agg(F.min("day")).first()[0]
    if first_day is None:
        raise ValueError(f"no purchase before the as-of date {as_of}")
    cut = as_of - _dt.timedelta(days=horizon_days)
    clv_cut = _clv_cut(first_day, as_of, holdout_days, _date(calibration_end))
    has_amount = amount is not None or (quantity is not None and price is not None)
    has_returns = has_amount and classified.where(F.col("is_return") & F.col("amount").isNotNull()).limit(1).count() > 0

    per_day = _per_day(lines, cut, clv_cut)
    orders = _order_counts(lines, as_of, "")
    cut_orders = _order_counts(lines.where(F.col("day") < F.lit(cut)), cut, "cut_")
    returned = (
        classified.where(F.col("is_return") & F.col("amount").isNotNull())
        .groupBy("customer_id")
        .agg(
            F.sum(F.when(F.col("day") < F.lit(as_of), -F.col("amount"))).alias("returned"),
            F.sum(F.when(F.col("day") < F.lit(cut), -F.col("amount"))).alias("cut_returned"),
        )
    )
    first_seen = lines.groupBy("customer_id").agg(F.min("line_no").alias("first_row"))
    joined = (
        per_day.join(orders, "customer_id")
        .join(cut_orders, "customer_id", "left")
        .join(returned, "customer_id", "left")
        .join(first_seen, "customer_id")
    )
    return _final_columns(joined, as_of, cut, clv_cut, order is not None, has_amount, has_returns)


def _per_day(lines, cut, clv_cut):
    F = _functions()
    daily = lines.groupBy("customer_id", "day").agg(F.sum("amount").alias("amount"))
    before_cut = F.col("day") < F.lit(cut)
    in_cal = F.col("day") <= F.lit(clv_cut) if clv_cut is not None else F.lit(False)
    days = F.array_sort(F.collect_list("day"))
    cut_days = F.array_sort(F.collect_list(F.when(before_cut, F.col("day"))))
    return daily.groupBy("customer_id").agg(
        F.min("day").alias("first_purchase"),
        F.max("day").alias("last_purchase"),
        F.count(F.lit(1)).alias("purchase_days"),
        F.sum("amount").alias("monetary"),
        (F.sum("amount") - F.min_by("amount", "day")).alias("repeat_spend"),
        F.when(F.size(days) >= 2, F.element_at(days, -2)).alias("previous_purchase"),
        F.max(F.when(before_cut, F.col("day"))).alias("cut_last_purchase"),
        F.count(F.when(before_cut, F.lit(1))).alias("cut_purchase_days"),
        F.sum(F.when(before_cut, F.col("amount"))).alias("cut_monetary"),
        F.when(F.size(cut_days) >= 2, F.element_at(cut_days, -2)).alias("cut_previous_purchase"),
        F.count(F.when(in_cal, F.lit(1))).alias("clv_cut_purchase_days"),
        F.max(F.when(in_cal, F.col("day"))).alias("clv_cut_last_purchase"),
        (F.sum(F.when(in_cal, F.col("amount"))) - F.min_by("amount", "day")).alias("clv_cut_repeat_spend"),
        F.count(F.when(~in_cal, F.lit(1))).alias("holdout_purchase_days"),
    )


def _order_counts(lines, at: _dt.date, prefix: str):
    """Orders (dated by their latest line among ``lines``) and those in the 30 / 90 / 180 days
    before ``at``."""
    F = _functions()
    orders = lines.groupBy("customer_id", "unit").agg(F.max("day").alias("day"))
    counts = [F.count(F.lit(1)).alias(prefix + "orders")]
    for n in (30, 90, 180):
        since = at - _dt.timedelta(days=n)
        counts.append(F.count(F.when(F.col("day") >= F.lit(since), F.lit(1))).alias(f"{prefix}orders_{n}d"))
    return orders.groupBy("customer_id").agg(*counts)


def _final_columns(joined, as_of, cut, clv_cut, has_order, has_amount, has_returns):
    """Every contract column in the core's order (``clientele.CONTRACT_COLUMNS``), each cast
    once by its contract type; a column the file cannot tell is null on every row."""
    F = _functions()
    zero = lambda c: F.coalesce(F.col(c), F.lit(0))  # noqa: E731
    with_cut = clv_cut is not None
    values = {
        "summary_version": F.lit(1),
        "as_of": F.lit(as_of),
        "training_cut": F.lit(cut),
        "clv_cut": F.lit(clv_cut),
        "frequency_unit": F.lit("orders" if has_order else "purchase_days"),
        "repeat_purchases": F.col("purchase_days") - 1,
        "returned_amount": zero("returned"),
        "cut_returned_amount": zero("cut_returned"),
        "cut_monetary": zero("cut_monetary"),
        "label": F.col("last_purchase") >= F.lit(cut),
        "clv_cut_purchase_days": zero("clv_cut_purchase_days") if with_cut else F.lit(0),
        "holdout_purchase_days": zero("holdout_purchase_days") if with_cut else F.lit(0),
        "clv_cut_repeat_spend": F.when(F.col("clv_cut_purchase_days") > 0, F.col("clv_cut_repeat_spend")).otherwise(F.lit(0)),
    }
    types = _clientele.CONTRACT_TYPES
    # Null on every row: money without amounts, returns without any, the CLV cut's columns
    # without a cut, and the lifecycle columns (their window comes from the median gap between
    # purchases pooled over every customer, which the core measures; see the contract).
    unknown = {"lifecycle_active_days", "reactivation_gap_days"}
    if not has_amount:
        unknown |= {c for c, t in types.items() if t == "money"}
    if not has_returns:
        unknown |= {"returned_amount", "cut_returned_amount"}
    if not with_cut:
        unknown |= {"clv_cut_last_purchase", "clv_cut_repeat_spend"}

    def column(name):
        kind = types[name]
        if name in unknown:
            value = F.lit(None)
        elif name in values:
            value = values[name]
        else:
            value = zero(name) if kind == "int" else F.col(name)
        return value.cast(_SPARK_TYPES[kind]).alias(name)

    return joined.orderBy("first_row").select(*[column(c) for c in _clientele.CONTRACT_COLUMNS])


def fit(summary, options: Optional[Mapping[str, Any]] = None) -> "_clientele.Fitted":
    """Fits the core's models on the driver from a summary DataFrame (one row per customer:
    this is what leaves the warehouse)."""
    table = summary.toArrow() if hasattr(summary, "toArrow") else summary.toPandas()
    return _clientele.fit_summary(table, options)


def _scorer(fitted_json: str):
    def score_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import clientele

        schema = None
        for batch in batches:
            if batch.num_rows == 0:
                continue
            cols = clientele.score(batch, fitted_json)
            table = pa.table(cols)
            if schema is None:
                schema = _arrow_export_schema(pa)
            yield from table.cast(schema).to_batches()

    return score_partition


def _arrow_export_schema(pa):
    kinds = {"string": pa.string(), "int": pa.int32(), "double": pa.float64()}
    return pa.schema([(c, kinds[_EXPORT_TYPES.get(c, "string")]) for c in _clientele.EXPORT_COLUMNS])


def score(summary, fitted: Union["_clientele.Fitted", str]):
    """Scores every customer of a summary DataFrame with ``mapInArrow`` (the core called once
    per Arrow batch on the executors); returns a DataFrame with the export's columns."""
    fitted_json = fitted.to_json() if hasattr(fitted, "to_json") else str(fitted)
    return summary.mapInArrow(_scorer(fitted_json), EXPORT_SCHEMA)


def analyze(
    df,
    customer: str,
    date: str,
    amount: Optional[str] = None,
    order: Optional[str] = None,
    as_of: Optional[Union[str, _dt.date]] = None,
    options: Optional[Mapping[str, Any]] = None,
    **summary_options: Any,
) -> Tuple[Any, dict]:
    """One call: the summary in Spark, the fit on the driver, the scores on the executors.
    Returns ``(customers, report)``: a DataFrame with exactly the export's columns, and the
    fitted Report as a dict. ``options`` are the core's (as the CLI's ``--json`` options);
    ``propensity.horizon_days`` and ``clv.holdout_days`` / ``clv.calibration_end`` also set the
    summary's cuts."""
    options = _json.loads(_json.dumps(dict(options or {})))
    summary_options.setdefault("horizon_days", options.get("propensity", {}).get("horizon_days", 90))
    summary_options.setdefault("holdout_days", options.get("clv", {}).get("holdout_days"))
    summary_options.setdefault("calibration_end", options.get("clv", {}).get("calibration_end"))
    summary = customer_summary(df, customer, date, amount, order, as_of or options.get("as_of"), **summary_options)
    summary = summary.cache()
    fitted = fit(summary, options)
    return score(summary, fitted), fitted.report
