"""The corpus we ship: it loads, matches bibliography-facts, invents no figure, and is in sync.

Checks against `../shared/reviews/bibliography-facts.json` skip (with the reason) when the shared
folder is absent; the rest runs from the checkout alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from litmus.corpus import load_claims, load_papers, load_review
from build_replay_articles import build_replay_articles
from litmus.entrez.replay import ReplayTransport
from litmus.entrez.requests import EntrezRequest
from litmus.pubmed import parse_pubmed_xml

REVIEW_ID = "zhang2022-editorial-car-t-resistance"
NAMED_KEYS = ["Nan et al.", "Zhu et al.", "Li et al.", "Xiao et al.", "Valeri et al.", "Hu et al."]
# Printed in the editorial's reference list and kept as printed (see the review TOML).
PRINTED_TITLE_TYPOS = {"7": ("(t/r dhl)", "(r/r dhl)")}


@pytest.fixture
def corpus(project_root) -> Path:
    return project_root / "corpus"


@pytest.fixture
def review(corpus):
    return load_review(corpus / "reviews" / f"{REVIEW_ID}.toml")


@pytest.fixture
def claims(corpus):
    return load_claims(corpus / "reviews" / f"{REVIEW_ID}.claims.toml")


@pytest.fixture
def papers(corpus):
    return load_papers(corpus / "papers")


@pytest.fixture
def facts(shared_reviews) -> dict:
    return json.loads((shared_reviews / "bibliography-facts.json").read_text(encoding="utf-8"))


@pytest.fixture
def facts_by_pmid(facts) -> dict[str, dict]:
    entries = facts["references"] + facts["extension_studies"]
    return {entry["pmid"]: entry for entry in entries if entry["pmid"]}


# --------------------------------------------------------------------------- loads, self-consistent


def test_every_corpus_toml_loads(corpus):
    reviews = sorted((corpus / "reviews").glob("*.toml"))
    assert reviews, "corpus/reviews holds no TOML"
    for path in reviews:
        (load_claims if path.name.endswith(".claims.toml") else load_review)(path)
    assert len(load_papers(corpus / "papers")) == len(list((corpus / "papers").glob("*.toml")))


def test_review_cites_ten_numbered_references_and_six_named_articles(review):
    assert review.review_id == REVIEW_ID
    assert [c.key for c in review.citations if c.kind == "numbered"] == [str(n) for n in range(1, 11)]
    assert [c.key for c in review.citations if c.kind == "named"] == NAMED_KEYS


def test_claims_cite_only_keys_of_the_review(review, claims):
    keys = {citation.key for citation in review.citations}
    for claim in claims:
        assert set(claim.cites) <= keys, claim.claim_id


def test_the_reference_list_states_no_pmid(review):
    # PMIDs are found by resolution (the DOI searches replayed from corpus/entrez), not transcribed.
    assert all(c.pmid is None and c.pmcid is None for c in review.citations)


# --------------------------------------------------------------------------- against bibliography-facts


def test_claims_cover_every_claim_of_the_facts(claims, facts):
    transcribed = {claim.claim_id: claim for claim in claims}
    expected = facts["review"]["claims"]
    assert set(transcribed) == {claim["claim_id"] for claim in expected}
    for claim in expected:
        ours = transcribed[claim["claim_id"]]
        assert list(ours.cites) == claim["cites"], claim["claim_id"]
        for number in claim["numbers"]:
            assert _has_fact(ours.facts, number), (claim["claim_id"], number)


def _has_fact(facts, number: dict) -> bool:
    months = _months(number.get("timepoint"))
    return any(
        ("value" not in number or fact.value == number["value"])
        and (months is None or fact.timepoint_months == months)
        for fact in facts
    )


def _months(timepoint: str | None) -> float | None:
    match = re.match(r"(\d+)\s*(year|month)", timepoint or "")
    if not match:
        return None
    return float(match.group(1)) * (12 if match.group(2) == "year" else 1)


def test_every_reference_with_a_known_pmid_has_a_shipped_paper_with_its_doi(review, papers, facts):
    shipped = {paper.doi: paper.pmid for paper in papers}
    for entry in facts["references"]:
        if entry["pmid"]:
            assert shipped.get(entry["doi"]) == entry["pmid"], entry["ref"]


def test_review_record_matches_the_facts(review, facts):
    expected = facts["review"]
    assert (review.title, review.doi, review.year, review.journal) == (
        expected["title"], expected["doi"], expected["year"], expected["journal"],
    )
    assert list(review.authors) == expected["authors"]


def test_citations_match_the_facts(review, facts):
    by_key = {entry["ref"]: entry for entry in facts["references"]}
    for citation in review.citations:
        entry = by_key[citation.key]
        assert citation.doi == entry["doi"], citation.key
        assert citation.year == entry["year"], citation.key
        assert citation.journal == entry["journal_iso"], citation.key
        if citation.kind == "numbered":
            assert (citation.volume, citation.issue) == (entry["volume"], entry["issue"]), citation.key
            assert citation.pages == (entry["pages"] or entry["article_number"]), citation.key
            assert citation.authors[0] == entry["authors"][0], citation.key
        if citation.title or entry["title"]:
            assert _printed_title(citation) == entry["title"].casefold(), citation.key


def _printed_title(citation) -> str:
    title = citation.title.casefold()
    if citation.key in PRINTED_TITLE_TYPOS:
        title = title.replace(*PRINTED_TITLE_TYPOS[citation.key])
    return title


def test_papers_are_exactly_the_studies_with_a_pmid_and_a_title(papers, facts_by_pmid):
    # A PMID whose title is unknown cannot become a PubMed record; it stays out of the corpus.
    assert {paper.pmid for paper in papers} == {pmid for pmid, entry in facts_by_pmid.items() if entry["title"]}


def test_paper_metadata_matches_the_facts(papers, facts_by_pmid):
    for paper in papers:
        entry = facts_by_pmid[paper.pmid]
        assert (paper.doi, paper.pmcid, paper.title, paper.pub_year) == (
            entry["doi"], entry["pmcid"], entry["title"], entry["year"],
        ), paper.pmid
        assert (paper.journal, paper.journal_iso, paper.volume, paper.issue) == (
            entry["journal"], entry["journal_iso"], entry["volume"], entry["issue"],
        ), paper.pmid
        assert paper.pages == (entry["pages"] or entry["article_number"]), paper.pmid
        assert list(paper.publication_types) == entry["publication_types"], paper.pmid
        assert [author.display_name for author in paper.authors] == (entry["authors"] or []), paper.pmid
        assert paper.pub_date == _expected_pub_date(entry), paper.pmid


def _expected_pub_date(entry: dict) -> str:
    if entry["epub_date"] and int(entry["epub_date"][5:7]) == entry["month"]:
        return entry["epub_date"]
    return f"{entry['year']}-{entry['month']:02d}" if entry["month"] else str(entry["year"])


# --------------------------------------------------------------------------- no invented figure

# A number standing alone: not part of an identifier or a name ("CD19", "21D4", "IL-6", "p.163",
# "4-1BB" keeps only its "4"), nor the digits after a decimal point (".01").
_STANDALONE_NUMBER = re.compile(r"(?<![A-Za-z0-9.])(?<![A-Za-z]-)(\d+(?:\.\d+)?)(?!\d|\.\d|[A-Za-z])")
_PHASE = re.compile(r"\bphase\s+\d+(?:/\d+)?", re.IGNORECASE)
_YEARS = range(1990, 2031)


def standalone_numbers(text: str) -> set[float]:
    return {float(number) for number in _STANDALONE_NUMBER.findall(_PHASE.sub("", text))}


def numbers_in_facts(entry: object) -> set[float]:
    """Every figure a facts entry holds: values, counts, totals, CIs, n, and numbers in its strings."""
    if isinstance(entry, bool) or entry is None:
        return set()
    if isinstance(entry, (int, float)):
        return {float(entry)}
    if isinstance(entry, str):
        return standalone_numbers(entry)
    items = entry.values() if isinstance(entry, dict) else entry
    return set().union(*(numbers_in_facts(item) for item in items)) if items else set()


def test_number_extraction_keeps_figures_and_skips_identifiers():
    text = "13 of 15 (86%) had CR; PFS 64% (95% CI, 60–92) at 1-year; CD19, 21D4, IL-6, p.163, phase 2, P = .01"
    assert standalone_numbers(text) == {13, 15, 86, 64, 95, 60, 92, 1}


def test_abstracts_state_no_figure_missing_from_the_facts(papers, facts_by_pmid):
    for paper in papers:
        allowed = numbers_in_facts(facts_by_pmid[paper.pmid])
        invented = {
            number for number in standalone_numbers(paper.abstract)
            if number not in allowed and int(number) not in _YEARS
        }
        assert not invented, f"{paper.pmid}: figures not in bibliography-facts: {sorted(invented)}"


def test_every_shipped_paper_has_an_abstract(papers):
    assert all(paper.abstract_sections for paper in papers)


# --------------------------------------------------------------------------- replay files in sync


def test_replay_xml_is_in_sync_with_the_toml(corpus, tmp_path):
    rebuilt = build_replay_articles(corpus / "papers", tmp_path)
    assert rebuilt
    for path in rebuilt:
        shipped = corpus / "entrez" / "pubmed" / path.name
        assert shipped.is_file(), f"{shipped} missing: run `.venv/bin/python tools/build_replay_articles.py`"
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped} stale: run `.venv/bin/python tools/build_replay_articles.py`"


def test_replay_xml_parses_back_to_the_same_record(corpus, papers):
    for paper in papers:
        xml_path = corpus / "entrez" / "pubmed" / f"{paper.pmid}.xml"
        assert parse_pubmed_xml(xml_path.read_bytes()) == [paper]


def test_replay_answers_an_efetch_of_every_shipped_paper(corpus, papers):
    pmids = [paper.pmid for paper in papers]
    request = EntrezRequest.build("efetch", db="pubmed", id=pmids, retmode="xml")
    body = ReplayTransport(corpus / "entrez").send(request).body
    assert sorted(record.pmid for record in parse_pubmed_xml(body)) == sorted(pmids)
