"""Clientele for Python: the same Rust core as the command line and the page.

``analyze(path_or_bytes, options)`` returns the Report (the CLI's ``--json``, byte for byte via
``analyze_json``); ``fit(...)`` keeps a run's fitted models (RFM thresholds, cluster scaler and
centroids, propensity model, lifetime-value parameters) as a JSON-serialisable ``Fitted``, and
``score(batch, fitted)`` scores any number of customers, batch by batch, from their summary rows
(the columns of ``SUMMARY_COLUMNS``; ``clientele.spark`` and ``clientele/sql/customer_summary.sql``
compute them in a warehouse).
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Mapping, Optional, Union

from . import _core

__all__ = [
    "analyze",
    "analyze_json",
    "analyze_summary",
    "fit_summary",
    "summary_csv",
    "customers_csv",
    "fit",
    "score",
    "score_csv",
    "summary",
    "transactions",
    "Fitted",
    "SUMMARY_COLUMNS",
    "CONTRACT_COLUMNS",
    "CONTRACT_TYPES",
    "EXPORT_COLUMNS",
]

#: The summary contract's as-of columns that ``score`` reads (``docs/summary-contract.md``):
#: one row per customer, purchases strictly before the fitted as-of date. From the core.
SUMMARY_COLUMNS = tuple(_core.BATCH_COLUMNS)

#: Every column of the summary contract, in the order the core writes them, and each one's
#: type (``int``, ``date``, ``money``, ``text``, ``bool``). From the core.
CONTRACT_COLUMNS = tuple(_core.SUMMARY_COLUMNS)
CONTRACT_TYPES = dict(_core.SUMMARY_COLUMN_TYPES)

#: Optional batch columns: with them ``score`` gives lifecycle stages (``lifecycle_active_days``,
#: ``reactivation_gap_days``) and next products (``products``: each customer's product codes).
OPTIONAL_BATCH_COLUMNS = ("lifecycle_active_days", "reactivation_gap_days", "products")

_DATES = tuple(c for c in SUMMARY_COLUMNS if CONTRACT_TYPES[c] == "date")
_MONEY = tuple(c for c in SUMMARY_COLUMNS if CONTRACT_TYPES[c] == "money")
_EPOCH = _dt.date(1970, 1, 1)

#: The columns of the per-customer export (CLI ``--customers-csv``, the page's Export CSV).
#: From the core.
EXPORT_COLUMNS = tuple(_core.EXPORT_COLUMNS)

Source = Union[str, "_os.PathLike[str]", bytes, bytearray, memoryview]
Options = Optional[Union[Mapping[str, Any], str]]


def version() -> str:
    """The version of the Rust core."""
    return _core.version()


def _read(source: Source) -> tuple[bytes, Optional[str]]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    path = _os.fspath(source)
    with open(path, "rb") as f:
        return f.read(), _os.path.basename(path)


def _options_json(options: Options, file_name: Optional[str]) -> str:
    """Options as the CLI builds them: ``ingest.today`` defaults to today's date (UTC) and
    ``ingest.file_name`` to the file's name, unless given."""
    if options is None:
        merged: dict = {}
    elif isinstance(options, str):
        merged = _json.loads(options)
    else:
        merged = _json.loads(_json.dumps(dict(options)))
    ingest = merged.setdefault("ingest", {})
    if ingest.get("today") is None:
        ingest["today"] = _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    if ingest.get("file_name") is None and file_name is not None:
        ingest["file_name"] = file_name
    return _json.dumps(merged)


def _run(source: Source, options: Options, **want: bool) -> dict:
    data, name = _read(source)
    return _core.run(data, _options_json(options, name), **want)


def analyze_json(source: Source, options: Options = None) -> str:
    """The Report as JSON text: the same bytes as ``clientele analyze FILE --json`` with the
    same options (``--today`` ↔ ``{"ingest": {"today": …}}``)."""
    return _run(source, options)["report"]


def analyze(source: Source, options: Options = None) -> dict:
    """Reads and analyses a file (a path or its bytes); returns the Report as a dict."""
    return _json.loads(analyze_json(source, options))


def customers_csv(source: Source, options: Options = None) -> str:
    """The per-customer export (CLI ``--customers-csv``), as text."""
    return _run(source, options)["customers_csv"]


def summary(source: Source, options: Options = None) -> dict:
    """The per-customer summary rows of a transaction file (dict of ``SUMMARY_COLUMNS`` lists,
    and the ``OPTIONAL_BATCH_COLUMNS``), as the core computes them: the reference the warehouse
    SQL is checked against, and a batch ``score`` reads."""
    batch = _run(source, options, want_batch=True)["batch"]
    if batch is None:
        raise ValueError("summary rows come from a transaction file; this is a customer-level table")
    for name in _DATES:
        batch[name] = [None if d is None else _EPOCH + _dt.timedelta(days=d) for d in batch[name]]
    return batch


def transactions(source: Source, options: Options = None) -> dict:
    """The purchase lines the core kept (``customer_id``, ``date``, ``amount``, ``order``) and
    the returns it set apart (``returns``), as lists: the cleaned input of a warehouse test."""
    tx = _run(source, options, want_transactions=True)["transactions"]
    if tx is None:
        raise ValueError("this is a customer-level table, not transactions")
    return tx


class Fitted:
    """A run's fitted models, for scoring in batches; ``to_json`` / ``from_json`` carry it to
    Spark executors. ``report`` is the Report (dict) of the run that fitted it, when known."""

    def __init__(self, json_text: str, report: Optional[dict] = None):
        self.json = json_text
        self.report = report
        self._parsed = _json.loads(json_text)

    @property
    def as_of(self) -> str:
        return self._parsed["as_of"]

    @property
    def models(self) -> dict:
        return self._parsed

    @property
    def unknown(self) -> list:
        """The export columns this model leaves empty, each with a code and the reason."""
        return self._parsed.get("unknown", [])

    def to_json(self) -> str:
        return self.json

    @classmethod
    def from_json(cls, text: str) -> "Fitted":
        return cls(text)

    def __repr__(self) -> str:
        parts = [k for k in ("clusters", "propensity", "clv") if self._parsed.get(k)]
        return f"Fitted(as_of={self.as_of}, rfm{''.join(', ' + p for p in parts)})"


def fit(source: Source, options: Options = None) -> Fitted:
    """Analyses a file (transactions, or a customer-level table) and keeps the fitted models."""
    out = _run(source, options, want_fitted=True)
    if "fitted" not in out:
        raise ValueError(out.get("fitted_error", "the run could not be fitted"))
    return Fitted(out["fitted"], _json.loads(out["report"]))


_INT_COLUMNS = frozenset(c for c, t in CONTRACT_TYPES.items() if t == "int")


def _pydict(table: Any) -> dict:
    if isinstance(table, Mapping):
        return {k: (None if v is None else list(v)) for k, v in table.items()}
    if hasattr(table, "to_pydict"):
        return table.to_pydict()
    if hasattr(table, "columns") and hasattr(table, "__getitem__"):
        return {c: table[c].tolist() for c in table.columns}
    raise TypeError("a table is a dict of lists, a pyarrow Table or RecordBatch, or a pandas DataFrame")


def _cell(name: str, v: Any) -> str:
    if _missing(v):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if name in _INT_COLUMNS and v.is_integer() else repr(v)
    if isinstance(v, (_dt.date, _dt.datetime)) or type(v).__name__ == "Timestamp":
        return v.isoformat()[:10]
    if hasattr(v, "item"):  # numpy scalars
        return _cell(name, v.item())
    return str(v)


def summary_csv(table: Any) -> bytes:
    """A summary table (pandas, pyarrow or a dict of lists) as the CSV the core reads."""
    import csv
    import io

    cols = _pydict(table)
    names = list(cols)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(names)
    for row in zip(*(cols[n] for n in names)):
        w.writerow([_cell(n, v) for n, v in zip(names, row)])
    return out.getvalue().encode("utf-8")


def _summary_options(options: Options) -> dict:
    merged = _json.loads(options) if isinstance(options, str) else _json.loads(_json.dumps(dict(options or {})))
    merged.setdefault("ingest", {}).setdefault("table", "summary")
    return merged


def _summary_run(table: Any, options: Options, **want: bool) -> dict:
    """Runs the core on a summary table. A core without the summary reader (``ingest.table =
    "summary"`` unknown) reads its as-of columns as a customer-level table instead: RFM and
    clusters, with propensity and lifetime value unavailable and saying why in the Report."""
    try:
        return _core.run(summary_csv(table), _options_json(_summary_options(options), None), **want)
    except ValueError as e:
        if "unknown variant" not in str(e) or "summary" not in str(e):
            raise
    cols = _pydict(table)
    level = {
        "customer_id": cols["customer_id"],
        "total_orders": cols["orders"],
        "total_spent": cols["monetary"],
        "last_order_date": cols["last_purchase"],
        "first_order_date": cols["first_purchase"],
    }
    merged = _summary_options(options)
    merged["ingest"]["table"] = "customers"
    if merged.get("as_of") is None and cols.get("as_of"):
        merged["as_of"] = _cell("as_of", cols["as_of"][0])
    return _core.run(summary_csv(level), _options_json(merged, None), **want)


def analyze_summary(table: Any, options: Options = None) -> dict:
    """Analyses a per-customer summary (``docs/summary-contract.md``) given as a pandas
    DataFrame, a pyarrow Table or a dict of lists; returns the Report as a dict."""
    return _json.loads(_summary_run(table, options)["report"])


def fit_summary(table: Any, options: Options = None) -> "Fitted":
    """Fits the models on a per-customer summary (what leaves the warehouse); see ``fit``."""
    out = _summary_run(table, options, want_fitted=True)
    if "fitted" not in out:
        raise ValueError(out.get("fitted_error", "the run could not be fitted"))
    return Fitted(out["fitted"], _json.loads(out["report"]))


def _columns(batch: Any) -> dict:
    """The batch as the dict of lists ``_core.score`` reads (dates as days since 1970-01-01),
    from a dict of lists, a pyarrow Table / RecordBatch or a pandas DataFrame holding the
    ``SUMMARY_COLUMNS`` (and, when known, the ``OPTIONAL_BATCH_COLUMNS``)."""
    cols = _pydict(batch)
    out: dict = {}
    for name in SUMMARY_COLUMNS:
        if name not in cols:
            if name in _MONEY:
                out[name] = None
                continue
            raise ValueError(f"the batch has no column {name} (the summary contract's columns: {', '.join(SUMMARY_COLUMNS)})")
        if cols[name] is None:
            if name in _MONEY:
                out[name] = None
                continue
            raise ValueError(f"the batch's column {name} is empty")
        values = list(cols[name])
        if name in _MONEY:
            out[name] = None if values and all(_missing(v) for v in values) else [0.0 if _missing(v) else float(v) for v in values]
        elif name == "customer_id":
            out[name] = [str(v) for v in values]
        elif name in _DATES:
            out[name] = [None if _missing(v) else _day(v) for v in values]
        else:
            out[name] = [int(v) for v in values]
    active = [v for v in (cols.get("lifecycle_active_days") or []) if not _missing(v)]
    if active and cols.get("reactivation_gap_days") is not None:
        if len(set(active)) > 1:
            raise ValueError("the batch's column lifecycle_active_days holds several values: a summary has one active window")
        out["lifecycle_active_days"] = int(active[0])
        out["reactivation_gap_days"] = [None if _missing(v) else int(v) for v in cols["reactivation_gap_days"]]
    if cols.get("products") is not None:
        out["products"] = [[] if _missing(p) else [str(x) for x in p] for p in cols["products"]]
    return out


def _day(v: Any) -> int:
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        v = _dt.date.fromisoformat(v[:10])
    if isinstance(v, _dt.datetime):
        v = v.date()
    if hasattr(v, "date") and not isinstance(v, _dt.date):  # pandas Timestamp
        v = v.date()
    return (v - _EPOCH).days


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (type(v).__name__ == "NaTType")


def _fitted_json(fitted: Union[Fitted, str]) -> str:
    return fitted.to_json() if isinstance(fitted, Fitted) else fitted


def score(batch: Any, fitted: Union[Fitted, str], reasons: bool = False):
    """Scores summary rows with a fitted model; returns the export's columns as a dict of lists
    (``EXPORT_COLUMNS``). A column the model or the batch cannot tell is None (lifecycle_stage
    needs ``reactivation_gap_days``, next_product each customer's ``products``); with
    ``reasons=True`` returns ``(columns, unknown)``, ``unknown`` listing each empty column with a
    code and the reason."""
    cols = _columns(batch)
    fitted_json = _fitted_json(fitted)
    s = _core.score(cols, fitted_json)
    n = len(cols["customer_id"])
    none = [None] * n
    as_of = _day(_json.loads(fitted_json)["as_of"])
    out = {
        "customer_id": cols["customer_id"],
        "recency_days": [as_of - d for d in cols["last_purchase"]],
        "frequency": cols["orders"],
        "monetary": cols["monetary"] if cols["monetary"] is not None else none,
    }
    for name in EXPORT_COLUMNS[4:]:
        value = s.get(name)
        if name == "clv_model":
            value = [value] * n
        out[name] = value if value is not None else none
    if reasons:
        return out, [{"column": c, "code": k, "reason": r} for c, k, r in s["unknown"]]
    return out


def score_csv(batch: Any, fitted: Union[Fitted, str], header: bool = True) -> str:
    """Scores summary rows and writes them as the per-customer export's CSV rows."""
    return _core.score_csv(_columns(batch), _fitted_json(fitted), header)
