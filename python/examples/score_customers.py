"""Scores every customer of a transaction table with Clientele on Spark, and writes the
per-customer export as Parquet (the README's Spark section).

    spark-submit --master local[2] python/examples/score_customers.py \\
        ../shared/data/online_retail/online_retail.csv out/customers \\
        --customer CustomerID --date InvoiceDate --quantity Quantity --price UnitPrice --order InvoiceNo

INPUT is a CSV file (with a header) or a Parquet file or folder; every column is read as text
and cast by the summary, so ids keep their leading zeros. The fitted Report is written beside
OUTPUT as OUTPUT.report.json when OUTPUT is a local path.
"""

import argparse
import json
import os

from pyspark.sql import SparkSession

import clientele.spark as cs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--customer", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--amount")
    p.add_argument("--quantity")
    p.add_argument("--price")
    p.add_argument("--order")
    p.add_argument("--as-of")
    p.add_argument("--options", default="{}", help="the core's options as JSON, as the page and the CLI take them")
    a = p.parse_args()

    spark = SparkSession.builder.appName("clientele").getOrCreate()
    if a.input.endswith(".csv"):
        df = spark.read.option("header", True).csv(a.input)
    else:
        df = spark.read.parquet(a.input)
    customers, report = cs.analyze(
        df,
        customer=a.customer,
        date=a.date,
        amount=a.amount,
        order=a.order,
        as_of=a.as_of,
        options=json.loads(a.options),
        quantity=a.quantity,
        price=a.price,
    )
    customers.write.mode("overwrite").parquet(a.output)
    if "://" not in a.output:
        with open(a.output.rstrip("/") + ".report.json", "w", encoding="utf-8") as f:
            json.dump(report, f)
    print(f"{report['summary']['customers']} customers scored as of {report['as_of']} -> {a.output}")
    spark.stop()


if __name__ == "__main__":
    os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")
    main()
