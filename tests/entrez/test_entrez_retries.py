"""Recovery from NCBI's transient failures, and clear errors when they do not go away."""

from __future__ import annotations

import logging
import random

import pytest
from fake_eutils import EPOST_DOCTYPE, XML_DECLARATION, Fault

from litmus.entrez import (
    EntrezClient,
    EntrezError,
    EntrezQueryError,
    EntrezRequest,
    ReplayMiss,
    ReplayTransport,
    RetryPolicy,
)
from litmus.entrez.retry import parse_retry_after


@pytest.fixture
def searchable(fake_eutils):
    fake_eutils.add_search("car t resistance", ["301", "302", "303"])
    return fake_eutils


@pytest.mark.parametrize(
    "fault",
    [
        Fault.http(429),
        Fault.http(500),
        Fault.http(502),
        Fault.http(503),
        Fault.http(504),
        Fault.truncated(),
        Fault.incomplete(),
        Fault.dropped(),
        Fault.empty(),
        Fault.error("Search Backend failed: Couldn't resolve #exec_server"),
        Fault(body=b"<html><body>Proxy error</body></html>"),
    ],
    ids=["429", "500", "502", "503", "504", "truncated-xml", "incomplete-read", "dropped",
         "empty-body", "error-element", "html-page"],
)
def test_transient_failures_are_retried_until_an_answer_arrives(searchable, make_client, recorded_sleep, fault):
    searchable.script("esearch", fault, fault)

    result = make_client().esearch("car t resistance")

    assert result.ids == ["301", "302", "303"]
    assert searchable.counts["esearch"] == 3
    assert len(recorded_sleep.delays) == 2


def test_retry_after_is_honoured(searchable, make_client, recorded_sleep):
    searchable.script("esearch", Fault.http(429, retry_after=7), Fault.http(503, retry_after=2))
    make_client().esearch("car t resistance")
    assert recorded_sleep.delays == [7.0, 2.0]


def test_backoff_without_retry_after_is_jittered_exponential(searchable, make_client, recorded_sleep):
    searchable.script("esearch", *[Fault.http(429)] * 4)
    policy = RetryPolicy(max_attempts=5, base_delay=0.5, max_delay=1.5, rng=random.Random(1))
    make_client(retry=policy).esearch("car t resistance")
    ceilings = [0.5, 1.0, 1.5, 1.5]  # base * 2**(attempt-1), capped by max_delay
    assert len(recorded_sleep.delays) == 4
    assert all(0 <= d <= c for d, c in zip(recorded_sleep.delays, ceilings))
    assert len(set(recorded_sleep.delays)) == 4  # full jitter: not a fixed schedule


def test_timeout_is_retried(searchable, make_transport, make_client, recorded_sleep):
    searchable.script("esearch", Fault.slow(0.8))
    client = make_client(make_transport(timeout=0.2))

    assert client.esearch("car t resistance").count == 3
    assert searchable.counts["esearch"] == 2


def test_efetch_recovers_mid_batch(fake_eutils, make_client):
    ids = [str(40_000 + i) for i in range(450)]
    fake_eutils.add_records(ids)
    fake_eutils.script("efetch", Fault.truncated(), Fault.http(502))
    fake_eutils.script("epost", Fault.http(503))

    result = make_client().fetch_records(ids)

    assert sorted(r.pmid for r in result.records) == ids and result.missing == []
    assert fake_eutils.counts["efetch"] == 3 + 2 and fake_eutils.counts["epost"] == 2


def test_persistent_failure_raises_entrez_error_naming_the_utility(fake_eutils, make_client, recorded_sleep, caplog):
    fake_eutils.script("efetch", *[Fault.http(503)] * 3)
    fake_eutils.add_record("7")
    client = make_client(retry=RetryPolicy(max_attempts=3, rng=random.Random(3)))

    with caplog.at_level(logging.WARNING, logger="litmus.entrez"):
        with pytest.raises(EntrezError) as raised:
            list(client.efetch_pubmed_xml(["7"]))

    message = str(raised.value)
    assert "efetch" in message and "3 attempts" in message and "HTTP 503" in message
    assert raised.value.utility == "efetch" and raised.value.attempts == 3
    assert fake_eutils.counts["efetch"] == 3 and len(recorded_sleep.delays) == 2
    retries = [r for r in caplog.records if r.name == "litmus.entrez" and "retrying" in r.getMessage()]
    assert len(retries) == 2 and "efetch" in retries[0].getMessage()


@pytest.mark.parametrize(
    "fault",
    [Fault.http(400, body=b"Bad Request"), Fault.http(404), Fault.error("Invalid db name specified: nothing")],
    ids=["400", "404", "invalid-db"],
)
def test_permanent_failures_are_not_retried(searchable, make_client, recorded_sleep, fault):
    searchable.script("esearch", fault)
    with pytest.raises(EntrezQueryError, match="esearch") as raised:
        make_client().esearch("car t resistance")
    assert raised.value.attempts == 1
    assert searchable.counts["esearch"] == 1 and recorded_sleep.delays == []


def test_replay_miss_is_raised_at_once(tmp_path, recorded_sleep):
    client = EntrezClient(ReplayTransport(tmp_path), sleep=recorded_sleep)
    with pytest.raises(ReplayMiss, match="esearch"):
        client.esearch("never recorded")
    assert recorded_sleep.delays == []


def test_retries_apply_to_any_transport(recorded_sleep):
    """A transport that is not HTTP at all gets the same retry treatment."""
    from litmus.entrez import EntrezResponse

    class Flaky:
        def __init__(self):
            self.calls = 0

        def send(self, request: EntrezRequest) -> EntrezResponse:
            self.calls += 1
            if self.calls == 1:
                return EntrezResponse(500, b"", {}, request)
            body = (XML_DECLARATION + EPOST_DOCTYPE
                    + "<ePostResult><QueryKey>1</QueryKey><WebEnv>W</WebEnv></ePostResult>")
            return EntrezResponse(200, body.encode(), {}, request)

        def close(self):
            pass

    transport = Flaky()
    handle = EntrezClient(transport, sleep=recorded_sleep).epost(["1"])
    assert (handle.webenv, handle.query_key, transport.calls) == ("W", "1", 2)


def test_retry_after_parsing():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-1") is None
