"""Times python lifetimes 0.11.3 on the same job as benches/clv.rs: all CDNOW master customers,
weeks = days/7, BG/NBD + Gamma-Gamma fits and per-customer predictions (12-month expected
purchases, P(alive), expected spend, 12-month CLV). Prints the median of 7 runs.

    python3 benches/clv_lifetimes_timing.py
"""
import os
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
tx = pd.read_csv(os.path.join(HERE, "../../shared/data/cdnow/CDNOW_master.txt"), sep=r"\s+",
                 dtype={"customer_id": str, "date": str})
tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")

t = time.perf_counter()
s = summary_data_from_transaction_data(tx, "customer_id", "date", monetary_value_col="dollar_value",
                                       freq="D", freq_multiplier=7)
summary_s = time.perf_counter() - t

def job():
    bg = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    gg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    e = bg.conditional_expected_number_of_purchases_up_to_time(12 * 4.345, s["frequency"], s["recency"], s["T"])
    pa = bg.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    spend = gg.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
    clv = gg.customer_lifetime_value(bg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
                                     time=12, discount_rate=0.01, freq="W")
    return bg, gg, clv

times = []
for _ in range(7):
    t = time.perf_counter()
    bg, gg, clv = job()
    times.append(time.perf_counter() - t)
times.sort()
print(f"customers {len(s)}; summary {summary_s:.3f} s")
print(f"lifetimes fit + predictions, 7 runs: median {times[3]:.4f} s, min {times[0]:.4f} s, max {times[6]:.4f} s")
print("BG/NBD", bg.params_.to_dict())
print("Gamma-Gamma", gg.params_.to_dict(), "total CLV", float(clv.sum()))
