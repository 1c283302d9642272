"""The Python baseline of `scripts/bench-vs-python`: the pipeline an analyst would write with
pandas + scikit-learn + lifetimes for what Clientele computes from an Online Retail export.

    python pipeline.py FILE.csv

FILE has UCI Online Retail's columns (InvoiceNo, Quantity, InvoiceDate as YYYY-MM-DD HH:MM:SS,
UnitPrice, CustomerID; the other columns are not read). Stages, each timed from inside this
process with perf_counter:

  import      numpy, pandas, scikit-learn, lifetimes
  read        pandas read_csv + dates; clean: drop rows without a customer, cancellations
              (InvoiceNo starting with C) and lines whose Quantity × UnitPrice is not positive
  customers   one row per customer: recency (days before the as-of date = last day + 1),
              frequency (distinct invoices), monetary (total spent), first purchase
  rfm         R, F, M quintiles (pd.qcut on ranks) and the RFM cell
  clusters    log1p(R, F, M) standardised; scikit-learn KMeans, n_init = 10, k = 2..8, each with
              its silhouette on one seeded 10,000-customer sample; the k = 4 model kept
  propensity  logistic regression: features (log1p recency, frequency, monetary, tenure) at
              as-of − 90 days, label = bought in the 90 days after; 70/30 split, AUC on the 30 %;
              then every customer scored on features at the as-of date
  clv         lifetimes: summary_data_from_transaction_data (days, weeks as the unit), BG/NBD,
              Gamma-Gamma on repeat buyers (each retried with penalizer 0.001 if lifetimes
              reports no convergence, as its message suggests); 90-day expected purchases, P(alive), expected spend,
              90-day CLV

Prints one JSON line: stage seconds, counts (rows read and used, customers), a few results to
check the run did the work (chosen silhouettes, AUC, BG/NBD parameters, total CLV), and the
process's peak RSS (getrusage) at the end.
"""
import json
import resource
import sys
import time
import warnings

START = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import roc_auc_score, silhouette_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

warnings.simplefilter("ignore")
HORIZON_DAYS = 90
SEED = 42


class Stages:
    def __init__(self):
        self.times = {}
        self.at = time.perf_counter()

    def done(self, name):
        now = time.perf_counter()
        self.times[name] = now - self.at
        self.at = now


def read(path):
    df = pd.read_csv(
        path,
        usecols=["InvoiceNo", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID"],
        dtype={"InvoiceNo": str, "Quantity": "float64", "UnitPrice": "float64", "CustomerID": "float64"},
    )
    rows_read = len(df)
    df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    df = df[df["CustomerID"].notna() & ~df["InvoiceNo"].str.startswith("C", na=False)]
    df = df.assign(amount=df["Quantity"] * df["UnitPrice"])
    df = df[df["amount"] > 0].copy()
    df["day"] = df["InvoiceDate"].dt.normalize()
    return df, rows_read


def summarise(tx, as_of):
    g = tx.groupby("CustomerID")
    c = g.agg(first=("day", "min"), last=("day", "max"), frequency=("InvoiceNo", "nunique"), monetary=("amount", "sum"))
    c["recency"] = (as_of - c["last"]).dt.days
    c["tenure"] = (as_of - c["first"]).dt.days
    return c


def rfm(c):
    r = pd.qcut(c["recency"].rank(method="first"), 5, labels=[5, 4, 3, 2, 1]).astype(int)
    f = pd.qcut(c["frequency"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    m = pd.qcut(c["monetary"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)
    return pd.DataFrame({"r": r, "f": f, "m": m, "cell": r * 100 + f * 10 + m})


def clusters(c):
    x = StandardScaler().fit_transform(np.log1p(c[["recency", "frequency", "monetary"]].to_numpy(float)))
    rng = np.random.default_rng(SEED)
    sample = rng.choice(len(x), size=min(len(x), 10_000), replace=False)
    silhouettes, models = {}, {}
    for k in range(2, 9):
        if k >= len(x):
            break
        km = KMeans(n_clusters=k, n_init=10, random_state=SEED).fit(x)
        models[k] = km
        silhouettes[k] = float(silhouette_score(x[sample], km.labels_[sample]))
    kept = models.get(4)
    return silhouettes, (np.bincount(kept.labels_).tolist() if kept is not None else [])


def features(tx, at):
    c = summarise(tx[tx["day"] < at], at)
    return np.log1p(c[["recency", "frequency", "monetary", "tenure"]].to_numpy(float)), c.index


def propensity(tx, c, as_of):
    cut = as_of - pd.Timedelta(days=HORIZON_DAYS)
    x, ids = features(tx, cut)
    buyers = tx.loc[(tx["day"] >= cut) & (tx["day"] < as_of), "CustomerID"].unique()
    y = np.isin(ids.to_numpy(), buyers).astype(int)
    if len(np.unique(y)) < 2:
        return None, None
    xt, xv, yt, yv = train_test_split(x, y, test_size=0.3, random_state=SEED, stratify=y)
    scaler = StandardScaler().fit(xt)
    model = LogisticRegression(max_iter=1000).fit(scaler.transform(xt), yt)
    auc = float(roc_auc_score(yv, model.predict_proba(scaler.transform(xv))[:, 1]))
    now = np.log1p(c[["recency", "frequency", "monetary", "tenure"]].to_numpy(float))
    p_buy = model.predict_proba(scaler.transform(now))[:, 1]
    return auc, float(p_buy.mean())


def fit_with_fallback(fitter, *columns):
    """Fits without a penalizer; when lifetimes says it did not converge, with the small
    penalizer its message suggests (what an analyst would do next)."""
    try:
        return fitter(penalizer_coef=0.0).fit(*columns), 0.0
    except ConvergenceError:
        return fitter(penalizer_coef=0.001).fit(*columns), 0.001


def clv(tx, as_of):
    s = summary_data_from_transaction_data(
        tx,
        "CustomerID",
        "InvoiceDate",
        monetary_value_col="amount",
        observation_period_end=as_of - pd.Timedelta(days=1),
        freq="D",
        freq_multiplier=7,
    )
    bg, bg_penalizer = fit_with_fallback(BetaGeoFitter, s["frequency"], s["recency"], s["T"])
    weeks = HORIZON_DAYS / 7
    expected = bg.conditional_expected_number_of_purchases_up_to_time(weeks, s["frequency"], s["recency"], s["T"])
    alive = bg.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    repeat = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    gg, gg_penalizer = fit_with_fallback(GammaGammaFitter, repeat["frequency"], repeat["monetary_value"])
    spend = gg.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
    value = gg.customer_lifetime_value(
        bg, s["frequency"], s["recency"], s["T"], s["monetary_value"], time=3, discount_rate=0.01, freq="W"
    )
    return {
        "bgnbd": {k: round(float(v), 4) for k, v in bg.params_.items()},
        "penalizers": [bg_penalizer, gg_penalizer],
        "expected_90d": round(float(expected.sum()), 1),
        "p_alive_mean": round(float(alive.mean()), 4),
        "spend_mean": round(float(spend.mean()), 2),
        "clv_90d_total": round(float(value.sum()), 2),
    }


def main():
    path = sys.argv[1]
    st = Stages()
    st.times["import"] = st.at - START
    tx, rows_read = read(path)
    as_of = tx["day"].max() + pd.Timedelta(days=1)
    st.done("read")
    c = summarise(tx, as_of)
    st.done("customers")
    cells = rfm(c)
    st.done("rfm")
    silhouettes, sizes = clusters(c)
    st.done("clusters")
    auc, p_mean = propensity(tx, c, as_of)
    st.done("propensity")
    values = clv(tx, as_of)
    st.done("clv")
    print(
        json.dumps(
            {
                "stages_s": {k: round(v, 4) for k, v in st.times.items()},
                "total_s": round(time.perf_counter() - START, 4),
                "rows_read": rows_read,
                "rows_used": len(tx),
                "customers": len(c),
                "as_of": str(as_of.date()),
                "rfm_cells": int(cells["cell"].nunique()),
                "silhouettes": {k: round(v, 4) for k, v in silhouettes.items()},
                "cluster_sizes_k4": sizes,
                "propensity_auc": None if auc is None else round(auc, 4),
                "p_buy_mean": None if p_mean is None else round(p_mean, 4),
                "clv": values,
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
