"""Secrets and XML: the API key never reaches a log line or an exception; no parser of ours (PubMed,
JATS, answer validation, Bio.Entrez) expands an entity, reads a file or fetches a DTD."""

from __future__ import annotations

import pytest
from fake_eutils import Fault

from litmus.entrez import EntrezError, MissingDTDError, entrez_read
from litmus.entrez.validation import check_answer
from litmus.entrez.requests import EntrezResponse
from litmus.ingest import fetch_and_store
from litmus.pubmed import PubmedParseError, parse_pubmed_xml
from litmus.references.jats import parse_jats_references
from reliability_support import FAKE_API_KEY

ECHO_429 = f'{{"error":"API rate limit exceeded","api-key":"{FAKE_API_KEY}","count":"11","limit":"10"}}'.encode()


def test_the_key_is_sent_but_never_logged_nor_in_an_exception(fake, make_client, warehouse, all_logs):
    fake.add_records(["35000001"])
    fake.script("efetch", *[Fault.http(429, body=ECHO_429)] * 2, Fault.dropped(), Fault.slow(1.0))
    client = make_client(api_key=FAKE_API_KEY, attempts=4, timeout=0.3)

    with pytest.raises(EntrezError) as failure:
        fetch_and_store(warehouse, client, ["35000001"], source="eutils")

    assert all(r.params.get("api_key") == FAKE_API_KEY for r in fake.requests_to("efetch"))
    texts = [str(failure.value), repr(failure.value), repr(client.transport), str(failure.value.__cause__)]
    texts += [r.getMessage() for r in all_logs.records] + [repr(r.args) for r in all_logs.records]
    assert len(all_logs.records) >= 3
    assert not [t for t in texts if FAKE_API_KEY in t]


def test_a_post_request_keeps_the_key_out_of_errors_too(fake, make_client, warehouse, all_logs):
    pmids = [str(35_000_000 + i) for i in range(150)]  # > 100 ids: sent as POST, key in the body
    fake.script("efetch", Fault.error(f"Invalid api_key={FAKE_API_KEY} supplied"))
    with pytest.raises(EntrezError) as failure:
        fetch_and_store(warehouse, make_client(api_key=FAKE_API_KEY, batch_size=200), pmids, source="eutils")
    assert fake.requests_to("efetch")[0].method == "POST"
    assert FAKE_API_KEY not in str(failure.value)
    assert not [r for r in all_logs.records if FAKE_API_KEY in r.getMessage()]


def _dtd_doc(root: str, base_url: str, body: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE {root} SYSTEM "{base_url}evil.dtd">\n{body}\n').encode()


def test_no_parser_fetches_a_dtd_or_reads_a_file(fake):
    pubmed = _dtd_doc("PubmedArticleSet", fake.base_url, (
        '<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID Version="1">35000001</PMID>'
        "<Article><ArticleTitle>T</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"))
    jats = _dtd_doc("article", fake.base_url, "<article><front><article-meta/></front></article>")

    assert [r.pmid for r in parse_pubmed_xml(pubmed)] == ["35000001"]
    assert parse_jats_references(jats).citations == ()
    assert check_answer(EntrezResponse(200, pubmed)) is None
    with pytest.raises(ValueError, match="Expected secure URL to NCBI"):  # Bio.Entrez's own guard
        entrez_read(_dtd_doc("eSearchResult", fake.base_url, "<eSearchResult><Count>0</Count></eSearchResult>"))
    unknown_ncbi_dtd = "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20990101/"
    with pytest.raises(MissingDTDError, match="never fetches DTDs"):  # ours: no download, ever
        entrez_read(_dtd_doc("eSearchResult", unknown_ncbi_dtd, "<eSearchResult><Count>0</Count></eSearchResult>"))
    assert fake.log == []  # nobody came for evil.dtd


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doctype = f'<!DOCTYPE article [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    jats = f'<?xml version="1.0"?>{doctype}<article><front><article-meta><title-group><article-title>&xxe;</article-title></title-group></article-meta></front></article>'
    review = parse_jats_references(jats.encode())
    assert "TOP-SECRET" not in repr(review)

    pubmed = (f'<?xml version="1.0"?>{doctype.replace("article [", "PubmedArticleSet [")}<PubmedArticleSet><PubmedArticle>'
              '<MedlineCitation><PMID Version="1">1</PMID><Article><ArticleTitle>&xxe;</ArticleTitle></Article>'
              "</MedlineCitation></PubmedArticle></PubmedArticleSet>")
    with pytest.raises(PubmedParseError, match="refused unread"):
        parse_pubmed_xml(pubmed.encode())
    problem = check_answer(EntrezResponse(200, pubmed.encode()))
    assert problem is None or "TOP-SECRET" not in problem.reason
