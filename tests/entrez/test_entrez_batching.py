"""EFetch batching, POST for long id lists and the history server, over real HTTP to the fake."""

from __future__ import annotations

import math

import pytest

from litmus.entrez import EntrezClient, validated_pmids

FIRST_PMID = 31_000_000


def pmids(n: int) -> list[str]:
    return [str(FIRST_PMID + i) for i in range(n)]


def fetched_pmids(bodies: list[bytes], server) -> list[str]:
    import re

    return [m.decode() for body in bodies for m in re.findall(rb'<PMID Version="1">(\d+)</PMID>', body)]


@pytest.mark.parametrize("n", [1, 200, 201, 450])
def test_n_pmids_take_ceil_n_over_200_efetch_calls(fake_eutils, make_client, n):
    asked = pmids(n)
    fake_eutils.add_records(asked)
    client = make_client()

    bodies = list(client.efetch_pubmed_xml(asked))

    assert fake_eutils.counts["efetch"] == math.ceil(n / 200)
    assert len(bodies) == math.ceil(n / 200)
    assert sorted(fetched_pmids(bodies, fake_eutils)) == asked
    # More than one batch goes through the history server: one EPost carrying every id.
    assert fake_eutils.counts["epost"] == (1 if n > 200 else 0)


def test_batches_by_id_never_exceed_batch_size_and_long_lists_are_posted(fake_eutils, make_client):
    asked = pmids(450)
    fake_eutils.add_records(asked)
    client = make_client()

    list(client.efetch_pubmed_xml(asked, use_history=False))

    efetches = fake_eutils.requests_to("efetch")
    assert [len(r.ids) for r in efetches] == [200, 200, 50]
    # 200 ids make a query far past the URL limit: POST; 50 short ids fit a GET.
    assert [r.method for r in efetches] == ["POST", "POST", "GET"]
    assert all(r.params["db"] == "pubmed" and r.params["retmode"] == "xml" for r in efetches)


def test_history_server_epost_then_efetch_by_webenv_returns_every_record(fake_eutils, make_client):
    asked = pmids(450)
    fake_eutils.add_records(asked)
    client = make_client()

    bodies = list(client.efetch_pubmed_xml(asked))

    (epost,) = fake_eutils.requests_to("epost")
    assert epost.method == "POST" and epost.ids == asked
    efetches = fake_eutils.requests_to("efetch")
    assert {r.params["WebEnv"] for r in efetches} == {"MCID_fake_0001"}
    assert [int(r.params["retstart"]) for r in efetches] == [0, 200, 400]
    assert all(r.params["retmax"] == "200" and "id" not in r.params for r in efetches)
    assert sorted(fetched_pmids(bodies, fake_eutils)) == asked


def test_use_history_can_be_forced_for_a_small_set(fake_eutils, make_client):
    fake_eutils.add_records(["11", "12"])
    bodies = list(make_client().efetch_pubmed_xml(["11", "12"], use_history=True))
    assert fake_eutils.counts["epost"] == 1 and fake_eutils.counts["efetch"] == 1
    assert sorted(fetched_pmids(bodies, fake_eutils)) == ["11", "12"]


def test_smaller_batch_size_is_honoured(fake_eutils, make_client):
    fake_eutils.add_records(pmids(25))
    list(make_client(batch_size=10).efetch_pubmed_xml(pmids(25), use_history=False))
    assert [len(r.ids) for r in fake_eutils.requests_to("efetch")] == [10, 10, 5]


def test_pmids_are_validated_and_deduplicated_in_order(fake_eutils, make_client):
    assert validated_pmids(["3", " 1 ", "3", 2, "1"]) == ["3", "1", "2"]
    with pytest.raises(ValueError, match="'12a'"):
        list(make_client().efetch_pubmed_xml(["1", "12a"]))
    with pytest.raises(TypeError):
        validated_pmids("12345")
    assert fake_eutils.counts["efetch"] == 0


def test_duplicate_pmids_are_fetched_once(fake_eutils, make_client):
    fake_eutils.add_records(["5", "6"])
    list(make_client().efetch_pubmed_xml(["5", "6", "5"]))
    assert fake_eutils.requests_to("efetch")[0].ids == ["5", "6"]


def test_no_pmids_means_no_request(fake_eutils, make_client):
    assert list(make_client().efetch_pubmed_xml([])) == []
    assert sum(fake_eutils.counts.values()) == 0


def test_fetch_records_reports_missing_pmids(fake_eutils, make_client):
    fake_eutils.add_record("101", title="Anti-CD19 CAR T cells in relapsed disease")
    fake_eutils.add_record("102")

    result = make_client().fetch_records(["101", "102", "123"])

    assert [record.pmid for record in result.records] == ["101", "102"]
    assert result.records[0].title == "Anti-CD19 CAR T cells in relapsed disease"
    assert result.missing == ["123"]
    assert result.summary() == "asked 3, got 2, missing: 123"


def test_batch_size_must_be_sane(make_transport):
    with pytest.raises(ValueError, match="batch_size"):
        EntrezClient(make_transport(), batch_size=0)


def test_fetch_result_accounts_for_every_pmid():
    from litmus.entrez import FetchResult
    from litmus.records import PubmedRecord

    result = FetchResult(asked=["1", "2", "3"], records=[PubmedRecord("1", "a"), PubmedRecord("9", "merged")])
    assert result.missing == ["2", "3"] and result.unexpected == ["9"]
    assert result.summary() == "asked 3, got 2, missing: 2, 3"
