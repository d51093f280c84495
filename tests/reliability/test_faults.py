"""Fault injection: the real LiveTransport + EntrezClient + ingest stages against a misbehaving
fake E-utilities server, loading into a real DuckDB warehouse. Every fault is survived (retried
within limits, then reported) and the warehouse holds exactly the expected papers, once each."""

from __future__ import annotations

import pytest
from fake_eutils import Fault, synthetic_article, FakeRecord, PUBMED_DOCTYPE, XML_DECLARATION
from datetime import date

from litmus.entrez import EntrezError, EntrezQueryError
from litmus.ingest import fetch_and_store, resolve_review
from litmus.records import Citation, Review
from reliability_support import paper_pmids, row_counts

PMIDS = [str(31_000_001 + i) for i in range(7)]  # 3 EFetch batches of 3, 3, 1

HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body>Proxy error</body></html>"

TRANSIENT_FAULTS = {
    "429 with Retry-After": Fault.http(429, retry_after=0),
    "429 without Retry-After": Fault.http(429),
    "500": Fault.http(500),
    "502": Fault.http(502),
    "503": Fault.http(503),
    "connection reset": Fault.dropped(),
    "timeout": Fault.slow(1.0),  # the client's timeout is 0.3 s
    "slow body cut short": Fault.incomplete(),
    "truncated XML": Fault.truncated(),
    "<ERROR> body": Fault.error("Search Backend failed: temporary problem"),
    "empty 200": Fault.empty(),
    "HTML error page with 200": Fault(body=HTML_PAGE),
}
LOG_REASON = {
    "429 with Retry-After": "HTTP 429", "429 without Retry-After": "HTTP 429", "500": "HTTP 500",
    "502": "HTTP 502", "503": "HTTP 503", "connection reset": "no answer", "timeout": "timed out",
    "slow body cut short": "no answer", "truncated XML": "malformed or truncated XML",
    "<ERROR> body": "NCBI reported ERROR", "empty 200": "empty body", "HTML error page with 200": "HTML page",
}


def article_set(*pmids: str) -> bytes:
    articles = "\n".join(synthetic_article(FakeRecord(p, f"Synthetic article {p}", date(2020, 1, 15))) for p in pmids)
    return (XML_DECLARATION + PUBMED_DOCTYPE + f"\n<PubmedArticleSet>\n{articles}\n</PubmedArticleSet>\n").encode()


def assert_exactly_stored(con, expected) -> None:
    assert paper_pmids(con) == sorted(expected)
    counts = row_counts(con)
    assert counts["authors"] == len(expected)  # one synthetic author each: no child row doubled
    assert counts["publication_types"] == len(expected)


@pytest.mark.parametrize("where", ["first batch", "middle batch"])
@pytest.mark.parametrize("name", list(TRANSIENT_FAULTS))
def test_transient_fault_is_retried_and_nothing_is_lost(name, where, fake, make_client, warehouse, sleeps, all_logs):
    fake.add_records(PMIDS)
    before = [Fault()] if where == "middle batch" else []
    fake.script("efetch", *before, TRANSIENT_FAULTS[name], TRANSIENT_FAULTS[name])
    client = make_client(timeout=0.3)

    outcome = fetch_and_store(warehouse, client, PMIDS, source="eutils")

    assert outcome.stored == len(PMIDS) and outcome.missing == []
    assert_exactly_stored(warehouse, PMIDS)
    assert fake.counts["efetch"] == 3 + 2  # three batches, the faulty one asked three times
    assert len(sleeps) == 2
    if name == "429 with Retry-After":
        assert sleeps == [0.0, 0.0]  # the server's Retry-After wins over our back-off
    retries = [r.getMessage() for r in all_logs.records if "retrying in" in r.getMessage()]
    assert len(retries) == 2 and all(LOG_REASON[name] in line for line in retries), retries
    assert "attempt 1 of 4" in retries[0] and "attempt 2 of 4" in retries[1]


def test_retries_are_limited_then_reported_and_a_rerun_completes(fake, make_client, warehouse, sleeps, all_logs):
    fake.add_records(PMIDS)
    fake.script("efetch", Fault(), *[Fault.http(503)] * 4)  # batch 2 never gets through
    client = make_client(attempts=4)

    with pytest.raises(EntrezError, match="failed after 4 attempts") as failure:
        fetch_and_store(warehouse, client, PMIDS, source="eutils")

    assert failure.value.attempts == 4 and failure.value.status == 503
    assert len(sleeps) == 3  # no sleep after the last attempt
    assert fake.counts["efetch"] == 1 + 4
    assert_exactly_stored(warehouse, PMIDS[:3])  # batch 1 committed, batch 2 not half-written
    assert "\n" not in str(failure.value)

    outcome = fetch_and_store(warehouse, make_client(), PMIDS, source="eutils")  # the server recovered
    assert outcome.already_stored == 3 and outcome.stored == 4
    assert_exactly_stored(warehouse, PMIDS)


def test_a_permanent_error_is_not_retried(fake, make_client, warehouse, sleeps):
    fake.add_records(PMIDS)
    fake.script("efetch", Fault.error("Invalid uid 99999999999 at position 0"))

    with pytest.raises(EntrezQueryError, match="Retrying will not help"):
        fetch_and_store(warehouse, make_client(), PMIDS, source="eutils")

    assert fake.counts["efetch"] == 1 and sleeps == []
    assert paper_pmids(warehouse) == []


def test_missing_and_withdrawn_pmids_are_reported_not_invented(fake, make_client, warehouse, all_logs):
    present, gone = PMIDS[:5], ["39999998", "39999999"]  # the fake leaves unknown PMIDs out, as NCBI does
    fake.add_records(present)

    outcome = fetch_and_store(warehouse, make_client(), present[:2] + gone + present[2:], source="eutils")

    assert outcome.missing == gone and outcome.stored == 5
    assert_exactly_stored(warehouse, present)
    warning = [r for r in all_logs.records if r.name == "litmus.ingest" and r.levelname == "WARNING"]
    assert len(warning) == 1 and "39999998, 39999999" in warning[0].getMessage()

    again = fetch_and_store(warehouse, make_client(), present + gone, source="eutils")
    assert again.already_stored == 5 and again.missing == gone  # asked again, still not invented
    assert_exactly_stored(warehouse, present)


def test_duplicated_records_in_one_answer_are_stored_once(fake, make_client, warehouse):
    fake.add_records(PMIDS[:3])
    fake.script("efetch", Fault(body=article_set(PMIDS[0], PMIDS[1], PMIDS[0], PMIDS[2], PMIDS[1])))

    outcome = fetch_and_store(warehouse, make_client(), PMIDS[:3], source="eutils")

    assert outcome.missing == []
    assert_exactly_stored(warehouse, PMIDS[:3])


def test_an_answer_with_records_nobody_asked_for_stores_them_once(fake, make_client, warehouse):
    # NCBI answers a merged PMID with its successor: the record is kept, the asked one reported missing.
    fake.add_records(PMIDS[:2])
    fake.script("efetch", Fault(body=article_set(PMIDS[0], "32000000")))

    outcome = fetch_and_store(warehouse, make_client(), PMIDS[:2], source="eutils")

    assert outcome.missing == [PMIDS[1]]
    assert_exactly_stored(warehouse, [PMIDS[0], "32000000"])


def test_history_server_path_survives_faults(fake, make_client, warehouse, sleeps):
    fake.add_records(PMIDS)
    client = make_client(batch_size=3)
    fake.script("epost", Fault.http(502))
    fake.script("efetch", Fault(), Fault.dropped())
    bodies = list(client.efetch_pubmed_xml(PMIDS, use_history=True))

    assert fake.counts["epost"] == 2 and fake.counts["efetch"] == 4
    from litmus.pubmed import parse_pubmed_xml

    assert sorted(r.pmid for body in bodies for r in parse_pubmed_xml(body)) == sorted(PMIDS)


def _review(*citations: Citation) -> Review:
    return Review(review_id="fault-review", title="A review under fire", citations=citations)


def test_resolution_survives_faults_and_a_failed_step_is_retried_next_run(fake, make_client, warehouse, all_logs):
    fake.add_records(PMIDS[:3])
    fake.add_search('"10.1000/one"[doi]', [PMIDS[0]])
    fake.add_search('"10.1000/two"[doi]', [PMIDS[1]])
    review = _review(
        Citation("1", "numbered", doi="10.1000/one"),
        Citation("2", "numbered", doi="10.1000/two"),
        Citation("3", "numbered", pmid=PMIDS[2]),
    )
    fake.script("esearch", Fault.http(429, retry_after=0), Fault.truncated(), Fault())  # citation 1: survives
    fake.script("esearch", *[Fault.http(500)] * 3)  # citation 2: its 3 attempts spent

    first = resolve_review(warehouse, review, make_client(attempts=3))

    by_key = {r.citation_key: r for r in first.resolutions}
    assert by_key["1"].pmid == PMIDS[0] and by_key["3"].pmid == PMIDS[2]
    assert by_key["2"].pmid is None and "NCBI request failed" in by_key["2"].detail
    assert "HTTP 500" in by_key["2"].detail
    stored = warehouse.execute("SELECT citation_key, pmid FROM citations ORDER BY citation_key").fetchall()
    assert stored == [("1", PMIDS[0]), ("2", None), ("3", PMIDS[2])]

    fake.reset_log()
    second = resolve_review(warehouse, review, make_client())
    assert second.reused == 2 and fake.counts["esearch"] == 1  # only the failed one is asked again
    assert [r.pmid for r in second.resolutions] == [PMIDS[0], PMIDS[1], PMIDS[2]]
    rows = warehouse.execute("SELECT count(*), count(DISTINCT citation_key) FROM citations").fetchall()
    assert rows == [(3, 3)]
