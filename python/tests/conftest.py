"""Shared fixtures: the real data in ../shared/data, the CLI to compare with, one core run per
file kept for the session (Online Retail takes seconds)."""

import os
import pathlib
import subprocess

import pytest

import clientele
from clientele import _core

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("CLIENTELE_DATA", ROOT.parent / "shared" / "data"))
TODAY = "2026-12-01"
OPTIONS = {"ingest": {"today": TODAY}}


def data_file(*parts):
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not there (the shared data folder sits beside the repository)")
    return path


@pytest.fixture(scope="session")
def cli():
    """The clientele CLI: $CLIENTELE_CLI, else built with cargo (debug; the bytes do not depend
    on the profile)."""
    path = os.environ.get("CLIENTELE_CLI")
    if path:
        return path
    subprocess.run(["cargo", "build", "--quiet", "--bin", "clientele"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    return str(pathlib.Path(target) / "debug" / "clientele")


@pytest.fixture(scope="session")
def cdnow_sample():
    return data_file("cdnow", "CDNOW_sample.txt")


@pytest.fixture(scope="session")
def online_retail():
    return data_file("online_retail", "online_retail.csv")


_RUNS = {}


def core_run(path, options=None):
    """One core run with everything kept: report JSON, export CSV, fitted model, summary rows,
    cleaned transactions."""
    key = (str(path), repr(options))
    if key not in _RUNS:
        opts = clientele._options_json(options or OPTIONS, pathlib.Path(path).name)
        _RUNS[key] = _core.run(
            pathlib.Path(path).read_bytes(), opts, want_fitted=True, want_batch=True, want_transactions=True
        )
    return _RUNS[key]
