"""Times clientele.spark on a transaction Parquet file in local mode: the summary (Spark SQL),
the fit on the driver, the scoring with mapInArrow written as Parquet; samples the memory of the
whole process tree (Python driver, JVM, Python workers) every half second.
Usage: run.py IN.parquet OUT_DIR [MASTER] [DRIVER_MEMORY]. Prints one JSON line."""

import json
import os
import sys
import threading
import time


def tree_rss(root):
    """Resident memory (bytes) of `root` and its descendants, from /proc."""
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(pid))
            rss[int(pid)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def main():
    src, out = sys.argv[1], sys.argv[2]
    master = sys.argv[3] if len(sys.argv) > 3 else "local[2]"
    memory = sys.argv[4] if len(sys.argv) > 4 else "8g"
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.5):
            peak[0] = max(peak[0], tree_rss(os.getpid()))

    threading.Thread(target=sample, daemon=True).start()
    from pyspark.sql import SparkSession

    import clientele.spark as cs

    spark = (
        SparkSession.builder.master(master)
        .config("spark.driver.memory", memory)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "16")
        .getOrCreate()
    )
    df = spark.read.parquet(src)
    rows = df.count()
    t0 = time.time()
    summary = cs.customer_summary(df, customer="customer", date="date", amount="amount", order="invoice").cache()
    customers = summary.count()
    t1 = time.time()
    fitted = cs.fit(summary)
    t2 = time.time()
    cs.score(summary, fitted).write.mode("overwrite").parquet(out)
    t3 = time.time()
    done.set()
    result = {
        "rows": rows,
        "customers": customers,
        "summary_s": round(t1 - t0, 1),
        "fit_s": round(t2 - t1, 1),
        "score_write_s": round(t3 - t2, 1),
        "total_s": round(t3 - t0, 1),
        "rows_per_s": round(rows / (t3 - t0)),
        "peak_rss_gib": round(peak[0] / 2**30, 2),
        "master": master,
        "driver_memory": memory,
        "clv_model": fitted.models["clv"]["model"] if fitted.models.get("clv") else None,
    }
    print(json.dumps(result))
    spark.stop()


if __name__ == "__main__":
    main()
