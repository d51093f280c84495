"""The bulk benchmark's file-series step runs and reports one entry per file (bench/bulk_scale.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .conftest import make_record, write_pubmed_file

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bulk_scale.py"


def load_bench_steps():
    spec = importlib.util.spec_from_file_location("bulk_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_file_series_reports_peak_memory_per_file_of_a_growing_warehouse(tmp_path):
    files = [write_pubmed_file(tmp_path / f"n{i:04d}.xml.gz", [make_record(100 * i + k) for k in range(1, 30)])
             for i in range(1, 4)]
    result = load_bench_steps().file_series(str(tmp_path / "w.duckdb"), "64MB", *map(str, files))
    assert [f["file"] for f in result["files"]] == ["n0001.xml.gz", "n0002.xml.gz", "n0003.xml.gz"]
    assert result["records"] == 87 and result["memory_cap"] == "64MB"
    assert all(f["peak_rss_mb"] > 0 for f in result["files"])
