"""The 10,000-record ESearch cap, against the fake E-utilities server over real HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fake_eutils import FakeEutils

from litmus.entrez import EntrezClient, LiveTransport, RateLimiter
from litmus.updates.incremental import ESEARCH_CAP, Window, WindowTooLarge, collect_ids

TERM = '"chimeric antigen receptor"[tiab]'


class DatedFeed(FakeEutils):
    """A fake PubMed whose one saved search finds `count` records spread over a year: a wide
    window counts more than ESearch lists, a narrow one less. Logs every ESearch Count it gives."""

    def __init__(self, count: int, start: date = date(2024, 1, 1), days: int = 366, on_one_day: int = 0):
        super().__init__()
        ids = [str(30_000_000 + i) for i in range(count)]
        dates = {pmid: start + timedelta(days=i % days) for i, pmid in enumerate(ids)}
        dates.update({str(40_000_000 + i): date(2024, 7, 1) for i in range(on_one_day)})
        self.add_search(TERM, list(dates), dates=dates)
        self.counts_given: list[tuple[str, str, int]] = []

    def _answer_esearch(self, params):
        ids = self._search_ids(params)
        self.counts_given.append((params.get("mindate"), params.get("maxdate"), len(ids or [])))
        return super()._answer_esearch(params)


def client_for(server) -> EntrezClient:
    transport = LiveTransport(email="tests@example.org", base_url=server.base_url, timeout=10.0, limiter=RateLimiter(10_000))
    return EntrezClient(transport)


def test_a_window_above_the_cap_is_sliced_until_every_slice_fits():
    with DatedFeed(25_000) as server:
        collected = collect_ids(
            client_for(server), TERM, Window(date(2024, 1, 1), date(2024, 12, 31)), page_size=5_000
        )
    expected = set(server.searches[TERM].ids)
    assert len(collected.ids) == len(set(collected.ids)) == 25_000
    assert set(collected.ids) == expected
    assert len(collected.slices) >= 3
    assert all(s.count <= ESEARCH_CAP for s in collected.slices)
    assert collected.count == 25_000
    # Slices are contiguous and cover the window once.
    ordered = sorted(collected.slices, key=lambda s: s.window.mindate)
    assert ordered[0].window.mindate == date(2024, 1, 1) and ordered[-1].window.maxdate == date(2024, 12, 31)
    assert all(a.window.maxdate + timedelta(days=1) == b.window.mindate for a, b in zip(ordered, ordered[1:]))
    # Every page asked stayed under the cap: only the too-wide probes saw more.
    esearches = server.requests_to("esearch")
    assert all(r.params["usehistory"] == "y" and r.params["datetype"] == "edat" for r in esearches)
    paged = [r for r in esearches if int(r.params["retstart"]) > 0]
    assert paged and all(int(r.params["retstart"]) + int(r.params["retmax"]) <= 10_000 for r in paged)
    too_wide = [c for c in server.counts_given if c[2] > ESEARCH_CAP]
    assert too_wide and all(c[2] <= ESEARCH_CAP for c in server.counts_given if c not in too_wide)


def test_a_single_day_above_the_cap_asks_for_a_narrower_query():
    with DatedFeed(10, on_one_day=10_000) as server:
        with pytest.raises(WindowTooLarge, match="Narrow the saved search"):
            collect_ids(client_for(server), TERM, Window(date(2024, 6, 1), date(2024, 7, 31)), page_size=5_000)


def test_a_small_window_is_one_slice_paged_with_retstart():
    with DatedFeed(2_500) as server:
        collected = collect_ids(client_for(server), TERM, Window(date(2024, 1, 1), date(2024, 12, 31)), page_size=1_000)
    assert len(collected.slices) == 1 and len(collected.ids) == 2_500
    assert [int(r.params["retstart"]) for r in server.requests_to("esearch")] == [0, 1_000, 2_000]
    assert collected.history and collected.history[0][0].startswith("MCID_fake_")
