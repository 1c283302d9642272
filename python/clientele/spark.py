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

#: The Spark schema of the per-customer export (``clientele.EXPORT_COLUMNS``).
EXPORT_SCHEMA = (
    "customer_id string, recency_days int, frequency int, monetary double, r_score int, f_score int, "
    "m_score int, segment string, cluster int, p_buy double, p_buy_decile int, expected_purchases double, "
    "p_alive double, clv double, clv_model string, lifecycle_stage string, next_product string, next_product_name string"
)


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
    F = _functions()
    money = lambda c: F.col(c).cast("double") if has_amount else F.lit(None).cast("double")  # noqa: E731
    returns = lambda c: (  # noqa: E731
        F.coalesce(F.col(c), F.lit(0)).cast("double") if has_returns else F.lit(None).cast("double")
    )
    int32 = lambda c: F.coalesce(F.col(c), F.lit(0)).cast("int")  # noqa: E731
    with_cut = clv_cut is not None
    return joined.orderBy("first_row").select(
        F.lit(1).cast("int").alias("summary_version"),
        "customer_id",
        F.lit(as_of).alias("as_of"),
        F.lit(cut).alias("training_cut"),
        F.lit(clv_cut).cast("date").alias("clv_cut"),
        F.lit("orders" if has_order else "purchase_days").alias("frequency_unit"),
        "first_purchase",
        "last_purchase",
        "previous_purchase",
        int32("orders").alias("orders"),
        int32("purchase_days").alias("purchase_days"),
        money("monetary").alias("monetary"),
        (F.col("purchase_days") - 1).cast("int").alias("repeat_purchases"),
        money("repeat_spend").alias("repeat_spend"),
        returns("returned").alias("returned_amount"),
        int32("orders_30d").alias("orders_30d"),
        int32("orders_90d").alias("orders_90d"),
        int32("orders_180d").alias("orders_180d"),
        "cut_last_purchase",
        "cut_previous_purchase",
        int32("cut_orders").alias("cut_orders"),
        int32("cut_purchase_days").alias("cut_purchase_days"),
        (F.coalesce(F.col("cut_monetary"), F.lit(0)).cast("double") if has_amount else F.lit(None).cast("double")).alias(
            "cut_monetary"
        ),
        returns("cut_returned").alias("cut_returned_amount"),
        int32("cut_orders_30d").alias("cut_orders_30d"),
        int32("cut_orders_90d").alias("cut_orders_90d"),
        int32("cut_orders_180d").alias("cut_orders_180d"),
        (F.col("last_purchase") >= F.lit(cut)).alias("label"),
        (int32("clv_cut_purchase_days") if with_cut else F.lit(0)).alias("clv_cut_purchase_days"),
        F.col("clv_cut_last_purchase") if with_cut else F.lit(None).cast("date").alias("clv_cut_last_purchase"),
        (
            F.when(F.col("clv_cut_purchase_days") > 0, F.col("clv_cut_repeat_spend")).otherwise(F.lit(0)).cast("double")
            if with_cut and has_amount
            else F.lit(None).cast("double")
        ).alias("clv_cut_repeat_spend"),
        (int32("holdout_purchase_days") if with_cut else F.lit(0)).alias("holdout_purchase_days"),
    )


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
    fields = [f.strip().split(" ") for f in EXPORT_SCHEMA.split(",")]
    return pa.schema([(name, kinds[kind]) for name, kind in fields])


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
