"""Side by side: Clientele natively (release CLI, whole process), Clientele in the page (headless
Chromium, file input → every chart drawn) and the Python baseline (benches/python/pipeline.py:
pandas + scikit-learn + lifetimes), in alternating runs on the same files; medians, min–max,
per-stage and end-to-end ratios, peak memory, MB/s. Writes the table into BENCHMARKS.md between
the `bench:vs-python` markers. Standard library only; `scripts/bench-vs-python` prepares the
builds, the venv and the big file and calls this.

    python3 benches/vs_python.py --cli target/release/clientele --python VENV/bin/python \
        --data LABEL=FILE:RUNS [--data ...] [--markdown BENCHMARKS.md] [--command TEXT]
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "benches/python/pipeline.py"
PAGE_BENCH = ROOT / "benches/browser/page_bench.mjs"
START, END = "<!-- bench:vs-python:start -->", "<!-- bench:vs-python:end -->"
TIME_FORMAT = "__time__ %e %U %S %M"
# The stages all three sides have, in order, and what each side calls them.
STAGES = ["read", "customers", "rfm", "clusters", "propensity", "clv"]
CLIENTELE_NAMES = {"reading": "read"}
SIDES = ["python", "native", "browser"]
# Python's numerical libraries on one thread: the page's wasm runs on one, and OpenMP's
# spinning threads make scikit-learn's KMeans several times slower on a loaded 2-core machine.
ONE_THREAD = {k: "1" for k in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"]}


# ---------------------------------------------------------------- parsers (tested on their own)


def parse_time(stderr):
    """The `/usr/bin/time -f TIME_FORMAT` line: wall, user and system seconds, peak RSS (MiB)."""
    for line in reversed(stderr.splitlines()):
        if line.startswith("__time__ "):
            wall, user, system, kb = line.split()[1:5]
            return {"wall_s": float(wall), "cpu_s": float(user) + float(system), "rss_mib": int(kb) / 1024}
    raise ValueError("no /usr/bin/time line in the output")


def parse_json_line(stdout):
    """The last line of stdout that is a JSON object."""
    for line in reversed(stdout.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def parse_cli_timings(stderr):
    """`clientele analyze --timings`: the line `timings: {...}` on standard error."""
    for line in stderr.splitlines():
        if line.startswith("timings: "):
            return json.loads(line[len("timings: "):])
    raise ValueError("no `timings:` line (is the CLI older than --timings?)")


def python_run(stdout, stderr):
    out, t = parse_json_line(stdout), parse_time(stderr)
    stages = {k: v for k, v in out["stages_s"].items() if k in STAGES}
    other = {k: v for k, v in out["stages_s"].items() if k not in STAGES}
    return {
        "total_s": t["wall_s"],
        "cpu_s": t["cpu_s"],
        "stages_s": stages,
        "other_s": other,
        "memory_mib": t["rss_mib"],
        "rows": out["rows_read"],
        "customers": out["customers"],
    }


def native_run(stderr):
    t, timings = parse_time(stderr), parse_cli_timings(stderr)
    stages = {CLIENTELE_NAMES.get(k, k): v for k, v in timings.items()}
    return {
        "total_s": t["wall_s"],
        "cpu_s": t["cpu_s"],
        "stages_s": {k: v for k, v in stages.items() if k in STAGES},
        "other_s": {k: v for k, v in stages.items() if k not in STAGES},
        "memory_mib": t["rss_mib"],
    }


def browser_run(stdout):
    out = parse_json_line(stdout)
    if out.get("error"):
        raise RuntimeError(f"browser run failed: {out['error']}")
    stages = {CLIENTELE_NAMES.get(k, k): v for k, v in out["stages_s"].items()}
    return {
        "total_s": out["total_s"],
        "stages_s": {k: v for k, v in stages.items() if k in STAGES},
        "other_s": {k: v for k, v in stages.items() if k not in STAGES},
        "memory_mib": out["wasm_memory_mib"],
        "cpu_s": out.get("cpu_s"),
        "rows": out.get("rows_read"),
        "customers": out.get("customers"),
        "charts": f"{out.get('charts_drawn')}/{out.get('charts')}",
    }


# ---------------------------------------------------------------- summary and table


def spread(values):
    """(median, min, max) of a list of numbers, or None."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt_s(s):
    if s is None:
        return ""
    med, lo, hi = s
    if med < 0.1:
        return f"{med * 1000:.1f} ms ({lo * 1000:.1f}–{hi * 1000:.1f})"
    digits = 3 if med < 1 else 2 if med < 10 else 1
    return f"{med:.{digits}f} s ({lo:.{digits}f}–{hi:.{digits}f})"


def fmt_ratio(py, other):
    if py is None or other is None or other[0] <= 0:
        return ""
    return f"{py[0] / other[0]:.1f}×"


def summarise(runs):
    """Per side: spreads of the total, each stage, other parts, memory, CPU time."""
    out = {}
    for side, rs in runs.items():
        if not rs:
            continue
        others = sorted({k for r in rs for k in r["other_s"]})
        out[side] = {
            "n": len(rs),
            "total": spread([r["total_s"] for r in rs]),
            "stages": {k: spread([r["stages_s"].get(k) for r in rs]) for k in STAGES},
            "other": {k: spread([r["other_s"].get(k) for r in rs]) for k in others},
            "memory": spread([r["memory_mib"] for r in rs]),
            "cpu": spread([r.get("cpu_s") for r in rs]),
        }
    return out


def table(label, size_bytes, runs, meta):
    """The markdown for one file: stages, end to end, memory, MB/s, ratios Python ÷ Clientele."""
    s = summarise(runs)
    py, nat, br = s.get("python"), s.get("native"), s.get("browser")
    mb = size_bytes / 1e6
    n = ", ".join(f"{side} {s[side]['n']}" for side in SIDES if side in s)
    lines = [
        f"**{label}** ({mb:,.1f} MB, {meta.get('rows', 0):,} rows, {meta.get('customers', 0):,} customers; "
        f"runs: {n}; median (min–max))",
        "",
        "| stage | Python | native CLI | Chromium page | Python ÷ native | Python ÷ page |",
        "|---|---|---|---|---|---|",
    ]
    get = lambda side, part, key: (side or {}).get(part, {}).get(key)  # noqa: E731
    for stage in STAGES:
        p, a, b = get(py, "stages", stage), get(nat, "stages", stage), get(br, "stages", stage)
        name = "read + clean" if stage == "read" else stage
        lines.append(f"| {name} | {fmt_s(p)} | {fmt_s(a)} | {fmt_s(b)} | {fmt_ratio(p, a)} | {fmt_ratio(p, b)} |")
    other = lambda side: "; ".join(f"{k} {fmt_s(v)}" for k, v in (side or {}).get("other", {}).items())  # noqa: E731
    lines.append(f"| other | {other(py)} | {other(nat)} | {other(br)} | | |")
    p, a, b = (x["total"] if x else None for x in (py, nat, br))
    bold = lambda x: f"**{x}**" if x else ""  # noqa: E731
    cells = [fmt_s(p), fmt_s(a), fmt_s(b), fmt_ratio(p, a), fmt_ratio(p, b)]
    lines.append("| **end to end** | " + " | ".join(bold(c) for c in cells) + " |")
    rate = lambda x: f"{mb / x[0]:.1f} MB/s" if x else ""  # noqa: E731
    lines.append(f"| MB/s end to end | {rate(p)} | {rate(a)} | {rate(b)} | | |")
    # Without the interpreter's start-up and imports: the pipeline's own work.
    if py and py["other"].get("import"):
        work = spread(
            [r["total_s"] - r["other_s"].get("import", 0) for r in runs["python"]]
        )
        lines.append(
            f"| end to end, Python without start-up and imports | {fmt_s(work)} | | | {fmt_ratio(work, a)} | {fmt_ratio(work, b)} |"
        )
    cpu = lambda x: fmt_s(x["cpu"]) if x and x["cpu"] else ""  # noqa: E731
    pc, ac, bc = (x["cpu"] if x else None for x in (py, nat, br))
    lines.append(
        f"| CPU time (user + sys; the page: Chromium's processes) | {cpu(py)} | {cpu(nat)} | {cpu(br)} | "
        f"{fmt_ratio(pc, ac)} | {fmt_ratio(pc, bc)} |"
    )
    mem = lambda x, what: f"{x['memory'][0]:,.0f} MiB {what} (max {x['memory'][2]:,.0f})" if x else ""  # noqa: E731
    mp, ma, mbr = (x["memory"] if x else None for x in (py, nat, br))
    lines.append(
        f"| peak memory | {mem(py, 'RSS')} | {mem(nat, 'RSS')} | {mem(br, 'wasm linear memory')} | "
        f"{fmt_ratio(mp, ma)} | {fmt_ratio(mp, mbr)} |"
    )
    return "\n".join(lines)


def machine_line(command):
    cpu = ""
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    mem = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 2**20:.0f} GiB RAM"
    return (
        f"Recorded {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} CPUs ({cpu}), {mem}, "
        f"{platform.system()} {platform.release()}; command: `{command}`."
    )


def rewrite_markdown(path, block, section):
    """Replaces the text between the markers; appends `section` (which holds them) if absent."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: f"{START}\n{block}\n{END}", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section.replace(f"{START}\n{END}", f"{START}\n{block}\n{END}") + "\n"
    path.write_text(text)


# ---------------------------------------------------------------- running


def run(cmd, env=None, timeout=3600):
    full_env = {**os.environ, **(env or {})}
    p = subprocess.run(cmd, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stderr[-2000:]}")
    return p.stdout, p.stderr


def run_side(side, args, path):
    timed = ["/usr/bin/time", "-f", TIME_FORMAT]
    if side == "python":
        out, err = run(timed + [args.python, str(PIPELINE), str(path)], env=ONE_THREAD)
        return python_run(out, err)
    if side == "native":
        out, err = run(timed + [args.cli, "analyze", str(path), "--timings"])
        return native_run(err)
    out, _ = run(["node", str(PAGE_BENCH), str(path), "1"])
    return browser_run(out)


def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--python", required=True)
    ap.add_argument("--data", action="append", required=True, help="LABEL=FILE:RUNS")
    ap.add_argument("--sides", default=",".join(SIDES))
    ap.add_argument("--markdown")
    ap.add_argument("--command", default="scripts/bench-vs-python")
    ap.add_argument("--notes", default="", help="a sentence added under the machine line")
    args = ap.parse_args()
    sides = args.sides.split(",")
    loads = [loadavg()]
    blocks = []
    for item in args.data:
        label, rest = item.split("=", 1)
        path, runs = rest.rsplit(":", 1)
        path = Path(path)
        runs_by_side = {side: [] for side in sides}
        meta = {}
        for i in range(int(runs)):
            # Alternating: each round starts with the next side, so no side always runs first.
            order = sides[i % len(sides):] + sides[: i % len(sides)]
            for side in order:
                r = run_side(side, args, path)
                runs_by_side[side].append(r)
                meta.setdefault("rows", r.get("rows"))
                meta.setdefault("customers", r.get("customers"))
                if r.get("rows"):
                    meta["rows"], meta["customers"] = r["rows"], r["customers"]
                print(f"{label} run {i + 1} {side}: {r['total_s']:.2f} s, {r['memory_mib']:.0f} MiB "
                      f"{json.dumps(r['stages_s'])}", file=sys.stderr, flush=True)
            loads.append(loadavg())
        blocks.append(table(label, path.stat().st_size, runs_by_side, meta))
        charts = {r.get("charts") for r in runs_by_side.get("browser", [])}
        if charts:
            blocks[-1] += f"\n\nCharts drawn in the page, per run: {', '.join(sorted(charts))}."
    one_min = [float(load[0]) for load in loads]
    head = machine_line(args.command)
    head += f" Load average (1 min) during the run: {min(one_min):.1f}–{max(one_min):.1f}."
    if args.notes:
        head += " " + args.notes
    block = head + "\n\n" + "\n\n".join(blocks)
    print(block)
    if args.markdown:
        rewrite_markdown(Path(args.markdown), block, SECTION)


SECTION = f"""## Side by side with Python (pandas, scikit-learn, lifetimes)

`scripts/bench-vs-python` rewrites the block below.

{START}
{END}"""

if __name__ == "__main__":
    main()
