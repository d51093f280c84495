"""Record answers from the live path once, then replay them with no server at all."""

from __future__ import annotations

import pytest
from fake_eutils import Fault

from litmus.entrez import (
    CitationQuery,
    EntrezClient,
    EntrezError,
    EntrezQueryError,
    RecordingTransport,
    ReplayTransport,
    RetryPolicy,
)

PMC_JATS = (
    b'<?xml version="1.0" ?>\n<pmc-articleset><article><front><article-meta>'
    b"<article-title>Synthetic full text</article-title></article-meta></front></article></pmc-articleset>\n"
)


def exercise(client: EntrezClient, many: list[str]) -> dict:
    """The calls litmus makes, with everything they return."""
    return {
        "search": client.esearch("car t resistance", retmax=5, usehistory=True),
        "summary": client.esummary(["501", "502"]),
        "cit": client.ecitmatch([CitationQuery("ref1", "blood", 2021, "137", "100", "tester a")]),
        "few": client.fetch_records(["501", "502", "999"]),
        "many": client.fetch_records(many),
        "pmc": client.efetch_pmc_jats("PMC77"),
    }


def test_recorded_answers_replay_identically_without_the_server(fake_eutils, make_transport, make_client, tmp_path):
    many = [str(60_000 + i) for i in range(250)]
    fake_eutils.add_records(["501", "502", *many])
    fake_eutils.add_search("car t resistance", ["501", "502"])
    fake_eutils.add_citation("blood", 2021, "137", "100", "501")
    fake_eutils.add_pmc_article("77", PMC_JATS)
    corpus = tmp_path / "corpus" / "entrez"

    recorded = exercise(make_client(RecordingTransport(make_transport(), corpus)), many)
    served = len(fake_eutils.log)
    replay = ReplayTransport(corpus)
    replayed = exercise(make_client(replay), many)

    assert len(fake_eutils.log) == served  # the replay never reached the server
    assert len(replay.requests) == served
    assert replayed["search"] == recorded["search"]
    assert replayed["summary"] == recorded["summary"]
    assert replayed["cit"] == recorded["cit"] == {"ref1": "501"}
    assert replayed["few"].records == recorded["few"].records and replayed["few"].missing == ["999"]
    assert replayed["many"].records == recorded["many"].records and len(recorded["many"].records) == 250
    assert replayed["pmc"] == recorded["pmc"] == PMC_JATS
    assert (corpus / "pubmed" / "501.xml").is_file()


def test_only_validated_answers_are_recorded(fake_eutils, make_transport, make_client, tmp_path):
    fake_eutils.add_search("car t resistance", ["501"])
    fake_eutils.script("esearch", Fault.truncated(), Fault.error("Search Backend failed"))
    recorder = RecordingTransport(make_transport(), tmp_path)

    make_client(recorder).esearch("car t resistance")

    stored = list((tmp_path / "esearch").glob("*.xml"))
    assert fake_eutils.counts["esearch"] == 3 and len(stored) == 1
    assert stored[0].read_bytes().rstrip().endswith(b"</eSearchResult>")
    assert b"ERROR" not in stored[0].read_bytes()


def test_refused_requests_are_not_recorded(fake_eutils, make_transport, make_client, tmp_path):
    fake_eutils.script("epost", Fault.error("Invalid db name specified: nothing"))
    recorder = RecordingTransport(make_transport(), tmp_path)
    with pytest.raises(EntrezQueryError, match="Invalid db name"):
        make_client(recorder).epost(["1"])
    assert not (tmp_path / "epost").exists()


def test_answers_that_never_validate_leave_nothing_behind(fake_eutils, make_transport, make_client, tmp_path):
    fake_eutils.add_search("car t resistance", ["501"])
    fake_eutils.script("esearch", Fault.truncated(), Fault.truncated())
    recorder = RecordingTransport(make_transport(), tmp_path)

    with pytest.raises(EntrezError, match="truncated"):
        make_client(recorder, retry=RetryPolicy(max_attempts=2)).esearch("car t resistance")

    assert list(tmp_path.rglob("*.xml")) == []


def test_the_client_counts_every_request_it_sends_replay_misses_included(tmp_path):
    from litmus.entrez.client import EntrezClient
    from litmus.entrez.replay import ReplayMiss, ReplayStore, ReplayTransport
    body = (b'<?xml version="1.0" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
            b"<eSearchResult><Count>1</Count><RetMax>1</RetMax><RetStart>0</RetStart>"
            b"<IdList><Id>1</Id></IdList><TranslationSet/><QueryTranslation>x</QueryTranslation></eSearchResult>")
    transport = ReplayTransport(tmp_path)
    client = EntrezClient(transport)
    with pytest.raises(ReplayMiss):
        client.esearch("x")
    ReplayStore(tmp_path).save(transport.requests[-1], body)
    assert client.esearch("x").ids == ["1"]
    assert client.requests_sent == 2
