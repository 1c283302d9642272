"""Cheap checks of the side-by-side benchmark's parts (not a benchmark: nothing is timed):
the result parsers and the table on recorded outputs, the BENCHMARKS.md rewrite, and, when the
baseline's venv exists (scripts/bench-python-venv makes it; BENCH_PYTHON names its
interpreter), the Python pipeline itself on a tiny Online Retail-shaped file.

    python3 -m unittest benches/test_vs_python.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vs_python  # noqa: E402

PY_OUT = json.dumps(
    {
        "stages_s": {"import": 1.0, "read": 0.6, "customers": 0.04, "rfm": 0.004, "clusters": 1.8, "propensity": 0.04, "clv": 0.33},
        "total_s": 3.9,
        "rows_read": 541909,
        "rows_used": 397884,
        "customers": 4338,
    }
)
TIME_LINE = "__time__ 4.23 3.90 0.31 376828"


def tiny_online_retail(path, customers=60, days=400):
    """Online Retail's columns: repeat buyers, a cancellation, a line without a customer, a
    zero-price line; enough customers and days for every stage (propensity's 90-day cut)."""
    rows = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    invoice = 500000
    for c in range(customers):
        for k in range(1 + c % 6):
            invoice += 1
            day = (c * 37 + k * 53) % days
            month, dom = 1 + day // 31 % 12, 1 + day % 28
            year = 2010 + day // 372
            date = f"{year}-{month:02d}-{dom:02d} 10:{c % 60:02d}:00"
            rows.append(f'{invoice},85123A,"HEART, WHITE",{1 + (c + k) % 7},{date},{1.25 + c % 9},{12000 + c},UK')
    rows.append(f"C{invoice + 1},85123A,RETURN,-2,2011-05-01 10:00:00,1.25,12000,UK")
    rows.append(f"{invoice + 2},85123A,NO CUSTOMER,3,2011-05-01 10:00:00,1.25,,UK")
    rows.append(f"{invoice + 3},POST,FREE,1,2011-05-01 10:00:00,0,12001,UK")
    Path(path).write_text("\n".join(rows) + "\n")
    return len(rows) - 1


class Parsers(unittest.TestCase):
    def test_python_run(self):
        r = vs_python.python_run("some noise\n" + PY_OUT + "\n", "warning\n" + TIME_LINE + "\n")
        self.assertEqual(r["total_s"], 4.23)
        self.assertAlmostEqual(r["cpu_s"], 4.21)
        self.assertAlmostEqual(r["memory_mib"], 376828 / 1024)
        self.assertEqual(list(r["stages_s"]), vs_python.STAGES)
        self.assertEqual(r["other_s"], {"import": 1.0})
        self.assertEqual((r["rows"], r["customers"]), (541909, 4338))

    def test_native_run(self):
        err = 'timings: {"reading": 0.5, "customers": 0.02, "rfm": 0.001, "clusters": 0.3, "propensity": 0.2, "clv": 0.1, "output": 0.01}\n'
        r = vs_python.native_run(err + "__time__ 1.20 1.10 0.05 40960\n")
        self.assertEqual(r["stages_s"]["read"], 0.5)
        self.assertEqual(r["other_s"], {"output": 0.01})
        self.assertEqual(r["memory_mib"], 40.0)

    def test_native_run_without_timings_is_an_error(self):
        with self.assertRaises(ValueError):
            vs_python.native_run("__time__ 1.20 1.10 0.05 40960\n")

    def test_browser_run(self):
        line = {
            "total_s": 1.6, "stages_s": {"reading": 1.0, "customers": 0.02, "rfm": 0.005, "clusters": 0.3, "propensity": 0.2,
                                         "clv": 0.1, "page_report": 0.01, "render": 0.2},
            "wasm_memory_mib": 51.0, "rows_read": 541909, "customers": 4338, "charts": 12, "charts_drawn": 12,
        }
        r = vs_python.browser_run(json.dumps(line) + "\n")
        self.assertEqual(r["stages_s"]["read"], 1.0)
        self.assertEqual(r["other_s"], {"page_report": 0.01, "render": 0.2})
        self.assertEqual(r["charts"], "12/12")
        with self.assertRaises(RuntimeError):
            vs_python.browser_run('{"error": "timeout"}\n')

    def test_table_and_markdown(self):
        py = vs_python.python_run(PY_OUT, TIME_LINE)
        nat = vs_python.native_run('timings: {"reading": 0.3, "customers": 0.02, "rfm": 0.001, "clusters": 0.3, "propensity": 0.2, "clv": 0.1}\n__time__ 1.00 0.9 0.1 40960')
        text = vs_python.table("Online Retail", 47_226_068, {"python": [py, py], "native": [nat]}, {"rows": 541909, "customers": 4338})
        self.assertIn("| read + clean | 0.600 s (0.600–0.600) | 0.300 s (0.300–0.300) |  | 2.0× |  |", text)
        self.assertIn("| **end to end** | **4.23 s (4.23–4.23)** | **1.00 s (1.00–1.00)** |  | **4.2×** |  |", text)
        self.assertIn("runs: python 2, native 1", text)
        with tempfile.TemporaryDirectory() as d:
            md = Path(d) / "BENCHMARKS.md"
            md.write_text("# Benchmarks\n\n## Other\nkept\n")
            vs_python.rewrite_markdown(md, "first", vs_python.SECTION)
            vs_python.rewrite_markdown(md, "second", vs_python.SECTION)
            out = md.read_text()
            self.assertIn("## Other\nkept\n", out)
            self.assertEqual(out.count(vs_python.START), 1)
            self.assertIn(f"{vs_python.START}\nsecond\n{vs_python.END}", out)


@unittest.skipUnless(os.environ.get("BENCH_PYTHON"), "BENCH_PYTHON (the baseline venv's python) is not set")
class Pipeline(unittest.TestCase):
    def test_tiny_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "tiny.csv"
            rows = tiny_online_retail(path)
            p = subprocess.run(
                ["/usr/bin/time", "-f", vs_python.TIME_FORMAT, os.environ["BENCH_PYTHON"], str(vs_python.PIPELINE), str(path)],
                capture_output=True, text=True, env={**os.environ, **vs_python.ONE_THREAD}, timeout=300,
            )
            self.assertEqual(p.returncode, 0, p.stderr)
            r = vs_python.python_run(p.stdout, p.stderr)
            self.assertEqual(r["rows"], rows)
            self.assertEqual(r["customers"], 60)
            self.assertEqual(set(r["stages_s"]), set(vs_python.STAGES))
            out = vs_python.parse_json_line(p.stdout)
            self.assertEqual(out["rows_used"], rows - 3)
            self.assertEqual(sorted(out["silhouettes"]), [str(k) for k in range(2, 9)])
            self.assertIsNotNone(out["propensity_auc"])
            self.assertGreater(out["clv"]["clv_90d_total"], 0)


if __name__ == "__main__":
    unittest.main()
