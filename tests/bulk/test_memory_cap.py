"""DuckDB's memory cap during bulk runs: applied, overridable, restored, and a clear error when too small."""

from __future__ import annotations

import argparse

import pytest

from litmus.bulk import DEFAULT_MEMORY_LIMIT, bulk_memory_limit, ingest_and_extract, ingested_files
from litmus.warehouse import WarehouseError, WarehouseMemoryError, bounded_memory, connect
from litmus.warehouse.connection import current_memory_limit

from .conftest import make_record, warehouse_content, write_pubmed_file


def mebibytes(setting: str) -> float:
    number, unit = setting.split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[unit]


def cap_seen_while_loading(con, path, **kwargs) -> float:
    seen = []
    ingest_and_extract(con, [path], on_file=lambda outcome: seen.append(current_memory_limit(con)), **kwargs)
    return mebibytes(seen[0])


def test_bulk_run_loads_under_the_default_cap_and_gives_the_old_one_back(con, tmp_path, monkeypatch):
    monkeypatch.delenv("LITMUS_DUCKDB_MEMORY", raising=False)
    path = write_pubmed_file(tmp_path / "a.xml.gz", [make_record(i) for i in range(1, 40)])
    before = mebibytes(current_memory_limit(con))
    during = cap_seen_while_loading(con, path)
    assert during == pytest.approx(int(DEFAULT_MEMORY_LIMIT.removesuffix("MB")) * 1e6 / 2**20, abs=1)
    assert during < before
    assert mebibytes(current_memory_limit(con)) == pytest.approx(before, rel=0.01)
    assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 39


def test_an_asked_for_cap_beats_the_environment_which_beats_the_default(monkeypatch):
    monkeypatch.delenv("LITMUS_DUCKDB_MEMORY", raising=False)
    assert bulk_memory_limit() == DEFAULT_MEMORY_LIMIT
    monkeypatch.setenv("LITMUS_DUCKDB_MEMORY", "300MB")
    assert bulk_memory_limit() == "300MB"
    assert bulk_memory_limit("1GB") == "1GB"


def test_the_environment_cap_reaches_duckdb(con, tmp_path, monkeypatch):
    monkeypatch.setenv("LITMUS_DUCKDB_MEMORY", "300MB")
    path = write_pubmed_file(tmp_path / "a.xml.gz", [make_record(1)])
    assert cap_seen_while_loading(con, path) == pytest.approx(300e6 / 2**20, abs=1)


def test_a_cap_too_small_says_what_to_raise_and_a_rerun_resumes_to_the_same_content(con, tmp_path, monkeypatch):
    monkeypatch.delenv("LITMUS_DUCKDB_MEMORY", raising=False)
    path = write_pubmed_file(tmp_path / "a.xml.gz", [make_record(i) for i in range(1, 3001)])
    with pytest.raises(WarehouseMemoryError, match="--memory or LITMUS_DUCKDB_MEMORY") as raised:
        ingest_and_extract(con, [path], memory="8MB", batch_size=500)
    assert "Possible solutions" not in str(raised.value)  # one actionable line, not DuckDB's generic advice
    assert ingested_files(con)[0]["status"] == "running"  # resumable: the ledger stops at the last committed batch

    resumed = ingest_and_extract(con, [path], batch_size=500)
    assert resumed.totals()["completed"] == 1
    clean = connect(tmp_path / "clean.duckdb")
    ingest_and_extract(clean, [path], batch_size=500)
    assert warehouse_content(con)["papers"] == warehouse_content(clean)["papers"]
    assert warehouse_content(con)["authors"] == warehouse_content(clean)["authors"]
    clean.close()


def test_a_cap_below_what_duckdb_holds_is_refused_before_any_work(con):
    with pytest.raises(WarehouseMemoryError, match="below what DuckDB already holds"):
        with bounded_memory(con, "1MB"):
            pytest.fail("the body must not run")


@pytest.mark.parametrize("bad", ["lots", "12", "1 parsec", "5MB; DROP TABLE papers"])
def test_a_malformed_cap_is_a_one_line_error_and_never_reaches_sql(con, bad):
    with pytest.raises(WarehouseError, match="not a memory size"):
        with bounded_memory(con, bad):
            pytest.fail("the body must not run")
    assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 0


def test_a_malformed_environment_cap_is_refused_when_opening(tmp_path, monkeypatch):
    monkeypatch.setenv("LITMUS_DUCKDB_MEMORY", "plenty")
    with pytest.raises(WarehouseError, match="LITMUS_DUCKDB_MEMORY 'plenty' is not a memory size"):
        connect(tmp_path / "w.duckdb")


def test_cli_refuses_a_malformed_memory_flag(tmp_path, capsys):
    from litmus.cli import bulk as cli_bulk

    parser = argparse.ArgumentParser()
    cli_bulk.register(parser.add_subparsers())
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["ingest-files", str(tmp_path), "--memory", "lots"])
    assert exited.value.code == 2
    assert "--memory 'lots' is not a memory size" in capsys.readouterr().err
    assert parser.parse_args(["ingest-files", str(tmp_path), "--memory", "512MB"]).memory == "512MB"


def test_ingest_files_alone_also_loads_under_the_cap(con, tmp_path, monkeypatch):
    from litmus.bulk import ingest_files

    monkeypatch.delenv("LITMUS_DUCKDB_MEMORY", raising=False)
    path = write_pubmed_file(tmp_path / "a.xml.gz", [make_record(1)])
    seen = []
    ingest_files(con, [path], memory="200MB", on_file=lambda outcome: seen.append(current_memory_limit(con)))
    assert mebibytes(seen[0]) == pytest.approx(200e6 / 2**20, abs=1)
