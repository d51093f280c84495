"""Resolving citations through the real `EntrezClient` over a replay corpus written by each test."""

from __future__ import annotations

import pytest

from litmus.entrez import EntrezClient, EntrezRequest, ReplayStore, ReplayTransport, RetryPolicy, TransportError
from litmus.records import Citation, Review
from litmus.references.resolve import (
    SEARCH_RETMAX,
    NOTHING_TO_SEARCH,
    OFFLINE_MISS,
    citation_query,
    doi_search_term,
    resolve_citations,
    title_search_term,
)
from litmus.references.similarity import normalise_title, title_similarity

# --------------------------------------------------------------------------- real-shaped answers


def esearch_xml(ids: list[str]) -> bytes:
    id_list = "".join(f"<Id>{pmid}</Id>\n" for pmid in ids)
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
        f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(ids)}</RetMax><RetStart>0</RetStart>"
        f"<IdList>\n{id_list}</IdList><TranslationSet/><QueryTranslation>x</QueryTranslation></eSearchResult>\n"
    ).encode()


def esummary_xml(docs: list[tuple[str, str, str]]) -> bytes:
    """(pmid, title, pubdate) per DocSum."""
    body = "".join(
        f'<DocSum>\n\t<Id>{pmid}</Id>\n\t<Item Name="PubDate" Type="Date">{date}</Item>\n'
        f'\t<Item Name="Source" Type="String">Widget J</Item>\n'
        f'\t<Item Name="Title" Type="String">{title}</Item>\n</DocSum>\n'
        for pmid, title, date in docs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!DOCTYPE eSummaryResult PUBLIC "-//NLM//DTD esummary v1 20041029//EN" '
        '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20041029/esummary-v1.dtd">\n'
        f"<eSummaryResult>\n{body}</eSummaryResult>\n"
    ).encode()


class _Captured(Exception):
    pass


class _CaptureTransport:
    """Records the request the client would send, then stops it: the replay key, built by the client."""

    def __init__(self):
        self.request: EntrezRequest | None = None

    def send(self, request):
        self.request = request
        raise _Captured

    def close(self):
        pass


def request_of(call) -> EntrezRequest:
    transport = _CaptureTransport()
    with pytest.raises(_Captured):
        call(EntrezClient(transport))
    return transport.request


class Corpus:
    def __init__(self, root):
        self.root = root
        self.store = ReplayStore(root)

    def esearch(self, term: str, ids: list[str]) -> None:
        request = request_of(lambda c: c.esearch(term, retmax=SEARCH_RETMAX))
        self.store.save(request, esearch_xml(ids))

    def esummary(self, docs: list[tuple[str, str, str]]) -> None:
        request = request_of(lambda c: c.esummary([pmid for pmid, _, _ in docs]))
        self.store.save(request, esummary_xml(docs))

    def ecitmatch(self, citations: list[Citation], answers: dict[str, str]) -> None:
        queries = [citation_query(c.key, c) for c in citations]
        request = request_of(lambda c: c.ecitmatch(queries))
        lines = [q.bdata_line() + answers[q.key] for q in queries]
        self.store.save(request, ("\n".join(lines) + "\n").encode())

    def client(self) -> EntrezClient:
        return EntrezClient(ReplayTransport(self.root), sleep=lambda seconds: None)


# --------------------------------------------------------------------------- one review, every path

KNOWN = Citation("1", "numbered", ("Doe J",), "Stated", "Blood", 2020, pmid="30000001")
BY_DOI = Citation("2", "numbered", ("Roe R",), "By DOI", "Blood", 2020, "1", pages="10-20", doi="10.1000/one")
AMBIGUOUS_DOI = Citation(
    "3", "numbered", ("Poe E",), "Ambiguous DOI", "Nat Med", 2021, "27", "10", "1797-1805", doi="10.1000/two"
)
BY_TITLE = Citation(
    "4", "numbered", ("Cho K",), "Optimized tandem CD19/CD20 CAR-engineered T cells in refractory lymphoma",
    "Blood", 2020, "136", "14", "1632-1644",
)
LOW_SIMILARITY = Citation("5", "numbered", ("Lee F",), "Widgets in practice: a randomised trial", year=2019)
OFFLINE = Citation("6", "numbered", ("Kim H",), doi="10.1000/not-recorded")
NAMED = Citation("Nan et al.", "named", ("Nan",))
REVIEW = Review("widget-review", "Widgets", (KNOWN, BY_DOI, AMBIGUOUS_DOI, BY_TITLE, LOW_SIMILARITY, OFFLINE, NAMED))


@pytest.fixture
def report(tmp_path):
    corpus = Corpus(tmp_path)
    corpus.esearch(doi_search_term("10.1000/one"), ["30000002"])
    corpus.esearch(doi_search_term("10.1000/two"), ["30000003", "30000033"])
    corpus.ecitmatch([AMBIGUOUS_DOI, BY_TITLE], {"3": "30000003", "4": "NOT_FOUND;INVALID_JOURNAL"})
    corpus.esearch(title_search_term(BY_TITLE.title), ["30000004", "30000044"])
    corpus.esummary([
        ("30000004", "Optimized tandem CD19/CD20 CAR-engineered T cells in refractory lymphoma.", "2020 Oct 1"),
        ("30000044", "Tandem CAR T cells in lymphoma: a review.", "2020"),
    ])
    corpus.esearch(title_search_term(LOW_SIMILARITY.title), ["30000005"])
    corpus.esummary([("30000005", "Gadgets in practice: an observational cohort of gadget users", "2019")])
    return resolve_citations(REVIEW, corpus.client())


def test_one_resolution_per_citation_in_order(report):
    assert [r.citation_key for r in report.resolutions] == [c.key for c in REVIEW.citations]
    assert all(r.review_id == "widget-review" for r in report.resolutions)


def test_stated_pmid_and_unique_doi_are_certain(report):
    known, by_doi = report.resolutions[:2]
    assert (known.method, known.pmid, known.confidence) == ("known_pmid", "30000001", 1.0)
    assert (by_doi.method, by_doi.pmid, by_doi.confidence) == ("doi", "30000002", 1.0)


def test_ambiguous_doi_falls_through_to_ecitmatch(report):
    resolution = report.resolutions[2]
    assert (resolution.method, resolution.pmid) == ("ecitmatch", "30000003")
    assert "DOI search: 2 hits" in resolution.detail and "not accepted" in resolution.detail


def test_ecitmatch_not_found_falls_through_to_title_search(report):
    resolution = report.resolutions[3]
    assert (resolution.method, resolution.pmid) == ("title", "30000004")
    assert 0.9 <= resolution.confidence <= 1.0
    assert "ECitMatch: no single match" in resolution.detail


def test_title_with_low_similarity_is_rejected(report):
    resolution = report.resolutions[4]
    assert (resolution.method, resolution.pmid, resolution.confidence) == ("unresolved", None, 0.0)
    assert "similarity" in resolution.detail and "30000005" in resolution.detail


def test_replay_miss_leaves_citation_unresolved_with_the_offline_message(report):
    resolution = report.resolutions[5]
    assert resolution.method == "unresolved"
    assert resolution.detail == f"DOI search: {OFFLINE_MISS}"


def test_named_citation_without_anything_to_search(report):
    assert report.resolutions[6].detail == NOTHING_TO_SEARCH
    assert report.resolutions[6].method == "unresolved"


def test_requests_per_method_and_one_batched_ecitmatch(report):
    # DOI: refs 2, 3, 6; ECitMatch: refs 3 and 4 in one call; title: (ESearch + ESummary) x 2.
    assert report.requests == {"doi": 3, "ecitmatch": 1, "title": 4}
    assert "4 of 7 citations resolved" in report.summary()


def test_title_year_outside_tolerance_is_rejected(tmp_path):
    corpus = Corpus(tmp_path)
    citation = Citation("1", "numbered", title="Widgets in practice", year=2010)
    corpus.esearch(title_search_term(citation.title), ["1"])
    corpus.esummary([("1", "Widgets in practice.", "2015 Jan")])
    resolution = resolve_citations(Review("r", "R", (citation,)), corpus.client()).resolutions[0]
    assert resolution.method == "unresolved"
    assert "year 2015 is not 2010±1" in resolution.detail


class _FailingTransport:
    """NCBI unreachable: every request fails at the connection."""

    def send(self, request):
        raise TransportError("connection refused")

    def close(self):
        pass


def test_network_failure_is_reported_per_citation_not_raised():
    client = EntrezClient(_FailingTransport(), retry=RetryPolicy(max_attempts=2), sleep=lambda s: None)
    review = Review("r", "R", (BY_DOI, NAMED))
    report = resolve_citations(review, client)
    failed = report.resolutions[0]
    assert failed.method == "unresolved"
    assert failed.detail.startswith("DOI search: NCBI request failed")
    assert "ECitMatch: NCBI request failed" in failed.detail  # BY_DOI also has everything ECitMatch needs
    assert report.resolutions[1].detail == NOTHING_TO_SEARCH


# --------------------------------------------------------------------------- pure helpers


def test_title_similarity_ignores_case_markup_and_punctuation():
    assert normalise_title("<i>In vivo</i> CAR-T cells: a *Phase 1* trial.") == "in vivo car t cells a phase 1 trial"
    assert title_similarity("CAR T cells: A phase 1 trial", "CAR-T cells: a phase 1 trial.") == 1.0
    assert title_similarity("CD19 after CD22 widgets", "CD22 after CD19 widgets") < 0.9
    assert title_similarity("", "anything") == 0.0


def test_search_terms():
    assert doi_search_term("10.1000/x ") == '"10.1000/x"[doi]'
    assert title_search_term('Long-term outcomes (t/r DHL) of "widgets".') == "Long-term outcomes t/r DHL of widgets[Title]"
