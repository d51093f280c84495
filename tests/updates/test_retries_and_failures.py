"""Against the fake E-utilities server: the flow retries a transient fault and never a permanent one,
and a saved search that fails does not stop the others."""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date

import pytest
from fake_eutils import FakeEutils, Fault

from litmus.entrez import EntrezClient, LiveTransport, RateLimiter, RetryPolicy
from litmus.settings import EntrezSettings
from litmus.updates.searches import SavedSearch
from litmus.warehouse import open_warehouse

pytestmark = pytest.mark.integration

EMAIL = "updates@example.org"
AS_OF = date(2026, 1, 5)
FOUND = {"36000001": date(2026, 1, 2), "36000002": date(2026, 1, 3)}


@pytest.fixture
def attempts(monkeypatch) -> list[str]:
    """Every client the search task makes: one per attempt Prefect runs (read here, not from the
    server, which in this session may receive task runs through another test's events client)."""
    import flows.update

    made, real = [], flows.update.make_client

    def counting(settings):
        made.append(settings.mode)
        return real(settings)

    monkeypatch.setattr("flows.update.make_client", counting)
    return made


@pytest.fixture
def fake(monkeypatch, attempts):
    """The fake NCBI, with the live client of the flows pointed at it and its own backoff instant
    (the flow's retries are under test here, not the client's)."""
    with FakeEutils() as server:
        monkeypatch.setenv("LITMUS_EUTILS_URL", server.base_url)
        monkeypatch.setenv("NCBI_EMAIL", EMAIL)

        def fast_client(settings):
            attempts.append(settings.mode)
            transport = LiveTransport(settings.email, base_url=server.base_url, limiter=RateLimiter(1000.0, burst=1000))
            return EntrezClient(transport, retry=RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.002))

        monkeypatch.setattr("flows.update.make_client", fast_client)
        yield server


def saved_search(fake, name: str, query: str) -> SavedSearch:
    search = SavedSearch(name=name, query=query, lookback_days=30)
    fake.add_records(FOUND)
    fake.add_search(search.term, list(FOUND), dates=FOUND)
    return search


def run_one_search(search: SavedSearch, warehouse, entrez: EntrezSettings) -> dict:
    """One `search-<name>` task in a flow, with the flow's retry delays at zero: how it ended, and
    its result or error."""
    from prefect import flow

    from flows.update import run_saved_search

    task = run_saved_search.with_options(retry_delay_seconds=0)

    @flow
    def one_search():
        state = task(search, AS_OF, "run-1", entrez, warehouse, return_state=True)
        outcome = state.result(raise_on_failure=False)
        return {"completed": state.is_completed(),
                "result": None if isinstance(outcome, BaseException) else outcome,
                "error": repr(outcome) if isinstance(outcome, BaseException) else None}

    return one_search()


def test_a_transient_fault_is_retried_by_the_flow(prefect_api, fake, attempts, warehouse):
    search = saved_search(fake, "transient", "tandem CAR[tiab]")
    fake.script("esearch", Fault.http(503), Fault.http(503))  # both attempts of the client's first try
    ended = run_one_search(search, warehouse, EntrezSettings(mode="live", email=EMAIL))
    assert ended["completed"] and sorted(ended["result"]["new"]) == sorted(FOUND)
    assert len(attempts) == 2
    assert fake.counts["esearch"] == 3  # two refused, then the flow's retry got the answer


def test_a_refused_request_is_not_retried(prefect_api, fake, attempts, warehouse):
    search = saved_search(fake, "refused", "bad[query")
    fake.script("esearch", Fault.http(400, body=b"Bad Request: unbalanced bracket"))
    ended = run_one_search(search, warehouse, EntrezSettings(mode="live", email=EMAIL))
    assert not ended["completed"] and "EntrezQueryError" in ended["error"] and "refused" in ended["error"]
    assert len(attempts) == 1 and fake.counts["esearch"] == 1


def test_a_replay_miss_is_not_retried(prefect_api, attempts, warehouse):
    search = SavedSearch(name="not-in-the-replay", query="nothing recorded[tiab]")
    ended = run_one_search(search, warehouse, EntrezSettings())
    assert not ended["completed"] and "ReplayMiss" in ended["error"]
    assert attempts == ["replay"]


SEARCHES = """\
[[search]]
name = "fine"
query = "tandem CAR[tiab]"

[[search]]
name = "broken"
query = "bad[query"

[[search]]
name = "also-fine"
query = "bispecific CAR[tiab]"
"""


def test_a_failed_search_does_not_stop_the_others(prefect_api, fake, warehouse, tmp_path, litmus):
    searches = tmp_path / "searches.toml"
    searches.write_text(SEARCHES)
    fine = saved_search(fake, "fine", "tandem CAR[tiab]")
    fake.add_search(SavedSearch("also-fine", "bispecific CAR[tiab]").term, ["36000003"], dates={"36000003": date(2026, 1, 4)})
    fake.add_records(["36000003"])
    # The searches run in file order: the second ESearch is the broken one's.
    fake.script("esearch", Fault(), Fault.http(400, body=b"Bad Request"))

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = litmus(["update", "--live", "--searches", str(searches), "--as-of", AS_OF.isoformat(),
                         "--no-extract", "--json", "--warehouse", str(warehouse)])

    assert status == 1
    summary = json.loads(out.getvalue())
    assert [s["search"] for s in summary["searches"]] == ["fine", "also-fine"]
    assert [f["search"] for f in summary["failed_searches"]] == ["broken"]
    assert "EntrezQueryError" in summary["failed_searches"][0]["error"]
    assert sorted(summary["new_pmids"]) == ["36000001", "36000002", "36000003"]
    assert "1 of 3 saved searches failed (broken:" in err.getvalue()
    digest = (warehouse.parent / "digests" / "2026-01-05.md").read_text()
    assert "## Failed searches" in digest and "- `broken`: EntrezQueryError" in digest
    with open_warehouse(warehouse, read_only=True) as con:
        marks = dict(con.execute("SELECT search_name, watermark FROM search_watermarks WHERE datetype = 'edat'").fetchall())
        run = con.execute("SELECT status, message FROM run_log").fetchall()
    assert marks == {fine.name: AS_OF, "also-fine": AS_OF}  # "broken" asks its window again next time
    assert run[0][0] == "failed" and "SearchesFailed" in run[0][1]
