"""One printed reference -> `Citation`: authors, title, journal, year, volume, issue, pages, ids.

The rules are generic, not one journal's: Vancouver/NLM ("Wei J, Xiao M. Title. Blood.
2020;136(14):1632-44."), the Frontiers variant with the journal in italics and "(year)
volume(issue):pages", APA-like "Surname, I. (year). Title. *Journal*, *12*(3), 45-67." and Harvard
"Surname I (year) Title. Journal 12:45-67". What cannot be read is named in the citation's `note`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litmus.records import Citation

YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")


# --------------------------------------------------------------------------- one entry

_PROTECTED = {"*": "\ue000", "_": "\ue001"}
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|])")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"<>]+")
_DOI_LABEL = re.compile(r"(?:\bdoi\s*:?\s*|https?://(?:dx\.)?doi\.org/)\s*$", re.IGNORECASE)
# "PMID: <token>": the whole token is read and then checked (litmus.identifiers), so "3464248'9" is
# refused instead of read as PMID 3464248, and a 26-digit number is refused instead of dropped.
_PMID = re.compile(r"\bPMID(?![A-Za-z])\s*:?\s*([^\s,;]+)", re.IGNORECASE)
_PMID_TRAILING = ".)]}"
_PMCID = re.compile(r"\b(?:PMCID\s*:?\s*)?(PMC\d{4,})\b", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_INDEX_LINKS = re.compile(
    r"\[?\b(?:PubMed Abstract|PubMed|PMC free article|CrossRef Full Text|CrossRef|Google Scholar|"
    r"Full Text|Free full text)\b\]?",
    re.IGNORECASE,
)
_PAGES = r"[A-Za-z]{0,3}\d+[A-Za-z]?(?:\s*[-–—]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?"
_NLM_SOURCE = re.compile(
    r"(?P<year>(?:1[89]|20)\d{2})(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?\s*;\s*"
    r"(?P<volume>[\w.]+)?(?:\s*\((?P<issue>[^)]*)\))?(?:\s*:\s*(?P<pages>" + _PAGES + "))?"
)
_PAREN_YEAR_SOURCE = re.compile(
    r"\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?(?:\s*(?P<volume>\d[\w.]*)(?:\s*\((?P<issue>[^)]*)\))?"
    r"(?:\s*:\s*(?P<pages>" + _PAGES + "))?)?"
)
_APA_SOURCE = re.compile(
    r",\s*(?P<volume>\d[\w.]*)(?:\s*\((?P<issue>[^)]*)\))?(?:\s*,\s*(?P<pages>" + _PAGES + "))?"
)
_VOLUME_PAGES = re.compile(
    r"(?P<volume>\d[\w.]*)(?:\s*\((?P<issue>[^)]*)\))?\s*:\s*(?P<pages>" + _PAGES + ")"
)
_AUTHORS_BEFORE_YEAR = re.compile(r"\s*\((?P<year>(?:1[89]|20)\d{2})[a-z]?\)\.?(?:\s+|$)")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


@dataclass(frozen=True, slots=True)
class _EntryText:
    plain: str  # markup and identifiers removed
    emphasised: tuple[tuple[int, int], ...]  # spans of `plain` that were italic or bold
    doi: str | None
    pmid: str | None
    pmcid: str | None


def parse_reference_entry(key: str, raw: str) -> Citation:
    """One reference as printed -> `Citation`; what cannot be read is named in `note`."""
    entry = _clean_entry(raw)
    authors, year, rest_start = split_authors(entry.plain)
    rest = entry.plain[rest_start:]
    spans = tuple((s - rest_start, e - rest_start) for s, e in entry.emphasised if s >= rest_start)
    title, journal, source = _title_journal_source(rest, spans, year_known=year is not None)
    year = year or source.get("year") or first_year(rest)
    citation = Citation(
        key=key,
        kind="numbered",
        authors=authors,
        title=title,
        journal=journal,
        year=int(year) if year else None,
        volume=source.get("volume"),
        issue=source.get("issue"),
        pages=expand_page_range(source["pages"]) if source.get("pages") else None,
        doi=entry.doi,
        pmid=entry.pmid,
        pmcid=entry.pmcid,
    )
    return _with_note(citation, raw)


def _clean_entry(raw: str) -> _EntryText:
    text = MARKDOWN_ESCAPE.sub(lambda m: _PROTECTED.get(m.group(1), m.group(1)), raw)
    doi = find_doi(text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = HTML_TAG.sub("", text)
    pmid_match, pmcid_match = _PMID.search(text), _PMCID.search(text)
    if doi:
        text = _remove_doi(text, doi)
    text = _PMID.sub(" ", text)
    text = _PMCID.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _INDEX_LINKS.sub(" ", text)
    text = " ".join(text.split())
    plain, spans = strip_emphasis(text)
    for marker, placeholder in _PROTECTED.items():
        plain = plain.replace(placeholder, marker)
    plain = re.sub(r"\s+([.,;:])", r"\1", plain).strip(" ,;")
    return _EntryText(
        plain=plain,
        emphasised=spans,
        doi=doi,
        pmid=(pmid_match.group(1).rstrip(_PMID_TRAILING) or None) if pmid_match else None,
        pmcid=pmcid_match.group(1).upper() if pmcid_match else None,
    )


def find_doi(text: str) -> str | None:
    match = _DOI.search(text)
    if not match:
        return None
    doi = match.group(0).replace(_PROTECTED["_"], "_")
    # Trailing punctuation belongs to the sentence; a ")" only to the DOI when it has its "(".
    while doi and (doi[-1] in ".,;]*" or (doi[-1] == ")" and doi.count("(") < doi.count(")"))):
        doi = doi[:-1]
    return doi


def _remove_doi(text: str, doi: str) -> str:
    index = text.find(doi)
    if index < 0:
        return text
    before = _DOI_LABEL.sub("", text[:index])
    return before + " " + text[index + len(doi) :].lstrip(".")


def strip_emphasis(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    position = length = 0
    for match in _EMPHASIS.finditer(text):
        pieces.append(text[position : match.start()])
        length += match.start() - position
        inner = match.group(2)
        spans.append((length, length + len(inner)))
        pieces.append(inner)
        length += len(inner)
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), tuple(spans)


def first_year(text: str) -> str | None:
    match = YEAR.search(text)
    return match.group(0) if match else None


def _with_note(citation: Citation, raw: str) -> Citation:
    missing = [
        name
        for name, value in (("authors", citation.authors), ("title", citation.title), ("year", citation.year))
        if not value
    ]
    if not missing:
        return citation
    printed = " ".join(raw.split())
    note = f"could not read {', '.join(missing)}; entry as printed: {printed[:300]}"
    return Citation(**{**_as_dict(citation), "note": note})


def _as_dict(citation: Citation) -> dict:
    return {name: getattr(citation, name) for name in Citation.__slots__}


# --------------------------------------------------------------------------- authors

NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "le", "la", "dos", "ten", "ter"})
_INITIALS = re.compile(r"^(?:[A-Z]\.?\s?-?){1,4}$")
_ET_AL = re.compile(r"^et\.?\s+al\.?$", re.IGNORECASE)


def _is_name_word(word: str) -> bool:
    if word.lower() in NAME_PARTICLES:
        return True
    letters = word.replace("-", "").replace("'", "").replace("’", "")
    looks_like_initials = 1 < len(word) <= 3 and word.isupper()  # "DS" in "Pignataro DS" is not a surname
    return word[:1].isupper() and letters.isalpha() and not looks_like_initials


def _initials(text: str) -> str:
    return re.sub(r"[.\s]", "", text)


def parse_author_name(text: str) -> str | None:
    """ "Pignataro DS" / "D.S. Pignataro" / "Pignataro D.S." -> "Pignataro DS"; None if not a name."""
    words = text.split()
    if len(words) < 2 or len(words) > 6:
        return None
    for split in range(1, len(words)):
        head, tail = " ".join(words[:split]), " ".join(words[split:])
        if _INITIALS.match(tail) and all(_is_name_word(w) for w in words[:split]):
            return f"{head} {_initials(tail)}"
        if _INITIALS.match(head) and all(_is_name_word(w) for w in words[split:]):
            return f"{tail} {_initials(head)}"
    return None


def _author_pieces(segment: str) -> list[str]:
    segment = re.sub(r"\s*(?:,\s*)?(?:&|\band\b)\s*", ", ", segment)
    return [piece.strip() for piece in segment.split(",") if piece.strip()]


def parse_author_list(segment: str) -> tuple[str, ...] | None:
    """ "Wei J, Xiao M, et al" or "Smith, J. A., & Jones, B." -> ("Wei J", "Xiao M"); None if not a list."""
    pieces = _author_pieces(segment)
    if pieces and _ET_AL.match(pieces[-1]):
        pieces = pieces[:-1]
    if not pieces:
        return None
    names = [parse_author_name(piece) for piece in pieces]
    if all(names):
        return tuple(names)  # type: ignore[arg-type]
    return _parse_surname_comma_initials(pieces)


def _parse_surname_comma_initials(pieces: list[str]) -> tuple[str, ...] | None:
    if len(pieces) % 2:
        return None
    names = []
    for surname, initials in zip(pieces[::2], pieces[1::2]):
        if not _INITIALS.match(initials) or not all(_is_name_word(w) for w in surname.split()):
            return None
        names.append(f"{surname} {_initials(initials)}")
    return tuple(names)


def split_authors(text: str) -> tuple[tuple[str, ...], str | None, int]:
    """(authors, year printed right after them, offset where the rest of the entry starts).

    An author list ends either at "(year)" (APA, and Frontiers' own citation line) or at the
    first full stop whose preceding text reads as a list of names.
    """
    for match in _AUTHORS_BEFORE_YEAR.finditer(text):
        authors = parse_author_list(text[: match.start()])
        if authors:
            return authors, match.group("year"), match.end()
        break
    for match in re.finditer(r"\.(?:\s+|$)", text):
        authors = parse_author_list(text[: match.start()])
        if authors:
            return authors, None, match.end()
    return (), None, 0


# --------------------------------------------------------------------------- title, journal, numbers


def _title_journal_source(
    rest: str, emphasised: tuple[tuple[int, int], ...], *, year_known: bool
) -> tuple[str | None, str | None, dict[str, str]]:
    journal_span = next(
        ((s, e) for s, e in emphasised if re.search(r"[A-Za-z]", rest[s:e]) and s > 0), None
    )
    if journal_span:
        start, end = journal_span
        source = _source_numbers(rest[end:], year_known=year_known, after_journal=True)
        return _clean_title(rest[:start]), _clean_journal(rest[start:end]), source
    anchor = _first_source_anchor(rest, year_known=year_known)
    head = rest[: anchor.start()] if anchor else rest
    title, journal = split_title_journal(head)
    return title, journal, _groups(anchor) if anchor else {}


def _source_numbers(text: str, *, year_known: bool, after_journal: bool) -> dict[str, str]:
    patterns = [_PAREN_YEAR_SOURCE, _NLM_SOURCE]
    if year_known:
        patterns.append(_APA_SOURCE)
    if after_journal:
        patterns.append(_VOLUME_PAGES)
    matches = [m for pattern in patterns if (m := pattern.search(text))]
    if not matches:
        return {}
    return _groups(min(matches, key=lambda m: m.start()))


def _first_source_anchor(text: str, *, year_known: bool) -> re.Match | None:
    patterns = [_NLM_SOURCE, _PAREN_YEAR_SOURCE] + ([_APA_SOURCE] if year_known else [])
    matches = [m for pattern in patterns if (m := pattern.search(text))]
    if year_known:
        # Harvard "Title. Journal 12:45-67": "volume:pages" only after the title's first full stop,
        # so a ratio in the title ("a 1:1 comparison") is not read as the volume.
        first_stop = _SENTENCE_END.search(text)
        if first_stop and (match := _VOLUME_PAGES.search(text, first_stop.end())):
            matches.append(match)
    return min(matches, key=lambda m: m.start()) if matches else None


def _groups(match: re.Match) -> dict[str, str]:
    return {name: value.strip() for name, value in match.groupdict().items() if value and value.strip()}


def split_title_journal(head: str) -> tuple[str | None, str | None]:
    """ "Title. Front. Immunol." -> ("Title", "Front. Immunol").

    The journal is the last sentence, extended backwards over one-word sentences, because
    abbreviated journal names with full stops ("J. Clin. Oncol.") look like several sentences.
    """
    segments = [s for s in _SENTENCE_END.split(head.strip()) if s.strip(" .")]
    if not segments:
        return None, None
    if len(segments) == 1:
        return _clean_title(segments[0]), None
    journal_start = len(segments) - 1
    while journal_start > 1 and _one_word(segments[journal_start - 1]) and _one_word(segments[journal_start]):
        journal_start -= 1
    title = " ".join(segments[:journal_start])
    journal = " ".join(segments[journal_start:])
    return _clean_title(title), _clean_journal(journal)


def _one_word(segment: str) -> bool:
    return len(segment.split()) == 1


def _clean_title(text: str) -> str | None:
    text = text.strip().strip(",;").strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    return text or None


def _clean_journal(text: str) -> str | None:
    text = text.strip().strip(",;").strip()
    return text.rstrip(".").strip() or None


_RANGE = re.compile(r"^(?P<prefix>[A-Za-z]*)(?P<start>\d+)\s*[-–—]\s*(?P<end_prefix>[A-Za-z]*)(?P<end>\d+)$")


def expand_page_range(pages: str) -> str:
    """ "1797–805" -> "1797-1805", "1632–44" -> "1632-1644", "e176" stays; NLM abbreviates the end."""
    pages = pages.strip()
    match = _RANGE.match(pages)
    if not match:
        return pages
    prefix, start, end = match.group("prefix"), match.group("start"), match.group("end")
    if len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    end_prefix = match.group("end_prefix") or prefix
    return f"{prefix}{start}-{end_prefix}{end}"
