"""The default job end to end, through real Prefect flows on the shipped corpus (offline replay)."""

from __future__ import annotations

import json

import duckdb
import pytest

from litmus.corpus.sources import load_papers
from litmus.paths import corpus_dir

pytestmark = pytest.mark.integration

from helpers import table_row_counts


@pytest.fixture(scope="module")
def two_runs(shipped_run):
    return shipped_run


def test_every_reference_with_a_shipped_paper_is_resolved_and_the_rest_say_why(two_runs):
    _, first, _, _ = two_runs
    ingest = first["ingest"]
    shipped_dois = {p.doi for p in load_papers(corpus_dir() / "papers")}
    assert ingest["citations"] == 16
    assert ingest["resolved"] == 5  # refs 2, 5, 6, 8 and Xiao et al.: the ones with a known PMID
    assert ingest["papers_stored"] == 5
    for citation in ingest["unresolved"]:
        assert set(citation) == {"citation_key", "reason"} and citation["reason"], citation
    assert len(ingest["unresolved"]) == 11
    assert len(shipped_dois) >= 5


def test_a_second_run_fetches_nothing_and_changes_no_row_count(two_runs):
    warehouse, _, counts_after_first, second = two_runs
    assert second["ingest"]["fetch_requests"] == 0
    assert second["ingest"]["papers_stored"] == 0
    assert second["ingest"]["reused_resolutions"] == 5
    assert second["extraction"]["papers"] == 0
    assert table_row_counts(warehouse) == {**counts_after_first, "run_log": counts_after_first["run_log"] + 1}


def test_every_stored_abstract_is_extracted(two_runs):
    warehouse, first, counts, _ = two_runs
    assert counts["extractions"] == counts["papers"] == 5
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cr = con.execute(
            "SELECT value, count, total FROM metrics WHERE pmid = '34642489' AND endpoint IN ('CR', 'CRi')"
        ).fetchall()
    finally:
        con.close()
    assert (86.0, 13, 15) in cr


def test_every_claim_has_a_verdict_with_a_reason_and_87_7_of_66_is_flagged(two_runs):
    warehouse, first, _, _ = two_runs
    assert first["verification"]["claims"] == 17
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        claims = con.execute("SELECT claim_id, verdict, explanation FROM claims").fetchall()
        findings = con.execute("SELECT claim_id, message FROM arithmetic_findings").fetchall()
    finally:
        con.close()
    assert all(verdict and explanation for _, verdict, explanation in claims)
    assert any(claim == "c05" and "87.7%" in message and "66" in message for claim, message in findings)


def test_the_run_is_logged(two_runs):
    warehouse, *_ = two_runs
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        runs = con.execute("SELECT status, counts FROM run_log WHERE flow = 'litmus-run'").fetchall()
    finally:
        con.close()
    assert [status for status, _ in runs] == ["completed", "completed"]
    assert json.loads(runs[0][1])["resolved"] == 5
