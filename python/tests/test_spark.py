"""Spark in local mode: the summary from Spark SQL functions equals the core's, the scores from
mapInArrow equal the CLI's per-customer figures, and the result is written as Parquet."""

import os
import sys

import pytest

import clientele
from conftest import OPTIONS, core_run
from warehouse import as_of_columns, transactions_table

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
import clientele.spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("clientele-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        # pandas → Spark through Arrow, not row by row through pickled tuples.
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield session
    session.stop()


def spark_lines(spark, run):
    return spark.createDataFrame(transactions_table(run).to_pandas().drop(columns=["line_no"]))


@pytest.mark.parametrize("name", ["cdnow_sample", "online_retail"])
def test_the_spark_summary_is_the_cores(spark, request, name):
    path = request.getfixturevalue(name)
    run = core_run(path)
    has_order = run["transactions"]["order"] is not None
    df = spark_lines(spark, run)
    summary = clientele.spark.customer_summary(
        df, customer="customer", date="date", amount="amount", order="invoice" if has_order else None
    )
    got = as_of_columns(summary.toArrow().to_pydict())
    want = as_of_columns(clientele.summary(path, OPTIONS))
    assert set(got) == set(want)
    differ = [c for c in want if got[c] != want[c]]
    assert not differ, [(c, got[c], want[c]) for c in differ[:5]]


def test_scoring_with_map_in_arrow_gives_the_cli_figures(spark, cdnow_sample, tmp_path):
    run = core_run(cdnow_sample)
    df = spark_lines(spark, run)
    summary = clientele.spark.customer_summary(df, customer="customer", date="date", amount="amount")
    fitted = clientele.Fitted(run["fitted"])
    scored = clientele.spark.score(summary.repartition(3), fitted)
    assert tuple(scored.columns) == clientele.EXPORT_COLUMNS
    out = tmp_path / "scored.parquet"
    scored.write.parquet(str(out))
    back = spark.read.parquet(str(out)).toArrow().to_pydict()
    expected = clientele.score(run["batch"], run["fitted"])
    order = {c: i for i, c in enumerate(back["customer_id"])}
    # A warehouse summary has no products nor reactivation gaps: those columns stay empty.
    through = clientele.EXPORT_COLUMNS.index("clv_model") + 1
    for col in clientele.EXPORT_COLUMNS:
        got = [back[col][order[c]] for c in expected["customer_id"]]
        assert got == (expected[col] if col in clientele.EXPORT_COLUMNS[:through] else [None] * len(got)), col


def test_analyze_returns_the_export_columns_with_the_clis_figures(spark, cdnow_sample, tmp_path):
    run = core_run(cdnow_sample)
    df = spark_lines(spark, run)
    customers, report = clientele.spark.analyze(df, customer="customer", date="date", amount="amount")
    assert tuple(customers.columns) == clientele.EXPORT_COLUMNS
    assert report["summary"]["customers"] == len(run["batch"]["customer_id"])
    out = tmp_path / "customers.parquet"
    customers.write.parquet(str(out))
    got = spark.read.parquet(str(out)).toArrow().to_pydict()
    want = {}
    for line in run["customers_csv"].split("\r\n")[1:]:
        if line:
            cells = line.split(",")
            want[cells[0]] = cells
    assert sorted(got["customer_id"]) == sorted(want)
    decile = clientele.EXPORT_COLUMNS.index("p_buy_decile")
    compared = set()
    for i, cid in enumerate(got["customer_id"]):
        for j, col in enumerate(clientele.EXPORT_COLUMNS[: clientele.EXPORT_COLUMNS.index("clv_model") + 1]):
            v = got[col][i]
            if v is None or j == decile:
                continue
            compared.add(col)
            cell = f"{v:.6f}" if col in ("p_buy", "expected_purchases", "p_alive") else (
                f"{v:.2f}" if col in ("monetary", "clv") else str(v)
            )
            assert cell == want[cid][j], (cid, col, cell, want[cid][j])
    assert {"r_score", "f_score", "m_score", "segment", "cluster"} <= compared
