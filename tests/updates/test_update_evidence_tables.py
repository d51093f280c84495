"""Studies the saved searches bring in join the evidence tables: classified, grouped, marked not cited."""

import pytest

from search_replay import FIRST_DAY, SCENARIO
from litmus.warehouse import open_warehouse

DAY1 = sorted(pmid for found in SCENARIO.values() for pmid, edat in found.items() if edat < FIRST_DAY)


def test_new_studies_are_classified_and_marked_not_cited(prefect_api, warehouse, tmp_path):
    from flows.update import update_evidence_flow

    update_evidence_flow(as_of="2026-01-05", warehouse=str(warehouse), extract=True, digest=str(tmp_path / "d.md"))
    with open_warehouse(warehouse, read_only=True) as con:
        grouped = con.execute("SELECT pmid, strategy FROM study_groups ORDER BY pmid").fetchall()
        assert [pmid for pmid, _ in grouped] == DAY1  # each new study once, with a primary strategy or 'unclassified'
        classified = con.execute("SELECT count(DISTINCT pmid) FROM paper_strategies WHERE is_primary").fetchall()[0][0]
        assert classified == con.execute("SELECT count(DISTINCT pmid) FROM paper_strategies").fetchall()[0][0]
        rows = con.execute("SELECT DISTINCT pmid, cited_by_review, first_seen FROM outcome_evidence").fetchall()
    if not rows:
        pytest.fail("no outcome figure was extracted from the day's new studies")
    assert all(cited is False and str(seen) == "2026-01-05" for _, cited, seen in rows)
