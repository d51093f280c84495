"""One PubMed XML record element to a `PubmedRecord` (pure: element in, record out).

Handles `<PubmedArticle>` (MedlineCitation + PubmedData), a bare `<MedlineCitation>` of the old
MedlineCitationSet layout, and `<PubmedBookArticle>` read minimally (identifiers, title, abstract,
authors, date). Only direct paths are read, so the PMIDs and DOIs of cited references
(`ReferenceList`) or of comments (`CommentsCorrections`) never leak into the record's own fields.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree

from litmus import limits
from litmus.identifiers import pmid_problem

from litmus.pubmed.dates import date_element_iso, year_of
from litmus.pubmed.errors import PubmedParseError
from litmus.pubmed.text import element_text, normalize_space
from litmus.records import (
    AbstractSection,
    Author,
    CommentCorrection,
    MeshHeading,
    MeshQualifier,
    PubmedRecord,
    abstract_text,
)

Element = etree._Element

# An electronic article number ("e154225", "euae122", "239"), not a publisher item id
# such as "S0140-6736(20)30000-1", which is no page.
_ARTICLE_NUMBER = re.compile(r"^[A-Za-z]{0,8}\d{1,8}$")
_PMCID_IN_OTHER_ID = re.compile(r"^\s*(PMC\d+)\b")


def record_from_pubmed_article(article: Element) -> PubmedRecord:
    """A `<PubmedArticle>` element as a record."""
    citation = article.find("MedlineCitation")
    if citation is None:
        raise PubmedParseError("a <PubmedArticle> has no <MedlineCitation>: the record is incomplete")
    return record_from_medline_citation(citation, article.find("PubmedData"))


def record_from_medline_citation(citation: Element, pubmed_data: Element | None = None) -> PubmedRecord:
    """A `<MedlineCitation>` (with the `<PubmedData>` beside it, when there is one) as a record."""
    pmid, version = _pmid_and_version(citation.find("PMID"), "MedlineCitation")
    article = _child(citation, "Article")
    journal = _child(article, "Journal")
    journal_issue = _child(journal, "JournalIssue")
    article_ids = _article_ids(pubmed_data)
    pub_date = date_element_iso(_child(journal_issue, "PubDate"))
    abstract_sections, truncated = bounded_abstract(_abstract_sections(article.find("Abstract")))
    return PubmedRecord(
        pmid=pmid,
        version=version,
        title=element_text(article.find("ArticleTitle")) or element_text(article.find("VernacularTitle")),
        doi=article_ids.get("doi") or _doi_from_elocation(article),
        pmcid=_normalise_pmcid(article_ids.get("pmc")) or _pmcid_from_other_ids(citation),
        abstract_sections=abstract_sections,
        abstract_truncated=truncated,
        authors=_authors(article),
        journal=_text_or_none(journal.findtext("Title")),
        journal_iso=_text_or_none(journal.findtext("ISOAbbreviation"))
        or _text_or_none(citation.findtext("MedlineJournalInfo/MedlineTA")),
        issn=_text_or_none(journal.findtext("ISSN"))
        or _text_or_none(citation.findtext("MedlineJournalInfo/ISSNLinking")),
        pub_year=year_of(pub_date),
        pub_date=pub_date,
        volume=_text_or_none(journal_issue.findtext("Volume")),
        issue=_text_or_none(journal_issue.findtext("Issue")),
        pages=_pages(article),
        publication_types=_texts(article.iterfind("PublicationTypeList/PublicationType")),
        mesh_headings=tuple(_mesh_heading(h) for h in citation.iterfind("MeshHeadingList/MeshHeading")),
        keywords=_texts(citation.iterfind("KeywordList/Keyword")),
        chemicals=_texts(citation.iterfind("ChemicalList/Chemical/NameOfSubstance")),
        language=_text_or_none(article.findtext("Language")),
        comments_corrections=tuple(
            _comment_correction(c) for c in citation.iterfind("CommentsCorrectionsList/CommentsCorrections")
        ),
        date_revised=date_element_iso(citation.find("DateRevised")),
    )


def record_from_pubmed_book_article(book_article: Element) -> PubmedRecord:
    """A `<PubmedBookArticle>` (a book or book chapter) with the fields a book has."""
    document = _child(book_article, "BookDocument")
    pmid, version = _pmid_and_version(document.find("PMID"), "BookDocument")
    book = _child(document, "Book")
    article_ids = _article_ids(document) or _article_ids(book_article.find("PubmedBookData"))
    pub_date = date_element_iso(book.find("PubDate"))
    title = element_text(document.find("ArticleTitle")) or element_text(book.find("BookTitle"))
    abstract_sections, truncated = bounded_abstract(_abstract_sections(document.find("Abstract")))
    return PubmedRecord(
        pmid=pmid,
        version=version,
        title=title,
        doi=article_ids.get("doi"),
        pmcid=_normalise_pmcid(article_ids.get("pmc")),
        abstract_sections=abstract_sections,
        abstract_truncated=truncated,
        authors=_authors(document) or _authors(book),
        journal=element_text(book.find("BookTitle")) or None,
        pub_year=year_of(pub_date),
        pub_date=pub_date,
        publication_types=_texts(document.iterfind("PublicationType")),
        keywords=_texts(document.iterfind("KeywordList/Keyword")),
        language=_text_or_none(document.findtext("Language")),
    )


def deleted_pmids(delete_citation: Element) -> list[str]:
    """The PMIDs listed in a `<DeleteCitation>` element."""
    return [pmid for pmid in (normalize_space(p.text) for p in delete_citation.iterfind("PMID")) if pmid]


# --------------------------------------------------------------------------- identifiers


def _pmid_and_version(pmid_element: Element | None, where: str) -> tuple[str, int]:
    pmid = normalize_space(pmid_element.text) if pmid_element is not None else ""
    problem = pmid_problem(pmid)
    if problem:
        raise PubmedParseError(f"a <{where}> has no valid <PMID> ({problem}): cannot identify the record")
    version_text = pmid_element.get("Version", "1").strip() or "1"
    if not (version_text.isascii() and version_text.isdigit() and len(version_text) <= 4):  # "²", 10,000 digits
        raise PubmedParseError(f"PMID {pmid}: Version attribute {version_text!r} is not a number", pmid=pmid)
    return pmid, int(version_text)


def _article_ids(container: Element | None) -> dict[str, str]:
    """IdType -> id from the container's own `<ArticleIdList>` (first id of each type wins)."""
    ids: dict[str, str] = {}
    if container is None:
        return ids
    for article_id in container.iterfind("ArticleIdList/ArticleId"):
        value = normalize_space(article_id.text)
        if value:
            ids.setdefault(article_id.get("IdType", ""), value)
    return ids


def _doi_from_elocation(article: Element) -> str | None:
    for location in article.iterfind("ELocationID"):
        if location.get("EIdType") == "doi" and location.get("ValidYN", "Y") == "Y":
            return _text_or_none(location.text)
    return None


def _normalise_pmcid(value: str | None) -> str | None:
    if not value:
        return None
    return value if value.upper().startswith("PMC") else f"PMC{value}"


def _pmcid_from_other_ids(citation: Element) -> str | None:
    """Old MEDLINE files carry the PMCID as `<OtherID Source="NLM">PMC4688250 [Available on …]`."""
    for other_id in citation.iterfind("OtherID"):
        match = _PMCID_IN_OTHER_ID.match(other_id.text or "")
        if match:
            return match.group(1)
    return None


# --------------------------------------------------------------------------- content


def _abstract_sections(abstract: Element | None) -> tuple[AbstractSection, ...]:
    if abstract is None:
        return ()
    sections = []
    for text_element in abstract.iterfind("AbstractText"):
        text = element_text(text_element)
        label = _text_or_none(text_element.get("Label"))
        if text or label:
            sections.append(
                AbstractSection(
                    label=label, nlm_category=_text_or_none(text_element.get("NlmCategory")), text=text
                )
            )
    return tuple(sections)


def bounded_abstract(sections: tuple[AbstractSection, ...]) -> tuple[tuple[AbstractSection, ...], bool]:
    """The sections within `abstract_chars`, and whether any text was cut.

    Real abstracts stay far below the limit; a longer one (a mis-tagged full text, a hostile record) is
    kept up to the last sentence or word end that fits, never refused: the paper and its other fields
    are sound, and the flag says the abstract is incomplete.
    """
    limit = limits.ABSTRACT_CHARS.value
    if len(abstract_text(sections)) <= limit:
        return sections, False
    kept: list[AbstractSection] = []
    used = 0  # len(abstract_text(kept)): parts "LABEL: text" joined by newlines
    for section in sections:
        room = limit - used - (1 if kept else 0) - (len(section.label) + 2 if section.label else 0)
        if room <= 0:
            break
        if len(section.text) <= room:
            kept.append(section)
            used = limit - room + len(section.text)
            continue
        kept.append(replace(section, text=_cut_at_sentence_or_word(section.text, room)))
        break
    return tuple(kept), True


def _cut_at_sentence_or_word(text: str, room: int) -> str:
    head = text[:room]
    for boundary in (". ", " "):
        end = head.rfind(boundary)
        if end > room // 2:
            return head[: end + 1].rstrip()
    return head


def _authors(container: Element) -> tuple[Author, ...]:
    authors = [_author(element) for element in container.iterfind("AuthorList/Author")]
    # Before 2014 MEDLINE kept only the first author's affiliation, on the Article itself.
    article_affiliation = element_text(container.find("Affiliation"))
    if authors and article_affiliation and not authors[0].affiliations:
        first = authors[0]
        authors[0] = Author(
            first.last_name, first.fore_name, first.initials, first.collective_name, (article_affiliation,)
        )
    return tuple(authors)


def _author(element: Element) -> Author:
    # one pass over the children: authors are the most numerous elements of a record
    names: dict[str, str] = {}
    affiliations: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "AffiliationInfo":
            affiliations.extend(element_text(a) for a in child.iterfind("Affiliation"))
        elif tag == "Affiliation":
            affiliations.append(element_text(child))
        elif tag in ("LastName", "ForeName", "Initials", "CollectiveName"):
            names[tag] = element_text(child)
    return Author(
        last_name=names.get("LastName") or None,
        fore_name=names.get("ForeName") or None,
        initials=names.get("Initials") or None,
        collective_name=names.get("CollectiveName") or None,
        affiliations=tuple(a for a in affiliations if a),
    )


def _pages(article: Element) -> str | None:
    medline_pages = _text_or_none(article.findtext("Pagination/MedlinePgn"))
    if medline_pages:
        return medline_pages
    start = _text_or_none(article.findtext("Pagination/StartPage"))
    if start:
        end = _text_or_none(article.findtext("Pagination/EndPage"))
        return f"{start}-{end}" if end and end != start else start
    for location in article.iterfind("ELocationID"):
        number = normalize_space(location.text)
        if location.get("EIdType") == "pii" and _ARTICLE_NUMBER.match(number):
            return number
    return None


def _mesh_heading(heading: Element) -> MeshHeading:
    descriptor = _child(heading, "DescriptorName")
    return MeshHeading(
        descriptor=element_text(descriptor),
        ui=descriptor.get("UI"),
        major=descriptor.get("MajorTopicYN") == "Y",
        qualifiers=tuple(
            MeshQualifier(name=element_text(q), ui=q.get("UI"), major=q.get("MajorTopicYN") == "Y")
            for q in heading.iterfind("QualifierName")
        ),
    )


def _comment_correction(element: Element) -> CommentCorrection:
    return CommentCorrection(
        ref_type=element.get("RefType", ""),
        pmid=_text_or_none(element.findtext("PMID")),
        source=element_text(element.find("RefSource")) or None,
    )


# --------------------------------------------------------------------------- helpers

_EMPTY = etree.Element("_absent")


def _child(parent: Element, tag: str) -> Element:
    """`parent`'s child `tag`, or an empty stand-in so optional blocks need no None checks."""
    found = parent.find(tag)
    return found if found is not None else _EMPTY


def _texts(elements) -> tuple[str, ...]:
    return tuple(text for text in (element_text(e) for e in elements) if text)


def _text_or_none(text: str | None) -> str | None:
    return normalize_space(text) or None
