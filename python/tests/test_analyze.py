"""clientele.analyze gives the CLI's Report byte for byte, and its export."""

import json
import subprocess

import pytest

import clientele
from conftest import OPTIONS, TODAY, data_file


def cli_outputs(cli, path, tmp_path, *args):
    out_json = tmp_path / "report.json"
    out_csv = tmp_path / "customers.csv"
    subprocess.run(
        [cli, "analyze", str(path), "--today", TODAY, "--json", str(out_json), "--customers-csv", str(out_csv), *args],
        check=True,
        capture_output=True,
    )
    return out_json.read_bytes(), out_csv.read_bytes()


@pytest.mark.parametrize(
    "parts",
    [("cdnow", "CDNOW_sample.txt"), ("grocery", "groceryElog.csv"), ("online_retail", "online_retail.csv")],
)
def test_the_report_is_the_clis_byte_for_byte(cli, tmp_path, parts):
    path = data_file(*parts)
    report, export = cli_outputs(cli, path, tmp_path)
    assert clientele.analyze_json(path, OPTIONS).encode("utf-8") == report
    assert clientele.customers_csv(str(path), OPTIONS).encode("utf-8") == export


def test_options_change_the_report_as_the_cli_flags_do(cli, tmp_path, cdnow_sample):
    report, _ = cli_outputs(cli, cdnow_sample, tmp_path, "--k", "4", "--horizon-days", "60", "--as-of", "1998-01-01")
    options = {"ingest": {"today": TODAY}, "cluster": {"k": 4}, "propensity": {"horizon_days": 60}, "as_of": "1998-01-01"}
    assert clientele.analyze_json(cdnow_sample, options).encode("utf-8") == report


def test_bytes_in_memory_read_like_the_file(cdnow_sample):
    options = {"ingest": {"today": TODAY, "file_name": cdnow_sample.name}}
    assert clientele.analyze_json(cdnow_sample.read_bytes(), options) == clientele.analyze_json(cdnow_sample, OPTIONS)


def test_analyze_returns_the_report_as_a_dict(cdnow_sample):
    report = clientele.analyze(cdnow_sample, OPTIONS)
    assert report["summary"]["customers"] == len(report["customers"]["id"]) > 2000
    assert report["clv"]["status"] == "ok"
    assert report["as_of"] == "1998-07-01"


def test_invalid_options_name_their_path(cdnow_sample):
    with pytest.raises(ValueError, match="clv.horizon_months"):
        clientele.analyze(cdnow_sample, {"clv": {"horizon_months": "x"}})
    with pytest.raises(ValueError, match="rfm"):
        clientele.analyze(cdnow_sample, {"rfm": {"bins": 1}})


def test_a_file_that_is_not_a_table_is_a_located_error():
    with pytest.raises(ValueError):
        clientele.analyze(b"\x00\x01\x02 not a table", OPTIONS)
