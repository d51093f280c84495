"""`ingest-files`: skipping finished files, versions, deletions, resuming, bad input, filters."""

from __future__ import annotations

import gzip
import json

import pytest

from litmus.bulk import BulkInputError, ingest_file, ingest_files, ingested_files
from litmus.bulk.query import compile_query
from litmus.records import DeletedCitation

from .conftest import make_record, table_rows, warehouse_content, write_pubmed_file


def paper_count(con) -> int:
    return con.execute("SELECT count(*) FROM papers").fetchall()[0][0]


def test_rerun_skips_finished_files(con, tmp_path):
    write_pubmed_file(tmp_path / "a.xml.gz", [make_record(i) for i in range(1, 11)])
    first = ingest_files(con, [tmp_path])
    assert [f.status for f in first.files] == ["completed"]
    loaded_at = table_rows(con, "papers", drop=())
    second = ingest_files(con, [tmp_path / "a.xml.gz"])
    assert [f.status for f in second.files] == ["skipped"]
    assert table_rows(con, "papers", drop=()) == loaded_at  # nothing rewritten
    assert [(f["name"], f["status"], f["records"]) for f in ingested_files(con)] == [("a.xml.gz", "completed", 10)]


def test_changed_file_with_the_same_name_is_ingested_again(con, tmp_path):
    path = write_pubmed_file(tmp_path / "a.xml", [make_record(1)])
    ingest_files(con, [path])
    write_pubmed_file(path, [make_record(1), make_record(2)])
    assert ingest_files(con, [path]).files[0].status == "completed"
    assert paper_count(con) == 2


def test_update_file_replaces_older_records_and_versions(con, tmp_path):
    write_pubmed_file(tmp_path / "n0001.xml", [make_record(1, title="Old title."), make_record(2, version=2, title="V2.")])
    write_pubmed_file(tmp_path / "n0002.xml", [make_record(1, title="Revised title."), make_record(2, version=1, title="V1.")])
    ingest_files(con, [tmp_path / "n0002.xml", tmp_path / "n0001.xml"])  # applied in name order regardless
    titles = dict(con.execute("SELECT pmid, title FROM papers").fetchall())
    assert titles == {"1": "Revised title.", "2": "V2."}  # a lower version never replaces a higher one


def test_delete_citation_removes_the_paper(con, tmp_path):
    write_pubmed_file(tmp_path / "n0001.xml", [make_record(1), make_record(2)])
    write_pubmed_file(tmp_path / "n0002.xml", [make_record(3), DeletedCitation("1")])
    summary = ingest_files(con, [tmp_path])
    assert summary.files[1].deletions == 1
    assert sorted(r[0] for r in con.execute("SELECT pmid FROM papers").fetchall()) == ["2", "3"]
    assert con.execute("SELECT count(*) FROM authors WHERE pmid = '1'").fetchall()[0][0] == 0


def test_interrupted_file_resumes_to_the_same_content(con, tmp_path):
    from litmus.warehouse import connect

    path = write_pubmed_file(tmp_path / "big.xml.gz", [make_record(i) for i in range(1, 26)] + [DeletedCitation("3")])

    def crash_after_first_batch(name, items_done):
        raise KeyboardInterrupt("simulated crash")

    with pytest.raises(KeyboardInterrupt):
        ingest_file(con, path, batch_size=10, on_batch=crash_after_first_batch)
    assert paper_count(con) == 10
    assert ingested_files(con)[0]["status"] == "interrupted"  # Ctrl-C is no crash (tests/hostile/test_bulk_crashes.py)
    resumed = ingest_file(con, path, batch_size=10)
    assert (resumed.status, resumed.resumed_from, resumed.records, resumed.deletions) == ("completed", 10, 25, 1)

    clean = connect(tmp_path / "clean.duckdb")
    ingest_file(clean, path, batch_size=10)
    assert warehouse_content(con)["papers"] == warehouse_content(clean)["papers"]
    assert warehouse_content(con) == warehouse_content(clean) or _same_but_loaded_at(con, clean)
    assert table_rows(con, "bulk_files", drop=("path", "started_at", "finished_at", "seconds")) == table_rows(
        clean, "bulk_files", drop=("path", "started_at", "finished_at", "seconds"))
    clean.close()


def _same_but_loaded_at(a, b) -> bool:
    return all(table_rows(a, t) == table_rows(b, t) for t in ("papers", "authors", "abstract_sections"))


def test_corrupt_gzip_fails_that_file_and_the_others_still_load(con, tmp_path):
    write_pubmed_file(tmp_path / "a.xml.gz", [make_record(1)])
    good = gzip.compress(b"<PubmedArticleSet>" + b"<PubmedArticle>" * 10, mtime=0)
    (tmp_path / "b.xml.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "c.xml").write_bytes(b"<html><body>Not Found</body></html>")
    write_pubmed_file(tmp_path / "d.xml.gz", [make_record(2)])
    summary = ingest_files(con, [tmp_path])
    assert [f.status for f in summary.files] == ["completed", "failed", "failed", "completed"]
    assert "gzip" in summary.files[1].message and "download the file again" in summary.files[1].message
    assert "PubMed" in summary.files[2].message or "HTML" in summary.files[2].message
    assert paper_count(con) == 2
    assert {f["name"]: f["status"] for f in ingested_files(con)}["b.xml.gz"] == "failed"


def test_cli_reports_failures_and_exits_non_zero(tmp_path, capsys):
    import argparse

    from litmus.cli import bulk as cli_bulk

    write_pubmed_file(tmp_path / "a.xml.gz", [make_record(1)])
    (tmp_path / "b.xml.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    parser = argparse.ArgumentParser()
    cli_bulk.register(parser.add_subparsers())
    args = parser.parse_args(["ingest-files", str(tmp_path), "--warehouse", str(tmp_path / "w.duckdb"), "--json"])
    assert args.handler(args) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["totals"] == {"files": 2, "completed": 1, "skipped": 0, "failed": 1, "records": 1, "kept": 1, "deletions": 0}

    missing = parser.parse_args(["ingest-files", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert missing.handler(missing) == 2
    assert "does not exist" in capsys.readouterr().err


def test_missing_path_is_refused_before_anything_is_written(con, tmp_path):
    with pytest.raises(BulkInputError, match="does not exist"):
        ingest_files(con, [tmp_path / "absent.xml.gz"])
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(BulkInputError, match="not a .xml"):
        ingest_files(con, [tmp_path / "notes.txt"])


def test_keep_query_stores_only_matching_records(con, tmp_path):
    records = [
        make_record(1, mesh=("Immunotherapy, Adoptive",)),
        make_record(2, keywords=("CAR-T",)),
        make_record(3, pubtypes=("Journal Article", "Clinical Trial, Phase II")),
        make_record(4, title="Statins and heart failure."),
    ]
    write_pubmed_file(tmp_path / "a.xml", records)
    keep = compile_query('mesh:"Immunotherapy, Adoptive" OR keyword:car-t OR pubtype:"Clinical Trial"')
    outcome = ingest_files(con, [tmp_path], keep=keep).files[0]
    assert (outcome.records, outcome.kept) == (4, 3)
    assert sorted(r[0] for r in con.execute("SELECT pmid FROM papers").fetchall()) == ["1", "2", "3"]
    assert ingested_files(con)[0]["filter"] == keep.text
