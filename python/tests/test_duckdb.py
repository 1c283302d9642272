"""The summary SQL in DuckDB gives the core's summary rows, and scoring them gives the CLI's
per-customer figures."""

import pytest

import clientele
from conftest import OPTIONS, core_run
from warehouse import as_of_columns, transactions_table

duckdb = pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def duckdb_summary(run, **kw):
    import clientele.duckdb as cdb

    con = duckdb.connect()
    lines = transactions_table(run)
    con.register("lines", lines)
    has_order = run["transactions"]["order"] is not None
    has_amount = run["transactions"]["amount"] is not None
    rel = cdb.customer_summary(
        con,
        "lines",
        customer="customer",
        date="date",
        amount="amount" if has_amount else None,
        order="invoice" if has_order else None,
        line_no="line_no",
        **kw,
    )
    return rel.to_arrow_table()


@pytest.mark.parametrize("name", ["cdnow_sample", "online_retail"])
def test_the_sql_summary_is_the_cores(request, name):
    path = request.getfixturevalue(name)
    run = core_run(path)
    table = duckdb_summary(run)
    assert table.column_names[:3] == ["summary_version", "customer_id", "as_of"]
    core = clientele.summary(path, OPTIONS)
    got = as_of_columns(table.to_pydict())
    want = as_of_columns(core)
    # Row order is the order customers first appear; the test's lines put returns last, so
    # only the set is compared (readers must not depend on row order, the contract says).
    assert set(got) == set(want)
    differ = [c for c in want if got[c] != want[c]]
    assert not differ, [(c, got[c], want[c]) for c in differ[:5]]


def test_scoring_the_sql_summary_gives_the_cli_figures(cdnow_sample):
    run = core_run(cdnow_sample)
    table = duckdb_summary(run)
    got, unknown = clientele.score(table, run["fitted"], reasons=True)
    want = clientele.score(run["batch"], run["fitted"])
    through = clientele.EXPORT_COLUMNS.index("clv_model") + 1
    assert {c: got[c] for c in clientele.EXPORT_COLUMNS[:through]} == {c: want[c] for c in clientele.EXPORT_COLUMNS[:through]}
    # The SQL summary carries no reactivation gaps: lifecycle stages are unknown, and said why.
    assert set(got["lifecycle_stage"]) == {None} and None not in want["lifecycle_stage"]
    assert "batch_without_reactivation_gaps" in {u["code"] for u in unknown if u["column"] == "lifecycle_stage"}
