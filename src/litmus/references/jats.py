"""A PMC JATS article -> `Review` with one `Citation` per `<ref>` of its reference list.

JATS marks every field, so nothing is guessed from punctuation except for a `<mixed-citation>`
that holds only text, which is read like a printed entry (see `entries.parse_reference_entry`).
The parser never fetches a DTD or resolves an external entity: PMC answers name their DTD by URL.
"""

from __future__ import annotations

import re

from lxml import etree

from litmus import limits

from litmus.pubmed.bounded import LIBXML2_NODE_CAP, XmlLimitError, check_document
from litmus.records import Citation, Review
from litmus.references.entries import expand_page_range, parse_reference_entry
from litmus.references.markdown import ReviewParseError

_CITATION_ELEMENTS = ("element-citation", "mixed-citation", "nlm-citation", "citation")
_STRUCTURE_ELEMENTS = ("person-group", "article-title", "source", "year", "name", "string-name")
_PREFERRED_DATE_TYPES = ("epub", "ppub", "pub", "epub-ppub", "collection")


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=limits.XML_TEXT.value > LIBXML2_NODE_CAP,  # only when a user raised the text limit past libxml2's
    )


def parse_jats_references(xml: bytes, *, review_id: str | None = None, source: str | None = None) -> Review:
    """Title, DOI, PMID, PMCID and reference list of the first `<article>` in `xml`.

    An article without a `<ref-list>` gives a review with no citations (a correction, an
    editorial); a document without an `<article>` raises `ReviewParseError`.
    """
    try:
        check_document(xml, source or "the JATS input", internal_subset=True)  # the same size limits as PubMed XML
        root = etree.fromstring(xml, _safe_parser())
    except XmlLimitError as error:
        raise ReviewParseError(str(error)) from error
    except etree.XMLSyntaxError as error:
        raise ReviewParseError(f"not well-formed JATS XML ({source or 'input'}): {error}") from error
    article = root if _local(root) == "article" else next(
        (el for el in root.iter() if _local(el) == "article"), None
    )
    if article is None:
        raise ReviewParseError(
            f"no <article> element in {source or 'the XML'}: expected PMC JATS "
            "(an EFetch db=pmc answer or a JATS file)."
        )
    meta = _first(article, "front/article-meta")
    ids = _article_ids(meta)
    pmcid = ids.get("pmcid") or ids.get("pmc")
    pmcid = f"PMC{pmcid.upper().removeprefix('PMC')}" if pmcid else None
    return Review(
        review_id=review_id or pmcid or ids.get("doi") or "jats-article",
        title=_text(_first(meta, "title-group/article-title")) or "",
        citations=tuple(parse_jats_ref(ref, position) for position, ref in enumerate(_refs(article), 1)),
        doi=ids.get("doi"),
        pmid=ids.get("pmid"),
        pmcid=pmcid,
        journal=_journal(article),
        year=_article_year(meta),
        authors=_article_authors(meta),
        source=source,
    )


# --------------------------------------------------------------------------- one <ref>


def parse_jats_ref(ref: etree._Element, position: int) -> Citation:
    """One `<ref>` -> `Citation`, keyed by its `<label>` ("3") or else by its position."""
    key = _ref_key(ref, position)
    citation_element = next(
        (el for name in _CITATION_ELEMENTS for el in ref.iter(name)), None
    )
    if citation_element is None:
        return Citation(key=key, kind="numbered", note="JATS <ref> without a citation element")
    ids = _pub_ids(citation_element)
    if not any(True for name in _STRUCTURE_ELEMENTS for _ in citation_element.iter(name)):
        printed = parse_reference_entry(key, _text(citation_element) or "")
        return _overlay_ids(printed, ids)
    citation = Citation(
        key=key,
        kind="numbered",
        authors=_citation_authors(citation_element),
        title=_text(_first(citation_element, "article-title")) or _text(_first(citation_element, "chapter-title")),
        journal=_text(_first(citation_element, "source")),
        year=_year(_text(_first(citation_element, "year"))),
        volume=_text(_first(citation_element, "volume")),
        issue=_text(_first(citation_element, "issue")),
        pages=_pages(citation_element),
        doi=ids.get("doi"),
        pmid=ids.get("pmid"),
        pmcid=_pmcid(ids),
    )
    missing = [name for name in ("authors", "title", "year") if not getattr(citation, name)]
    if missing:
        citation = _replace(citation, note=f"JATS reference without {', '.join(missing)}")
    return citation


def _ref_key(ref: etree._Element, position: int) -> str:
    label = _text(_first(ref, "label"))
    if label:
        cleaned = label.strip("[]().").strip()
        if cleaned:
            return cleaned
    return str(position)


def _pub_ids(element: etree._Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for pub_id in element.iter("pub-id"):
        kind = (pub_id.get("pub-id-type") or "").lower()
        value = _text(pub_id)
        if kind and value:
            ids.setdefault(kind, value)
    return ids


def _pmcid(ids: dict[str, str]) -> str | None:
    value = ids.get("pmcid") or ids.get("pmc")
    return f"PMC{value.upper().removeprefix('PMC')}" if value else None


def _overlay_ids(citation: Citation, ids: dict[str, str]) -> Citation:
    return _replace(
        citation,
        doi=ids.get("doi") or citation.doi,
        pmid=ids.get("pmid") or citation.pmid,
        pmcid=_pmcid(ids) or citation.pmcid,
    )


def _replace(citation: Citation, **changes) -> Citation:
    fields = {name: getattr(citation, name) for name in Citation.__slots__}
    fields.update(changes)
    return Citation(**fields)


def _citation_authors(element: etree._Element) -> tuple[str, ...]:
    groups = list(element.iter("person-group"))
    authors_groups = [g for g in groups if g.get("person-group-type", "author") == "author"]
    scope = authors_groups[0] if authors_groups else element
    names = []
    for child in scope.iter("name", "string-name", "collab"):
        if _local(child) == "collab":
            names.append(_text(child))
        else:
            names.append(person_name(child))
    return tuple(name for name in names if name)


def person_name(name: etree._Element) -> str | None:
    """`<name><surname>Wei</surname><given-names>Jia</given-names></name>` -> "Wei J"."""
    surname = _text(_first(name, "surname"))
    given = _text(_first(name, "given-names"))
    if not surname:
        return _text(name)  # a <string-name> with no parts: keep it as printed
    initials = given_name_initials(given) if given else ""
    return f"{surname} {initials}".strip()


def given_name_initials(given: str) -> str:
    """ "Jia" -> "J", "B.J." -> "BJ", "Jean-Pierre" -> "JP", "DS" -> "DS"."""
    compact = re.sub(r"[.\s-]", "", given)
    if compact.isupper() and len(compact) <= 4:
        return compact
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part)


def _pages(element: etree._Element) -> str | None:
    first_page = _text(_first(element, "fpage"))
    last_page = _text(_first(element, "lpage"))
    if first_page and last_page and last_page != first_page:
        return expand_page_range(f"{first_page}-{last_page}")
    return first_page or _text(_first(element, "elocation-id"))


# --------------------------------------------------------------------------- the article


def _refs(article: etree._Element) -> list[etree._Element]:
    back = _first(article, "back")
    if back is None:
        return []
    return [ref for ref_list in back.iter("ref-list") for ref in ref_list.findall("ref")]


def _article_ids(meta: etree._Element | None) -> dict[str, str]:
    if meta is None:
        return {}
    ids: dict[str, str] = {}
    for article_id in meta.findall("article-id"):
        kind = (article_id.get("pub-id-type") or "").lower()
        value = _text(article_id)
        if kind and value:
            ids.setdefault(kind, value)
    return ids


def _journal(article: etree._Element) -> str | None:
    journal_meta = _first(article, "front/journal-meta")
    if journal_meta is None:
        return None
    for kind in ("nlm-ta", "iso-abbrev"):
        for journal_id in journal_meta.findall("journal-id"):
            if journal_id.get("journal-id-type") == kind and _text(journal_id):
                return _text(journal_id)
    return _text(_first(journal_meta, "journal-title-group/journal-title"))


def _article_year(meta: etree._Element | None) -> int | None:
    if meta is None:
        return None
    dates = meta.findall("pub-date")
    for kind in _PREFERRED_DATE_TYPES:
        for date in dates:
            if kind in (date.get("pub-type"), date.get("date-type")):
                year = _year(_text(_first(date, "year")))
                if year:
                    return year
    return next((y for d in dates if (y := _year(_text(_first(d, "year"))))), None)


def _article_authors(meta: etree._Element | None) -> tuple[str, ...]:
    if meta is None:
        return ()
    names = []
    for contrib in meta.iter("contrib"):
        if contrib.get("contrib-type", "author") == "author":
            name = _first(contrib, "name")
            if name is not None:
                names.append(person_name(name))
    return tuple(name for name in names if name)


# --------------------------------------------------------------------------- small helpers


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _first(element: etree._Element | None, path: str) -> etree._Element | None:
    return element.find(path) if element is not None else None


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None


def _year(text: str | None) -> int | None:
    match = re.search(r"\d{4}", text or "")
    return int(match.group(0)) if match else None
