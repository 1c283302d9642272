"""Two builds of Clientele side by side (e.g. before and after a restructuring), in alternating
runs on the same files: the release CLIs' whole-process wall and CPU time and peak RSS, optionally
their instruction counts under callgrind (load-independent: good on a shared machine; one rayon
thread so idle threads' spinning is not counted), and optionally each build's own browser bench
(`benches/browser/bench.mjs` in its worktree: analyzeBlob in a worker, its dist/ built).
Prints a markdown table. Standard library only.

    python3 benches/ab_builds.py --a OLD=/path/old/clientele --b NEW=/path/new/clientele \
        --file LABEL=PATH:RUNS [--file ...] (RUNS 0: instruction counts only) [--callgrind LABEL,...] \
        [--browser-a DIR --browser-b DIR --browser-files LABEL,...]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys

TODAY = "2026-12-01"


def wall_and_rss(cli, path):
    p = subprocess.run(
        ["/usr/bin/time", "-f", "__time__ %e %M %U %S", cli, "analyze", path, "--today", TODAY],
        capture_output=True, text=True, check=True,
    )
    wall, kb, user, system = p.stderr.strip().splitlines()[-1].split()[1:5]
    return float(wall), int(kb) / 1024, float(user) + float(system)


def instructions(cli, path):
    p = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", cli, "analyze", path, "--today", TODAY],
        capture_output=True, text=True, check=True, env={**os.environ, "RAYON_NUM_THREADS": "1"},
    )
    m = re.search(r"Collected : (\d+)", p.stderr)
    return int(m.group(1))


def browser(worktree, path):
    p = subprocess.run(["node", "benches/browser/bench.mjs", path, "1"], capture_output=True, text=True, cwd=worktree, check=True)
    out = json.loads([line for line in p.stdout.splitlines() if line.startswith("{")][-1])
    return out["median_s"], out["peak_wasm_memory_mib"]


def med(xs):
    return statistics.median(xs), min(xs), max(xs)


def fmt(s, unit="s", digits=2):
    m, lo, hi = s
    return f"{m:.{digits}f} {unit} ({lo:.{digits}f}–{hi:.{digits}f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--file", action="append", required=True)
    ap.add_argument("--callgrind", default="")
    ap.add_argument("--browser-a")
    ap.add_argument("--browser-b")
    ap.add_argument("--browser-files", default="")
    args = ap.parse_args()
    (la, ca), (lb, cb) = args.a.split("=", 1), args.b.split("=", 1)
    rows = []
    for item in args.file:
        label, rest = item.split("=", 1)
        path, runs = rest.rsplit(":", 1)
        t = {la: [], lb: []}
        cpu = {la: [], lb: []}
        rss = {la: [], lb: []}
        web = {la: [], lb: []}
        for i in range(int(runs)):
            order = [(la, ca, args.browser_a), (lb, cb, args.browser_b)]
            if i % 2:
                order.reverse()
            for name, cli, tree in order:
                w, r, c = wall_and_rss(cli, path)
                t[name].append(w)
                cpu[name].append(c)
                rss[name].append(r)
                msg = f"{label} {name}: {w:.2f} s ({c:.2f} s CPU) {r:.0f} MiB"
                if tree and label in args.browser_files.split(","):
                    web[name].append(browser(tree, path))
                    msg += f"; browser {web[name][-1][0]:.2f} s {web[name][-1][1]} MiB"
                print(msg, file=sys.stderr, flush=True)
        row = {"file": label}
        if t[la]:
            row["wall"] = {k: med(v) for k, v in t.items()}
            row["rss"] = {k: max(v) for k, v in rss.items()}
            row["cpu"] = {k: med(v) for k, v in cpu.items()}
        if label in args.callgrind.split(","):
            row["ir"] = {name: instructions(cli, path) for name, cli in [(la, ca), (lb, cb)]}
            print(f"{label} instructions: {row['ir']}", file=sys.stderr, flush=True)
        if web[la] and web[lb]:
            row["web"] = {k: (med([x[0] for x in v]), max(x[1] for x in v)) for k, v in web.items()}
        rows.append(row)
    print(f"| file | where | {la} | {lb} | {lb} ÷ {la} |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file']} | | | | |")
        if "wall" in r:
            a, b = r["wall"][la], r["wall"][lb]
            print(f"| | native CLI, wall (median, min–max) | {fmt(a)} | {fmt(b)} | {b[0] / a[0]:.2f} |")
            a, b = r["cpu"][la], r["cpu"][lb]
            print(f"| | native CLI, CPU time (user + sys) | {fmt(a)} | {fmt(b)} | {b[0] / a[0]:.2f} |")
            print(f"| | native CLI, peak RSS | {r['rss'][la]:.0f} MiB | {r['rss'][lb]:.0f} MiB | {r['rss'][lb] / r['rss'][la]:.2f} |")
        if "ir" in r:
            ia, ib = r["ir"][la], r["ir"][lb]
            print(f"| | native CLI, instructions (callgrind, 1 thread) | {ia:,} | {ib:,} | {ib / ia:.3f} |")
        if "web" in r:
            (wa, ma), (wb, mb) = r["web"][la], r["web"][lb]
            print(f"| | Chromium, analyzeBlob in a worker | {fmt(wa)} | {fmt(wb)} | {wb[0] / wa[0]:.2f} |")
            print(f"| | Chromium, wasm memory | {ma} MiB | {mb} MiB | {mb / ma:.2f} |")


if __name__ == "__main__":
    main()
