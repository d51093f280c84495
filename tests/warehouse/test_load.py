from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from litmus.records import AbstractSection, Author, Citation, CommentCorrection, MeshHeading, MeshQualifier, PubmedRecord, Resolution, Review
from litmus.warehouse import WarehouseBusy, connect, schema_version
from litmus.warehouse.arrow import section_offsets
from litmus.warehouse.connection import migration_files
from litmus.warehouse.load import delete_papers, load_papers, save_resolutions, stored_pmids, upsert_review


def record(pmid: str, *, version: int = 1, title: str = "A trial") -> PubmedRecord:
    return PubmedRecord(
        pmid=pmid,
        version=version,
        title=title,
        abstract_sections=(
            AbstractSection("BACKGROUND", "BACKGROUND", "Why."),
            AbstractSection("RESULTS", "RESULTS", "CR was 86% (13/15)."),
        ),
        authors=(Author("Wei", "Jia", "J", affiliations=("Tongji Hospital",)), Author("Cao", "Yang", "Y")),
        publication_types=("Journal Article", "Clinical Trial, Phase I", "Journal Article"),
        mesh_headings=(MeshHeading("Immunotherapy, Adoptive", "D016219", True, (MeshQualifier("methods", "Q000379", True),)),),
        comments_corrections=(CommentCorrection("ErratumIn", "999", "Blood. 2021"),),
    )


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def counts(con) -> dict[str, int]:
    tables = ["papers", "abstract_sections", "authors", "publication_types", "mesh_headings", "comments_corrections"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def test_migrations_bring_a_new_warehouse_to_the_latest_version(con):
    assert schema_version(con) == max(version for version, _ in migration_files())


def test_loading_the_same_papers_twice_adds_nothing(con):
    load_papers(con, [record("1"), record("2")], source="replay")
    first = counts(con)
    load_papers(con, [record("1"), record("2")], source="replay")
    assert counts(con) == first
    assert first == {"papers": 2, "abstract_sections": 4, "authors": 4, "publication_types": 4, "mesh_headings": 2, "comments_corrections": 2}


def test_a_later_version_in_the_same_batch_wins(con):
    load_papers(con, [record("1", version=2, title="new"), record("1", version=1, title="old")], source="bulk:x")
    assert con.execute("SELECT title, version FROM papers").fetchall() == [("new", 2)]


def test_abstract_offsets_point_at_each_section_text(con):
    r = record("5")
    load_papers(con, [r], source="replay")
    rows = con.execute("SELECT text, start_offset FROM abstract_sections WHERE pmid = '5' ORDER BY section_index").fetchall()
    for text, start in rows:
        assert r.abstract[start : start + len(text)] == text
    assert section_offsets(r) == [start for _, start in rows]


def test_flags_and_lists_are_stored(con):
    load_papers(con, [record("7")], source="replay")
    row = con.execute("SELECT has_abstract, has_correction, is_retracted FROM papers").fetchall()[0]
    assert row == (True, True, False)
    assert con.execute("SELECT qualifiers, major_qualifiers FROM mesh_headings").fetchall()[0] == (["methods"], ["methods"])


def test_delete_removes_a_paper_and_its_rows(con):
    load_papers(con, [record("1"), record("2")], source="replay")
    delete_papers(con, ["1"])
    assert stored_pmids(con) == {"2"}
    assert con.execute("SELECT count(*) FROM authors WHERE pmid = '1'").fetchall()[0][0] == 0


def test_a_failing_batch_leaves_nothing_behind(con, monkeypatch):
    from litmus.warehouse import load

    real_insert = load.insert_arrow

    def insert_then_fail(con_, table, data, **kwargs):
        if table == "authors":
            raise RuntimeError("disk full")
        return real_insert(con_, table, data, **kwargs)

    monkeypatch.setattr(load, "insert_arrow", insert_then_fail)
    with pytest.raises(RuntimeError):
        load_papers(con, [record("1")], source="replay")
    assert stored_pmids(con) == set()


def test_review_reload_keeps_resolutions_of_unchanged_citations(con):
    review = Review("r", "Review", (Citation("1", "numbered", doi="10.1/a", title="A"), Citation("2", "numbered", doi="10.1/b")))
    upsert_review(con, review)
    save_resolutions(con, [Resolution("r", "1", "11", "doi", 1.0, "one hit"), Resolution("r", "2", None, "unresolved", 0.0, "no hit")])
    upsert_review(con, review)
    rows = con.execute("SELECT citation_key, pmid, resolution_method FROM citations ORDER BY position").fetchall()
    assert rows == [("1", "11", "doi"), ("2", None, "unresolved")]
    changed = Review("r", "Review", (Citation("1", "numbered", doi="10.1/changed", title="A"), Citation("2", "numbered", doi="10.1/b")))
    upsert_review(con, changed)
    assert con.execute("SELECT pmid FROM citations WHERE citation_key = '1'").fetchall()[0] == (None,)


def test_a_second_writer_waits_then_says_the_warehouse_is_busy(tmp_path):
    path = tmp_path / "locked.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(WarehouseBusy, match="locked by another litmus process"):
            connect(path, wait_seconds=0.5)
    finally:
        holder.kill()
        holder.wait()
    connect(path, wait_seconds=5).close()


def test_a_run_whose_process_died_is_marked_interrupted_by_the_next(con):
    from litmus.warehouse.load import finish_run, start_run

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    first = start_run(con, "litmus-run", {})
    con.execute("UPDATE run_log SET pid = ? WHERE run_id = ?", [dead.pid, first])
    alive = start_run(con, "litmus-run", {})
    second = start_run(con, "litmus-run", {})
    finish_run(con, second, status="completed", counts={})
    statuses = dict(con.execute("SELECT run_id, status FROM run_log").fetchall())
    assert statuses == {first: "interrupted", alive: "running", second: "completed"}
