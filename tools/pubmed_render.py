"""Records back to PubMed XML, in the element order of NLM's pubmed_250101.dtd.

A tool, not part of the installed package: used to write replayable EFetch answers
(tools/build_replay_articles.py), test fixtures and benchmark files from records we built. The
output round-trips: `parse_pubmed_xml(render_pubmed_article_set([r])) == [r]` for any record
whose texts are already whitespace-normalised (the parser normalises whitespace).
What records do not keep (MeSH tree numbers, publication-type UIs, the history dates) is left
out rather than made up.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from litmus.pubmed.dates import MONTH_ABBREVIATIONS
from litmus.records import Author, DeletedCitation, MeshHeading, PubmedRecord

PUBMED_DOCTYPE = (
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">'
)
_SET_HEADER = ('<?xml version="1.0" ?>\n' + PUBMED_DOCTYPE + "\n").encode()

Element = etree._Element


def render_pubmed_article(record: PubmedRecord) -> bytes:
    """One `<PubmedArticle>` element as UTF-8 bytes, without an XML declaration."""
    return etree.tostring(_pubmed_article(record), encoding="utf-8", xml_declaration=False, pretty_print=True)


def render_pubmed_article_set(records: Iterable[PubmedRecord | DeletedCitation]) -> bytes:
    """A complete EFetch-shaped document; `DeletedCitation`s go into one `<DeleteCitation>` at the end."""
    root = etree.Element("PubmedArticleSet")
    deleted = []
    for record in records:
        if isinstance(record, DeletedCitation):
            deleted.append(record.pmid)
        else:
            root.append(_pubmed_article(record))
    if deleted:
        delete_citation = _sub(root, "DeleteCitation")
        for pmid in deleted:
            _sub(delete_citation, "PMID", pmid, Version="1")
    body = etree.tostring(root, encoding="utf-8", xml_declaration=False, pretty_print=True)
    return _SET_HEADER + body


def _pubmed_article(record: PubmedRecord) -> Element:
    article_element = etree.Element("PubmedArticle")
    citation = _sub(article_element, "MedlineCitation", Status="MEDLINE", Owner="NLM")
    _sub(citation, "PMID", record.pmid, Version=str(record.version))
    if record.date_revised:
        _date(citation, "DateRevised", record.date_revised)
    _article(citation, record)
    _medline_journal_info(citation, record)
    if record.chemicals:
        chemicals = _sub(citation, "ChemicalList")
        for name in record.chemicals:
            chemical = _sub(chemicals, "Chemical")
            _sub(chemical, "RegistryNumber", "0")  # required by the DTD; "0" is PubMed's "none"
            _sub(chemical, "NameOfSubstance", name)
    if record.comments_corrections:
        comments = _sub(citation, "CommentsCorrectionsList")
        for comment in record.comments_corrections:
            element = _sub(comments, "CommentsCorrections", RefType=comment.ref_type)
            if comment.source is not None:
                _sub(element, "RefSource", comment.source)
            if comment.pmid is not None:
                _sub(element, "PMID", comment.pmid, Version="1")
    if record.mesh_headings:
        headings = _sub(citation, "MeshHeadingList")
        for heading in record.mesh_headings:
            _mesh_heading(headings, heading)
    if record.keywords:
        keywords = _sub(citation, "KeywordList", Owner="NOTNLM")
        for keyword in record.keywords:
            _sub(keywords, "Keyword", keyword, MajorTopicYN="N")
    _pubmed_data(article_element, record)
    return article_element


def _article(citation: Element, record: PubmedRecord) -> None:
    article = _sub(citation, "Article", PubModel="Print")
    journal = _sub(article, "Journal")
    if record.issn:
        _sub(journal, "ISSN", record.issn, IssnType="Print")
    issue = _sub(journal, "JournalIssue", CitedMedium="Print")
    _optional(issue, "Volume", record.volume)
    _optional(issue, "Issue", record.issue)
    pub_date = record.pub_date or (str(record.pub_year) if record.pub_year else None)
    if pub_date:
        _date(issue, "PubDate", pub_date, month_names=True)
    else:
        _sub(issue, "PubDate")
    _optional(journal, "Title", record.journal)
    _optional(journal, "ISOAbbreviation", record.journal_iso)
    _sub(article, "ArticleTitle", record.title)
    if record.pages:
        _sub(_sub(article, "Pagination"), "MedlinePgn", record.pages)
    if record.doi:
        _sub(article, "ELocationID", record.doi, EIdType="doi", ValidYN="Y")
    if record.abstract_sections:
        abstract = _sub(article, "Abstract")
        for section in record.abstract_sections:
            attributes = {}
            if section.label is not None:
                attributes["Label"] = section.label
            if section.nlm_category is not None:
                attributes["NlmCategory"] = section.nlm_category
            _sub(abstract, "AbstractText", section.text, **attributes)
    if record.authors:
        authors = _sub(article, "AuthorList", CompleteYN="Y")
        for author in record.authors:
            _author(authors, author)
    _optional(article, "Language", record.language)
    types = _sub(article, "PublicationTypeList")
    for publication_type in record.publication_types:
        _sub(types, "PublicationType", publication_type)


def _author(parent: Element, author: Author) -> None:
    element = _sub(parent, "Author", ValidYN="Y")
    _optional(element, "LastName", author.last_name)
    _optional(element, "ForeName", author.fore_name)
    _optional(element, "Initials", author.initials)
    _optional(element, "CollectiveName", author.collective_name)
    for affiliation in author.affiliations:
        _sub(_sub(element, "AffiliationInfo"), "Affiliation", affiliation)


def _medline_journal_info(citation: Element, record: PubmedRecord) -> None:
    info = _sub(citation, "MedlineJournalInfo")
    # MedlineTA and ISSNLinking are the parser's fallbacks for the ISO abbreviation and ISSN,
    # so they repeat those values and never introduce new ones.
    _optional(info, "MedlineTA", record.journal_iso)
    _optional(info, "ISSNLinking", record.issn)


def _mesh_heading(parent: Element, heading: MeshHeading) -> None:
    element = _sub(parent, "MeshHeading")
    _sub(element, "DescriptorName", heading.descriptor, **_mesh_attributes(heading.ui, heading.major))
    for qualifier in heading.qualifiers:
        _sub(element, "QualifierName", qualifier.name, **_mesh_attributes(qualifier.ui, qualifier.major))


def _mesh_attributes(ui: str | None, major: bool) -> dict[str, str]:
    attributes = {"UI": ui} if ui else {}
    attributes["MajorTopicYN"] = "Y" if major else "N"
    return attributes


def _pubmed_data(parent: Element, record: PubmedRecord) -> None:
    data = _sub(parent, "PubmedData")
    ids = _sub(data, "ArticleIdList")
    _sub(ids, "ArticleId", record.pmid, IdType="pubmed")
    _optional(ids, "ArticleId", record.doi, IdType="doi")
    _optional(ids, "ArticleId", record.pmcid, IdType="pmc")


def _date(parent: Element, tag: str, iso: str, month_names: bool = False) -> None:
    """ "2021-10-12" as Year/Month/Day; PubDate writes the month as PubMed does ("Oct")."""
    element = _sub(parent, tag)
    year, month, day = (iso.split("-") + [None, None])[:3]
    _sub(element, "Year", year)
    if month:
        _sub(element, "Month", MONTH_ABBREVIATIONS[int(month) - 1] if month_names else month)
    if day:
        _sub(element, "Day", day)


def _sub(parent: Element, tag: str, text: str | None = None, **attributes: str) -> Element:
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def _optional(parent: Element, tag: str, text: str | None, **attributes: str) -> None:
    if text is not None:
        _sub(parent, tag, text, **attributes)
