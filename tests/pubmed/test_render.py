"""Rendering records as PubMed XML, and the parse(render(r)) == r round trip."""

from __future__ import annotations

from lxml import etree

from litmus.pubmed import parse_pubmed_xml
from pubmed_render import render_pubmed_article, render_pubmed_article_set
from litmus.pubmed.parse import iter_pubmed_xml
from litmus.records import (
    AbstractSection,
    Author,
    CommentCorrection,
    DeletedCitation,
    MeshHeading,
    MeshQualifier,
    PubmedRecord,
)

FULL_RECORD = PubmedRecord(
    pmid="35000001",
    version=2,
    title="Antigen escape after CD19 CAR-T: ≥ 2 lines, p < 0.05 & more — Zürich cohort",
    doi="10.1000/test.2022.<1>&2",
    pmcid="PMC9000001",
    abstract_sections=(
        AbstractSection("BACKGROUND", "BACKGROUND", "Relapse occurs in ≥30% of patients & a few < 18 years."),
        AbstractSection("RESULTS", "RESULTS", "ORR was 81% (42/52); median PFS 6.1 months; 10^6 cells/kg."),
        AbstractSection("CONCLUSIONS", None, "Ça marche: 中文 text survives."),
    ),
    authors=(
        Author("Cordoba", initials="S"),
        Author("Müller", "Anna-Lena", "AL", affiliations=("Dept A & B, Zürich.", "Lab <C>.")),
        Author(None, collective_name="CAR-T Resistance Study Group"),
    ),
    journal="Journal of Tests & Trials",
    journal_iso="J Tests Trials",
    issn="1234-5678",
    pub_year=2022,
    pub_date="2022-10-05",
    volume="12",
    issue="3",
    pages="e176",
    publication_types=("Journal Article", "Review"),
    mesh_headings=(
        MeshHeading("Humans", "D006801"),
        MeshHeading(
            "Immunotherapy, Adoptive",
            "D016219",
            True,
            (MeshQualifier("methods", "Q000379", True), MeshQualifier("adverse effects")),
        ),
    ),
    keywords=("CAR-T", "antigen escape"),
    chemicals=("Receptors, Chimeric Antigen",),
    language="eng",
    comments_corrections=(
        CommentCorrection("RetractionIn", "36000002", "J Tests Trials. 2023;13:1."),
        CommentCorrection("CommentIn", None, "Other. 2022;1:2."),
    ),
    date_revised="2023-01-09",
)


def test_full_record_round_trips() -> None:
    assert parse_pubmed_xml(render_pubmed_article_set([FULL_RECORD])) == [FULL_RECORD]


def test_minimal_and_partial_records_round_trip() -> None:
    records = [
        PubmedRecord(pmid="1", title="Bare."),
        PubmedRecord(
            pmid="2",
            title="Year only.",
            pub_year=1998,
            pub_date="1998",
            authors=(Author("Wei", initials="J"),),
        ),
        PubmedRecord(
            pmid="3",
            title="Month.",
            pub_year=2021,
            pub_date="2021-10",
            abstract_sections=(AbstractSection(None, None, "Plain."),),
        ),
    ]
    assert parse_pubmed_xml(render_pubmed_article_set(records)) == records


def test_deleted_citations_round_trip() -> None:
    items = [PubmedRecord(pmid="1", title="Kept."), DeletedCitation("7"), DeletedCitation("8")]
    rendered = render_pubmed_article_set(items)
    assert rendered.count(b"<DeleteCitation>") == 1
    assert list(iter_pubmed_xml(rendered)) == items


def test_article_has_pubmed_shape_without_declaration() -> None:
    rendered = render_pubmed_article(FULL_RECORD)
    assert rendered.startswith(b"<PubmedArticle>")
    element = etree.fromstring(rendered)
    citation = element.find("MedlineCitation")
    assert (citation.get("Status"), citation.get("Owner")) == ("MEDLINE", "NLM")
    assert citation.find("PMID").get("Version") == "2"
    assert [child.tag for child in citation] == [
        "PMID",
        "DateRevised",
        "Article",
        "MedlineJournalInfo",
        "ChemicalList",
        "CommentsCorrectionsList",
        "MeshHeadingList",
        "KeywordList",
    ]
    assert [child.tag for child in citation.find("Article")] == [
        "Journal",
        "ArticleTitle",
        "Pagination",
        "ELocationID",
        "Abstract",
        "AuthorList",
        "Language",
        "PublicationTypeList",
    ]
    assert citation.findtext("Article/Journal/JournalIssue/PubDate/Month") == "Oct"
    assert citation.find("Article/Abstract/AbstractText").attrib == {
        "Label": "BACKGROUND",
        "NlmCategory": "BACKGROUND",
    }
    ids = {i.get("IdType"): i.text for i in element.iterfind("PubmedData/ArticleIdList/ArticleId")}
    assert ids == {"pubmed": "35000001", "doi": "10.1000/test.2022.<1>&2", "pmc": "PMC9000001"}


def test_article_set_has_declaration_and_doctype() -> None:
    rendered = render_pubmed_article_set([FULL_RECORD])
    lines = rendered.splitlines()
    assert lines[0] == b'<?xml version="1.0" ?>'
    assert lines[1].startswith(b"<!DOCTYPE PubmedArticleSet") and b"pubmed_250101.dtd" in lines[1]
    assert lines[2] == b"<PubmedArticleSet>"
    assert "Zürich".encode() in rendered  # UTF-8, not character references
