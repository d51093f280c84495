"""ESearch, EPost, ESummary, ELink, ECitMatch and PMC EFetch through the client."""

from __future__ import annotations

from datetime import date

import pytest

from litmus.entrez import CitationQuery
from litmus.entrez.client import parse_ecitmatch


def test_esearch_parses_counts_ids_and_history(fake_eutils, make_client):
    fake_eutils.add_search("lymphoma", count=25_000)
    result = make_client().esearch("lymphoma", retmax=3, retstart=100, usehistory=True, sort="pub_date")

    assert result.count == 25_000 and result.ids == ["30000100", "30000101", "30000102"]
    assert (result.retstart, result.retmax) == (100, 3)
    assert result.webenv == "MCID_fake_0001" and result.query_key == "1"
    assert result.query_translation == "lymphoma[All Fields]" and result.errors == ()
    sent = fake_eutils.log[0].params
    assert (sent["usehistory"], sent["sort"], sent["retstart"], sent["retmax"]) == ("y", "pub_date", "100", "3")


def test_esearch_sends_date_filters(fake_eutils, make_client):
    fake_eutils.add_search(
        "car t", ["1", "2", "3"],
        dates={"1": date(2019, 5, 1), "2": date(2021, 3, 1), "3": date(2024, 5, 20)},
    )
    client = make_client()
    in_range = client.esearch("car t", datetype="pdat", mindate="2020", maxdate="2022/12")
    recent = client.esearch("car t", datetype="edat", reldate=30)

    assert in_range.ids == ["2"] and recent.ids == ["3"]
    assert fake_eutils.log[0].params["mindate"] == "2020" and fake_eutils.log[0].params["datetype"] == "pdat"
    with pytest.raises(ValueError, match="mindate and maxdate"):
        client.esearch("car t", mindate="2020")


def test_esearch_reports_phrases_not_found(fake_eutils, make_client):
    result = make_client().esearch("abcXYZ")
    assert result.count == 0 and result.ids == []
    assert result.errors == ("PhraseNotFound: abcXYZ",)
    assert result.warnings == ("OutputMessage: No items found.",)


def test_epost_and_esummary(fake_eutils, make_client):
    fake_eutils.add_record("11", title="First")
    fake_eutils.add_record("12", title="Second", pub_date=date(2022, 1, 1))
    client = make_client()

    handle = client.epost(["11", "12"])
    summaries = client.esummary(["11", "12"])

    assert handle.webenv.startswith("MCID_") and handle.query_key == "1"
    assert [(s["Id"], s["Title"], s["PubDate"]) for s in summaries] == [("11", "First", "2020"), ("12", "Second", "2022")]
    with pytest.raises(ValueError, match="at least one id"):
        client.epost([])


def test_elink_groups_ids_by_link_name(fake_eutils, make_client):
    fake_eutils.add_link("11", "pubmed_pubmed_citedin", ["21", "22"])
    fake_eutils.add_link("12", "pubmed_pubmed_citedin", ["22", "23"])
    links = make_client().elink(["11", "12"], linkname="pubmed_pubmed_citedin")
    assert links == {"pubmed_pubmed_citedin": ["21", "22", "23"]}


def test_ecitmatch_round_trip(fake_eutils, make_client):
    fake_eutils.add_citation("proc natl acad sci u s a", 1991, "88", "3248", "2014248")
    queries = [
        CitationQuery("ref1", "proc natl acad sci u s a", 1991, "88", "3248", "mann bj"),
        CitationQuery("ref2", "blood", 2020, "1", "1", "nobody x"),
        CitationQuery("ref|3", "j|x", None, None, "7", None),  # separators in values must not shift fields
    ]
    found = make_client().ecitmatch(queries)

    assert found == {"ref1": "2014248", "ref2": None, "ref|3": None}
    sent = fake_eutils.log[0].params
    assert (sent["db"], sent["retmode"]) == ("pubmed", "xml")
    assert sent["bdata"].split("\r") == [
        "proc natl acad sci u s a|1991|88|3248|mann bj|ref1|",
        "blood|2020|1|1|nobody x|ref2|",
        "j x|||7||ref 3|",
    ]


def test_ecitmatch_parses_the_real_reply(shared_data):
    text = (shared_data / "entrez-responses/biopython/ecitmatch/ecitmatch.txt").read_text()
    assert parse_ecitmatch(text) == {"citation_1": "2014248"}


def test_ecitmatch_unmatched_answers_are_none():
    reply = "j|2000|1|1|a|k1|NOT_FOUND;INVALID_JOURNAL\nj|2000|1|2|a|k2|AMBIGUOUS (2 citations)\n"
    assert parse_ecitmatch(reply) == {"k1": None, "k2": None}


def test_efetch_pmc_jats(fake_eutils, make_client):
    jats = b'<?xml version="1.0" ?>\n<pmc-articleset><article/></pmc-articleset>\n'
    fake_eutils.add_pmc_article("123", jats)
    client = make_client()
    assert client.efetch_pmc_jats("PMC123") == jats
    assert fake_eutils.log[0].params == {"db": "pmc", "id": "123", "retmode": "xml", "tool": "litmus",
                                         "email": "tests@example.org"}
    with pytest.raises(ValueError, match="PMC1234567"):
        client.efetch_pmc_jats("PMCabc")
