"""Writes a synthetic transaction table as Parquet for the Spark benchmark: ROWS order lines of
about ROWS / 25 customers over two years (customer, date, invoice, amount), seeded, in row
groups of a million so memory stays flat. Usage: generate.py ROWS OUT.parquet [SEED]."""

import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    rng = np.random.default_rng(seed)
    customers = max(rows // 25, 10)
    start = np.datetime64("2023-01-01")
    chunk = 1_000_000
    schema = pa.schema([("customer", pa.string()), ("date", pa.date32()), ("invoice", pa.string()), ("amount", pa.float64())])
    with pq.ParquetWriter(out, schema, compression="snappy") as w:
        done = 0
        while done < rows:
            n = min(chunk, rows - done)
            # Skewed activity: a few customers buy often, most rarely.
            cust = (rng.pareto(1.2, n) * customers / 50).astype(np.int64) % customers
            day = rng.integers(0, 730, n)
            invoice = (done + np.arange(n)) // 4
            cents = np.round(rng.lognormal(2.5, 1.0, n) * 100)
            amount = np.where(rng.random(n) < 0.02, -cents, cents) / 100
            w.write_table(
                pa.table(
                    {
                        "customer": pa.array(cust.astype(str)),
                        "date": pa.array(start + day.astype("timedelta64[D]")),
                        "invoice": pa.array(invoice.astype(str)),
                        "amount": pa.array(amount),
                    },
                    schema=schema,
                )
            )
            done += n
    print(f"{rows} rows, about {customers} customers -> {out}")


if __name__ == "__main__":
    main()
