"""The update flow for real (against the session's Prefect server): two replay days and a re-run."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from search_replay import FIRST_DAY, SCENARIO, SECOND_DAY
from litmus.warehouse import open_warehouse

pytestmark = pytest.mark.integration

DAY1 = sorted(p for ids in SCENARIO.values() for p, d in ids.items() if d < FIRST_DAY)
DAY2 = sorted(p for ids in SCENARIO.values() for p, d in ids.items() if d >= FIRST_DAY)


def efetch_ids(requests: list[str]) -> list[str]:
    from urllib.parse import parse_qs

    ids = []
    for line in requests:
        utility, _, query = line.partition("?")
        if utility == "efetch":
            ids += parse_qs(query)["id"][0].split(",")
    return sorted(ids)


def test_update_flow_two_days_then_rerun(prefect_api, warehouse, tmp_path, litmus):
    from flows.update import update_evidence_flow

    # Day 1 through the CLI, as a user runs it. (Not capsys: Prefect's log handlers would keep
    # its stream after the test closes it.)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert litmus(["update", "--as-of", "2026-01-05", "--no-extract", "--json", "--warehouse", str(warehouse)]) == 0
    first = json.loads(out.getvalue())
    assert first["new_pmids"] and sorted(first["new_pmids"]) == DAY1
    assert efetch_ids(first["requests"]) == DAY1
    assert len(first["requests"]) == 6 + len(DAY1)  # six EDAT windows, one EFetch per new paper
    digest_day1 = warehouse.parent / "digests" / "2026-01-05.md"
    assert "3 new studies (3 clinical)" in digest_day1.read_text()

    second = update_evidence_flow(as_of="2026-01-06", warehouse=str(warehouse), extract=False,
                                  digest=str(tmp_path / "day2.md"))
    assert sorted(second["new_pmids"]) == DAY2
    assert efetch_ids(second["requests"]) == DAY2
    assert sum(line.startswith("esearch?") for line in second["requests"]) == 12
    assert "4 new studies" in (tmp_path / "day2.md").read_text()

    again = update_evidence_flow(as_of="2026-01-06", warehouse=str(warehouse), extract=False,
                                 digest=str(tmp_path / "again.md"))
    assert again["new_pmids"] == [] and again["requests"] == []
    assert "0 new studies" in (tmp_path / "again.md").read_text()

    with open_warehouse(warehouse, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == len(DAY1) + len(DAY2)
        assert con.execute("SELECT DISTINCT watermark FROM search_watermarks").fetchall() == [(SECOND_DAY,)]
        runs = con.execute("SELECT flow, status FROM run_log ORDER BY started_at").fetchall()
        assert runs == [("update-evidence", "completed")] * 3
        assert con.execute("SELECT count(*) FROM paper_relevance WHERE NOT cited_by_review").fetchall()[0][0] == 7


def test_the_digest_is_a_prefect_artifact(prefect_api, warehouse, tmp_path):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.update import update_evidence_flow

    update_evidence_flow(as_of="2026-01-05", warehouse=str(warehouse), extract=False, digest=str(tmp_path / "d.md"))

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["evidence-digest-2026-01-05"]))
            )

    found = asyncio.run(artifacts())
    assert found and found[0].type == "markdown" and "# litmus update, 2026-01-05" in found[0].data


def test_updated_papers_are_re_extracted(prefect_api, warehouse, tmp_path):
    """The extract task re-extracts a paper PubMed modified, and extracts new ones once."""
    try:
        from litmus.extraction import extractor_version

        extractor_version()
    except ImportError as error:  # the NLP stage is being reworked in this checkout
        pytest.skip(f"extraction stage unavailable here: {error}")
    from flows.extract import extract_papers
    from flows.update import update_evidence_flow

    update_evidence_flow(as_of="2026-01-05", warehouse=str(warehouse), extract=True, digest=str(tmp_path / "d.md"))
    with open_warehouse(warehouse, read_only=True) as con:
        before = dict(con.execute("SELECT pmid, extracted_at FROM extractions").fetchall())
    assert sorted(before) == DAY1
    extract_papers(warehouse, pmids=[DAY1[0]], force=True)  # tasks outside a flow run on their own
    with open_warehouse(warehouse, read_only=True) as con:
        after = dict(con.execute("SELECT pmid, extracted_at FROM extractions").fetchall())
    assert after[DAY1[0]] > before[DAY1[0]] and all(after[p] == before[p] for p in DAY1[1:])


def test_an_update_carries_new_studies_through_the_job_and_keeps_every_digest(prefect_api, warehouse):
    """On a warehouse holding the shipped review: new studies are extracted and classified into
    strategies in the same run, the review is verified again, and a day's second run keeps the
    first run's digest."""
    from flows.run import litmus_run_flow
    from flows.update import update_evidence_flow

    litmus_run_flow(warehouse=str(warehouse))
    first = update_evidence_flow(as_of="2026-01-05", warehouse=str(warehouse))
    assert sorted(first["extracted"]["extracted_pmids"]) == DAY1
    assert first["extracted"]["strategy_assignments"] > 0
    assert [v["review_id"] for v in first["verified"]] == ["zhang2022-editorial-car-t-resistance"]
    with open_warehouse(warehouse, read_only=True) as con:
        families = dict(con.execute(
            "SELECT pmid, list(DISTINCT family ORDER BY family) FROM evidence_table WHERE list_contains(?, pmid) GROUP BY pmid",
            [DAY1],
        ).fetchall())
    # Classified in the same run: these two name their strategy in the abstract; the third names
    # none the lexicon knows (before, all three stayed 'unclassified' until `litmus extract`).
    assert families["34312556"] == ["dual_targeting"] and families["30988175"] == ["single_target"]
    assert "- strategy: " in first["digest"]

    again = update_evidence_flow(as_of="2026-01-05", warehouse=str(warehouse))
    digests = warehouse.parent / "digests"
    assert again["digest_path"] == str(digests / "2026-01-05-2.md")
    assert "0 new studies" in (digests / "2026-01-05-2.md").read_text()
    assert "3 new studies" in (digests / "2026-01-05.md").read_text()  # the first run's digest is kept
    assert again["verified"] == []  # nothing changed: nothing to verify again


def test_update_as_json_lines_writes_one_record_per_search(prefect_api, warehouse, litmus):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert litmus(["update", "--as-of", "2026-01-05", "--no-extract", "--nl", "--warehouse", str(warehouse)]) == 0
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["record"] for r in records].count("search") >= 1 and records[-1]["record"] == "summary"
    assert sorted(records[-1]["new_pmids"]) == DAY1 and "searches" not in records[-1]
