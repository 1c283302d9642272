"""Writes a synthetic transaction file with N customers (default 1,000,000) for the
clustering benchmark: each customer buys 1-6 times between 2023-01-01 and 2024-12-31 with a
seeded, skewed spend, so log-RFM features look like a real shop's. ~2.4 rows per customer.

usage: python3 benches/make_many_customers.py OUT.csv [N]
"""
import random
import sys
from datetime import date, timedelta


def main() -> None:
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(42)
    start = date(2023, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(731)]
    with open(out, "w", encoding="utf-8") as f:
        f.write("customer_id,order_id,date,amount\n")
        order = 0
        for c in range(n):
            visits = min(6, 1 + int(rng.expovariate(0.7)))
            first = rng.randrange(731)
            scale = rng.lognormvariate(3.5, 0.8)
            for _ in range(visits):
                order += 1
                d = min(730, first + rng.randrange(0, 200))
                f.write(f"C{c:07d},{order},{days[d]},{scale * rng.uniform(0.5, 1.5):.2f}\n")


if __name__ == "__main__":
    main()
