"""The Spark local-mode benchmark of issue 19: `clientele.spark` on a generated transaction table
of --rows order lines, timed stage by stage, with the memory of the driver JVM and the Python
workers sampled from /proc and the machine's load average sampled beside it.

Stages: `generate` (the rows made inside Spark from `spark.range` with seeded, hash-derived
columns and written once as Parquet under --work; reused when the same --rows / --seed already
exist there), `read` (the Parquet file: its schema comes from the footer, nothing is inferred),
`summary` (`customer_summary`: its eager scans for the as-of date, then the group-bys, persisted
once because the fit and the scoring both read it), `fit` (the summary brought to the driver as
Arrow and fitted by the core), `score_write` (`mapInArrow` scoring, written as Parquet).
Spark's event log gives each job's time and the executor time, input and shuffle bytes of its
stages, so the printout says where the time goes inside a stage.

    python benches/spark_scale.py --rows 10000000 [--work DIR] [--master local[2]]
        [--driver-memory 6g] [--shuffle-partitions 8] [--arrow-batch 10000] [--seed 42]

The generated table is realistic rather than uniform: about rows / 55 customers over three years
(2022-2024); orders of 1 to 20 lines (blocks of 20 lines cut into up to three orders at hashed
points); skewed order frequencies (customer = ⌊C · u³⌋: on 1 M rows the median customer has 5 orders,
the 10th-90th percentile 2-15, the top id 6,034); each customer starts at a hashed day and buys less and less often after it;
log-normal line amounts; 2 % of lines are returns (negative amount, invoice `C<order>`, as in
Online Retail). Prints a JSON line with every figure, and a Markdown row for BENCHMARKS.md.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import threading
import time

LINES_PER_BLOCK = 20
DAYS = 1096  # 2022-01-01 .. 2024-12-31
TICK = os.sysconf("SC_CLK_TCK")


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--customers", type=int, help="customer ids drawn from (default rows / 55)")
    p.add_argument("--work", default="/tmp/clientele-spark-scale", help="where the generated Parquet and the output go")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--driver-memory", default="6g")
    p.add_argument("--shuffle-partitions", type=int, default=8)
    p.add_argument("--arrow-batch", type=int, default=10_000, help="spark.sql.execution.arrow.maxRecordsPerBatch")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--options", default=None, help="the analysis options for the fit, as JSON (e.g. '{\"clv\": {\"model\": \"bgnbd\"}}')")
    p.add_argument("--keep-output", action="store_true", help="keep the scored Parquet (deleted after measuring)")
    return p.parse_args()


# --- the machine, its load and the memory of the run ---------------------------------------------


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    return f"{os.cpu_count()} CPUs ({model}), {mem / 2**20:.0f} GiB RAM, {platform.system()} {platform.release()}"


def processes():
    """pid -> (parent pid, resident bytes, command line, CPU seconds with its reaped children)
    for every process we can read."""
    page = os.sysconf("SC_PAGE_SIZE")
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            cpu = sum(int(x) for x in fields[11:15]) / TICK
            out[int(pid)] = (int(fields[1]), int(fields[21]) * page, cmd, cpu)
        except (OSError, IndexError, ValueError):
            pass
    return out


class Sampler:
    """Every half second: the resident memory of this Python driver, of the JVM it started (the
    Spark driver and, in local mode, the executors) and of the Python workers below the JVM
    (pyspark.daemon and its forks, which run mapInArrow); every 5 s the 1-minute load average."""

    def __init__(self):
        self.peak = {"python_driver": 0, "jvm": 0, "python_workers": 0, "total": 0}
        self.loads = []
        self.stage = "start"
        self.stage_peaks = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _run(self):
        me = os.getpid()
        tick = 0
        while not self._stop.wait(0.5):
            procs = processes()
            children = {}
            for pid, (ppid, _, _, _) in procs.items():
                children.setdefault(ppid, []).append(pid)
            sizes = {"python_driver": procs.get(me, (0, 0, "", 0))[1], "jvm": 0, "python_workers": 0}
            stack = list(children.get(me, []))
            while stack:
                pid = stack.pop()
                _, rss, cmd, _ = procs[pid]
                sizes["jvm" if "java" in cmd.split(" ", 1)[0] else "python_workers"] += rss
                stack.extend(children.get(pid, []))
            sizes["total"] = sum(sizes.values())
            for k, v in sizes.items():
                self.peak[k] = max(self.peak[k], v)
            self.stage_peaks[self.stage] = max(self.stage_peaks.get(self.stage, 0), sizes["total"])
            if tick % 10 == 0:
                with open("/proc/loadavg") as f:
                    self.loads.append(float(f.read().split()[0]))
            tick += 1


def tree_cpu():
    """CPU seconds (user + system, reaped children included) of this process and its descendants:
    the work done, whatever share of the cores the machine's load left us."""
    procs = processes()
    children = {}
    for pid, (ppid, _, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [os.getpid()]
    while stack:
        pid = stack.pop()
        total += procs.get(pid, (0, 0, "", 0.0))[3]
        stack.extend(children.get(pid, []))
    return total


def gib(n):
    return round(n / 2**30, 2)


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    return total


# --- the generated table ---------------------------------------------------------------------------


def generate(spark, rows, customers, seed, path):
    """Writes `rows` order lines as Parquet (customer bigint, date date, invoice string, amount
    double), every column a function of the row number and the seed (xxhash64), so the table is
    the same whatever the partitioning."""
    from pyspark.sql import functions as F

    def unit(*cols):
        """A uniform number in (0, 1) from the hash of `cols` and the seed."""
        h = F.xxhash64(*cols, F.lit(seed)).bitwiseAND(F.lit((1 << 53) - 1))
        return (h.cast("double") + 0.5) / float(1 << 53)

    parts = max(2, rows // 2_000_000)
    lines = spark.range(0, rows, numPartitions=parts)
    block = F.floor(F.col("id") / LINES_PER_BLOCK)
    pos = F.col("id") % LINES_PER_BLOCK
    cut_a = F.floor(unit(block, F.lit(1)) * LINES_PER_BLOCK)
    cut_b = F.floor(unit(block, F.lit(2)) * LINES_PER_BLOCK)
    # Up to three orders per block of 20 lines, cut at two hashed points (empty ones vanish).
    order = block * 3 + F.when(pos >= F.least(cut_a, cut_b), 1).otherwise(0) + F.when(pos >= F.greatest(cut_a, cut_b), 1).otherwise(0)
    lines = lines.select(F.col("id"), order.alias("o"))
    # Skewed frequencies: customer ⌊C · u³⌋ of a uniform u per order.
    cust = F.floor(F.pow(unit(F.col("o"), F.lit(3)), 3) * customers).cast("long")
    lines = lines.withColumn("customer", cust)
    # Each customer starts at a hashed day and buys less and less often after it.
    start = F.floor(unit(F.col("customer"), F.lit(4)) * DAYS)
    day = start + F.floor((DAYS - start) * F.pow(unit(F.col("o"), F.lit(5)), 2))
    # Log-normal amounts (Box-Muller), two decimals; 2 % of lines returned.
    z = F.sqrt(-2 * F.log(unit(F.col("id"), F.lit(6)))) * F.cos(2 * 3.141592653589793 * unit(F.col("id"), F.lit(7)))
    price = F.round(F.exp(F.lit(2.3) + 0.9 * z), 2)
    is_return = unit(F.col("id"), F.lit(8)) < 0.02
    table = lines.select(
        F.col("customer"),
        F.date_add(F.lit("2022-01-01").cast("date"), day.cast("int")).alias("date"),
        F.when(is_return, F.concat(F.lit("C"), F.col("o").cast("string"))).otherwise(F.col("o").cast("string")).alias("invoice"),
        F.when(is_return, -price).otherwise(price).alias("amount"),
    )
    table.write.mode("overwrite").option("compression", "snappy").parquet(path)


# --- Spark's event log: where the time goes ---------------------------------------------------------


def event_log_jobs(log_dir):
    """Jobs from the event log: description (or call site), seconds, stages, tasks, executor CPU
    seconds, input bytes, shuffle bytes written."""
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(log_dir) for f in names if not f.startswith("."))
    jobs, stage_job, stages = {}, {}, {}
    for path in files:
        with open(path, errors="replace") as f:
            lines = f.readlines()
        for line in lines:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            kind = e.get("Event")
            if kind == "SparkListenerJobStart":
                props = e.get("Properties") or {}
                name = props.get("spark.job.description") or props.get("callSite.short") or ""
                jobs[e["Job ID"]] = {"job": e["Job ID"], "what": name, "start": e["Submission Time"], "end": None}
                for sid in e.get("Stage IDs", []):
                    stage_job[sid] = e["Job ID"]
            elif kind == "SparkListenerJobEnd" and e["Job ID"] in jobs:
                jobs[e["Job ID"]]["end"] = e["Completion Time"]
            elif kind == "SparkListenerStageCompleted":
                info = e["Stage Info"]
                acc = {a.get("Name"): a.get("Value") for a in info.get("Accumulables", [])}
                stages[info["Stage ID"]] = {
                    "tasks": info.get("Number of Tasks", 0),
                    "cpu_ns": int(acc.get("internal.metrics.executorCpuTime", 0) or 0),
                    "input": int(acc.get("internal.metrics.input.bytesRead", 0) or 0),
                    "shuffle_write": int(acc.get("internal.metrics.shuffle.write.bytesWritten", 0) or 0),
                    "name": info.get("Stage Name", ""),
                }
    out = []
    for j in sorted(jobs.values(), key=lambda j: j["job"]):
        mine = [s for sid, s in stages.items() if stage_job.get(sid) == j["job"]]
        out.append(
            {
                "job": j["job"],
                "what": j["what"],
                "s": round(((j["end"] or j["start"]) - j["start"]) / 1000, 2),
                "stages_run": len(mine),
                "tasks": sum(s["tasks"] for s in mine),
                "cpu_s": round(sum(s["cpu_ns"] for s in mine) / 1e9, 1),
                "input_mb": round(sum(s["input"] for s in mine) / 2**20, 1),
                "shuffle_write_mb": round(sum(s["shuffle_write"] for s in mine) / 2**20, 1),
                "call_site": mine[0]["name"] if mine else "",
            }
        )
    return out


# --- the run ------------------------------------------------------------------------------------------


def main():
    args = parse_args()
    customers = args.customers or max(10, args.rows // 55)
    os.makedirs(args.work, exist_ok=True)
    events = os.path.join(args.work, "events")
    shutil.rmtree(events, ignore_errors=True)
    os.makedirs(events)
    data = os.path.join(args.work, f"tx-{args.rows}-{customers}-{args.seed}.parquet")
    out = os.path.join(args.work, f"scored-{args.rows}.parquet")

    sampler = Sampler().start()
    began = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    from pyspark.sql import SparkSession

    import clientele.spark as cs

    spark = (
        SparkSession.builder.master(args.master)
        .appName("clientele-spark-scale")
        .config("spark.driver.memory", args.driver_memory)
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.arrow_batch))
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.dir", "file://" + events)
        .config("spark.eventLog.compress", "false")
        .config("spark.eventLog.rolling.enabled", "false")
        .config("spark.local.dir", os.path.join(args.work, "spark-tmp"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    times, cpu, marks = {}, {}, []

    def stage(name):
        """Starts a stage; the CPU used since the previous one is booked to that one."""
        now = tree_cpu()
        if marks:
            cpu[marks[-1][0]] = now - marks[-1][1]
        marks.append((name, now))
        sampler.stage = name
        sc.setJobDescription(name)
        return time.time()

    t = stage("generate")
    generated = not os.path.exists(os.path.join(data, "_SUCCESS"))
    if generated:
        generate(spark, args.rows, customers, args.seed, data)
        times["generate"] = time.time() - t

    t = stage("read")
    df = spark.read.parquet(data)
    rows = df.count()
    times["read"] = time.time() - t

    t = stage("summary: as-of scans")
    summary = cs.customer_summary(df, customer="customer", date="date", amount="amount", order="invoice")
    times["summary_scans"] = time.time() - t
    t = stage("summary: group-bys")
    # The fit and the scoring both read the summary: computed once.
    summary = summary.persist()
    n_customers = summary.count()
    times["summary_groupbys"] = time.time() - t

    t = stage("fit: collect + core")
    fitted = cs.fit(summary, json.loads(args.options) if args.options else None)
    times["fit"] = time.time() - t

    t = stage("score + write")
    cs.score(summary, fitted).write.mode("overwrite").parquet(out)
    times["score_write"] = time.time() - t
    stage("end")
    out_bytes = du(out)
    in_bytes = du(data)
    clv = fitted.models.get("clv") if hasattr(fitted, "models") else None
    spark.stop()
    time.sleep(1.0)  # the event log is complete once the context stopped
    sampler.stop()
    try:
        jobs = event_log_jobs(events)
    except (OSError, KeyError) as e:  # the figures above stand without the breakdown
        print(f"event log not read: {e}", file=sys.stderr)
        jobs = []
    if not args.keep_output:
        shutil.rmtree(out, ignore_errors=True)

    analysis = sum(v for k, v in times.items() if k not in ("generate", "read"))
    loads = sampler.loads or [0.0]
    result = {
        "date": began,
        "machine": machine(),
        "load_1min": {"min": min(loads), "mean": round(sum(loads) / len(loads), 1), "max": max(loads)},
        "rows": rows,
        "customers": n_customers,
        "input_parquet_mb": round(in_bytes / 2**20, 1),
        "generated_now": generated,
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "analysis_s": round(analysis, 1),
        "cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
        "rows_per_s": round(rows / analysis),
        "peak_rss_gib": {k: gib(v) for k, v in sampler.peak.items()},
        "peak_rss_gib_by_stage": {k: gib(v) for k, v in sampler.stage_peaks.items()},
        "output_parquet_mb": round(out_bytes / 2**20, 1),
        "clv_model": (clv or {}).get("model") if isinstance(clv, dict) else None,
        "settings": {
            "master": args.master,
            "options": args.options,
            "driver_memory": args.driver_memory,
            "shuffle_partitions": args.shuffle_partitions,
            "arrow_batch": args.arrow_batch,
            "seed": args.seed,
        },
        "jobs": jobs,
    }
    print(json.dumps(result))
    print("\njobs (Spark event log): seconds, executor CPU s, input MB, shuffle written MB, what", file=sys.stderr)
    for j in jobs:
        print(f"  {j['s']:8.1f} {j['cpu_s']:8.1f} {j['input_mb']:9.1f} {j['shuffle_write_mb']:9.1f}  {j['what']} | {j['call_site']}", file=sys.stderr)
    print("CPU seconds by stage (driver, JVM, workers): " + json.dumps(result["cpu_seconds"]), file=sys.stderr)
    s = result["seconds"]
    print(
        f"\n| {rows:,} | {n_customers:,} | {s.get('generate', '(reused)')} | {s['read']} | {s['summary_scans']} + {s['summary_groupbys']} | "
        f"{s['fit']} | {s['score_write']} | {analysis:.1f} | {result['rows_per_s']:,} | "
        f"{result['peak_rss_gib']['jvm']} + {result['peak_rss_gib']['python_workers']} + {result['peak_rss_gib']['python_driver']} "
        f"(total {result['peak_rss_gib']['total']}) | {result['output_parquet_mb']} MB | "
        f"{result['load_1min']['min']}–{result['load_1min']['max']} |",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
