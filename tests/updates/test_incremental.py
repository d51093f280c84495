"""Incremental runs over the shipped two-day replay: only what is new is fetched, watermarks advance."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import date

import pytest

from litmus.entrez import EntrezClient, ReplayMiss
from litmus.paths import corpus_dir
from litmus.updates.incremental import UpdateBusy, Window, update_lock, update_search, watermarks
from search_replay import FIRST_DAY, SCENARIO, SECOND_DAY, ScenarioTransport
from litmus.updates.searches import load_searches
from litmus.warehouse.load import stored_pmids

DAY1 = sorted(p for ids in SCENARIO.values() for p, d in ids.items() if d < FIRST_DAY)
DAY2 = sorted(p for ids in SCENARIO.values() for p, d in ids.items() if d >= FIRST_DAY)


def run_day(con, client, day: date) -> dict:
    run_id = uuid.uuid4().hex
    sent = len(client.transport.requests)
    outcomes = [update_search(con, client, search, day, run_id=run_id) for search in load_searches()]
    requests = client.transport.requests[sent:]
    return {
        "outcomes": {o.search: o for o in outcomes},
        "esearch": [r for r in requests if r.utility == "esearch"],
        "efetch_ids": sorted(i for r in requests if r.utility == "efetch" for i in r.ids),
        "new": sorted(p for o in outcomes for p in o.new_pmids),
    }


def test_two_days_then_a_rerun(con, replay_client):
    assert DAY1 and DAY2 and not set(DAY1) & set(DAY2)

    first = run_day(con, replay_client, FIRST_DAY)
    assert first["new"] == first["efetch_ids"] == DAY1
    assert stored_pmids(con) == set(DAY1)
    assert len(first["esearch"]) == 6  # one EDAT window per search; MDAT only sets a baseline
    assert {r.param("datetype") for r in first["esearch"]} == {"edat"}
    assert all(r.param("usehistory") == "y" for r in first["esearch"])
    assert all((r.param("mindate"), r.param("maxdate")) == ("2025/01/05", "2026/01/04") for r in first["esearch"])
    marks = watermarks(con)
    assert set(marks.values()) == {FIRST_DAY} and len(marks) == 12

    second = run_day(con, replay_client, SECOND_DAY)
    assert second["new"] == second["efetch_ids"] == DAY2  # nothing of day 1 is fetched again
    assert len(second["esearch"]) == 12  # EDAT and MDAT per search
    assert all((r.param("mindate"), r.param("maxdate")) == ("2026/01/05", "2026/01/05") for r in second["esearch"])
    assert stored_pmids(con) == set(DAY1) | set(DAY2)
    assert set(watermarks(con).values()) == {SECOND_DAY}
    assert second["outcomes"]["car-t-imid-maintenance"].new_pmids == ["35433994"]

    again = run_day(con, replay_client, SECOND_DAY)
    assert again["esearch"] == [] and again["efetch_ids"] == [] and again["new"] == []
    assert {o.added.status for o in again["outcomes"].values()} == {"up_to_date"}
    hits = con.execute("SELECT count(*), count(DISTINCT pmid) FROM search_hits").fetchall()[0]
    assert hits == (len(DAY1) + len(DAY2),) * 2
    first_seen = dict(con.execute("SELECT pmid, first_seen FROM search_hits").fetchall())
    assert {first_seen[p] for p in DAY1} == {FIRST_DAY} and {first_seen[p] for p in DAY2} == {SECOND_DAY}


def test_any_other_request_is_a_replay_miss(con, replay_client):
    run_day(con, replay_client, FIRST_DAY)
    with pytest.raises(ReplayMiss):
        update_search(con, replay_client, load_searches()[0], date(2026, 1, 8), run_id="x")
    assert set(watermarks(con).values()) == {FIRST_DAY}  # a failed search leaves its watermark alone


def scenario_client(tmp_path, edat, mdat=None):
    from litmus.entrez.replay import ReplayStore

    # The PubMed records come from the shipped corpus; the searches from a scenario of the test.
    entrez = tmp_path / "entrez"
    for pmid in {p for ids in edat.values() for p in ids}:
        source = corpus_dir() / "entrez" / "pubmed" / f"{pmid}.xml"
        ReplayStore(entrez).save_article(pmid, source.read_bytes())
    return EntrezClient(ScenarioTransport(entrez, edat, mdat))


def test_papers_modified_upstream_are_fetched_again(tmp_path, con):
    search = load_searches()[1]  # bcma-car-t-myeloma
    edat = {search.term: {"30988175": date(2026, 1, 4), "31042825": date(2026, 1, 5)}}
    mdat = {search.term: {"30988175": date(2026, 1, 5), "31042825": date(2026, 1, 5)}}
    client = scenario_client(tmp_path, edat, mdat)
    update_search(con, client, search, FIRST_DAY, run_id="run-1")
    con.execute("UPDATE papers SET source = 'stale' WHERE pmid = '30988175'")

    sent = len(client.transport.requests)
    outcome = update_search(con, client, search, SECOND_DAY, run_id="run-2")
    assert outcome.new_pmids == ["31042825"]
    assert outcome.updated_pmids == ["30988175"]
    fetched = [r.ids for r in client.transport.requests[sent:] if r.utility == "efetch"]
    assert fetched == [("31042825",), ("30988175",)]
    assert con.execute("SELECT source FROM papers WHERE pmid = '30988175'").fetchall() == [("replay",)]
    row = con.execute(
        "SELECT updated_pmids, new_pmids FROM search_runs WHERE run_id = 'run-2' AND datetype = 'mdat'"
    ).fetchall()
    assert row == [(["30988175"], [])]


def test_a_changed_query_starts_over_from_the_lookback(tmp_path, con):
    from dataclasses import replace

    search = load_searches()[1]
    client = scenario_client(tmp_path, {search.term: {"30988175": date(2026, 1, 4)}})
    update_search(con, client, search, FIRST_DAY, run_id="r1")
    narrower = replace(search, query=search.query + " AND humans[mh]")
    client.transport.edat[narrower.term] = {"30988175": date(2026, 1, 4)}
    outcome = update_search(con, client, narrower, SECOND_DAY, run_id="r2")
    assert outcome.added.window == Window(date(2025, 1, 6), date(2026, 1, 5))
    assert outcome.modified.status == "baseline"
    assert outcome.new_pmids == []  # found again, but already stored


def test_window_halves_cover_every_day_once():
    window = Window(date(2024, 1, 1), date(2024, 1, 10))
    left, right = window.halves()
    assert (left, right) == (Window(date(2024, 1, 1), date(2024, 1, 5)), Window(date(2024, 1, 6), date(2024, 1, 10)))
    assert Window(date(2024, 1, 1), date(2024, 1, 1)).halves() is None
    assert window.entrez() == ("2024/01/01", "2024/01/10")


def test_a_second_run_waits_for_the_lock_or_stops_clearly(warehouse):
    with update_lock(warehouse):
        started = time.monotonic()
        with pytest.raises(UpdateBusy, match="already running .*pid"):
            with update_lock(warehouse, wait_seconds=0.3, poll_seconds=0.05):
                pass
        assert time.monotonic() - started >= 0.3

    holder = threading.Event()
    release = threading.Event()

    def hold():
        with update_lock(warehouse):
            holder.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holder.wait(5)
    threading.Timer(0.3, release.set).start()
    with update_lock(warehouse, wait_seconds=5, poll_seconds=0.05):  # waits, then gets it
        assert release.is_set()
    thread.join()
